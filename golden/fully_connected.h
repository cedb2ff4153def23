// Fully connected layer: the input is flattened in NHWC order to [n][h*w*c].
#pragma once

#include "golden/conv2d.h"

namespace npu::golden {

// Weights use ConvWeights with kernel 1x1 and in_channels = h*w*c of the input.
// Output shape is [n, 1, 1, out_channels].
Tensor fully_connected(const Tensor& in, const ConvWeights& w, QuantParams output, bool relu);

}  // namespace npu::golden
