#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include "sw/data/data_error.h"
#include "sw/data/idx_file.h"
#include "sw/data/tests/temp_dir.h"

namespace npu::data {
namespace {

using test_util::TempDir;
using test_util::write_bytes;
using ::testing::HasSubstr;

// Raw IDX bytes built by hand, independent of the library's writers.
std::vector<uint8_t> idx_bytes(std::vector<uint8_t> header, std::vector<uint8_t> payload) {
  header.insert(header.end(), payload.begin(), payload.end());
  return header;
}

void write_gz(const std::string& path, const std::vector<uint8_t>& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())),
            static_cast<int>(bytes.size()));
  ASSERT_EQ(gzclose(f), Z_OK);
}

// Expects a DataError whose message contains every fragment.
template <typename F>
void expect_error(F&& f, const std::vector<std::string>& fragments) {
  try {
    f();
    ADD_FAILURE() << "no exception";
  } catch (const DataError& e) {
    for (const auto& frag : fragments) EXPECT_THAT(e.what(), HasSubstr(frag));
  }
}

// 2 images of 2x3, hand-written: magic 0x00000803, n=2, rows=2, cols=3.
const std::vector<uint8_t> kImageHeader = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3};
const std::vector<uint8_t> kPixels = {0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255};
const std::vector<uint8_t> kLabelHeader = {0, 0, 8, 1, 0, 0, 0, 2};

TEST(IdxFile, ReadsHandWrittenGzipFiles) {
  TempDir dir("idx_read");
  write_gz(dir.file("img.gz"), idx_bytes(kImageHeader, kPixels));
  write_gz(dir.file("lbl.gz"), idx_bytes(kLabelHeader, {7, 3}));
  const IdxImages img = read_idx_images(dir.file("img.gz"));
  EXPECT_EQ(img.count, 2);
  EXPECT_EQ(img.rows, 2);
  EXPECT_EQ(img.cols, 3);
  EXPECT_EQ(img.pixels, kPixels);
  EXPECT_EQ(read_idx_labels(dir.file("lbl.gz")), (std::vector<uint8_t>{7, 3}));

  const Dataset ds = load_idx_dataset(dir.file("img.gz"), dir.file("lbl.gz"), 10);
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds.height, 2);
  EXPECT_EQ(ds.width, 3);
  EXPECT_EQ(ds.channels, 1);
  EXPECT_EQ(ds.labels, (std::vector<int>{7, 3}));
  const Image second = ds.image(1);
  EXPECT_EQ(second.at(0, 0, 0), 250);
  EXPECT_EQ(second.at(1, 2, 0), 255);
  EXPECT_THROW(ds.image(2), std::out_of_range);
}

TEST(IdxFile, ReadsUncompressedFiles) {
  TempDir dir("idx_plain");
  write_bytes(dir.file("img"), idx_bytes(kImageHeader, kPixels));
  EXPECT_EQ(read_idx_images(dir.file("img")).pixels, kPixels);
}

TEST(IdxFile, WriterRoundTrip) {
  TempDir dir("idx_roundtrip");
  IdxImages img;
  img.count = 3;
  img.rows = 4;
  img.cols = 5;
  for (int i = 0; i < 60; ++i) img.pixels.push_back(static_cast<uint8_t>(i * 4));
  const std::vector<uint8_t> labels = {0, 9, 4};
  for (bool gzip : {true, false}) {
    write_idx_images(dir.file("i"), img, gzip);
    write_idx_labels(dir.file("l"), labels, gzip);
    const Dataset ds = load_idx_dataset(dir.file("i"), dir.file("l"));
    EXPECT_EQ(ds.size(), 3u);
    EXPECT_EQ(ds.pixels, img.pixels);
    EXPECT_EQ(ds.labels, (std::vector<int>{0, 9, 4}));
  }
  // The plain writer must produce exactly the hand-written layout.
  write_idx_labels(dir.file("l"), {7, 3}, false);
  EXPECT_EQ(test_util::read_bytes(dir.file("l")), idx_bytes(kLabelHeader, {7, 3}));
}

TEST(IdxFile, MissingFile) {
  expect_error([] { read_idx_images("/nonexistent/dir/x.gz"); },
               {"/nonexistent/dir/x.gz", "cannot open"});
}

TEST(IdxFile, WrongMagicNamesTheFileAndKind) {
  TempDir dir("idx_magic");
  write_gz(dir.file("lbl.gz"), idx_bytes(kLabelHeader, {7, 3}));
  expect_error([&] { read_idx_images(dir.file("lbl.gz")); },
               {dir.file("lbl.gz"), "0x00000801", "expected 0x00000803", "label file"});
  write_gz(dir.file("img.gz"), idx_bytes(kImageHeader, kPixels));
  expect_error([&] { read_idx_labels(dir.file("img.gz")); },
               {dir.file("img.gz"), "0x00000803", "expected 0x00000801", "image file"});
  // Signed-int type code (0x0C) instead of unsigned byte.
  write_gz(dir.file("int.gz"),
           idx_bytes({0, 0, 0x0C, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, {0, 0, 0, 0}));
  expect_error([&] { read_idx_images(dir.file("int.gz")); }, {"0x00000c03"});
  // Not IDX at all.
  write_gz(dir.file("text.gz"), {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!'});
  expect_error([&] { read_idx_labels(dir.file("text.gz")); }, {dir.file("text.gz"), "magic"});
}

TEST(IdxFile, ZeroDimensions) {
  TempDir dir("idx_zero");
  write_gz(dir.file("rows0.gz"), idx_bytes({0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3}, {}));
  expect_error([&] { read_idx_images(dir.file("rows0.gz")); },
               {dir.file("rows0.gz"), "dimension 1 = 0"});
  write_gz(dir.file("n0.gz"), idx_bytes({0, 0, 8, 1, 0, 0, 0, 0}, {}));
  expect_error([&] { read_idx_labels(dir.file("n0.gz")); }, {dir.file("n0.gz"), "0 items"});
  // 2^24 columns: garbage, rejected before anything is allocated for it.
  write_gz(dir.file("huge.gz"), idx_bytes({0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0}, {}));
  expect_error([&] { read_idx_images(dir.file("huge.gz")); }, {"dimension 2 = 16777216"});
}

TEST(IdxFile, TruncatedPayloadAndHeader) {
  TempDir dir("idx_trunc");
  std::vector<uint8_t> short_pixels(kPixels.begin(), kPixels.end() - 1);
  write_gz(dir.file("img.gz"), idx_bytes(kImageHeader, short_pixels));
  expect_error([&] { read_idx_images(dir.file("img.gz")); },
               {dir.file("img.gz"), "truncated", "12 data bytes", "only 11"});
  write_gz(dir.file("hdr.gz"), {0, 0, 8, 3, 0, 0, 0, 2, 0, 0});
  expect_error([&] { read_idx_images(dir.file("hdr.gz")); },
               {dir.file("hdr.gz"), "truncated", "header"});
  write_gz(dir.file("tiny.gz"), {0, 0});
  expect_error([&] { read_idx_labels(dir.file("tiny.gz")); }, {dir.file("tiny.gz"), "truncated"});
}

TEST(IdxFile, TrailingBytes) {
  TempDir dir("idx_trailing");
  write_gz(dir.file("lbl.gz"), idx_bytes(kLabelHeader, {7, 3, 1, 1, 1}));
  expect_error([&] { read_idx_labels(dir.file("lbl.gz")); },
               {dir.file("lbl.gz"), "3 bytes after the 2 items"});
}

TEST(IdxFile, CorruptGzipStream) {
  TempDir dir("idx_gzcorrupt");
  std::vector<uint8_t> pixels(2000);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint8_t>(i * 7919);
  std::vector<uint8_t> header = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 25, 0, 0, 0, 40};
  write_gz(dir.file("good.gz"), idx_bytes(header, pixels));
  std::vector<uint8_t> gz = test_util::read_bytes(dir.file("good.gz"));
  ASSERT_GT(gz.size(), 100u);

  // Cut in the middle of the deflate stream.
  write_bytes(dir.file("cut.gz"), std::vector<uint8_t>(gz.begin(), gz.begin() + gz.size() / 2));
  expect_error([&] { read_idx_images(dir.file("cut.gz")); }, {dir.file("cut.gz")});

  // Flipped bytes in the compressed data (the CRC or the inflater must catch them).
  std::vector<uint8_t> bad = gz;
  for (std::size_t i = 20; i < 40; ++i) bad[i] ^= 0x5A;
  write_bytes(dir.file("bad.gz"), bad);
  expect_error([&] { read_idx_images(dir.file("bad.gz")); }, {dir.file("bad.gz")});
}

TEST(IdxFile, LabelImageCountMismatch) {
  TempDir dir("idx_mismatch");
  write_gz(dir.file("img.gz"), idx_bytes(kImageHeader, kPixels));
  write_gz(dir.file("lbl.gz"), idx_bytes({0, 0, 8, 1, 0, 0, 0, 3}, {1, 2, 3}));
  expect_error([&] { load_idx_dataset(dir.file("img.gz"), dir.file("lbl.gz")); },
               {dir.file("img.gz"), dir.file("lbl.gz"), "3 labels", "2 images"});
}

TEST(IdxFile, LabelOutOfRange) {
  TempDir dir("idx_range");
  write_gz(dir.file("img.gz"), idx_bytes(kImageHeader, kPixels));
  write_gz(dir.file("lbl.gz"), idx_bytes(kLabelHeader, {9, 10}));
  expect_error([&] { load_idx_dataset(dir.file("img.gz"), dir.file("lbl.gz"), 10); },
               {dir.file("lbl.gz"), "label 1 is 10", "0..9"});
  EXPECT_NO_THROW(load_idx_dataset(dir.file("img.gz"), dir.file("lbl.gz"), 11));
}

}  // namespace
}  // namespace npu::data
