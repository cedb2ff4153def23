#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include "golden/requantize.h"
#include "golden/tests/expect_throw.h"

namespace npu::golden {
namespace {

// real_0 = 0.5 * 0.25 / 0.5 = 0.25 -> (2^30, -1); real_1 = 0.5 * 1 / 0.5 = 1 -> (2^30, 1).
Requantizer two_channels(bool relu) {
  return Requantizer::for_conv(0.5f, {0.25f, 1.0f}, QuantParams{0.5f, -10}, relu);
}

TEST(Requantizer, ForConvMultipliers) {
  const Requantizer r = two_channels(false);
  ASSERT_EQ(r.per_channel.size(), 2u);
  EXPECT_EQ(r.per_channel[0].multiplier, 1 << 30);
  EXPECT_EQ(r.per_channel[0].shift, -1);
  EXPECT_EQ(r.per_channel[1].multiplier, 1 << 30);
  EXPECT_EQ(r.per_channel[1].shift, 1);
  EXPECT_EQ(r.output_zero_point, -10);
}

TEST(Requantizer, ComputesRealInDouble) {
  // 0.1f * 0.1f / 0.3f in double = 0.03333333300219644 = 0.5333 * 2^-4
  // -> round(0.5333 * 2^31) = 1145324601. The same product in float arithmetic would be
  // 0.03333333507180214 -> 1145324672: the scales are widened first.
  const Requantizer r = Requantizer::for_conv(0.1f, {0.1f}, QuantParams{0.3f, 0}, false);
  EXPECT_EQ(r.per_channel[0].multiplier, 1145324601);
  EXPECT_EQ(r.per_channel[0].shift, -4);
}

TEST(Requantizer, ApplyRoundsAddsZeroPointAndSaturates) {
  const Requantizer r = two_channels(false);
  EXPECT_EQ(r.apply(10, 0), -7);    // 2.5 -> 3, -10
  EXPECT_EQ(r.apply(-10, 0), -13);  // -2.5 -> -3, -10
  // 9 * 0.25 = 2.25, but rounded twice: SRDHM(9, 2^30) = 4.5 -> 5, RDBPOT(5, 1) = 2.5 -> 3.
  EXPECT_EQ(r.apply(9, 0), -7);
  EXPECT_EQ(r.apply(-9, 0), -12);     // -4.5 -> -4 (half up), -2 -> -2: the other sign is exact
  EXPECT_EQ(r.apply(11, 0), -7);      // 2.75: 5.5 -> 6, 3
  EXPECT_EQ(r.apply(100, 1), 90);     // x 1
  EXPECT_EQ(r.apply(137, 1), 127);    // 127 exactly
  EXPECT_EQ(r.apply(138, 1), 127);    // 128 saturates
  EXPECT_EQ(r.apply(-118, 1), -128);  // exactly -128
  EXPECT_EQ(r.apply(-119, 1), -128);  // -129 saturates
  EXPECT_EQ(r.apply(std::numeric_limits<int32_t>::max(), 1), 127);
  EXPECT_EQ(r.apply(std::numeric_limits<int32_t>::min(), 1), -128);
}

TEST(Requantizer, ReluClampsAtZeroPoint) {
  const Requantizer r = two_channels(true);
  EXPECT_EQ(r.apply(-5, 1), -10);  // -15 -> zero point
  EXPECT_EQ(r.apply(0, 1), -10);
  EXPECT_EQ(r.apply(1, 1), -9);
  EXPECT_EQ(r.apply(1000, 1), 127);
  EXPECT_EQ(r.apply(std::numeric_limits<int32_t>::min(), 0), -10);
}

TEST(Requantizer, ChannelOutOfRange) {
  const Requantizer r = two_channels(false);
  EXPECT_THROW(r.apply(0, 2), std::out_of_range);
  EXPECT_THROW(r.apply(0, -1), std::out_of_range);
}

TEST(Requantizer, RejectsBadScales) {
  EXPECT_THROW_WITH(Requantizer::for_conv(0.0f, {1.0f}, QuantParams{1.0f, 0}, false),
                    std::invalid_argument, "input scale");
  EXPECT_THROW_WITH(Requantizer::for_conv(1.0f, {1.0f, -1.0f}, QuantParams{1.0f, 0}, false),
                    std::invalid_argument, "channel 1");
  EXPECT_THROW_WITH(Requantizer::for_conv(1.0f, {}, QuantParams{1.0f, 0}, false),
                    std::invalid_argument, "no weight scales");
  EXPECT_THROW_WITH(Requantizer::for_conv(1.0f, {1.0f}, QuantParams{0.0f, 0}, false),
                    std::invalid_argument, "scale");
  EXPECT_THROW_WITH(Requantizer::for_conv(1.0f, {1.0f}, QuantParams{1.0f, 200}, false),
                    std::invalid_argument, "zero_point");
  // real = 1 / 1e-10 = 1e10 > 2^30 * (1 - 2^-32): shift 34.
  EXPECT_THROW_WITH(Requantizer::for_conv(1.0f, {1.0f, 1.0f}, QuantParams{1e-10f, 0}, false),
                    std::invalid_argument, "channel 0");
}

Tensor row(std::initializer_list<int8_t> values, QuantParams q) {
  Tensor t(Shape{1, 1, static_cast<int>(values.size()), 1}, q);
  t.data.assign(values.begin(), values.end());
  return t;
}

TEST(RequantizeTensor, HalvingRoundsHalfUpFromSrdhm) {
  // real = 1 / 2 = 0.5 -> (2^30, 0): only SRDHM rounds, ties toward +infinity.
  const Tensor in = row({3, -3, 127, -128, 0, 1, -1}, QuantParams{1.0f, 0});
  const Tensor out = requantize(in, QuantParams{2.0f, 5});
  EXPECT_EQ(out.quant.scale, 2.0f);
  EXPECT_EQ(out.quant.zero_point, 5);
  const std::vector<int8_t> expect = {7, 4, 69, -59, 5, 6, 5};  // 2, -1, 64, -64, 0, 1, 0 (+5)
  EXPECT_EQ(out.data, expect);
}

TEST(RequantizeTensor, ZeroPointsAndSaturation) {
  // real = 1 / 0.25 = 4 -> (2^30, 3). x - zp_in with zp_in = 10.
  const Tensor in = row({10, 50, -30, 20, 42, 41}, QuantParams{1.0f, 10});
  const Tensor out = requantize(in, QuantParams{0.25f, -1});
  const std::vector<int8_t> expect = {-1, 127, -128, 39, 127, 123};  // 0, 160, -160, 40, 128, 124
  EXPECT_EQ(out.data, expect);
}

TEST(RequantizeTensor, Relu) {
  const Tensor in = row({3, -3, -128, 4}, QuantParams{1.0f, 0});
  const Tensor out = requantize(in, QuantParams{1.0f, 5}, true);
  const std::vector<int8_t> expect = {8, 5, 5, 9};
  EXPECT_EQ(out.data, expect);
}

TEST(RequantizeTensor, RejectsBadInput) {
  Tensor in = row({1, 2}, QuantParams{1.0f, 0});
  EXPECT_THROW_WITH(requantize(in, QuantParams{-1.0f, 0}), std::invalid_argument,
                    "requantize output");
  in.data.push_back(3);
  EXPECT_THROW_WITH(requantize(in, QuantParams{1.0f, 0}), std::invalid_argument,
                    "requantize input");
}

}  // namespace
}  // namespace npu::golden
