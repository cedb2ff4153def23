// In-memory form of a quantized network: what the loader produces, what the reference
// executor, the compiler and the tools consume.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/conv2d.h"
#include "golden/tensor.h"
#include "sw/model/preprocess.h"

namespace npu::model {

enum class Op { kConv2d, kFullyConnected, kMaxPool, kAvgPool, kGlobalAvgPool, kAdd };

const char* op_name(Op op);  // the YAML spelling, e.g. "conv2d"

struct Layer {
  std::string name;  // also the name of its output tensor
  Op op = Op::kConv2d;
  std::vector<std::string> inputs;  // tensor names ("input" or layer names)
  golden::ConvGeometry geometry;    // conv and pools (kernel, stride, padding)
  golden::ConvWeights weights;      // conv2d and fully_connected only
  bool relu = false;
  golden::Shape output_shape;  // n = 1
  golden::QuantParams output_quant;

  // Multiply-accumulates of one inference (conv / fc only; 0 otherwise).
  int64_t macs() const;
};

struct Network {
  std::string name;
  std::vector<std::string> classes;  // may be empty
  golden::Shape input_shape;         // n = 1
  golden::QuantParams input_quant;
  // Applied to image files (and dataset images) before quantization; empty for files of
  // format npu-model-1 and for synthetic networks (images are then fitted as before).
  std::vector<PreprocessStep> preprocess;
  std::string output;         // name of the result tensor
  std::vector<Layer> layers;  // topologically ordered

  int64_t macs() const;
  int64_t weight_bytes() const;  // int8 weights only
  const Layer* find(const std::string& layer_name) const;
};

}  // namespace npu::model
