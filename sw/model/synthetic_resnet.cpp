#include "sw/model/synthetic_resnet.h"

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "sw/model/calibration.h"
#include "sw/model/splitmix64.h"

namespace npu::model {

namespace {

// Standard deviation of the int8 weight values: the Irwin-Hall draw is bounded by
// +-3.46 sigma, so 36 uses most of [-127, 127] without ever clipping.
constexpr double kWeightStd = 36.0;
// Real-valued biases are uniform in +-kBiasRange: small next to activations of order 1.
constexpr double kBiasRange = 0.05;
// Inputs are images in [0, 1]: q = -128 is black, 127 white.
constexpr golden::QuantParams kInputQuant{1.0f / 255.0f, -128};
// Placeholder activation quantization before calibration.
constexpr golden::QuantParams kPlaceholderQuant{1.0f, 0};
// Decorrelates the calibration inputs from the weights drawn with the same seed.
constexpr uint64_t kCalibrationStream = 0xC0FFEE5EED5EEDull;

class ResNetBuilder {
 public:
  ResNetBuilder(std::string name, golden::Shape input, uint64_t seed) : rng_(seed) {
    net_.name = std::move(name);
    net_.input_shape = input;
    net_.input_quant = kInputQuant;
    tensors_["input"] = {input, kInputQuant};
  }

  std::string conv(const std::string& name, const std::string& input, int out, int kernel,
                   int stride, int pad, bool relu) {
    Layer l = start(name, Op::kConv2d, {input});
    l.geometry = {kernel, kernel, stride, stride, pad, pad, pad, pad};
    const golden::Shape in = shape(input);
    l.output_shape = {1, l.geometry.out_h(in.h), l.geometry.out_w(in.w), out};
    l.relu = relu;
    // Kaiming (He) initialisation for ReLU networks: std = sqrt(2 / fan_in).
    l.weights = random_weights(out, kernel, in.c, 2.0);
    return finish(std::move(l), kPlaceholderQuant);
  }

  std::string fully_connected(const std::string& name, const std::string& input, int out) {
    Layer l = start(name, Op::kFullyConnected, {input});
    l.output_shape = {1, 1, 1, out};
    l.weights = random_weights(out, 1, static_cast<int>(shape(input).elements()), 1.0);
    return finish(std::move(l), kPlaceholderQuant);
  }

  std::string max_pool(const std::string& name, const std::string& input, int kernel, int stride,
                       int pad) {
    Layer l = start(name, Op::kMaxPool, {input});
    l.geometry = {kernel, kernel, stride, stride, pad, pad, pad, pad};
    const golden::Shape in = shape(input);
    l.output_shape = {1, l.geometry.out_h(in.h), l.geometry.out_w(in.w), in.c};
    return finish(std::move(l), quant(input));
  }

  std::string global_avg_pool(const std::string& name, const std::string& input) {
    Layer l = start(name, Op::kGlobalAvgPool, {input});
    l.output_shape = {1, 1, 1, shape(input).c};
    return finish(std::move(l), quant(input));
  }

  std::string add(const std::string& name, const std::string& a, const std::string& b, bool relu) {
    Layer l = start(name, Op::kAdd, {a, b});
    l.output_shape = shape(a);
    l.relu = relu;
    return finish(std::move(l), kPlaceholderQuant);
  }

  Network& network() { return net_; }
  const std::vector<std::vector<double>>& real_biases() const { return real_biases_; }

 private:
  struct TensorInfo {
    golden::Shape shape;
    golden::QuantParams quant;
  };

  Layer start(const std::string& name, Op op, std::vector<std::string> inputs) {
    Layer l;
    l.name = name;
    l.op = op;
    l.inputs = std::move(inputs);
    real_biases_.emplace_back();
    return l;
  }

  std::string finish(Layer l, golden::QuantParams q) {
    l.output_quant = q;
    tensors_[l.name] = {l.output_shape, q};
    net_.layers.push_back(std::move(l));
    return net_.layers.back().name;
  }

  golden::Shape shape(const std::string& name) const { return tensors_.at(name).shape; }
  golden::QuantParams quant(const std::string& name) const { return tensors_.at(name).quant; }

  golden::ConvWeights random_weights(int out, int kernel, int in, double gain) {
    golden::ConvWeights w;
    w.out_channels = out;
    w.kernel_h = w.kernel_w = kernel;
    w.in_channels = in;
    const int fan_in = kernel * kernel * in;
    w.data.resize(static_cast<std::size_t>(out) * fan_in);
    for (int8_t& v : w.data) {
      const long q = std::lround(kWeightStd * rng_.gaussian());
      v = static_cast<int8_t>(q > 127 ? 127 : (q < -127 ? -127 : q));
    }
    // Real weights scale_c * q with std sqrt(gain / fan_in); channels differ by up to
    // +-25% so that per-channel requantization is exercised.
    const double real_std = std::sqrt(gain / fan_in);
    std::vector<double>& bias = real_biases_.back();
    for (int c = 0; c < out; ++c) {
      w.scales.push_back(static_cast<float>(real_std / kWeightStd * (0.75 + 0.5 * rng_.uniform())));
      bias.push_back(kBiasRange * (2.0 * rng_.uniform() - 1.0));
    }
    w.bias.assign(static_cast<std::size_t>(out), 0);
    return w;
  }

  Network net_;
  std::map<std::string, TensorInfo> tensors_;
  std::vector<std::vector<double>> real_biases_;  // per layer, empty without weights
  SplitMix64 rng_;
};

}  // namespace

Network make_resnet18(ResNetShape shape, uint64_t seed, int calibration_inputs) {
  const bool cifar = shape == ResNetShape::kCifar;
  ResNetBuilder b(cifar ? "resnet18-cifar" : "resnet18-imagenet",
                  cifar ? golden::Shape{1, 32, 32, 3} : golden::Shape{1, 224, 224, 3}, seed);
  std::string x = cifar ? b.conv("stem", "input", 64, 3, 1, 1, true)
                        : b.conv("stem", "input", 64, 7, 2, 3, true);
  if (!cifar) x = b.max_pool("stem_pool", x, 3, 2, 1);
  int in_channels = 64;
  const int widths[] = {64, 128, 256, 512};
  for (int stage = 0; stage < 4; ++stage) {
    const int width = widths[stage];
    for (int block = 0; block < 2; ++block) {
      // BasicBlock; the first block of stages 2-4 halves the resolution and needs a
      // projection shortcut to match the new width.
      const int stride = (stage > 0 && block == 0) ? 2 : 1;
      const std::string prefix =
          "stage" + std::to_string(stage + 1) + "_block" + std::to_string(block + 1) + "_";
      std::string y = b.conv(prefix + "conv1", x, width, 3, stride, 1, true);
      y = b.conv(prefix + "conv2", y, width, 3, 1, 1, false);
      std::string shortcut = x;
      if (stride != 1 || in_channels != width) {
        shortcut = b.conv(prefix + "down", x, width, 1, stride, 0, false);
      }
      x = b.add(prefix + "add", y, shortcut, true);
      in_channels = width;
    }
  }
  x = b.global_avg_pool("gap", x);
  x = b.fully_connected("fc", x, cifar ? 10 : 1000);
  Network& net = b.network();
  net.output = x;

  if (calibration_inputs > 0) {
    SplitMix64 rng(seed ^ kCalibrationStream);
    std::vector<golden::Tensor> inputs;
    for (int i = 0; i < calibration_inputs; ++i) {
      golden::Tensor t(net.input_shape, net.input_quant);
      for (int8_t& v : t.data) v = static_cast<int8_t>(rng.uniform_int(-128, 127));
      inputs.push_back(std::move(t));
    }
    calibrate(net, b.real_biases(), inputs);
  }
  return std::move(net);
}

Network make_resnet18_cifar(uint64_t seed) {
  return make_resnet18(ResNetShape::kCifar, seed, kResNetCalibrationInputs);
}

Network make_resnet18_imagenet(uint64_t seed) {
  return make_resnet18(ResNetShape::kImageNet, seed, kResNetCalibrationInputs);
}

}  // namespace npu::model
