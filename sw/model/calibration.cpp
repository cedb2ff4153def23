#include "sw/model/calibration.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>

#include "golden/add.h"
#include "golden/conv2d.h"
#include "golden/pool.h"
#include "golden/requantize.h"

namespace npu::model {

namespace {

// A dead layer (nothing above zero) still needs a valid scale.
constexpr double kMinRange = 1e-6;

golden::QuantParams quant_for_range(double range, bool relu) {
  range = std::max(range, kMinRange);
  if (relu) return {static_cast<float>(range / 255.0), -128};
  return {static_cast<float>(range / 127.0), 0};
}

using Batch = std::vector<golden::Tensor>;

Batch calibrate_weighted(Layer& l, const std::vector<double>& real_bias, const Batch& in) {
  golden::ConvWeights& w = l.weights;
  const float in_scale = in.at(0).quant.scale;
  for (std::size_t c = 0; c < w.bias.size(); ++c) {
    w.bias[c] = static_cast<int32_t>(
        std::lround(real_bias.at(c) / (static_cast<double>(in_scale) * w.scales[c])));
  }
  // A fully connected layer is a 1x1 convolution over the flattened input.
  const bool fc = l.op == Op::kFullyConnected;
  const golden::ConvGeometry geometry = fc ? golden::ConvGeometry{} : l.geometry;
  std::vector<std::vector<int32_t>> accs;
  double range = 0.0;
  const std::size_t out_c = static_cast<std::size_t>(w.out_channels);
  for (const golden::Tensor& x : in) {
    golden::Tensor flat = x;
    if (fc) flat.shape = {1, 1, 1, static_cast<int>(x.shape.elements())};
    accs.push_back(golden::conv2d_accumulate(flat, w, geometry));
    const std::vector<int32_t>& acc = accs.back();
    for (std::size_t i = 0; i < acc.size(); ++i) {
      const double v = acc[i] * static_cast<double>(in_scale) * w.scales[i % out_c];
      range = std::max(range, l.relu ? v : std::fabs(v));
    }
  }
  l.output_quant = quant_for_range(range, l.relu);
  // The requantization golden::conv2d applies, reusing the accumulators.
  const golden::Requantizer rq =
      golden::Requantizer::for_conv(in_scale, w.scales, l.output_quant, l.relu);
  Batch out;
  for (const std::vector<int32_t>& acc : accs) {
    golden::Tensor t(l.output_shape, l.output_quant);
    for (std::size_t i = 0; i < acc.size(); ++i) {
      t.data[i] = rq.apply(acc[i], static_cast<int>(i % out_c));
    }
    out.push_back(std::move(t));
  }
  return out;
}

Batch calibrate_add(Layer& l, const Batch& a, const Batch& b) {
  double range = 0.0;
  for (std::size_t n = 0; n < a.size(); ++n) {
    const golden::QuantParams qa = a[n].quant, qb = b[n].quant;
    for (std::size_t i = 0; i < a[n].data.size(); ++i) {
      const double v = static_cast<double>(qa.scale) * (a[n].data[i] - qa.zero_point) +
                       static_cast<double>(qb.scale) * (b[n].data[i] - qb.zero_point);
      range = std::max(range, l.relu ? v : std::fabs(v));
    }
  }
  l.output_quant = quant_for_range(range, l.relu);
  Batch out;
  for (std::size_t n = 0; n < a.size(); ++n) {
    out.push_back(golden::add(a[n], b[n], l.output_quant, l.relu));
  }
  return out;
}

Batch run_pool(Layer& l, const Batch& in) {
  l.output_quant = in.at(0).quant;
  Batch out;
  for (const golden::Tensor& x : in) {
    switch (l.op) {
      case Op::kMaxPool:
        out.push_back(golden::max_pool(x, l.geometry));
        break;
      case Op::kAvgPool:
        out.push_back(golden::avg_pool(x, l.geometry));
        break;
      default:
        out.push_back(golden::global_avg_pool(x));
        break;
    }
  }
  return out;
}

}  // namespace

void calibrate(Network& net, const std::vector<std::vector<double>>& real_biases,
               const std::vector<golden::Tensor>& inputs) {
  if (inputs.empty()) throw std::invalid_argument("calibrate: no calibration inputs");
  std::map<std::string, std::size_t> last_use;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    for (const std::string& name : net.layers[i].inputs) last_use[name] = i;
  }
  std::map<std::string, Batch> live{{"input", inputs}};
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    Layer& l = net.layers[i];
    const Batch& a = live.at(l.inputs.at(0));
    Batch out;
    switch (l.op) {
      case Op::kConv2d:
      case Op::kFullyConnected:
        out = calibrate_weighted(l, real_biases.at(i), a);
        break;
      case Op::kAdd:
        out = calibrate_add(l, a, live.at(l.inputs.at(1)));
        break;
      default:
        out = run_pool(l, a);
        break;
    }
    for (const std::string& name : l.inputs) {
      if (last_use[name] == i) live.erase(name);
    }
    live[l.name] = std::move(out);
  }
}

}  // namespace npu::model
