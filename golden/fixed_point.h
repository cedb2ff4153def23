// Fixed-point primitives of the requantizer, exactly as gemmlowp and TFLite define them.
// docs/numerics.md is the contract; the RTL post-processing unit implements the same steps.
#pragma once

#include <cstdint>

namespace npu::golden {

// (a * b * 2) / 2^32 rounded to nearest, ties toward +infinity (floor(a * b / 2^31 + 1/2),
// as ARM VQRDMULH); saturates INT32_MIN * INT32_MIN to INT32_MAX.
int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b);

// x / 2^exponent rounded to nearest, ties away from zero. exponent in [0, 31].
int32_t rounding_divide_by_pot(int32_t x, int exponent);

// x * multiplier * 2^(shift - 31): shift > 0 is a left shift (saturating to int32 before
// the multiply), shift <= 0 a rounding right shift. shift in [-31, 30].
int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift);

// A real factor as a Q31 multiplier in [2^30, 2^31) (or 0) and a shift, as TFLite's
// QuantizeMultiplier: real ~= multiplier * 2^(shift - 31).
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int shift = 0;
};

// Throws std::invalid_argument if real < 0, not finite, or too large (shift > 30).
QuantizedMultiplier quantize_multiplier(double real);

int8_t saturate_int8(int32_t x);

}  // namespace npu::golden
