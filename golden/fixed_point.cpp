#include "golden/fixed_point.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace npu::golden {

namespace {

constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

int32_t saturate_int32(int64_t x) {
  return static_cast<int32_t>(x < kInt32Min ? kInt32Min : (x > kInt32Max ? kInt32Max : x));
}

}  // namespace

int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  // The only product whose doubled high half does not fit: (-2^31)^2 * 2 / 2^32 = 2^31.
  if (a == b && a == std::numeric_limits<int32_t>::min()) {
    return std::numeric_limits<int32_t>::max();
  }
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : (1 - (int64_t{1} << 30));
  // C++ division truncates toward zero; with the nudge this is round-half-away of ab / 2^31.
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

int32_t rounding_divide_by_pot(int32_t x, int exponent) {
  if (exponent < 0 || exponent > 31) {
    throw std::invalid_argument("rounding_divide_by_pot: exponent must be in [0, 31], got " +
                                std::to_string(exponent));
  }
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  // Negative x: floor (the arithmetic shift) is already half a step low, so the tie goes
  // down (away from zero) by raising the threshold by one.
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  // >> on a negative int32 is arithmetic with GCC/Clang (and by definition since C++20).
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift) {
  if (shift < -31 || shift > 30) {
    throw std::invalid_argument(
        "multiply_by_quantized_multiplier: shift must be in [-31, 30], got " +
        std::to_string(shift));
  }
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  // Multiplying instead of << keeps negative x well defined in C++17; |x| * 2^30 < 2^62.
  const int32_t shifted = saturate_int32(static_cast<int64_t>(x) * (int64_t{1} << left));
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(shifted, multiplier), right);
}

QuantizedMultiplier quantize_multiplier(double real) {
  if (!std::isfinite(real) || real < 0.0) {
    throw std::invalid_argument("quantize_multiplier: factor must be finite and >= 0, got " +
                                std::to_string(real));
  }
  if (real == 0.0) return {};
  int exponent = 0;
  const double fraction = std::frexp(real, &exponent);  // real = fraction * 2^exponent
  int64_t q = std::llround(fraction * static_cast<double>(int64_t{1} << 31));
  if (q == (int64_t{1} << 31)) {  // fraction rounded up to 1.0
    q /= 2;
    ++exponent;
  }
  if (exponent < -31) return {};  // below half an LSB of any int32 input: multiply by 0
  if (exponent > 30) {
    throw std::invalid_argument("quantize_multiplier: factor " + std::to_string(real) +
                                " is too large (needs shift " + std::to_string(exponent) +
                                " > 30)");
  }
  return {static_cast<int32_t>(q), exponent};
}

int8_t saturate_int8(int32_t x) {
  return static_cast<int8_t>(x < -128 ? -128 : (x > 127 ? 127 : x));
}

}  // namespace npu::golden
