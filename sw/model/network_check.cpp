#include "sw/model/network_check.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <queue>
#include <set>
#include <stdexcept>

#include "golden/add.h"
#include "golden/fixed_point.h"
#include "sw/model/number_format.h"

namespace npu::model {

namespace {

constexpr const char* kInputTensor = "input";

bool has_weights(Op op) { return op == Op::kConv2d || op == Op::kFullyConnected; }
bool is_pool(Op op) { return op == Op::kMaxPool || op == Op::kAvgPool; }
bool is_windowed(Op op) { return op == Op::kConv2d || is_pool(op); }

std::size_t expected_inputs(Op op) { return op == Op::kAdd ? 2 : 1; }
// The YAML key that holds a layer's inputs: `inputs` for add, `input` otherwise.
const char* inputs_field(Op op) { return op == Op::kAdd ? "inputs" : "input"; }

void check_geometry(const Layer& l, const golden::Shape& in, const ErrorSite& site) {
  const golden::ConvGeometry& g = l.geometry;
  if (g.kernel_h < 1 || g.kernel_w < 1) {
    site.with_field("kernel").fail("must be >= 1 (got " + std::to_string(g.kernel_h) + "x" +
                                   std::to_string(g.kernel_w) + ")");
  }
  if (g.stride_h < 1 || g.stride_w < 1) {
    site.with_field("stride").fail("must be >= 1 (got " + std::to_string(g.stride_h) + "x" +
                                   std::to_string(g.stride_w) + ")");
  }
  const int pads[4] = {g.pad_top, g.pad_left, g.pad_bottom, g.pad_right};
  const int kernels[4] = {g.kernel_h, g.kernel_w, g.kernel_h, g.kernel_w};
  const char* sides[4] = {"top", "left", "bottom", "right"};
  for (int i = 0; i < 4; ++i) {
    if (pads[i] < 0) {
      site.with_field("padding").fail(std::string(sides[i]) + " padding must be >= 0 (got " +
                                      std::to_string(pads[i]) + ")");
    }
    // A pad as large as the kernel allows windows made only of padding.
    if (pads[i] >= kernels[i]) {
      site.with_field("padding").fail(
          std::string(sides[i]) + " padding " + std::to_string(pads[i]) +
          " must be smaller than the kernel (" + std::to_string(kernels[i]) + ")");
    }
  }
  // Checked on the numerator: out_h() truncates toward zero and would return 1 for -1.
  const int64_t padded_h = int64_t{in.h} + g.pad_top + g.pad_bottom;
  const int64_t padded_w = int64_t{in.w} + g.pad_left + g.pad_right;
  if (padded_h > std::numeric_limits<int>::max() || padded_w > std::numeric_limits<int>::max()) {
    site.with_field("padding").fail("the padded input is too large");
  }
  if (padded_h < g.kernel_h || padded_w < g.kernel_w) {
    site.with_field("kernel").fail(
        "the " + std::to_string(g.kernel_h) + "x" + std::to_string(g.kernel_w) +
        " window does not fit the padded input " + std::to_string(padded_h) + "x" +
        std::to_string(padded_w) + ": output size would be < 1");
  }
}

void check_weights(const Layer& l, const golden::Shape& in, const golden::QuantParams& in_quant,
                   const CheckFiles& files) {
  const golden::ConvWeights& w = l.weights;
  const ErrorSite model{files.model_file, l.name, ""};
  const ErrorSite bin{files.weights_file, l.name, ""};
  const bool conv = l.op == Op::kConv2d;

  if (conv && (w.kernel_h != l.geometry.kernel_h || w.kernel_w != l.geometry.kernel_w)) {
    model.with_field("kernel").fail("the weights are " + std::to_string(w.kernel_h) + "x" +
                                    std::to_string(w.kernel_w) + " but the kernel is " +
                                    std::to_string(l.geometry.kernel_h) + "x" +
                                    std::to_string(l.geometry.kernel_w));
  }
  if (!conv && (w.kernel_h != 1 || w.kernel_w != 1)) {
    model.with_field("weights").fail("a fully connected layer's weights must be 1x1 (got " +
                                     std::to_string(w.kernel_h) + "x" + std::to_string(w.kernel_w) +
                                     ")");
  }
  const int64_t expected_in = conv ? int64_t{in.c} : int64_t{in.h} * in.w * in.c;
  if (w.in_channels != expected_in) {
    model.with_field(conv ? "in_channels" : "in_features")
        .fail("the weights take " + std::to_string(w.in_channels) + " input " +
              (conv ? "channels" : "features") + " but input '" + l.inputs[0] + "' " +
              format_shape(in) + " provides " + std::to_string(expected_in));
  }

  const std::size_t per_channel = static_cast<std::size_t>(w.kernel_h) * w.kernel_w * w.in_channels;
  const std::size_t out = static_cast<std::size_t>(w.out_channels);
  if (w.data.size() != out * per_channel) {
    bin.with_field("weights").fail(
        "has " + std::to_string(w.data.size()) + " values, " + std::to_string(out) + "x" +
        std::to_string(w.kernel_h) + "x" + std::to_string(w.kernel_w) + "x" +
        std::to_string(w.in_channels) + " needs " + std::to_string(out * per_channel));
  }
  if (w.bias.size() != out) {
    bin.with_field("bias").fail("has " + std::to_string(w.bias.size()) + " values, expected " +
                                std::to_string(out) + " (one per output channel)");
  }
  if (w.scales.size() != out) {
    bin.with_field("weight_scales")
        .fail("has " + std::to_string(w.scales.size()) + " values, expected " +
              std::to_string(out) + " (one per output channel)");
  }
  for (std::size_t i = 0; i < w.data.size(); ++i) {
    if (w.data[i] == -128) {
      // Symmetric weights: -128 has no positive twin, and the MAC array assumes |w| <= 127.
      const std::size_t o = i / per_channel, r = i % per_channel;
      const std::size_t ky = r / (static_cast<std::size_t>(w.kernel_w) * w.in_channels);
      const std::size_t kx = r / w.in_channels % w.kernel_w, ic = r % w.in_channels;
      bin.with_field("weights").fail("value -128 at [out " + std::to_string(o) + "][ky " +
                                     std::to_string(ky) + "][kx " + std::to_string(kx) + "][in " +
                                     std::to_string(ic) +
                                     "] is outside [-127, 127] (weights are symmetric)");
    }
  }
  for (std::size_t c = 0; c < out; ++c) {
    const float s = w.scales[c];
    if (!std::isfinite(s)) {
      bin.with_field("weight_scales")
          .fail("channel " + std::to_string(c) + ": must be finite (got " + format_float(s) + ")");
    }
    if (!(s > 0.0f)) {
      bin.with_field("weight_scales")
          .fail("channel " + std::to_string(c) + ": must be > 0 (got " + format_float(s) + ")");
    }
  }

  // Worst case |x - zp| = 255 and |w| = 127 on every tap, plus the bias: the accumulator
  // must not wrap, because the hardware accumulates in int32 too.
  const int64_t k = static_cast<int64_t>(per_channel);
  int64_t max_bias = 0;
  std::size_t max_bias_channel = 0;
  for (std::size_t c = 0; c < w.bias.size(); ++c) {
    const int64_t b = std::abs(static_cast<int64_t>(w.bias[c]));
    if (b > max_bias) {
      max_bias = b;
      max_bias_channel = c;
    }
  }
  const int64_t bound = k * 255 * 127 + max_bias;
  if (bound > std::numeric_limits<int32_t>::max()) {
    const bool bias_matters = k * 255 * 127 <= std::numeric_limits<int32_t>::max();
    (bias_matters ? bin.with_field("bias") : model.with_field(conv ? "in_channels" : "in_features"))
        .fail("the int32 accumulator can overflow: K*255*127 + max|bias| = " + std::to_string(k) +
              "*255*127 + " + std::to_string(max_bias) + " = " + std::to_string(bound) +
              " > 2147483647 (K = " + std::to_string(k) +
              (bias_matters ? ", largest bias in channel " + std::to_string(max_bias_channel)
                            : std::string()) +
              ")");
  }

  // The multipliers exactly as golden::Requantizer::for_conv derives them, one channel at
  // a time so that the message can name it.
  for (std::size_t c = 0; c < out; ++c) {
    const double real = static_cast<double>(in_quant.scale) * static_cast<double>(w.scales[c]) /
                        static_cast<double>(l.output_quant.scale);
    try {
      golden::quantize_multiplier(real);
    } catch (const std::invalid_argument& e) {
      model.with_field("output.scale")
          .fail("requantization factor input_scale * weight_scale[" + std::to_string(c) +
                "] / output_scale = " + format_float(in_quant.scale) + " * " +
                format_float(w.scales[c]) + " / " + format_float(l.output_quant.scale) +
                " is out of range (" + e.what() + ")");
    }
  }
}

// Follows inputs among the layers Kahn's algorithm could not place until a layer repeats.
std::string describe_cycle(const Network& net, const std::map<std::string, std::size_t>& index,
                           const std::vector<bool>& placed, std::size_t start) {
  std::vector<std::size_t> path;
  std::map<std::size_t, std::size_t> position;
  std::size_t cur = start;
  while (!position.count(cur)) {
    position[cur] = path.size();
    path.push_back(cur);
    for (const std::string& in : net.layers[cur].inputs) {
      const auto it = index.find(in);
      if (it != index.end() && !placed[it->second]) {
        cur = it->second;
        break;
      }
    }
  }
  // path[position[cur]..] is the cycle, each layer reading the next one's output.
  std::string text;
  for (std::size_t i = path.size(); i-- > position[cur];) text += net.layers[path[i]].name + " -> ";
  return text + net.layers[path.back()].name;
}

}  // namespace

void check_quant(const golden::QuantParams& q, const ErrorSite& site) {
  const ErrorSite scale = site.with_field(site.field + ".scale");
  if (!std::isfinite(q.scale)) scale.fail("must be finite (got " + format_float(q.scale) + ")");
  if (!(q.scale > 0.0f)) scale.fail("must be > 0 (got " + format_float(q.scale) + ")");
  if (q.zero_point < -128 || q.zero_point > 127) {
    site.with_field(site.field + ".zero_point")
        .fail("must be in [-128, 127] (got " + std::to_string(q.zero_point) + ")");
  }
}

std::vector<std::size_t> topological_order(const Network& net, const std::string& file) {
  const ErrorSite top{file, "", ""};
  if (net.layers.empty()) top.with_field("layers").fail("the network has no layers");

  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    if (l.name.empty()) {
      top.with_field("layers[" + std::to_string(i) + "].name").fail("must not be empty");
    }
    const ErrorSite site{file, l.name, "name"};
    if (l.name == kInputTensor) site.fail("'input' is reserved for the network input");
    if (!index.emplace(l.name, i).second) {
      site.fail("duplicate layer name (layers #" + std::to_string(index[l.name] + 1) + " and #" +
                std::to_string(i + 1) + ")");
    }
  }

  std::vector<std::vector<std::size_t>> consumers(net.layers.size());
  std::vector<int> pending(net.layers.size(), 0);  // inputs not yet placed
  bool input_used = false;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    const ErrorSite site{file, l.name, inputs_field(l.op)};
    if (l.inputs.size() != expected_inputs(l.op)) {
      site.fail(std::string("op '") + op_name(l.op) + "' takes exactly " +
                std::to_string(expected_inputs(l.op)) + " input(s), got " +
                std::to_string(l.inputs.size()));
    }
    for (const std::string& in : l.inputs) {
      if (in == kInputTensor) {
        input_used = true;
        continue;
      }
      const auto it = index.find(in);
      if (it == index.end()) {
        site.fail("unknown tensor '" + in + "' (neither 'input' nor the name of a layer)");
      }
      consumers[it->second].push_back(i);
      ++pending[i];
    }
  }

  if (net.output.empty()) top.with_field("output").fail("must name the result tensor");
  const auto out_it = index.find(net.output);
  if (out_it == index.end()) {
    top.with_field("output").fail("unknown tensor '" + net.output + "' (not a layer name)");
  }
  if (!input_used) top.with_field("input").fail("no layer reads the network input");

  // Kahn's algorithm, always taking the earliest listed ready layer, so that an already
  // ordered list stays as it is.
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    if (pending[i] == 0) ready.push(i);
  }
  std::vector<std::size_t> order;
  std::vector<bool> placed(net.layers.size(), false);
  while (!ready.empty()) {
    const std::size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    placed[i] = true;
    for (std::size_t c : consumers[i]) {
      if (--pending[c] == 0) ready.push(c);
    }
  }
  if (order.size() != net.layers.size()) {
    std::size_t first = 0;
    while (placed[first]) ++first;
    const Layer& l = net.layers[first];
    ErrorSite{file, l.name, inputs_field(l.op)}.fail("the layers form a cycle: " +
                                                     describe_cycle(net, index, placed, first));
  }

  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    if (consumers[i].empty() && i != out_it->second) {
      ErrorSite{file, net.layers[i].name, ""}.fail(
          "its output is not used by any layer and is not the network output '" + net.output + "'");
    }
  }
  return order;
}

golden::Shape infer_output_shape(const Layer& l, const std::vector<golden::Shape>& inputs,
                                 const std::string& file) {
  const ErrorSite site{file, l.name, ""};
  if (inputs.size() != expected_inputs(l.op)) {
    site.with_field(inputs_field(l.op))
        .fail(std::string("op '") + op_name(l.op) + "' takes exactly " +
              std::to_string(expected_inputs(l.op)) + " input(s), got " +
              std::to_string(inputs.size()));
  }
  const golden::Shape& in = inputs[0];
  if (is_windowed(l.op)) check_geometry(l, in, site);
  const golden::ConvGeometry& g = l.geometry;
  switch (l.op) {
    case Op::kConv2d:
      if (l.weights.out_channels < 1) {
        site.with_field("out_channels")
            .fail("must be >= 1 (got " + std::to_string(l.weights.out_channels) + ")");
      }
      return {1, g.out_h(in.h), g.out_w(in.w), l.weights.out_channels};
    case Op::kFullyConnected:
      if (l.weights.out_channels < 1) {
        site.with_field("out_features")
            .fail("must be >= 1 (got " + std::to_string(l.weights.out_channels) + ")");
      }
      return {1, 1, 1, l.weights.out_channels};
    case Op::kMaxPool:
    case Op::kAvgPool:
      return {1, g.out_h(in.h), g.out_w(in.w), in.c};
    case Op::kGlobalAvgPool:
      return {1, 1, 1, in.c};
    case Op::kAdd:
      if (inputs[1] != in) {
        site.with_field("inputs").fail("the two inputs have different shapes: '" + l.inputs[0] +
                                       "' is " + format_shape(in) + ", '" + l.inputs[1] + "' is " +
                                       format_shape(inputs[1]));
      }
      return in;
  }
  site.with_field("op").fail("unknown op");
}

void validate_network(const Network& net, const CheckFiles& files) {
  const std::string& file = files.model_file;
  topological_order(net, file);

  const golden::Shape& s = net.input_shape;
  if (s.n != 1 || s.h < 1 || s.w < 1 || s.c < 1) {
    ErrorSite{file, "", "input.shape"}.fail("every dimension must be >= 1 and the batch 1 (got " +
                                            format_shape(s) + ")");
  }
  check_quant(net.input_quant, {file, "", "input"});

  struct TensorInfo {
    golden::Shape shape;
    golden::QuantParams quant;
  };
  std::map<std::string, TensorInfo> tensors{{kInputTensor, {net.input_shape, net.input_quant}}};
  for (const Layer& l : net.layers) {
    const ErrorSite site{file, l.name, ""};
    std::vector<golden::Shape> in_shapes;
    for (const std::string& in : l.inputs) {
      const auto it = tensors.find(in);
      if (it == tensors.end()) {
        site.with_field(inputs_field(l.op))
            .fail("tensor '" + in +
                  "' is produced by a later layer (layers must be in topological order)");
      }
      in_shapes.push_back(it->second.shape);
    }
    check_quant(l.output_quant, site.with_field("output"));
    const golden::Shape computed = infer_output_shape(l, in_shapes, file);
    if (l.output_shape != computed) {
      site.with_field("output.shape")
          .fail("declared " + format_shape(l.output_shape) + " but the layer computes " +
                format_shape(computed));
    }
    const golden::QuantParams& in_quant = tensors.at(l.inputs[0]).quant;
    if (is_pool(l.op) || l.op == Op::kGlobalAvgPool) {
      // Pools do not rescale: the hardware pooling unit has no requantizer.
      if (l.output_quant.scale != in_quant.scale) {
        site.with_field("output.scale")
            .fail("must equal the input's scale " + format_float(in_quant.scale) +
                  " (pooling does not requantize; got " + format_float(l.output_quant.scale) + ")");
      }
      if (l.output_quant.zero_point != in_quant.zero_point) {
        site.with_field("output.zero_point")
            .fail("must equal the input's zero point " + std::to_string(in_quant.zero_point) +
                  " (pooling does not requantize; got " +
                  std::to_string(l.output_quant.zero_point) + ")");
      }
    }
    if (has_weights(l.op)) check_weights(l, in_shapes[0], in_quant, files);
    if (l.op == Op::kAdd) {
      try {
        golden::AddParams::make(in_quant, tensors.at(l.inputs[1]).quant, l.output_quant, l.relu);
      } catch (const std::invalid_argument& e) {
        site.with_field("output.scale")
            .fail(std::string("cannot build the add's rescaling multipliers: ") + e.what());
      }
    }
    tensors[l.name] = {computed, l.output_quant};
  }

  const golden::Shape& result = tensors.at(net.output).shape;
  if (!net.classes.empty() && net.classes.size() != result.elements()) {
    ErrorSite{file, "", "classes"}.fail(
        std::to_string(net.classes.size()) + " class names but the output '" + net.output + "' " +
        format_shape(result) + " has " + std::to_string(result.elements()) + " values");
  }
}

void validate_network(const Network& net) {
  const std::string where = "network '" + net.name + "'";
  validate_network(net, {where, where});
}

}  // namespace npu::model
