// A model's preprocess list (model::PreprocessStep, docs/model-format.md) applied to a
// decoded image, then quantized as PyTorch does: the int8 input tensor the user's
// torchvision pipeline + torch.quantize_per_tensor would give, to the bit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/tensor.h"
#include "sw/data/image.h"
#include "sw/model/network.h"

namespace npu::data {

// torch.quantize_per_tensor(x, scale, zero_point, torch.qint8) for one float32 value:
// x * (1.0f / scale) in float32, rounded half to even (nearbyint), zero_point added
// after rounding, clamped to [-128, 127].
int8_t quantize_like_torch(float x, golden::QuantParams quant);

// pil_convert to the input's channel count, then the steps in order on the 8-bit image
// (pad, resize, center_crop); returns the image before ToTensor. Throws DataError naming
// `model_file` and the step when an intermediate image would exceed the pixel limit.
Image apply_image_steps(const Image& decoded, const model::Network& net,
                        const std::string& model_file);

// The whole pipeline: apply_image_steps, ToTensor (pixel / 255 in float32), every
// normalize ((x - mean) / std in float32, mean and std rounded to float32 as torch
// does), quantize_like_torch with the input's scale and zero point. Throws DataError
// naming `model_file` when the result is not the input's height x width.
golden::Tensor preprocess_image(const Image& decoded, const model::Network& net,
                                const std::string& model_file);

}  // namespace npu::data
