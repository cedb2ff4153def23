#include "golden/add.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace npu::golden {

AddParams AddParams::make(QuantParams a, QuantParams b, QuantParams output, bool relu) {
  validate_quant(a, "add input a");
  validate_quant(b, "add input b");
  validate_quant(output, "add output");
  // Both inputs go to the common scale 2 * max(sa, sb) / 2^20, so each factor is <= 1/2 and
  // a' + b' keeps a bit of headroom; the output factor undoes the 2^20.
  const double sa = a.scale, sb = b.scale, so = output.scale;
  const double twice_max = 2.0 * std::max(sa, sb);
  AddParams p;
  p.a_zero_point = a.zero_point;
  p.b_zero_point = b.zero_point;
  p.output_zero_point = output.zero_point;
  p.a_multiplier = quantize_multiplier(sa / twice_max);
  p.b_multiplier = quantize_multiplier(sb / twice_max);
  try {
    p.output_multiplier =
        quantize_multiplier(twice_max / (static_cast<double>(int64_t{1} << kLeftShift) * so));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("add: output scale ") + std::to_string(output.scale) +
                                " is too small for the input scales: " + e.what());
  }
  p.relu = relu;
  return p;
}

int8_t AddParams::apply(int8_t a, int8_t b) const {
  // |q - zp| <= 255, so the 2^20 left shift stays below 2^28: no saturation possible.
  const int32_t a_shifted = (int32_t{a} - a_zero_point) * (int32_t{1} << kLeftShift);
  const int32_t b_shifted = (int32_t{b} - b_zero_point) * (int32_t{1} << kLeftShift);
  const int32_t a_scaled =
      multiply_by_quantized_multiplier(a_shifted, a_multiplier.multiplier, a_multiplier.shift);
  const int32_t b_scaled =
      multiply_by_quantized_multiplier(b_shifted, b_multiplier.multiplier, b_multiplier.shift);
  const int32_t sum = a_scaled + b_scaled;  // each |.| <= 255 * 2^19
  int64_t y = static_cast<int64_t>(multiply_by_quantized_multiplier(
                  sum, output_multiplier.multiplier, output_multiplier.shift)) +
              output_zero_point;
  if (relu && y < output_zero_point) y = output_zero_point;
  return static_cast<int8_t>(std::clamp<int64_t>(y, -128, 127));
}

Tensor add(const Tensor& a, const Tensor& b, QuantParams output, bool relu) {
  validate_tensor(a, "add input a");
  validate_tensor(b, "add input b");
  if (a.shape != b.shape) {
    throw std::invalid_argument("add: input shapes differ: " + to_string(a.shape) + " vs " +
                                to_string(b.shape));
  }
  const AddParams p = AddParams::make(a.quant, b.quant, output, relu);
  Tensor out(a.shape, output);
  for (std::size_t i = 0; i < a.data.size(); ++i) out.data[i] = p.apply(a.data[i], b.data[i]);
  return out;
}

}  // namespace npu::golden
