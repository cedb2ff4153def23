#include "golden/requantize.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace npu::golden {

namespace {

// MBQM result + zero point, ReLU, int8 clamp. The add is exact (33 bits in hardware): the
// clamp to int8 makes a wider sum unnecessary and a wrapping one wrong.
int8_t finish(int32_t scaled, int32_t zero_point, bool relu) {
  int64_t y = static_cast<int64_t>(scaled) + zero_point;
  if (relu && y < zero_point) y = zero_point;
  return static_cast<int8_t>(y < -128 ? -128 : (y > 127 ? 127 : y));
}

}  // namespace

Requantizer Requantizer::for_conv(float input_scale, const std::vector<float>& weight_scales,
                                  QuantParams output, bool relu) {
  if (!std::isfinite(input_scale) || !(input_scale > 0.0f)) {
    throw std::invalid_argument("requantizer: input scale must be finite and > 0, got " +
                                std::to_string(input_scale));
  }
  validate_quant(output, "requantizer output");
  if (weight_scales.empty()) {
    throw std::invalid_argument("requantizer: no weight scales (need one per output channel)");
  }
  Requantizer r;
  r.output_zero_point = output.zero_point;
  r.relu = relu;
  r.per_channel.reserve(weight_scales.size());
  for (std::size_t c = 0; c < weight_scales.size(); ++c) {
    const float ws = weight_scales[c];
    if (!std::isfinite(ws) || !(ws > 0.0f)) {
      throw std::invalid_argument("requantizer: weight scale of channel " + std::to_string(c) +
                                  " must be finite and > 0, got " + std::to_string(ws));
    }
    // In double, from the float scales as stored, so every tool derives the same multiplier.
    const double real = static_cast<double>(input_scale) * static_cast<double>(ws) /
                        static_cast<double>(output.scale);
    try {
      r.per_channel.push_back(quantize_multiplier(real));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("requantizer: channel " + std::to_string(c) + ": " + e.what());
    }
  }
  return r;
}

int8_t Requantizer::apply(int32_t acc, int channel) const {
  const QuantizedMultiplier& m = per_channel.at(static_cast<std::size_t>(channel));
  return finish(multiply_by_quantized_multiplier(acc, m.multiplier, m.shift), output_zero_point,
                relu);
}

Tensor requantize(const Tensor& in, QuantParams out, bool relu) {
  validate_tensor(in, "requantize input");
  validate_quant(out, "requantize output");
  const QuantizedMultiplier m =
      quantize_multiplier(static_cast<double>(in.quant.scale) / static_cast<double>(out.scale));
  Tensor result(in.shape, out);
  for (std::size_t i = 0; i < in.data.size(); ++i) {
    const int32_t x = static_cast<int32_t>(in.data[i]) - in.quant.zero_point;
    result.data[i] =
        finish(multiply_by_quantized_multiplier(x, m.multiplier, m.shift), out.zero_point, relu);
  }
  return result;
}

}  // namespace npu::golden
