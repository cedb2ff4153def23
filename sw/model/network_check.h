// The consistency rules of docs/model-format.md, on an in-memory Network. The loader and
// save_network both use them, so a network that saves always loads again.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "golden/tensor.h"
#include "sw/model/model_error.h"
#include "sw/model/network.h"

namespace npu::model {

// Where problems are reported: structure and quantization against the YAML, weight values
// against the weight file. For an in-memory network both are "network '<name>'".
struct CheckFiles {
  std::string model_file;
  std::string weights_file;
};

// Indices into net.layers in a topological order that keeps the listed order where the
// graph allows it. Checks layer names (non-empty, unique, not "input"), input counts per
// op, dangling edges, the network output, unused layer outputs and cycles.
std::vector<std::size_t> topological_order(const Network& net, const std::string& file);

// Checks a layer's geometry and its input shapes (in the order of layer.inputs) and
// returns the shape it produces. Does not look at weights.in_channels or the weight data.
golden::Shape infer_output_shape(const Layer& layer, const std::vector<golden::Shape>& inputs,
                                 const std::string& file);

// scale finite and > 0, zero point in [-128, 127]; site.field is the YAML prefix ("input"
// or "output"), completed to "input.scale" etc.
void check_quant(const golden::QuantParams& q, const ErrorSite& site);

// Everything the loader checks, on a network whose layers are already topologically
// ordered: graph, shapes, quantization, weights and biases, the int32 accumulator bound
// and the requantization multipliers. Throws ModelError.
void validate_network(const Network& net, const CheckFiles& files);
void validate_network(const Network& net);  // reports against "network '<name>'"

}  // namespace npu::model
