// 2-D convolution (groups = 1), int8 NHWC activations, int8 OHWI per-channel weights.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/requantize.h"
#include "golden/tensor.h"

namespace npu::golden {

struct ConvGeometry {
  int kernel_h = 1, kernel_w = 1;
  int stride_h = 1, stride_w = 1;
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;

  int out_h(int in_h) const { return (in_h + pad_top + pad_bottom - kernel_h) / stride_h + 1; }
  int out_w(int in_w) const { return (in_w + pad_left + pad_right - kernel_w) / stride_w + 1; }
};

struct ConvWeights {
  int out_channels = 0, kernel_h = 1, kernel_w = 1, in_channels = 0;
  std::vector<int8_t> data;   // [out][kh][kw][in], values in [-127, 127], zero point 0
  std::vector<int32_t> bias;  // [out], scale input_scale * weight_scale[c]
  std::vector<float> scales;  // [out], per-channel weight scale
};

// Checks the geometry against an input of in_h x in_w: kernel and stride >= 1, padding >= 0,
// and at least one output row and column. Throws std::invalid_argument starting with `what`.
void validate_geometry(const ConvGeometry& g, int in_h, int in_w, const char* what);

// Worst case |accumulator| of a layer, K * 255 * 127 + max|bias| with K = kh * kw * in
// (|x - zp| <= 255, |w| <= 127), in int64. Layers where it exceeds INT32_MAX are rejected
// (the loader, and conv2d_accumulate with std::overflow_error): docs/numerics.md.
int64_t accumulator_bound(const ConvWeights& w);

// Raw int32 accumulators [n][oh][ow][out]: bias + sum((x - input_zp) * w); padding
// contributes zero because padded x equals the input zero point.
std::vector<int32_t> conv2d_accumulate(const Tensor& in, const ConvWeights& w,
                                       const ConvGeometry& g);

// Full layer: accumulate, then requantize per channel to `output` (optionally ReLU).
Tensor conv2d(const Tensor& in, const ConvWeights& w, const ConvGeometry& g, QuantParams output,
              bool relu);

}  // namespace npu::golden
