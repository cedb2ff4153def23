#include "sw/data/input_quantization.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <string>

#include "sw/data/data_error.h"

namespace npu::data {
namespace {

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

void check_quant(golden::QuantParams quant) {
  if (!std::isfinite(quant.scale) || quant.scale <= 0.0f) {
    throw DataError("input scale " + std::to_string(quant.scale) + " is not finite and > 0");
  }
  if (quant.zero_point < -128 || quant.zero_point > 127) {
    throw DataError("input zero point " + std::to_string(quant.zero_point) +
                    " is outside [-128, 127]");
  }
}

std::string shape_text(int h, int w, int c) {
  return std::to_string(h) + "x" + std::to_string(w) + "x" + std::to_string(c);
}

}  // namespace

int8_t quantize_pixel(uint8_t pixel, golden::QuantParams quant) {
  const double q = std::round(pixel / (255.0 * static_cast<double>(quant.scale)));
  const double with_zp = q + quant.zero_point;
  return static_cast<int8_t>(std::clamp(with_zp, -128.0, 127.0));
}

golden::Tensor quantize_image(const Image& image, golden::Shape shape, golden::QuantParams quant) {
  check_quant(quant);
  if (shape.n != 1 || image.height != shape.h || image.width != shape.w ||
      image.channels != shape.c) {
    throw DataError("image is " + shape_text(image.height, image.width, image.channels) +
                    " but the network input is " + shape_text(shape.h, shape.w, shape.c));
  }
  std::array<int8_t, 256> table{};
  for (int p = 0; p < 256; ++p) table[p] = quantize_pixel(static_cast<uint8_t>(p), quant);
  golden::Tensor t(shape, quant);
  std::transform(image.pixels.begin(), image.pixels.end(), t.data.begin(),
                 [&table](uint8_t p) { return table[p]; });
  return t;
}

golden::Tensor quantize_image(const Image& image, const model::Network& net) {
  return quantize_image(image, net.input_shape, net.input_quant);
}

Image random_image(int height, int width, int channels, uint64_t seed, uint64_t index) {
  Image img(height, width, channels);
  std::mt19937_64 rng(splitmix64(seed ^ splitmix64(index)));
  uint64_t bits = 0;
  for (std::size_t i = 0; i < img.pixels.size(); ++i) {
    if (i % 8 == 0) bits = rng();
    img.pixels[i] = static_cast<uint8_t>(bits >> (8 * (i % 8)));
  }
  return img;
}

golden::Tensor random_input(const model::Network& net, uint64_t seed, uint64_t index) {
  const golden::Shape& s = net.input_shape;
  return quantize_image(random_image(s.h, s.w, s.c, seed, index), net);
}

}  // namespace npu::data
