// Per-channel requantization of int32 accumulators to int8: the post-processing contract.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/fixed_point.h"
#include "golden/tensor.h"

namespace npu::golden {

struct Requantizer {
  std::vector<QuantizedMultiplier> per_channel;  // one per output channel
  int32_t output_zero_point = 0;
  bool relu = false;  // clamp below at output_zero_point (real 0)

  // Builds multipliers for real_c = input_scale * weight_scale[c] / output_scale.
  static Requantizer for_conv(float input_scale, const std::vector<float>& weight_scales,
                              QuantParams output, bool relu);

  // acc -> multiply_by_quantized_multiplier -> + zero point -> ReLU -> saturate to int8.
  int8_t apply(int32_t acc, int channel) const;
};

// Standalone requantize of an int8 tensor to new quantization parameters (a scale change).
Tensor requantize(const Tensor& in, QuantParams out, bool relu = false);

}  // namespace npu::golden
