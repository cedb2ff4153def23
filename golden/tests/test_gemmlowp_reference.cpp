// Our requantizer primitives, and the shift-only forms docs/numerics.md gives for hardware,
// against gemmlowp's reference scalar code (libgemmlowp-dev), on all boundary values and a
// few million seeded random inputs.
#include <gemmlowp/fixedpoint/fixedpoint.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "golden/fixed_point.h"

namespace npu::golden {
namespace {

constexpr uint32_t kSeed = 20240611;
constexpr int kRandomCases = 5'000'000;

// gemmlowp's saturating left shift takes the exponent as a template argument.
using ShiftFn = int32_t (*)(int32_t);
template <int... S>
constexpr std::array<ShiftFn, sizeof...(S)> make_left_shifts(std::integer_sequence<int, S...>) {
  return {{&gemmlowp::SaturatingRoundingMultiplyByPOT<S, int32_t>...}};
}
constexpr auto kLeftShift = make_left_shifts(std::make_integer_sequence<int, 31>{});

// The composed requantizer built only from gemmlowp functions.
int32_t gemmlowp_mbqm(int32_t x, int32_t multiplier, int shift) {
  if (shift > 0) {
    return gemmlowp::SaturatingRoundingDoublingHighMul(kLeftShift[shift](x), multiplier);
  }
  return gemmlowp::RoundingDivideByPOT(gemmlowp::SaturatingRoundingDoublingHighMul(x, multiplier),
                                       -shift);
}

// The shift-only forms docs/numerics.md gives for hardware (arithmetic >> on int64 floors).
int32_t srdhm_shift_form(int32_t a, int32_t b) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  if (a == kMin && b == kMin) return std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>((int64_t{a} * b + (int64_t{1} << 30)) >> 31);
}
int32_t rdbpot_shift_form(int32_t x, int e) {
  if (e == 0) return x;
  return static_cast<int32_t>((int64_t{x} + (int64_t{1} << (e - 1)) - (x < 0 ? 1 : 0)) >> e);
}

std::vector<int32_t> boundary_values() {
  std::vector<int32_t> v = {std::numeric_limits<int32_t>::min(),
                            std::numeric_limits<int32_t>::min() + 1,
                            std::numeric_limits<int32_t>::max(),
                            std::numeric_limits<int32_t>::max() - 1,
                            0,
                            1,
                            -1,
                            2,
                            -2,
                            3,
                            -3};
  for (int k = 1; k <= 30; ++k) {
    const int32_t p = int32_t{1} << k;
    for (int32_t x : {p, p - 1, p + 1, -p, -p + 1, -p - 1}) v.push_back(x);
  }
  // Odd multiples of half powers of two: ties for RDBPOT.
  for (int k = 1; k <= 29; ++k) {
    for (int32_t m : {1, 3, 5, -1, -3, -5}) v.push_back(m * (int32_t{1} << (k - 1)));
  }
  return v;
}

// The multipliers quantize_multiplier can produce: 0 and [2^30, 2^31 - 1].
std::vector<int32_t> boundary_multipliers() {
  return {0,
          1 << 30,
          (1 << 30) + 1,
          3 << 29,
          1717986918,
          std::numeric_limits<int32_t>::max() - 1,
          std::numeric_limits<int32_t>::max()};
}

TEST(GemmlowpReference, BoundaryValues) {
  const std::vector<int32_t> values = boundary_values();
  long checked = 0;
  for (int32_t a : values) {
    for (int32_t b : values) {
      ASSERT_EQ(saturating_rounding_doubling_high_mul(a, b),
                gemmlowp::SaturatingRoundingDoublingHighMul(a, b))
          << "a=" << a << " b=" << b;
      ASSERT_EQ(srdhm_shift_form(a, b), gemmlowp::SaturatingRoundingDoublingHighMul(a, b))
          << "a=" << a << " b=" << b;
      ++checked;
    }
    for (int e = 0; e <= 31; ++e) {
      ASSERT_EQ(rounding_divide_by_pot(a, e), gemmlowp::RoundingDivideByPOT(a, e))
          << "x=" << a << " exponent=" << e;
      ASSERT_EQ(rdbpot_shift_form(a, e), gemmlowp::RoundingDivideByPOT(a, e))
          << "x=" << a << " exponent=" << e;
      ++checked;
    }
    for (int32_t m : boundary_multipliers()) {
      for (int shift = -31; shift <= 30; ++shift) {
        ASSERT_EQ(multiply_by_quantized_multiplier(a, m, shift), gemmlowp_mbqm(a, m, shift))
            << "x=" << a << " multiplier=" << m << " shift=" << shift;
        ++checked;
      }
    }
  }
  std::printf("boundary cases checked: %ld\n", checked);
}

TEST(GemmlowpReference, RandomInputs) {
  std::printf("seed %u, %d cases per function\n", kSeed, kRandomCases);
  std::mt19937 rng(kSeed);
  std::uniform_int_distribution<int32_t> any(std::numeric_limits<int32_t>::min(),
                                             std::numeric_limits<int32_t>::max());
  std::uniform_int_distribution<int32_t> q31(1 << 30, std::numeric_limits<int32_t>::max());
  std::uniform_int_distribution<int32_t> accumulator(-(1 << 24), 1 << 24);
  std::uniform_int_distribution<int> exponent(0, 31), shift(-31, 30), bits(0, 31);
  for (int i = 0; i < kRandomCases; ++i) {
    // Magnitudes spread over all bit lengths, not only near 2^31.
    const int32_t a = any(rng) >> bits(rng);
    const int32_t b = any(rng);
    ASSERT_EQ(saturating_rounding_doubling_high_mul(a, b),
              gemmlowp::SaturatingRoundingDoublingHighMul(a, b))
        << "case " << i << ": a=" << a << " b=" << b;
    ASSERT_EQ(srdhm_shift_form(a, b), gemmlowp::SaturatingRoundingDoublingHighMul(a, b))
        << "case " << i << ": a=" << a << " b=" << b;
    const int e = exponent(rng);
    ASSERT_EQ(rounding_divide_by_pot(a, e), gemmlowp::RoundingDivideByPOT(a, e))
        << "case " << i << ": x=" << a << " exponent=" << e;
    ASSERT_EQ(rdbpot_shift_form(a, e), gemmlowp::RoundingDivideByPOT(a, e))
        << "case " << i << ": x=" << a << " exponent=" << e;
    // Requantizer operands: a conv accumulator or any int32, a Q31 multiplier, any shift.
    const int32_t x = (i & 1) ? accumulator(rng) : a;
    const int32_t m = q31(rng);
    const int s = shift(rng);
    ASSERT_EQ(multiply_by_quantized_multiplier(x, m, s), gemmlowp_mbqm(x, m, s))
        << "case " << i << ": x=" << x << " multiplier=" << m << " shift=" << s;
  }
}

}  // namespace
}  // namespace npu::golden
