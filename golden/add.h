// Residual add of two int8 tensors of the same shape, the TFLite int8 ADD recipe.
#pragma once

#include "golden/fixed_point.h"
#include "golden/tensor.h"

namespace npu::golden {

struct AddParams {
  static constexpr int kLeftShift = 20;  // headroom before rescaling, as TFLite
  int32_t a_zero_point = 0, b_zero_point = 0, output_zero_point = 0;
  QuantizedMultiplier a_multiplier, b_multiplier, output_multiplier;
  bool relu = false;

  static AddParams make(QuantParams a, QuantParams b, QuantParams output, bool relu);
  int8_t apply(int8_t a, int8_t b) const;
};

Tensor add(const Tensor& a, const Tensor& b, QuantParams output, bool relu);

}  // namespace npu::golden
