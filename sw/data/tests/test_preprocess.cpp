// The PIL / torchvision operations on hand-computable cases, PyTorch's quantization
// rounding, and the checks on image files for a model with a preprocess list. Byte-exact
// agreement with real torchvision on real JPEG/PNG files is checked by
// sw/cli/tests/check_preprocess_vs_torchvision.py.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "sw/data/data_error.h"
#include "sw/data/image_file.h"
#include "sw/data/pil_transforms.h"
#include "sw/data/preprocess.h"
#include "sw/data/tests/temp_dir.h"

namespace npu::data {
namespace {

using test_util::TempDir;
using test_util::write_bytes;
using ::testing::HasSubstr;

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no exception)";
}

Image ramp(int h, int w, int c) {
  Image img(h, w, c);
  for (std::size_t i = 0; i < img.pixels.size(); ++i)
    img.pixels[i] = static_cast<uint8_t>(i * 7 + 1);  // never 0, unlike padding
  return img;
}

TEST(PilTransforms, LumaIsPillowsFixedPointFormula) {
  EXPECT_EQ(pil_luma(255, 255, 255), 255);
  EXPECT_EQ(pil_luma(0, 0, 0), 0);
  // (19595 * 10 + 38470 * 20 + 7471 * 30 + 32768) >> 16 = 1185048 >> 16 = 18
  EXPECT_EQ(pil_luma(10, 20, 30), 18);
  EXPECT_EQ(pil_luma(255, 0, 0), 76);  // (4996725 + 32768) >> 16
  EXPECT_EQ(pil_luma(0, 0, 255), 29);  // (1905105 + 32768) >> 16
}

TEST(PilTransforms, ConvertDropsAlphaAndReplicatesGray) {
  Image la(1, 1, 2);
  la.pixels = {40, 9};
  EXPECT_EQ(pil_convert(la, 3).pixels, (std::vector<uint8_t>{40, 40, 40}));
  Image rgba(1, 1, 4);
  rgba.pixels = {10, 20, 30, 0};
  EXPECT_EQ(pil_convert(rgba, 1).pixels, (std::vector<uint8_t>{18}));
  EXPECT_THAT(error_of([&] { pil_convert(rgba, 2); }), HasSubstr("2 channels"));
}

TEST(PilTransforms, ShorterSideResizeShapeTruncatesLikePython) {
  // int(224 * 500 / 375) = int(298.666...) = 298
  EXPECT_EQ(shorter_side_resize_shape(375, 500, 224), (std::array<int, 2>{224, 298}));
  EXPECT_EQ(shorter_side_resize_shape(500, 375, 224), (std::array<int, 2>{298, 224}));
  EXPECT_EQ(shorter_side_resize_shape(28, 28, 32), (std::array<int, 2>{32, 32}));
  // int(3 * 10 / 3) = 10: the division is exact, no truncation below.
  EXPECT_EQ(shorter_side_resize_shape(3, 10, 3), (std::array<int, 2>{3, 10}));
}

TEST(PilTransforms, ResizeKeepsConstantImagesAndSameSize) {
  Image flat(7, 9, 3);
  std::fill(flat.pixels.begin(), flat.pixels.end(), 200);
  for (auto [h, w] : {std::pair{3, 4}, std::pair{20, 31}, std::pair{7, 2}}) {
    const Image out = pil_resize_bilinear(flat, h, w);
    EXPECT_EQ(out.height, h);
    EXPECT_EQ(out.width, w);
    EXPECT_TRUE(
        std::all_of(out.pixels.begin(), out.pixels.end(), [](uint8_t p) { return p == 200; }));
  }
  const Image r = ramp(5, 6, 1);
  EXPECT_EQ(pil_resize_bilinear(r, 5, 6).pixels, r.pixels);
}

TEST(PilTransforms, DownscaleWidensTheTriangle) {
  // 4 -> 2: scale 2, so the triangle spans +-2 input pixels. Output 0 is centred at 1.0
  // and takes inputs 0, 1, 2 with weights 0.75, 0.75, 0.25 (normalized: 3/7, 3/7, 1/7);
  // output 1 (centre 3.0) inputs 1, 2, 3 with 1/7, 3/7, 3/7. Pillow gives the same 28, 132.
  Image row(1, 4, 1);
  row.pixels = {10, 21, 100, 200};
  const Image out = pil_resize_bilinear(row, 1, 2);
  EXPECT_EQ(out.pixels, (std::vector<uint8_t>{28, 132}));  // 193 / 7 = 27.6, 921 / 7 = 131.6
}

TEST(PilTransforms, PadAndCenterCrop) {
  const Image r = ramp(2, 3, 1);
  const Image padded = pad_black(r, {1, 0, 2, 1});  // left, top, right, bottom
  ASSERT_EQ(padded.height, 3);
  ASSERT_EQ(padded.width, 6);
  EXPECT_EQ(padded.at(0, 0, 0), 0);
  EXPECT_EQ(padded.at(0, 1, 0), r.at(0, 0, 0));
  EXPECT_EQ(padded.at(1, 3, 0), r.at(1, 2, 0));
  EXPECT_EQ(padded.at(2, 1, 0), 0);

  // Offsets round((size - crop) / 2) half to even: 1 -> 0, 3 -> 2, 5 -> 2.
  const Image wide = ramp(1, 9, 1);
  EXPECT_EQ(center_crop(wide, 1, 8).at(0, 0, 0), wide.at(0, 0, 0));
  EXPECT_EQ(center_crop(wide, 1, 6).at(0, 0, 0), wide.at(0, 2, 0));
  EXPECT_EQ(center_crop(wide, 1, 4).at(0, 0, 0), wide.at(0, 2, 0));
  // Larger than the image: black, the smaller half left/top.
  // Larger than the image: black, the smaller half left/top (1 left, 2 right; 1 top, 2
  // bottom), as torchvision gives for 1x2 -> 4x5.
  const Image grown = center_crop(ramp(1, 2, 1), 4, 5);
  ASSERT_EQ(grown.height, 4);
  ASSERT_EQ(grown.width, 5);
  EXPECT_EQ(grown.at(1, 0, 0), 0);
  EXPECT_EQ(grown.at(1, 1, 0), ramp(1, 2, 1).at(0, 0, 0));
  EXPECT_EQ(grown.at(1, 2, 0), ramp(1, 2, 1).at(0, 1, 0));
  EXPECT_EQ(grown.at(1, 3, 0), 0);
  EXPECT_EQ(grown.at(0, 1, 0), 0);
}

TEST(TorchQuantization, RoundsHalfToEvenAfterMultiplyingByTheReciprocal) {
  const golden::QuantParams unit{1.0f, 0};
  EXPECT_EQ(quantize_like_torch(0.5f, unit), 0);
  EXPECT_EQ(quantize_like_torch(1.5f, unit), 2);
  EXPECT_EQ(quantize_like_torch(2.5f, unit), 2);
  EXPECT_EQ(quantize_like_torch(-2.5f, unit), -2);
  EXPECT_EQ(quantize_like_torch(1000.0f, unit), 127);
  EXPECT_EQ(quantize_like_torch(-1000.0f, unit), -128);
  // The zero point is added after rounding: 2.5 -> 2, + 1 = 3 (not round(3.5) = 4).
  EXPECT_EQ(quantize_like_torch(2.5f, {1.0f, 1}), 3);
}

model::Network input_only(int h, int w, int c, std::vector<model::PreprocessStep> steps) {
  model::Network net;
  net.input_shape = {1, h, w, c};
  net.input_quant = {1.0f / 255.0f, -128};
  net.preprocess = std::move(steps);
  return net;
}

TEST(Preprocess, GrayDatasetImageToPaddedRgb) {
  model::PreprocessStep pad;
  pad.op = model::PreprocessOp::kPad;
  pad.pad = {2, 2, 2, 2};
  const golden::Tensor t =
      preprocess_image(ramp(28, 28, 1), input_only(32, 32, 3, {pad}), "m.yaml");
  ASSERT_EQ(t.shape, (golden::Shape{1, 32, 32, 3}));
  EXPECT_EQ(t.at(0, 0, 0, 0), -128);  // black border
  EXPECT_EQ(t.at(0, 2, 2, 1), static_cast<int8_t>(ramp(28, 28, 1).at(0, 0, 0) - 128));
  EXPECT_EQ(t.at(0, 2, 3, 2), static_cast<int8_t>(ramp(28, 28, 1).at(0, 1, 0) - 128));
}

TEST(Preprocess, WrongResultSizeNamesModelAndSizes) {
  model::PreprocessStep resize;
  resize.op = model::PreprocessOp::kResize;
  resize.resize = 30;
  EXPECT_EQ(error_of([&] {
              preprocess_image(ramp(40, 60, 3), input_only(32, 32, 3, {resize}), "m.yaml");
            }),
            "model 'm.yaml': its preprocess list turns a 40x60 image into 30x45, but the input "
            "is 32x32");
}

TEST(Preprocess, IntermediateImagesAreBounded) {
  model::PreprocessStep resize;
  resize.op = model::PreprocessOp::kResize;
  resize.resize = 30000;
  EXPECT_THAT(
      error_of([&] { preprocess_image(ramp(2, 300, 1), input_only(4, 4, 1, {resize}), "m.yaml"); }),
      HasSubstr("model 'm.yaml' preprocess[0] (resize) would make a 30000x4500000 image"));
}

TEST(PilImageFile, RejectsNonRegularFilesAndOtherFormats) {
  EXPECT_THAT(error_of([] { load_image_file_like_pil("/dev/null"); }),
              HasSubstr("'/dev/null': not a regular file"));
  TempDir dir("pil_formats");
  write_bytes(dir.file("a.gif"), {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0});
  EXPECT_THAT(error_of([&] { load_image_file_like_pil(dir.file("a.gif")); }),
              HasSubstr("only JPEG, PNG and binary PGM/PPM (maxval 255)"));
  const std::string pgm = "P5\n1 1\n100\n";
  write_bytes(dir.file("a.pgm"), {pgm.begin(), pgm.end()});
  EXPECT_THAT(error_of([&] { load_image_file_like_pil(dir.file("a.pgm")); }),
              HasSubstr("maxval is 100, only 255"));
}

TEST(PilImageFile, RejectsHugeAndBrokenJpegs) {
  TempDir dir("pil_jpeg");
  // SOI, then an SOF0 segment declaring 60000 x 60000, 3 components; nothing after.
  std::vector<uint8_t> huge = {0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xEA, 0x60, 0xEA, 0x60,
                               0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01};
  write_bytes(dir.file("huge.jpg"), huge);
  EXPECT_THAT(error_of([&] { load_image_file_like_pil(dir.file("huge.jpg")); }),
              HasSubstr("huge.jpg"));
  write_bytes(dir.file("junk.jpg"), {0xFF, 0xD8, 0xFF, 0x00, 0x01, 0x02});
  EXPECT_THAT(error_of([&] { load_image_file_like_pil(dir.file("junk.jpg")); }),
              HasSubstr("cannot decode JPEG"));
}

TEST(ImageFile, PixelCountIsBoundedFromTheHeader) {
  TempDir dir("img_bound");
  const std::string pgm = "P5\n10000 10000\n255\n";
  write_bytes(dir.file("big.pgm"), {pgm.begin(), pgm.end()});
  EXPECT_THAT(error_of([&] { load_image_file(dir.file("big.pgm")); }),
              HasSubstr("big.pgm' is 10000x10000, more than the limit of 67108864 pixels"));
}

}  // namespace
}  // namespace npu::data
