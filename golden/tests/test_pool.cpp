#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include "golden/pool.h"
#include "golden/tests/expect_throw.h"

namespace npu::golden {
namespace {

ConvGeometry pool_geometry(int k, int stride, int pad) {
  ConvGeometry g;
  g.kernel_h = g.kernel_w = k;
  g.stride_h = g.stride_w = stride;
  g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = pad;
  return g;
}

TEST(DivideRoundHalfAway, TiesAndNonTies) {
  EXPECT_EQ(divide_round_half_away(1, 2), 1);    // 0.5
  EXPECT_EQ(divide_round_half_away(-1, 2), -1);  // -0.5
  EXPECT_EQ(divide_round_half_away(3, 2), 2);    // 1.5
  EXPECT_EQ(divide_round_half_away(-3, 2), -2);
  EXPECT_EQ(divide_round_half_away(5, 2), 3);  // 2.5
  EXPECT_EQ(divide_round_half_away(-5, 2), -3);
  EXPECT_EQ(divide_round_half_away(4, 3), 1);  // 1.33
  EXPECT_EQ(divide_round_half_away(5, 3), 2);  // 1.67
  EXPECT_EQ(divide_round_half_away(-5, 3), -2);
  EXPECT_EQ(divide_round_half_away(-4, 3), -1);
  EXPECT_EQ(divide_round_half_away(0, 7), 0);
  EXPECT_EQ(divide_round_half_away(-7, 7), -1);
}

TEST(DivideRoundHalfAway, Int32Extremes) {
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(divide_round_half_away(kMax, 1), kMax);
  EXPECT_EQ(divide_round_half_away(kMin, 1), kMin);
  EXPECT_EQ(divide_round_half_away(kMax, 2), 1 << 30);  // 2^30 - 0.5 -> 2^30
  EXPECT_EQ(divide_round_half_away(kMin, 2), -(1 << 30));
  EXPECT_EQ(divide_round_half_away(kMin + 1, 2), -(1 << 30));  // -2^30 + 0.5 -> -2^30
  EXPECT_EQ(divide_round_half_away(kMax, kMax), 1);
  EXPECT_THROW(divide_round_half_away(1, 0), std::invalid_argument);
  EXPECT_THROW(divide_round_half_away(1, -2), std::invalid_argument);
}

TEST(MaxPool, Resnet3x3Stride2Pad1) {
  // 4x4, x(y, x) = 4y + x - 100 (all negative, above -128), channel 1 = its negation - 1.
  Tensor in(Shape{1, 4, 4, 2}, QuantParams{0.3f, 11});
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) {
      in.at(0, y, x, 0) = static_cast<int8_t>(4 * y + x - 100);
      in.at(0, y, x, 1) = static_cast<int8_t>(-(4 * y + x - 100) - 1);
    }
  const Tensor out = max_pool(in, pool_geometry(3, 2, 1));
  ASSERT_EQ(out.shape, (Shape{1, 2, 2, 2}));
  EXPECT_EQ(out.quant.scale, 0.3f);
  EXPECT_EQ(out.quant.zero_point, 11);
  // Windows: rows/cols {0,1} or {1,2,3}. Ch 0 max is the bottom-right in-bounds value;
  // ch 1 max is the top-left one (99 - (4y + x)); padding (-128) never wins.
  const std::vector<int8_t> expect = {-95, 99, -93, 98, -87, 95, -85, 94};
  EXPECT_EQ(out.data, expect);
}

TEST(MaxPool, PaddingIsMinus128) {
  // 1x1 kernel with padding 1: the ring reads only padding. The centre is -128 too.
  Tensor in(Shape{1, 1, 1, 1}, QuantParams{1.0f, 50});
  in.data = {-128};
  Tensor out = max_pool(in, pool_geometry(1, 1, 1));
  EXPECT_EQ(out.data, std::vector<int8_t>(9, -128));
  in.data = {100};
  out = max_pool(in, pool_geometry(1, 1, 1));
  EXPECT_EQ(out.data, (std::vector<int8_t>{-128, -128, -128, -128, 100, -128, -128, -128, -128}));
  // A window with an in-bounds -128 and padding: -128, not the zero point 50.
  in.data = {-128};
  EXPECT_EQ(max_pool(in, pool_geometry(3, 1, 1)).data, std::vector<int8_t>{-128});
}

TEST(AvgPool, TiesRoundHalfAwayFromZero) {
  // 2x2 windows (divisor 4), one window per channel.
  Tensor in(Shape{1, 2, 2, 8}, QuantParams{0.5f, 0});
  const int8_t window[8][4] = {
      {1, 1, 0, 0},          // 2 / 4 = 0.5 -> 1
      {-1, -1, 0, 0},        // -0.5 -> -1
      {2, 2, 1, 1},          // 1.5 -> 2
      {-2, -2, -1, -1},      // -1.5 -> -2
      {2, 1, 1, 1},          // 1.25 -> 1
      {-2, -2, -2, -1},      // -1.75 -> -2
      {127, 127, 127, 127},  // 127
      {-128, -128, -128, -128},
  };
  for (int c = 0; c < 8; ++c)
    for (int i = 0; i < 4; ++i) in.at(0, i / 2, i % 2, c) = window[c][i];
  const Tensor out = avg_pool(in, pool_geometry(2, 2, 0));
  ASSERT_EQ(out.shape, (Shape{1, 1, 1, 8}));
  EXPECT_EQ(out.data, (std::vector<int8_t>{1, -1, 2, -2, 1, -2, 127, -128}));
}

TEST(AvgPool, PaddingCountsAsZeroPointAndDivisorIsFullKernel) {
  // 2x2 input of 20, 3x3 kernel, padding 1: every window has 4 values and 5 padding.
  Tensor in(Shape{1, 2, 2, 1}, QuantParams{1.0f, 10});
  std::fill(in.data.begin(), in.data.end(), int8_t{20});
  // (4 * 20 + 5 * 10) / 9 = 14.44 -> 14 (dividing by 4 valid values would give 20).
  EXPECT_EQ(avg_pool(in, pool_geometry(3, 1, 1)).data, std::vector<int8_t>(4, 14));
  in.quant.zero_point = -128;
  std::fill(in.data.begin(), in.data.end(), int8_t{127});
  // (4 * 127 - 5 * 128) / 9 = -132 / 9 = -14.67 -> -15.
  EXPECT_EQ(avg_pool(in, pool_geometry(3, 1, 1)).data, std::vector<int8_t>(4, -15));
}

TEST(AvgPool, SumsStoredValuesNotCentredOnes) {
  // zp 1. Channel 0, window {0, 0, 1, 2}: 3 / 4 = 0.75 -> 1. Channel 1, window {1, 1, 0, 0}:
  // 2 / 4 = 0.5 -> 1; centring on the zero point first would give -2 / 4 = -0.5 -> -1,
  // + 1 = 0: the contract is the stored-value sum.
  Tensor in(Shape{1, 2, 2, 2}, QuantParams{1.0f, 1});
  const int8_t w0[4] = {0, 0, 1, 2}, w1[4] = {1, 1, 0, 0};
  for (int i = 0; i < 4; ++i) {
    in.at(0, i / 2, i % 2, 0) = w0[i];
    in.at(0, i / 2, i % 2, 1) = w1[i];
  }
  EXPECT_EQ(avg_pool(in, pool_geometry(2, 2, 0)).data, (std::vector<int8_t>{1, 1}));
}

TEST(AvgPool, Stride2OddInput) {
  // 5x5, x(y, x) = 5y + x, 2x2 stride 2, no padding: 2x2 output (last row/col unused).
  Tensor in(Shape{1, 5, 5, 1}, QuantParams{1.0f, 0});
  for (int i = 0; i < 25; ++i) in.data[i] = static_cast<int8_t>(i);
  // (0+1+5+6)/4 = 3, (2+3+7+8)/4 = 5, (10+11+15+16)/4 = 13, (12+13+17+18)/4 = 15.
  EXPECT_EQ(avg_pool(in, pool_geometry(2, 2, 0)).data, (std::vector<int8_t>{3, 5, 13, 15}));
}

TEST(Pool, RectangularKernelStrideAndPadding) {
  // 3x4 input x(y, x) = 4y + x; kernel 1x2, stride (2, 1), padding left 1 only.
  Tensor in(Shape{1, 3, 4, 1}, QuantParams{1.0f, -100});
  for (int i = 0; i < 12; ++i) in.data[i] = static_cast<int8_t>(i);
  ConvGeometry g;
  g.kernel_h = 1;
  g.kernel_w = 2;
  g.stride_h = 2;
  g.stride_w = 1;
  g.pad_left = 1;
  // Rows 0 and 2; windows cols {-1,0}, {0,1}, {1,2}, {2,3}.
  const Tensor mx = max_pool(in, g);
  ASSERT_EQ(mx.shape, (Shape{1, 2, 4, 1}));
  EXPECT_EQ(mx.data, (std::vector<int8_t>{0, 1, 2, 3, 8, 9, 10, 11}));
  // Average: (-100 + 0) / 2 = -50, (0 + 1) / 2 = 0.5 -> 1, 1.5 -> 2, 2.5 -> 3;
  // row 2: (-100 + 8) / 2 = -46, 8.5 -> 9, 9.5 -> 10, 10.5 -> 11.
  EXPECT_EQ(avg_pool(in, g).data, (std::vector<int8_t>{-50, 1, 2, 3, -46, 9, 10, 11}));
}

TEST(GlobalAvgPool, SevenBySeven) {
  // 49 values per channel: 24 or 25 ones, the rest 0 or -1.
  Tensor in(Shape{1, 7, 7, 4}, QuantParams{0.2f, -3});
  for (int i = 0; i < 49; ++i) {
    in.at(0, i / 7, i % 7, 0) = i < 24 ? 1 : 0;   // 24/49 = 0.49 -> 0
    in.at(0, i / 7, i % 7, 1) = i < 25 ? 1 : 0;   // 25/49 = 0.51 -> 1
    in.at(0, i / 7, i % 7, 2) = i < 25 ? -1 : 0;  // -0.51 -> -1
    in.at(0, i / 7, i % 7, 3) = i < 24 ? -1 : 0;  // -0.49 -> 0
  }
  const Tensor out = global_avg_pool(in);
  EXPECT_EQ(out.shape, (Shape{1, 1, 1, 4}));
  EXPECT_EQ(out.quant.zero_point, -3);
  EXPECT_EQ(out.data, (std::vector<int8_t>{0, 1, -1, 0}));
}

TEST(GlobalAvgPool, TiesAndBatches) {
  // 2x2 (divisor 4): sums 2 -> 0.5 -> 1 and -2 -> -1; batch 1 holds the extremes.
  Tensor in(Shape{2, 2, 2, 2}, QuantParams{1.0f, 0});
  const int8_t b0[2][4] = {{1, 1, 0, 0}, {-1, 0, -1, 0}};
  for (int i = 0; i < 4; ++i) {
    in.at(0, i / 2, i % 2, 0) = b0[0][i];
    in.at(0, i / 2, i % 2, 1) = b0[1][i];
    in.at(1, i / 2, i % 2, 0) = 127;
    in.at(1, i / 2, i % 2, 1) = -128;
  }
  EXPECT_EQ(global_avg_pool(in).data, (std::vector<int8_t>{1, -1, 127, -128}));
}

TEST(Pool, RejectsBadGeometryAndInput) {
  Tensor in(Shape{1, 2, 2, 1}, QuantParams{1.0f, 0});
  EXPECT_THROW_WITH(max_pool(in, pool_geometry(3, 1, 0)), std::invalid_argument,
                    "max_pool: kernel 3x3 is larger");
  EXPECT_THROW_WITH(avg_pool(in, pool_geometry(2, 0, 0)), std::invalid_argument,
                    "avg_pool: stride");
  EXPECT_THROW_WITH(avg_pool(in, pool_geometry(2, 1, -1)), std::invalid_argument, "padding");
  in.data.push_back(0);
  EXPECT_THROW_WITH(global_avg_pool(in), std::invalid_argument, "global_avg_pool input");
  EXPECT_THROW_WITH(max_pool(in, pool_geometry(1, 1, 0)), std::invalid_argument, "max_pool input");
}

}  // namespace
}  // namespace npu::golden
