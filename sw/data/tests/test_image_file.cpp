#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "sw/data/data_error.h"
#include "sw/data/image_file.h"
#include "sw/data/tests/temp_dir.h"

namespace npu::data {
namespace {

using test_util::TempDir;
using test_util::write_bytes;
using ::testing::HasSubstr;

std::vector<uint8_t> with_header(const std::string& header, std::vector<uint8_t> pixels) {
  std::vector<uint8_t> out(header.begin(), header.end());
  out.insert(out.end(), pixels.begin(), pixels.end());
  return out;
}

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no exception)";
}

TEST(ImageFile, DecodesHandWrittenPgm) {
  TempDir dir("img_pgm");
  // 3 wide, 2 high, with a comment line as PGM allows.
  write_bytes(dir.file("a.pgm"),
              with_header("P5\n# hand made\n3 2\n255\n", {0, 10, 20, 200, 254, 255}));
  const Image img = load_image_file(dir.file("a.pgm"));
  ASSERT_EQ(img.height, 2);
  ASSERT_EQ(img.width, 3);
  ASSERT_EQ(img.channels, 1);
  EXPECT_EQ(img.pixels, (std::vector<uint8_t>{0, 10, 20, 200, 254, 255}));
}

// Big-endian samples as the format specifies: 0x1234 = 4660 -> (4660 * 255 + 32767) / 65535
// = 18 = 0x12; stb 2.27 would read 0x3412 and give 0x34.
TEST(ImageFile, SixteenBitPgmIsBigEndian) {
  TempDir dir("img_pgm16");
  write_bytes(dir.file("w.pgm"), with_header("P5 2 1 65535\n", {0x12, 0x34, 0xFF, 0xFF}));
  const Image img = load_image_file(dir.file("w.pgm"));
  ASSERT_EQ(img.channels, 1);
  EXPECT_EQ(img.pixels, (std::vector<uint8_t>{0x12, 0xFF}));
}

TEST(ImageFile, PgmMaxvalScalesTo255) {
  TempDir dir("img_pgm_maxval");
  // (v * 255 + 50) / 100: 0, 12800 / 100 = 128, 255.
  write_bytes(dir.file("m.pgm"), with_header("P5 3 1 100\n", {0, 50, 100}));
  EXPECT_EQ(load_image_file(dir.file("m.pgm")).pixels, (std::vector<uint8_t>{0, 128, 255}));
  write_bytes(dir.file("over.pgm"), with_header("P5 3 1 100\n", {0, 50, 101}));
  EXPECT_THAT(error_of([&] { load_image_file(dir.file("over.pgm")); }),
              HasSubstr("sample 2 is 101, above maxval 100"));
  write_bytes(dir.file("nohdr.pgm"), with_header("P5 3 x\n", {0, 50, 101}));
  EXPECT_THAT(error_of([&] { load_image_file(dir.file("nohdr.pgm")); }),
              HasSubstr("no valid height"));
}

TEST(ImageFile, DecodesHandWrittenPpmAndConvertsToGrayByBt601) {
  TempDir dir("img_ppm");
  write_bytes(dir.file("c.ppm"), with_header("P6\n5 1\n255\n", {255, 0, 0, 0, 255, 0, 0, 0, 255,
                                                                255, 255, 255, 10, 20, 30}));
  const Image rgb = load_image_file(dir.file("c.ppm"));
  ASSERT_EQ(rgb.channels, 3);
  ASSERT_EQ(rgb.width, 5);
  const Image gray = convert_channels(rgb, 1);
  ASSERT_EQ(gray.channels, 1);
  // (299 R + 587 G + 114 B + 500) / 1000, by hand: 76745/1000, 150185/1000, 29570/1000,
  // 255500/1000, 18650/1000.
  EXPECT_EQ(gray.pixels, (std::vector<uint8_t>{76, 150, 29, 255, 18}));
}

TEST(ImageFile, GrayToRgbReplicates) {
  Image g(1, 2, 1);
  g.pixels = {7, 200};
  const Image rgb = convert_channels(g, 3);
  EXPECT_EQ(rgb.pixels, (std::vector<uint8_t>{7, 7, 7, 200, 200, 200}));
}

TEST(ImageFile, AlphaIsDropped) {
  Image ga(1, 2, 2);
  ga.pixels = {7, 0, 200, 255};
  EXPECT_EQ(convert_channels(ga, 1).pixels, (std::vector<uint8_t>{7, 200}));
  EXPECT_EQ(convert_channels(ga, 3).pixels, (std::vector<uint8_t>{7, 7, 7, 200, 200, 200}));
  Image rgba(1, 1, 4);
  rgba.pixels = {255, 0, 0, 9};
  EXPECT_EQ(convert_channels(rgba, 1).pixels, (std::vector<uint8_t>{76}));
  EXPECT_EQ(convert_channels(rgba, 3).pixels, (std::vector<uint8_t>{255, 0, 0}));
}

TEST(ImageFile, UnsupportedChannelCounts) {
  Image g(1, 1, 1);
  EXPECT_THAT(error_of([&] { convert_channels(g, 2); }), HasSubstr("2 channels"));
  EXPECT_THROW(convert_channels(g, 4), DataError);
  Image five(1, 1, 5);
  EXPECT_THROW(convert_channels(five, 1), DataError);
}

TEST(ImageFile, PngRoundTripThroughStbWrite) {
  TempDir dir("img_png");
  Image rgba(3, 2, 4);
  for (std::size_t i = 0; i < rgba.pixels.size(); ++i) {
    rgba.pixels[i] = static_cast<uint8_t>(i * 11);
  }
  write_png(dir.file("x.png"), rgba);
  const Image back = load_image_file(dir.file("x.png"));
  EXPECT_EQ(back.height, 3);
  EXPECT_EQ(back.width, 2);
  EXPECT_EQ(back.channels, 4);
  EXPECT_EQ(back.pixels, rgba.pixels);
  // The PNG signature: proof that stb wrote a PNG and not something else.
  const std::vector<uint8_t> bytes = test_util::read_bytes(dir.file("x.png"));
  ASSERT_GE(bytes.size(), 8u);
  EXPECT_EQ(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 8),
            (std::vector<uint8_t>{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}));
}

TEST(ImageFile, WritePnmRoundTrip) {
  TempDir dir("img_pnm");
  Image rgb(2, 2, 3);
  for (std::size_t i = 0; i < rgb.pixels.size(); ++i) rgb.pixels[i] = static_cast<uint8_t>(i * 20);
  write_pnm(dir.file("x.ppm"), rgb);
  EXPECT_EQ(load_image_file(dir.file("x.ppm")).pixels, rgb.pixels);
  EXPECT_THROW(write_pnm(dir.file("x.pam"), Image(1, 1, 2)), DataError);
}

TEST(ImageFile, ErrorsNameTheFile) {
  TempDir dir("img_bad");
  EXPECT_THAT(error_of([&] { load_image_file(dir.file("missing.png")); }),
              HasSubstr(dir.file("missing.png")));
  EXPECT_THAT(error_of([&] { load_image_file(dir.file("missing.png")); }),
              HasSubstr("cannot open"));

  write_bytes(dir.file("empty.png"), {});
  EXPECT_THAT(error_of([&] { load_image_file(dir.file("empty.png")); }),
              HasSubstr(dir.file("empty.png")));

  const std::string text = "this is not an image at all";
  write_bytes(dir.file("text.jpg"), std::vector<uint8_t>(text.begin(), text.end()));
  const std::string msg = error_of([&] { load_image_file(dir.file("text.jpg")); });
  EXPECT_THAT(msg, HasSubstr(dir.file("text.jpg")));
  EXPECT_THAT(msg, HasSubstr("cannot decode"));

  // A PGM whose header promises more pixels than the file holds.
  write_bytes(dir.file("short.pgm"), with_header("P5\n4 4\n255\n", {1, 2, 3}));
  const std::string short_msg = error_of([&] { load_image_file(dir.file("short.pgm")); });
  EXPECT_THAT(short_msg, HasSubstr(dir.file("short.pgm")));
  EXPECT_THAT(short_msg, HasSubstr("16 bytes of pixels) but 3 bytes follow"));

  // A real PNG cut in half.
  Image g(16, 16, 1);
  for (std::size_t i = 0; i < g.pixels.size(); ++i) g.pixels[i] = static_cast<uint8_t>(i * 37);
  write_png(dir.file("full.png"), g);
  std::vector<uint8_t> png = test_util::read_bytes(dir.file("full.png"));
  png.resize(png.size() / 2);
  write_bytes(dir.file("half.png"), png);
  EXPECT_THAT(error_of([&] { load_image_file(dir.file("half.png")); }),
              HasSubstr(dir.file("half.png")));

  EXPECT_THAT(error_of([&] { load_image_file(dir.path().string()); }),
              HasSubstr(dir.path().string()));
}

TEST(ImageResize, SameSizeIsAnExactCopy) {
  Image g(3, 3, 1);
  g.pixels = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_EQ(resize_image(g, 3, 3).pixels, g.pixels);
}

TEST(ImageResize, ConstantImageStaysConstant) {
  Image rgb(6, 4, 3);
  for (std::size_t i = 0; i < rgb.pixels.size(); i += 3) {
    rgb.pixels[i] = 77;
    rgb.pixels[i + 1] = 0;
    rgb.pixels[i + 2] = 255;
  }
  for (auto [h, w] : {std::pair{3, 2}, std::pair{12, 9}, std::pair{1, 1}}) {
    const Image r = resize_image(rgb, h, w);
    ASSERT_EQ(r.height, h);
    ASSERT_EQ(r.width, w);
    ASSERT_EQ(r.channels, 3);
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        EXPECT_EQ(r.at(y, x, 0), 77);
        EXPECT_EQ(r.at(y, x, 1), 0);
        EXPECT_EQ(r.at(y, x, 2), 255);
      }
    }
  }
}

TEST(ImageResize, DownsampleKeepsAnEdgeOrdered) {
  // Left half black, right half white; halving the width keeps dark on the left.
  Image g(4, 8, 1);
  for (int y = 0; y < 4; ++y) {
    for (int x = 4; x < 8; ++x) g.at(y, x, 0) = 255;
  }
  const Image r = resize_image(g, 2, 4);
  for (int y = 0; y < 2; ++y) {
    EXPECT_LT(r.at(y, 0, 0), 20);
    EXPECT_LT(r.at(y, 1, 0), r.at(y, 2, 0));
    EXPECT_GT(r.at(y, 3, 0), 235);
  }
}

TEST(ImageResize, FitConvertsThenResizesAndRejectsBadSizes) {
  Image rgb(10, 10, 3);
  for (std::size_t i = 0; i < rgb.pixels.size(); i += 3) rgb.pixels[i] = 255;  // pure red
  const Image g = fit_image(rgb, 28, 28, 1);
  EXPECT_EQ(g.height, 28);
  EXPECT_EQ(g.channels, 1);
  EXPECT_EQ(g.at(14, 14, 0), 76);
  EXPECT_THROW(resize_image(rgb, 0, 5), DataError);
}

TEST(ImageFile, LoadForInputNamesTheFileOnConversionErrors) {
  TempDir dir("img_fit");
  write_bytes(dir.file("a.pgm"), with_header("P5\n2 2\n255\n", {0, 1, 2, 3}));
  const Image img = load_image_for_input(dir.file("a.pgm"), 4, 4, 3);
  EXPECT_EQ(img.height, 4);
  EXPECT_EQ(img.channels, 3);
  EXPECT_THAT(error_of([&] { load_image_for_input(dir.file("a.pgm"), 4, 4, 2); }),
              HasSubstr(dir.file("a.pgm")));
}

}  // namespace
}  // namespace npu::data
