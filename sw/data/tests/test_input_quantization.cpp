#include <gtest/gtest.h>

#include <set>

#include "sw/data/data_error.h"
#include "sw/data/input_quantization.h"

namespace npu::data {
namespace {

TEST(InputQuantization, OneOver255WithZeroPointMinus128IsExactlyPixelMinus128) {
  // The literal the model files carry and the float computed from 1/255: the same float, but
  // both are spelled out so that neither path can drift.
  for (float scale : {0.00392156862745098f, 1.0f / 255.0f}) {
    const golden::QuantParams q{scale, -128};
    for (int p = 0; p < 256; ++p) {
      EXPECT_EQ(quantize_pixel(static_cast<uint8_t>(p), q), p - 128) << "pixel " << p;
    }
  }
}

TEST(InputQuantization, HandComputedValuesAndRounding) {
  // scale 0.5: q = round(p / 127.5) + 3. p = 63 -> 0.494 -> 0; p = 64 -> 0.502 -> 1.
  const golden::QuantParams half{0.5f, 3};
  EXPECT_EQ(quantize_pixel(0, half), 3);
  EXPECT_EQ(quantize_pixel(63, half), 3);
  EXPECT_EQ(quantize_pixel(64, half), 4);
  EXPECT_EQ(quantize_pixel(191, half), 4);  // 1.498
  EXPECT_EQ(quantize_pixel(192, half), 5);  // 1.506
  EXPECT_EQ(quantize_pixel(255, half), 5);
  // scale 0.001: q = round(p / 0.255) + 100, saturating at 127.
  const golden::QuantParams fine{0.001f, 100};
  EXPECT_EQ(quantize_pixel(0, fine), 100);
  EXPECT_EQ(quantize_pixel(5, fine), 120);  // 19.6 -> 20
  EXPECT_EQ(quantize_pixel(7, fine), 127);  // 27.45 -> 27
  EXPECT_EQ(quantize_pixel(8, fine), 127);  // 31.4 -> 31 -> 131, saturated
  EXPECT_EQ(quantize_pixel(255, fine), 127);
  // Near-ties are decided by the float scale, not by the ideal 2/255: float(2/255) is
  // 0.007843137718737125, so p / (255 * scale) = p * 0.49999997 (checked with numpy) and
  // the odd pixels that would be exact halves all round down.
  const golden::QuantParams two{2.0f / 255.0f, 0};
  EXPECT_EQ(quantize_pixel(1, two), 0);  // 0.49999997
  EXPECT_EQ(quantize_pixel(3, two), 1);  // 1.4999999
  EXPECT_EQ(quantize_pixel(4, two), 2);
  EXPECT_EQ(quantize_pixel(5, two), 2);  // 2.4999999
}

TEST(InputQuantization, QuantizeImageUsesTheNetworkInput) {
  model::Network net;
  net.input_shape = {1, 2, 2, 1};
  net.input_quant = {1.0f / 255.0f, -128};
  Image img(2, 2, 1);
  img.pixels = {0, 1, 128, 255};
  const golden::Tensor t = quantize_image(img, net);
  EXPECT_EQ(t.shape, net.input_shape);
  EXPECT_EQ(t.quant.zero_point, -128);
  EXPECT_EQ(t.data, (std::vector<int8_t>{-128, -127, 0, 127}));
}

TEST(InputQuantization, RejectsShapeMismatchAndBadQuantization) {
  Image img(2, 2, 1);
  EXPECT_THROW(quantize_image(img, golden::Shape{1, 2, 2, 3}, {1.0f, 0}), DataError);
  EXPECT_THROW(quantize_image(img, golden::Shape{1, 3, 2, 1}, {1.0f, 0}), DataError);
  EXPECT_THROW(quantize_image(img, golden::Shape{1, 2, 2, 1}, {0.0f, 0}), DataError);
  EXPECT_THROW(quantize_image(img, golden::Shape{1, 2, 2, 1}, {1.0f, 200}), DataError);
  EXPECT_NO_THROW(quantize_image(img, golden::Shape{1, 2, 2, 1}, {1.0f, 0}));
}

TEST(InputQuantization, RandomImagesAreDeterministicPerSeedAndIndex) {
  const Image a = random_image(8, 8, 3, 42, 5);
  EXPECT_EQ(a.pixels, random_image(8, 8, 3, 42, 5).pixels);
  EXPECT_NE(a.pixels, random_image(8, 8, 3, 42, 6).pixels);
  EXPECT_NE(a.pixels, random_image(8, 8, 3, 43, 5).pixels);
  // Roughly uniform: mean near 127.5 and nearly every value present.
  const Image big = random_image(64, 64, 3, 1, 0);
  double sum = 0;
  std::set<uint8_t> seen;
  for (uint8_t p : big.pixels) {
    sum += p;
    seen.insert(p);
  }
  EXPECT_NEAR(sum / big.pixels.size(), 127.5, 3.0);
  EXPECT_EQ(seen.size(), 256u);

  model::Network net;
  net.input_shape = {1, 4, 4, 1};
  net.input_quant = {1.0f / 255.0f, -128};
  const golden::Tensor t = random_input(net, 9, 0);
  const Image src = random_image(4, 4, 1, 9, 0);
  for (std::size_t i = 0; i < t.data.size(); ++i) EXPECT_EQ(t.data[i], src.pixels[i] - 128);
}

}  // namespace
}  // namespace npu::data
