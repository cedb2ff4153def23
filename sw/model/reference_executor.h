// Runs a Network on the golden operators: the bit-exact reference every backend must match.
#pragma once

#include <functional>

#include "golden/tensor.h"
#include "sw/model/network.h"

namespace npu::model {

// Called once per layer, in execution (topological) order, with the layer's output.
using LayerCallback = std::function<void(const Layer&, const golden::Tensor&)>;

// Input must match net.input_shape and net.input_quant exactly (else ModelError). Returns
// the tensor named net.output. The network is assumed valid (loaded or validate_network).
golden::Tensor run_reference(const Network& net, const golden::Tensor& input,
                             const LayerCallback& on_layer = {});

// Index of the largest value in logits.data (the first one on ties). Throws
// std::invalid_argument on an empty tensor.
int argmax(const golden::Tensor& logits);

}  // namespace npu::model
