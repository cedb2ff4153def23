// An 8-bit image in HWC order, and the conversions needed to feed it to a model input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace npu::data {

struct Image {
  int height = 0, width = 0, channels = 0;
  std::vector<uint8_t> pixels;  // [h][w][c], size == height * width * channels

  Image() = default;
  Image(int h, int w, int c)
      : height(h), width(w), channels(c), pixels(static_cast<std::size_t>(h) * w * c, 0) {}

  uint8_t at(int y, int x, int ch) const {
    return pixels[(static_cast<std::size_t>(y) * width + x) * channels + ch];
  }
  uint8_t& at(int y, int x, int ch) {
    return pixels[(static_cast<std::size_t>(y) * width + x) * channels + ch];
  }
};

// ITU-R BT.601 luma with integer weights, rounded: (299 R + 587 G + 114 B + 500) / 1000.
uint8_t rgb_to_gray(uint8_t r, uint8_t g, uint8_t b);

// Converts between 1 (gray), 2 (gray + alpha), 3 (RGB) and 4 (RGBA) channels to 1 or 3:
// alpha is dropped (not composited), RGB -> gray by rgb_to_gray, gray -> RGB by replication.
// Throws DataError for any other channel count.
Image convert_channels(const Image& in, int channels);

// Resamples to height x width with stb_image_resize's default filters; a copy if the size
// already matches (so model-sized inputs are never touched).
Image resize_image(const Image& in, int height, int width);

// convert_channels then resize_image.
Image fit_image(const Image& in, int height, int width, int channels);

}  // namespace npu::data
