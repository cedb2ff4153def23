// Turning 8-bit pixels into the network's int8 input tensor, and deterministic random input.
#pragma once

#include <cstdint>

#include "golden/tensor.h"
#include "sw/data/image.h"
#include "sw/model/network.h"

namespace npu::data {

// real = pixel / 255, q = clamp(round(real / scale) + zero_point, -128, 127), rounding half
// away from zero. Evaluated as pixel / (255 * scale) in double: 255 * scale is exact for a
// float scale, so the division is the only rounding step and the result is the correctly
// rounded quotient. For scale = float(1/255) and zero_point = -128 this gives exactly
// pixel - 128 (255 * scale is 1 + 5.9e-8, far from moving any pixel across a half step).
int8_t quantize_pixel(uint8_t pixel, golden::QuantParams quant);

// The image must already have the input's height, width and channels (see fit_image);
// throws DataError otherwise. Output shape [1][h][w][c] with `quant`.
golden::Tensor quantize_image(const Image& image, golden::Shape shape, golden::QuantParams quant);
golden::Tensor quantize_image(const Image& image, const model::Network& net);

// Pixels uniform in [0, 255] from std::mt19937_64, whose sequence the C++ standard fixes,
// seeded from (seed, index) so that image `index` of a run does not depend on which thread
// draws it or on how many were drawn before.
Image random_image(int height, int width, int channels, uint64_t seed, uint64_t index = 0);

// random_image of the network's input shape, quantized.
golden::Tensor random_input(const model::Network& net, uint64_t seed, uint64_t index = 0);

}  // namespace npu::data
