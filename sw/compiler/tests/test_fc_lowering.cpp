// A fully connected layer on an H x W x C input as a conv over the input's words read as a
// virtual image: golden's conv2d over that image (lanes past C and words past the tensor
// filled with junk) equals golden's fully_connected exactly.
#include <gtest/gtest.h>

#include "golden/fully_connected.h"
#include "sw/compiler/fc_lowering.h"
#include "sw/compiler/tensor_layout.h"
#include "sw/model/splitmix64.h"

namespace npu::compiler {
namespace {

TEST(FcLowering, ViewHasTheFewestWordsThatHoldTheTensor) {
  // 4 words: one virtual pixel of 4 groups.
  FcView v = *fc_view({1, 2, 2, 1}, 4);
  EXPECT_EQ(v.words(), 4);
  EXPECT_EQ(v.kernel_h * v.kernel_w, 1);
  // 28x28x1 at 4 lanes: 784 words, exactly 4 taps of 196.
  v = *fc_view({1, 28, 28, 1}, 4);
  EXPECT_EQ(v.words(), 784);
  EXPECT_EQ(v.groups, 196);
  // 17x19x4: 323 words, no exact view; 1 x 2 taps of 162 words, one past the tensor.
  v = *fc_view({1, 17, 19, 4}, 16);
  EXPECT_EQ(v.words(), 324);
  EXPECT_LE(v.groups, 255);
  // More than 49 taps of 255 words has no view.
  EXPECT_FALSE(fc_view({1, 100, 125, 16}, 16).has_value());
}

void expect_fc_equals_conv(const golden::Shape& shape, int rows, int out) {
  model::SplitMix64 rng(shape.h * 1000 + shape.c * 10 + rows);
  golden::Tensor in(shape, {0.02f, 3});
  for (int8_t& x : in.data) x = static_cast<int8_t>(rng.uniform_int(-128, 127));
  golden::ConvWeights fc;
  fc.out_channels = out;
  fc.in_channels = static_cast<int>(shape.elements());
  for (int64_t i = 0; i < int64_t{out} * static_cast<int64_t>(shape.elements()); ++i)
    fc.data.push_back(static_cast<int8_t>(rng.uniform_int(-127, 127)));
  for (int o = 0; o < out; ++o) {
    fc.bias.push_back(static_cast<int32_t>(rng.uniform_int(-5000, 5000)));
    fc.scales.push_back(0.004f + 0.001f * static_cast<float>(o));
  }
  const golden::QuantParams q{0.5f, -7};
  const golden::Tensor expected = golden::fully_connected(in, fc, q, false);

  const FcView v = *fc_view(shape, rows);
  const std::vector<uint8_t> words = pack_tensor(in, rows);
  golden::Tensor image({1, v.kernel_h, v.kernel_w, v.groups * rows}, in.quant);
  for (size_t i = 0; i < image.data.size(); ++i)  // junk in the padding lanes and past the end
    image.data[i] =
        i < words.size() && (i % rows) + (i / rows % word_groups(shape.c, rows)) * rows <
                                static_cast<size_t>(shape.c)
            ? static_cast<int8_t>(words[i])
            : static_cast<int8_t>(rng.uniform_int(-128, 127));
  const golden::ConvGeometry g{v.kernel_h, v.kernel_w, 1, 1, 0, 0, 0, 0};
  const golden::Tensor got =
      golden::conv2d(image, fc_view_weights(fc, shape, v, rows), g, q, false);
  EXPECT_EQ(got.data, expected.data) << golden::to_string(shape) << " at " << rows << " lanes";
}

TEST(FcLowering, ConvOverTheVirtualImageIsTheFullyConnectedLayer) {
  expect_fc_equals_conv({1, 17, 19, 4}, 16, 10);  // partial last row
  expect_fc_equals_conv({1, 17, 19, 7}, 4, 5);    // 2 groups, 1 lane of padding
  expect_fc_equals_conv({1, 28, 28, 1}, 4, 3);    // exact 2x2 view
  expect_fc_equals_conv({1, 3, 5, 20}, 8, 9);
}

}  // namespace
}  // namespace npu::compiler
