// The average-pool division of the RTL (modelled bit by bit in pool_div_model.h) against the
// golden rounding rule, over the complete range the hardware can see: every divisor d = 1 .. 4096
// (kh*kw up to 7x7, global average up to 64x64) and every window sum of d int8 values.
#include <gtest/gtest.h>

#include <cstdint>

#include "golden/pool.h"
#include "tb/pool/pool_div_model.h"

namespace npu::tb {
namespace {

constexpr int kMaxDivisor = 4096;  // 2^MaxTapsLog2 of the default npu_pool
constexpr int kAccBits = 20;       // MaxTapsLog2 + 8

// Hand-checked values: round half away from zero, and the int8 extremes.
TEST(PoolDivModel, HandCheckedValues) {
  EXPECT_EQ(pool_div_model(0, 1), 0);
  EXPECT_EQ(pool_div_model(2, 4), 1);    // 0.5 -> 1
  EXPECT_EQ(pool_div_model(-2, 4), -1);  // -0.5 -> -1
  EXPECT_EQ(pool_div_model(6, 4), 2);    // 1.5 -> 2
  EXPECT_EQ(pool_div_model(-6, 4), -2);  // -1.5 -> -2
  EXPECT_EQ(pool_div_model(5, 4), 1);    // 1.25 -> 1
  EXPECT_EQ(pool_div_model(-5, 4), -1);
  EXPECT_EQ(pool_div_model(4, 9), 0);  // 0.444 -> 0
  EXPECT_EQ(pool_div_model(5, 9), 1);  // 0.556 -> 1
  EXPECT_EQ(pool_div_model(-5, 9), -1);
  EXPECT_EQ(pool_div_model(-128 * 4096, 4096), -128);
  EXPECT_EQ(pool_div_model(127 * 4096, 4096), 127);
  EXPECT_EQ(pool_div_model(-128 * 49, 49), -128);
  EXPECT_EQ(pool_div_model(127 * 49, 49), 127);
  EXPECT_EQ(pool_div_model(24, 49), 0);  // 0.4898
  EXPECT_EQ(pool_div_model(25, 49), 1);  // 0.5102
  EXPECT_EQ(pool_div_model(32, 64), 1);  // exact half of the 8x8 global pool
  EXPECT_EQ(pool_div_model(-32, 64), -1);
  EXPECT_EQ(pool_div_model(31, 64), 0);
}

// Every divisor, every sum of d int8 values: sum in [-128 d, 127 d], about 2.1e9 cases (~30 s
// in all), split into four divisor ranges of about equal work (the count grows as d^2) so that
// CTest can spread them over cores.
void check_divisor_all_sums(int32_t d) {
  for (int32_t sum = -128 * d; sum <= 127 * d; ++sum) {
    const int32_t want = golden::divide_round_half_away(sum, d);
    const int32_t got = pool_div_model(sum, d, kAccBits);
    if (got != want) {
      FAIL() << "block npu_pool_div, d " << d << ", sum " << sum << ": expected " << want
             << ", actual " << got;
    }
  }
}

void check_divisors(int32_t first, int32_t last) {
  for (int32_t d = first; d <= last; ++d) {
    check_divisor_all_sums(d);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(PoolDivModel, AllSumsDivisors1To2580) { check_divisors(1, 2580); }
TEST(PoolDivModel, AllSumsDivisors2581To3251) { check_divisors(2581, 3251); }
TEST(PoolDivModel, AllSumsDivisors3252To3721) { check_divisors(3252, 3721); }
TEST(PoolDivModel, AllSumsDivisors3722To4096) { check_divisors(3722, 4096); }

// The sums where a restoring division would slip first (rounded dividend q*d - 1, q*d,
// q*d + d - 1) for every divisor: a quick subset of the exhaustive tests above.
TEST(PoolDivModel, QuotientBoundariesForEveryDivisor) {
  for (int32_t d = 1; d <= kMaxDivisor; ++d) {
    const int32_t half = d / 2;
    for (int32_t q = 0; q <= 128; ++q) {
      for (int32_t n : {q * d - 1, q * d, q * d + d - 1}) {
        const int32_t mag = n - half;  // |sum| that gives the rounded dividend n
        if (mag < 0) continue;
        for (int32_t sum : {mag, -mag}) {
          if (sum < -128 * d || sum > 127 * d) continue;
          const int32_t want = golden::divide_round_half_away(sum, d);
          const int32_t got = pool_div_model(sum, d, kAccBits);
          ASSERT_EQ(got, want) << "block npu_pool_div, d " << d << ", sum " << sum;
        }
      }
    }
    for (int32_t sum : {-128 * d, 127 * d, 0, 1, -1}) {
      ASSERT_EQ(pool_div_model(sum, d, kAccBits), golden::divide_round_half_away(sum, d))
          << "block npu_pool_div, d " << d << ", sum " << sum;
    }
  }
}

// The datapath widths: |sum| + d/2 and d << 7 fit 20 bits for d <= 4096, one more tap does not.
TEST(PoolDivModel, WidthLimits) {
  EXPECT_NO_THROW(pool_div_model(-128 * 4096, 4096, kAccBits));
  EXPECT_THROW(pool_div_model(-128 * 8192, 8192, kAccBits), std::out_of_range);
}

}  // namespace
}  // namespace npu::tb
