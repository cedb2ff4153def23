#include "sw/model/network.h"

namespace npu::model {

const char* op_name(Op op) {
  switch (op) {
    case Op::kConv2d:
      return "conv2d";
    case Op::kFullyConnected:
      return "fully_connected";
    case Op::kMaxPool:
      return "max_pool";
    case Op::kAvgPool:
      return "avg_pool";
    case Op::kGlobalAvgPool:
      return "global_avg_pool";
    case Op::kAdd:
      return "add";
  }
  return "unknown";
}

int64_t Layer::macs() const {
  // Counted from the dimensions, not the weight vector, so that a network whose weights
  // are not loaded (a planning tool's view) still reports its cost.
  const int64_t per_output = int64_t{weights.kernel_h} * weights.kernel_w * weights.in_channels;
  switch (op) {
    case Op::kConv2d:
      return int64_t{output_shape.h} * output_shape.w * output_shape.c * per_output;
    case Op::kFullyConnected:
      return int64_t{output_shape.c} * per_output;
    default:
      return 0;
  }
}

int64_t Network::macs() const {
  int64_t total = 0;
  for (const Layer& l : layers) total += l.macs();
  return total;
}

int64_t Network::weight_bytes() const {
  int64_t total = 0;
  for (const Layer& l : layers) {
    if (l.op == Op::kConv2d || l.op == Op::kFullyConnected) {
      total += int64_t{l.weights.out_channels} * l.weights.kernel_h * l.weights.kernel_w *
               l.weights.in_channels;
    }
  }
  return total;
}

const Layer* Network::find(const std::string& layer_name) const {
  for (const Layer& l : layers) {
    if (l.name == layer_name) return &l;
  }
  return nullptr;
}

}  // namespace npu::model
