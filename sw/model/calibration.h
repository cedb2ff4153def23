// Post-training calibration of activation scales, the way a quantization tool would pick
// them: run the network layer by layer on sample inputs and size each layer's output
// range to what its real-valued results actually span.
#pragma once

#include <vector>

#include "golden/tensor.h"
#include "sw/model/network.h"

namespace npu::model {

// For every conv/fc layer (indexed like net.layers; empty for other layers) the real-valued
// bias per output channel, converted to int32 once the layer's input scale is known.
// Sets: conv/fc bias and output quantization, add output quantization, pool output
// quantization (= input's). ReLU outputs get zero point -128 and scale max/255, the others
// zero point 0 and scale max|x|/127, with max over all `inputs`. Weights and their
// scales must already be set; layers in topological order.
void calibrate(Network& net, const std::vector<std::vector<double>>& real_biases,
               const std::vector<golden::Tensor>& inputs);

}  // namespace npu::model
