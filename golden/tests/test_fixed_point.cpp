// Hand-checked values of the requantizer primitives. Each expectation's derivation is in the
// comment next to it; docs/numerics.md has the same examples.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "golden/fixed_point.h"
#include "golden/tests/expect_throw.h"

namespace npu::golden {
namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
constexpr int32_t kHalf = 1 << 30;  // Q31 0.5

int32_t srdhm(int32_t a, int32_t b) { return saturating_rounding_doubling_high_mul(a, b); }
int32_t rdbpot(int32_t x, int e) { return rounding_divide_by_pot(x, e); }
int32_t mbqm(int32_t x, int32_t m, int s) { return multiply_by_quantized_multiplier(x, m, s); }

TEST(Srdhm, ExactProducts) {
  EXPECT_EQ(srdhm(0, kMax), 0);
  EXPECT_EQ(srdhm(100, kHalf), 50);  // 100 * 0.5
  EXPECT_EQ(srdhm(-100, kHalf), -50);
  EXPECT_EQ(srdhm(kHalf, kHalf), 1 << 29);  // 2^30 * 2^30 / 2^31
  EXPECT_EQ(srdhm(kMin, kHalf), -kHalf);    // -2^31 * 0.5
}

TEST(Srdhm, SaturatesOnlyMinTimesMin) {
  EXPECT_EQ(srdhm(kMin, kMin), kMax);  // 2^62 / 2^31 = 2^31 does not fit
  // (2^31-1)^2 / 2^31 = 2^31 - 2 + 2^-31: rounds to 2^31 - 2.
  EXPECT_EQ(srdhm(kMax, kMax), kMax - 1);
  // -2^31 * (2^31-1) / 2^31 = -2^31 + 1 exactly.
  EXPECT_EQ(srdhm(kMin, kMax), kMin + 1);
  EXPECT_EQ(srdhm(kMax, kMin), kMin + 1);
}

TEST(Srdhm, TiesRoundTowardPlusInfinity) {
  // a * 2^30 / 2^31 = a / 2: ties for odd a. floor(a/2 + 1/2): 0.5 -> 1, -0.5 -> 0,
  // 1.5 -> 2, -1.5 -> -1, 2.5 -> 3, -2.5 -> -2.
  EXPECT_EQ(srdhm(1, kHalf), 1);
  EXPECT_EQ(srdhm(-1, kHalf), 0);
  EXPECT_EQ(srdhm(3, kHalf), 2);
  EXPECT_EQ(srdhm(-3, kHalf), -1);
  EXPECT_EQ(srdhm(5, kHalf), 3);
  EXPECT_EQ(srdhm(-5, kHalf), -2);
  // Not ties: 0.75 * 3 = 2.25 -> 2, -2.25 -> -2; 0.75 * 5 = 3.75 -> 4, -3.75 -> -4.
  const int32_t three_quarters = 3 << 29;
  EXPECT_EQ(srdhm(3, three_quarters), 2);
  EXPECT_EQ(srdhm(-3, three_quarters), -2);
  EXPECT_EQ(srdhm(5, three_quarters), 4);
  EXPECT_EQ(srdhm(-5, three_quarters), -4);
}

TEST(Rdbpot, TiesRoundAwayFromZero) {
  EXPECT_EQ(rdbpot(3, 1), 2);    // 1.5
  EXPECT_EQ(rdbpot(-3, 1), -2);  // -1.5
  EXPECT_EQ(rdbpot(5, 1), 3);    // 2.5
  EXPECT_EQ(rdbpot(-5, 1), -3);  // -2.5
  EXPECT_EQ(rdbpot(1, 1), 1);    // 0.5
  EXPECT_EQ(rdbpot(-1, 1), -1);  // -0.5
  EXPECT_EQ(rdbpot(6, 2), 2);    // 1.5, scaled by 4
  EXPECT_EQ(rdbpot(-6, 2), -2);
  EXPECT_EQ(rdbpot(10, 2), 3);  // 2.5
  EXPECT_EQ(rdbpot(-10, 2), -3);
  EXPECT_EQ(rdbpot(3 << 19, 20), 2);  // 1.5 * 2^20 / 2^20
  EXPECT_EQ(rdbpot(-(5 << 19), 20), -3);
}

TEST(Rdbpot, NonTiesRoundToNearest) {
  EXPECT_EQ(rdbpot(5, 2), 1);    // 1.25
  EXPECT_EQ(rdbpot(-5, 2), -1);  // -1.25
  EXPECT_EQ(rdbpot(7, 2), 2);    // 1.75
  EXPECT_EQ(rdbpot(-7, 2), -2);  // -1.75
  EXPECT_EQ(rdbpot(-4, 2), -1);  // exact
}

TEST(Rdbpot, ExtremeExponents) {
  for (int32_t x : {kMin, -1, 0, 1, kMax}) EXPECT_EQ(rdbpot(x, 0), x);
  EXPECT_EQ(rdbpot(kMin, 31), -1);           // -1 exactly
  EXPECT_EQ(rdbpot(kMax, 31), 1);            // 0.99999999953
  EXPECT_EQ(rdbpot(1 << 30, 31), 1);         // 0.5 -> 1
  EXPECT_EQ(rdbpot(-(1 << 30), 31), -1);     // -0.5 -> -1
  EXPECT_EQ(rdbpot((1 << 30) - 1, 31), 0);   // just below 0.5
  EXPECT_EQ(rdbpot(-(1 << 30) + 1, 31), 0);  // just above -0.5
  EXPECT_EQ(rdbpot(kMin, 1), -(1 << 30));
  EXPECT_EQ(rdbpot(kMax, 1), 1 << 30);  // 2^30 - 0.5 -> 2^30
  EXPECT_THROW(rdbpot(1, -1), std::invalid_argument);
  EXPECT_THROW(rdbpot(1, 32), std::invalid_argument);
}

TEST(Mbqm, ShiftZeroAndRightShifts) {
  EXPECT_EQ(mbqm(100, kHalf, 0), 50);
  EXPECT_EQ(mbqm(100, kHalf, -1), 25);
  EXPECT_EQ(mbqm(10, kHalf, -1), 3);  // 2.5 -> 3 (SRDHM exact 5, RDBPOT tie away)
  EXPECT_EQ(mbqm(-10, kHalf, -1), -3);
  // Two roundings: 3 * 0.5 = 1.5 -> 2 (SRDHM), 2 / 2 -> 1; -1.5 -> -1, -1 / 2 = -0.5 -> -1.
  EXPECT_EQ(mbqm(3, kHalf, -1), 1);
  EXPECT_EQ(mbqm(-3, kHalf, -1), -1);
  // With shift >= 0 the only rounding is SRDHM's: -0.5 -> 0 but 0.5 -> 1.
  EXPECT_EQ(mbqm(-1, kHalf, 0), 0);
  EXPECT_EQ(mbqm(1, kHalf, 0), 1);
}

TEST(Mbqm, ShiftMinus31) {
  // SRDHM(x, 2^31-1) then / 2^31.
  EXPECT_EQ(mbqm(kMax, kMax, -31), 1);     // (2^31-2) / 2^31 -> 1
  EXPECT_EQ(mbqm(kMin, kMax, -31), -1);    // (-2^31+1) / 2^31 -> -1
  EXPECT_EQ(mbqm(1 << 30, kMax, -31), 1);  // SRDHM = 2^30 - 0.5 -> 2^30; 0.5 -> 1
  EXPECT_EQ(mbqm(1 << 29, kMax, -31), 0);  // ~0.25
  EXPECT_EQ(mbqm(kMin, kHalf, -31), -1);   // SRDHM -2^30 exact; -2^30 / 2^31 = -0.5 -> -1
  EXPECT_EQ(mbqm(kMax, kHalf, -31), 1);    // SRDHM 2^30 - 0.5 -> 2^30; 0.5 -> 1
}

TEST(Mbqm, LeftShiftsSaturateBeforeTheMultiply) {
  EXPECT_EQ(mbqm(100, kHalf, 1), 100);     // 200 * 0.5
  EXPECT_EQ(mbqm(1, kHalf, 30), 1 << 29);  // 2^30 * 0.5
  EXPECT_EQ(mbqm(-1, kHalf, 30), -(1 << 29));
  EXPECT_EQ(mbqm(-2, kHalf, 30), -(1 << 30));  // -2^31 fits exactly
  // 2 << 30 = 2^31 saturates to 2^31 - 1; * 0.5 = 2^30 - 0.5 -> 2^30. (Wrapping, as
  // TFLite's unchecked shift would, gives -2^31 * 0.5 = -2^30.)
  EXPECT_EQ(mbqm(2, kHalf, 30), 1 << 30);
  EXPECT_EQ(mbqm(-3, kHalf, 30), -(1 << 30));  // saturates to -2^31
  EXPECT_EQ(mbqm(kMax, kMax, 30), kMax - 1);   // saturated to 2^31-1 before SRDHM
  EXPECT_EQ(mbqm(kMin, kMax, 1), kMin + 1);
  EXPECT_EQ(mbqm(kMin, kMin, 1), kMax);  // saturated shift, then SRDHM saturation
}

TEST(Mbqm, RejectsShiftsOutOfRange) {
  EXPECT_THROW_WITH(mbqm(1, kHalf, 31), std::invalid_argument, "[-31, 30]");
  EXPECT_THROW_WITH(mbqm(1, kHalf, -32), std::invalid_argument, "got -32");
  EXPECT_NO_THROW(mbqm(1, kHalf, 30));
  EXPECT_NO_THROW(mbqm(1, kHalf, -31));
}

TEST(QuantizeMultiplier, KnownValues) {
  auto check = [](double real, int32_t m, int shift) {
    const QuantizedMultiplier q = quantize_multiplier(real);
    EXPECT_EQ(q.multiplier, m) << real;
    EXPECT_EQ(q.shift, shift) << real;
  };
  check(0.5, 1 << 30, 0);
  check(1.0, 1 << 30, 1);
  check(0.75, 1610612736, 0);  // 0.75 * 2^31
  check(0.1, 1717986918, -3);  // 0.8 * 2^31 = 1717986918.4, 0.1 = 0.8 * 2^-3
  check(0.25, 1 << 30, -1);
  check(3.0, 1610612736, 2);                      // 0.75 * 2^2
  check(1.5 * (1 << 29), 1610612736, 30);         // largest exponent allowed
  check(1.0 - std::ldexp(1.0, -40), 1 << 30, 1);  // fraction rounds up to 1.0
  check(std::ldexp(1.0, -32), 1 << 30, -31);      // smallest kept exponent
  check(0.0, 0, 0);
  check(-0.0, 0, 0);
  check(std::ldexp(1.0, -33), 0, 0);  // exponent -32 < -31: flushed to zero
  check(1e-20, 0, 0);
}

TEST(QuantizeMultiplier, RejectsHugeNegativeAndNonFinite) {
  EXPECT_THROW_WITH(quantize_multiplier(std::ldexp(1.0, 30)), std::invalid_argument, "too large");
  EXPECT_THROW(quantize_multiplier(std::ldexp(1.0, 31) * (1.0 - std::ldexp(1.0, -40))),
               std::invalid_argument);  // rounds up to 2^31: shift 31
  EXPECT_THROW(quantize_multiplier(1e30), std::invalid_argument);
  EXPECT_THROW(quantize_multiplier(-0.5), std::invalid_argument);
  EXPECT_THROW(quantize_multiplier(-1e-30), std::invalid_argument);
  EXPECT_THROW(quantize_multiplier(std::numeric_limits<double>::quiet_NaN()),
               std::invalid_argument);
  EXPECT_THROW(quantize_multiplier(std::numeric_limits<double>::infinity()), std::invalid_argument);
  EXPECT_THROW(quantize_multiplier(-std::numeric_limits<double>::infinity()),
               std::invalid_argument);
}

TEST(QuantizeMultiplier, RoundTripsThroughMbqm) {
  // 1000 * 0.1 = 100 and 7 * 3 = 21 through the quantized form.
  const QuantizedMultiplier tenth = quantize_multiplier(0.1);
  EXPECT_EQ(mbqm(1000, tenth.multiplier, tenth.shift), 100);
  EXPECT_EQ(mbqm(-1000, tenth.multiplier, tenth.shift), -100);
  const QuantizedMultiplier three = quantize_multiplier(3.0);
  EXPECT_EQ(mbqm(7, three.multiplier, three.shift), 21);
}

TEST(SaturateInt8, BothEnds) {
  EXPECT_EQ(saturate_int8(127), 127);
  EXPECT_EQ(saturate_int8(128), 127);
  EXPECT_EQ(saturate_int8(kMax), 127);
  EXPECT_EQ(saturate_int8(-128), -128);
  EXPECT_EQ(saturate_int8(-129), -128);
  EXPECT_EQ(saturate_int8(kMin), -128);
  EXPECT_EQ(saturate_int8(-5), -5);
}

}  // namespace
}  // namespace npu::golden
