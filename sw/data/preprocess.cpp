#include "sw/data/preprocess.h"

#include <algorithm>
#include <cmath>

#include "sw/data/data_error.h"
#include "sw/data/image_file.h"
#include "sw/data/pil_transforms.h"

namespace npu::data {
namespace {

using model::PreprocessOp;
using model::PreprocessStep;

std::string step_name(const std::string& model_file, std::size_t index, const PreprocessStep& s) {
  return "model '" + model_file + "' preprocess[" + std::to_string(index) + "] (" +
         model::preprocess_op_name(s.op) + ")";
}

// The shape a step would produce, checked against the pixel limit before it allocates.
void check_result_size(int64_t h, int64_t w, const std::string& step) {
  if (h * w > kMaxImagePixels) {
    throw DataError(step + " would make a " + std::to_string(h) + "x" + std::to_string(w) +
                    " image, more than the limit of " + std::to_string(kMaxImagePixels) +
                    " pixels");
  }
}

Image apply_step(const Image& img, const PreprocessStep& s, const std::string& step) {
  switch (s.op) {
    case PreprocessOp::kPad:
      check_result_size(int64_t{img.height} + s.pad[1] + s.pad[3],
                        int64_t{img.width} + s.pad[0] + s.pad[2], step);
      return pad_black(img, s.pad);
    case PreprocessOp::kResize: {
      const std::array<int, 2> hw = shorter_side_resize_shape(img.height, img.width, s.resize);
      check_result_size(hw[0], hw[1], step);
      if (hw[0] < 1 || hw[1] < 1) {
        throw DataError(step + " would make a " + std::to_string(hw[0]) + "x" +
                        std::to_string(hw[1]) + " image from " + std::to_string(img.height) + "x" +
                        std::to_string(img.width));
      }
      return pil_resize_bilinear(img, hw[0], hw[1]);
    }
    case PreprocessOp::kCenterCrop:
      check_result_size(std::max(img.height, s.crop_height), std::max(img.width, s.crop_width),
                        step);
      return center_crop(img, s.crop_height, s.crop_width);
    case PreprocessOp::kNormalize:
      break;  // on the float tensor, after ToTensor
  }
  return img;
}

}  // namespace

int8_t quantize_like_torch(float x, golden::QuantParams quant) {
  const float inv_scale = 1.0f / quant.scale;
  const float rounded = std::nearbyint(x * inv_scale);
  const float with_zero_point = static_cast<float>(quant.zero_point) + rounded;
  return static_cast<int8_t>(std::clamp(with_zero_point, -128.0f, 127.0f));
}

Image apply_image_steps(const Image& decoded, const model::Network& net,
                        const std::string& model_file) {
  Image img = pil_convert(decoded, net.input_shape.c);
  for (std::size_t i = 0; i < net.preprocess.size(); ++i) {
    img = apply_step(img, net.preprocess[i], step_name(model_file, i, net.preprocess[i]));
  }
  return img;
}

golden::Tensor preprocess_image(const Image& decoded, const model::Network& net,
                                const std::string& model_file) {
  const Image img = apply_image_steps(decoded, net, model_file);
  const golden::Shape& s = net.input_shape;
  if (img.height != s.h || img.width != s.w) {
    throw DataError("model '" + model_file + "': its preprocess list turns a " +
                    std::to_string(decoded.height) + "x" + std::to_string(decoded.width) +
                    " image into " + std::to_string(img.height) + "x" + std::to_string(img.width) +
                    ", but the input is " + std::to_string(s.h) + "x" + std::to_string(s.w));
  }
  std::vector<float> values(img.pixels.size());
  std::transform(img.pixels.begin(), img.pixels.end(), values.begin(),
                 [](uint8_t p) { return static_cast<float>(p) / 255.0f; });
  for (const PreprocessStep& step : net.preprocess) {
    if (step.op != PreprocessOp::kNormalize) continue;
    for (std::size_t i = 0; i < values.size(); ++i) {
      const std::size_t c = i % static_cast<std::size_t>(s.c);
      values[i] = (values[i] - static_cast<float>(step.mean[c])) / static_cast<float>(step.std[c]);
    }
  }
  golden::Tensor t(s, net.input_quant);
  std::transform(values.begin(), values.end(), t.data.begin(),
                 [&net](float v) { return quantize_like_torch(v, net.input_quant); });
  return t;
}

}  // namespace npu::data
