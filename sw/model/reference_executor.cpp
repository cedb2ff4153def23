#include "sw/model/reference_executor.h"

#include <map>
#include <stdexcept>
#include <string>

#include "golden/add.h"
#include "golden/conv2d.h"
#include "golden/fully_connected.h"
#include "golden/pool.h"
#include "sw/model/model_error.h"
#include "sw/model/number_format.h"

namespace npu::model {

namespace {

golden::Tensor run_layer(const Layer& l, const std::vector<const golden::Tensor*>& in) {
  switch (l.op) {
    case Op::kConv2d:
      return golden::conv2d(*in[0], l.weights, l.geometry, l.output_quant, l.relu);
    case Op::kFullyConnected:
      return golden::fully_connected(*in[0], l.weights, l.output_quant, l.relu);
    case Op::kMaxPool:
      return golden::max_pool(*in[0], l.geometry);
    case Op::kAvgPool:
      return golden::avg_pool(*in[0], l.geometry);
    case Op::kGlobalAvgPool:
      return golden::global_avg_pool(*in[0]);
    case Op::kAdd:
      return golden::add(*in[0], *in[1], l.output_quant, l.relu);
  }
  throw std::logic_error("run_reference: unknown op");
}

}  // namespace

golden::Tensor run_reference(const Network& net, const golden::Tensor& input,
                             const LayerCallback& on_layer) {
  const ErrorSite site{"network '" + net.name + "'", "", "input"};
  if (input.shape != net.input_shape) {
    site.fail("the input tensor is " + format_shape(input.shape) + ", the network takes " +
              format_shape(net.input_shape));
  }
  if (input.data.size() != input.shape.elements()) {
    site.fail("the input tensor holds " + std::to_string(input.data.size()) +
              " values, its shape needs " + std::to_string(input.shape.elements()));
  }
  if (input.quant.scale != net.input_quant.scale ||
      input.quant.zero_point != net.input_quant.zero_point) {
    site.fail("the input is quantized with scale " + format_float(input.quant.scale) +
              ", zero point " + std::to_string(input.quant.zero_point) + "; the network takes " +
              format_float(net.input_quant.scale) + ", " +
              std::to_string(net.input_quant.zero_point));
  }

  // Each tensor is dropped after its last reader: the ImageNet-shaped network would
  // otherwise hold every activation at once.
  std::map<std::string, std::size_t> last_use;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    for (const std::string& name : net.layers[i].inputs) last_use[name] = i;
  }
  std::map<std::string, golden::Tensor> live{{"input", input}};
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    std::vector<const golden::Tensor*> in;
    for (const std::string& name : l.inputs) {
      const auto it = live.find(name);
      if (it == live.end()) {
        ErrorSite{site.file, l.name, "input"}.fail(
            "tensor '" + name + "' is not available (layers not in topological order?)");
      }
      in.push_back(&it->second);
    }
    golden::Tensor out = run_layer(l, in);
    if (out.shape != l.output_shape) {
      ErrorSite{site.file, l.name, "output.shape"}.fail(
          "the golden op produced " + format_shape(out.shape) + ", the layer declares " +
          format_shape(l.output_shape));
    }
    if (on_layer) on_layer(l, out);
    for (const std::string& name : l.inputs) {
      if (last_use[name] == i && name != net.output) live.erase(name);
    }
    live[l.name] = std::move(out);
  }
  const auto result = live.find(net.output);
  if (result == live.end()) {
    ErrorSite{site.file, "", "output"}.fail("no layer produces '" + net.output + "'");
  }
  return result->second;
}

int argmax(const golden::Tensor& logits) {
  if (logits.data.empty()) throw std::invalid_argument("argmax: empty tensor");
  std::size_t best = 0;
  for (std::size_t i = 1; i < logits.data.size(); ++i) {
    if (logits.data[i] > logits.data[best]) best = i;
  }
  return static_cast<int>(best);
}

}  // namespace npu::model
