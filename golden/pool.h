// Pooling: output quantization equals the input's (no rescale).
#pragma once

#include "golden/conv2d.h"
#include "golden/tensor.h"

namespace npu::golden {

// Padded positions are -128 (never win unless the whole window is padding).
Tensor max_pool(const Tensor& in, const ConvGeometry& g);

// Padded positions hold the input zero point; divisor is always kernel_h * kernel_w;
// the quotient rounds half away from zero.
Tensor avg_pool(const Tensor& in, const ConvGeometry& g);

// Mean over h*w per channel, rounded half away from zero. Output [n, 1, 1, c].
Tensor global_avg_pool(const Tensor& in);

// Integer division rounding half away from zero (divisor > 0): the one rule both pools use.
int32_t divide_round_half_away(int32_t sum, int32_t divisor);

}  // namespace npu::golden
