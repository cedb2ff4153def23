#include "sw/cli/tests/tiny_models.h"

namespace npu::cli::testing {

model::Network pixel_picker(golden::Shape input, const std::vector<int>& picks,
                            const std::vector<std::string>& classes) {
  const int in_features = input.h * input.w * input.c;
  const int out = static_cast<int>(picks.size());
  model::Network net;
  net.name = "pixel-picker";
  net.classes = classes;
  net.input_shape = input;
  net.input_quant = {1.0f / 255.0f, -128};
  net.output = "fc";

  model::Layer fc;
  fc.name = "fc";
  fc.op = model::Op::kFullyConnected;
  fc.inputs = {"input"};
  fc.weights.out_channels = out;
  fc.weights.in_channels = in_features;
  fc.weights.data.assign(static_cast<std::size_t>(out) * in_features, 0);
  for (int k = 0; k < out; ++k)
    fc.weights.data[static_cast<std::size_t>(k) * in_features + picks[k]] = 1;
  fc.weights.bias.assign(out, 0);
  fc.weights.scales.assign(out, 1.0f);
  fc.output_shape = {1, 1, 1, out};
  fc.output_quant = {2.0f / 255.0f, -128};
  net.layers.push_back(fc);
  return net;
}

}  // namespace npu::cli::testing
