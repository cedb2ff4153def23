#include <gtest/gtest.h>

#include <stdexcept>

#include "golden/fully_connected.h"
#include "golden/tests/expect_throw.h"

namespace npu::golden {
namespace {

// in scale 0.5 * weight scale 2 / out scale 1 = 1: the output is the accumulator + out zp.
ConvWeights one_hot_weights(int features, std::vector<int> picks, std::vector<int32_t> bias) {
  ConvWeights w;
  w.out_channels = static_cast<int>(picks.size());
  w.in_channels = features;
  w.data.assign(picks.size() * features, 0);
  for (std::size_t o = 0; o < picks.size(); ++o) w.data[o * features + picks[o]] = 1;
  w.bias = std::move(bias);
  w.scales.assign(picks.size(), 2.0f);
  return w;
}

TEST(FullyConnected, FlattensInHwcOrder) {
  // 2x2x2 input; flat index = (h * 2 + w) * 2 + c. Value = 10 * flat index + 1 - zp.
  Tensor in(Shape{1, 2, 2, 2}, QuantParams{0.5f, -4});
  for (int h = 0; h < 2; ++h)
    for (int w = 0; w < 2; ++w)
      for (int c = 0; c < 2; ++c) {
        in.at(0, h, w, c) = static_cast<int8_t>(10 * ((h * 2 + w) * 2 + c) - 3);
      }
  // Output o reads flat index picks[o]: 5 is (h 1, w 0, c 1), 2 is (h 0, w 1, c 0).
  const ConvWeights w = one_hot_weights(8, {5, 2, 7, 0}, {0, 100, 0, -1});
  const Tensor out = fully_connected(in, w, QuantParams{1.0f, 6}, false);
  EXPECT_EQ(out.shape, (Shape{1, 1, 1, 4}));
  EXPECT_EQ(out.quant.zero_point, 6);
  // x - zp = 10 * index + 1; output = that + bias + 6, saturated.
  const std::vector<int8_t> expect = {57, 127, 77, 6};
  EXPECT_EQ(out.data, expect);
}

TEST(FullyConnected, BatchesAreIndependentAndReluClamps) {
  Tensor in(Shape{2, 1, 1, 3}, QuantParams{0.5f, 0});
  in.data = {1, 2, 3, -1, -2, -3};
  ConvWeights w = one_hot_weights(3, {0, 2}, {0, 0});
  w.data = {1, 1, 1, 2, 0, -1};  // sum; 2 * x0 - x2
  const Tensor out = fully_connected(in, w, QuantParams{1.0f, -5}, true);
  EXPECT_EQ(out.shape, (Shape{2, 1, 1, 2}));
  // batch 0: 6, -1; batch 1: -6, 1. Plus zp -5, relu at -5.
  const std::vector<int8_t> expect = {1, -5, -5, -4};
  EXPECT_EQ(out.data, expect);
}

TEST(FullyConnected, RejectsWrongFeatureCountOrKernel) {
  Tensor in(Shape{1, 2, 2, 3}, QuantParams{1.0f, 0});
  ConvWeights w = one_hot_weights(12, {0}, {0});
  EXPECT_NO_THROW(fully_connected(in, w, QuantParams{1.0f, 0}, false));
  w = one_hot_weights(3, {0}, {0});
  EXPECT_THROW_WITH(fully_connected(in, w, QuantParams{1.0f, 0}, false), std::invalid_argument,
                    "weights.in_channels (3) differs from h*w*c (12)");
  w = one_hot_weights(12, {0}, {0});
  w.kernel_h = 2;
  EXPECT_THROW_WITH(fully_connected(in, w, QuantParams{1.0f, 0}, false), std::invalid_argument,
                    "1x1");
  w = one_hot_weights(12, {0}, {0});
  w.bias.push_back(1);
  EXPECT_THROW_WITH(fully_connected(in, w, QuantParams{1.0f, 0}, false), std::invalid_argument,
                    "fully_connected: conv2d: weights.bias has 2 values");
}

}  // namespace
}  // namespace npu::golden
