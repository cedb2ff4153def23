#include "sw/runtime/tests/breadth_networks.h"

#include <cmath>
#include <string>
#include <vector>

#include "sw/model/calibration.h"
#include "sw/model/splitmix64.h"

namespace npu::runtime::test {
namespace {

constexpr golden::QuantParams kInputQuant{1.0f / 255.0f, -128};
constexpr golden::QuantParams kPlaceholder{1.0f, 0};

// Layers in order with random weights; calibrate() sets biases and activation scales.
class Builder {
 public:
  Builder(const std::string& name, golden::Shape input, uint64_t seed) : rng_(seed) {
    net_.name = name;
    net_.input_shape = input;
    net_.input_quant = kInputQuant;
    last_ = "input";
    shape_ = input;
  }

  void conv(const std::string& name, int out, int kernel, int pad, bool relu) {
    model::Layer l = start(name, model::Op::kConv2d);
    l.geometry = {kernel, kernel, 1, 1, pad, pad, pad, pad};
    l.output_shape = {1, l.geometry.out_h(shape_.h), l.geometry.out_w(shape_.w), out};
    l.weights = weights(out, kernel, shape_.c);
    l.relu = relu;
    finish(std::move(l), kPlaceholder);
  }

  void fully_connected(const std::string& name, int out) {
    model::Layer l = start(name, model::Op::kFullyConnected);
    l.output_shape = {1, 1, 1, out};
    l.weights = weights(out, 1, static_cast<int>(shape_.elements()));
    finish(std::move(l), kPlaceholder);
  }

  void max_pool(const std::string& name, int kernel, int stride, int pad) {
    model::Layer l = start(name, model::Op::kMaxPool);
    l.geometry = {kernel, kernel, stride, stride, pad, pad, pad, pad};
    l.output_shape = {1, l.geometry.out_h(shape_.h), l.geometry.out_w(shape_.w), shape_.c};
    finish(std::move(l), quant_);
  }

  void global_avg_pool(const std::string& name) {
    model::Layer l = start(name, model::Op::kGlobalAvgPool);
    l.output_shape = {1, 1, 1, shape_.c};
    finish(std::move(l), quant_);
  }

  model::Network build() {
    net_.output = last_;
    model::SplitMix64 rng(rng_.next());
    std::vector<golden::Tensor> inputs;
    for (int i = 0; i < 2; ++i) {
      golden::Tensor t(net_.input_shape, net_.input_quant);
      for (int8_t& v : t.data) v = static_cast<int8_t>(rng.uniform_int(-128, 127));
      inputs.push_back(std::move(t));
    }
    model::calibrate(net_, biases_, inputs);
    return net_;
  }

 private:
  model::Layer start(const std::string& name, model::Op op) {
    model::Layer l;
    l.name = name;
    l.op = op;
    l.inputs = {last_};
    biases_.emplace_back();
    return l;
  }

  void finish(model::Layer l, golden::QuantParams q) {
    l.output_quant = q;
    last_ = l.name;
    shape_ = l.output_shape;
    quant_ = q;
    net_.layers.push_back(std::move(l));
  }

  golden::ConvWeights weights(int out, int kernel, int in) {
    golden::ConvWeights w;
    w.out_channels = out;
    w.kernel_h = w.kernel_w = kernel;
    w.in_channels = in;
    const int fan_in = kernel * kernel * in;
    w.data.resize(static_cast<size_t>(out) * fan_in);
    for (int8_t& v : w.data) v = static_cast<int8_t>(rng_.uniform_int(-127, 127));
    const double real_std = std::sqrt(2.0 / fan_in);
    for (int c = 0; c < out; ++c) {
      w.scales.push_back(static_cast<float>(real_std / 73.0 * (0.75 + 0.5 * rng_.uniform())));
      biases_.back().push_back(0.05 * (2.0 * rng_.uniform() - 1.0));
    }
    w.bias.assign(static_cast<size_t>(out), 0);
    return w;
  }

  model::Network net_;
  std::vector<std::vector<double>> biases_;
  std::string last_;
  golden::Shape shape_;
  golden::QuantParams quant_ = kInputQuant;
  model::SplitMix64 rng_;
};

}  // namespace

model::Network seven_channels_fc_on_image(uint64_t seed) {
  Builder b("seven-channels-fc-on-image", {1, 17, 19, 7}, seed);
  b.conv("conv", 4, 3, 1, true);
  b.fully_connected("fc_image", 10);
  b.fully_connected("fc", 6);
  return b.build();
}

model::Network wide_global_average(uint64_t seed) {
  Builder b("wide-global-average", {1, 24, 24, 8}, seed);
  b.conv("conv", 240, 1, 0, true);
  b.global_avg_pool("gap");
  b.fully_connected("fc", 10);
  return b.build();
}

model::Network wide_max_pool(uint64_t seed) {
  Builder b("wide-max-pool", {1, 4, 256, 8}, seed);
  b.conv("conv", 256, 1, 0, true);
  b.max_pool("pool", 3, 2, 1);
  b.global_avg_pool("gap");
  b.fully_connected("fc", 10);
  return b.build();
}

}  // namespace npu::runtime::test
