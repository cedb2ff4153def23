#include "sw/data/image.h"

#include <stb/stb_image_resize.h>

#include <string>

#include "sw/data/data_error.h"

namespace npu::data {

uint8_t rgb_to_gray(uint8_t r, uint8_t g, uint8_t b) {
  // Max is 255 * 1000 + 500, so the integer division stays in [0, 255].
  return static_cast<uint8_t>((299 * r + 587 * g + 114 * b + 500) / 1000);
}

Image convert_channels(const Image& in, int channels) {
  if (channels != 1 && channels != 3) {
    throw DataError("cannot convert an image to " + std::to_string(channels) +
                    " channels: only 1 (gray) and 3 (RGB) model inputs are supported");
  }
  if (in.channels < 1 || in.channels > 4) {
    throw DataError("cannot convert an image with " + std::to_string(in.channels) +
                    " channels (expected 1 to 4)");
  }
  if (in.channels == channels) return in;
  Image out(in.height, in.width, channels);
  const bool has_color = in.channels >= 3;
  for (int y = 0; y < in.height; ++y) {
    for (int x = 0; x < in.width; ++x) {
      if (channels == 1) {
        out.at(y, x, 0) = has_color ? rgb_to_gray(in.at(y, x, 0), in.at(y, x, 1), in.at(y, x, 2))
                                    : in.at(y, x, 0);
      } else {
        for (int ch = 0; ch < 3; ++ch) out.at(y, x, ch) = in.at(y, x, has_color ? ch : 0);
      }
    }
  }
  return out;
}

Image resize_image(const Image& in, int height, int width) {
  if (height <= 0 || width <= 0) {
    throw DataError("cannot resize an image to " + std::to_string(height) + "x" +
                    std::to_string(width));
  }
  if (in.height == height && in.width == width) return in;
  if (in.height <= 0 || in.width <= 0 || in.channels <= 0) {
    throw DataError("cannot resize an empty image");
  }
  Image out(height, width, in.channels);
  if (!stbir_resize_uint8(in.pixels.data(), in.width, in.height, 0, out.pixels.data(), width,
                          height, 0, in.channels)) {
    throw DataError("stb_image_resize failed to resize " + std::to_string(in.height) + "x" +
                    std::to_string(in.width) + " to " + std::to_string(height) + "x" +
                    std::to_string(width));
  }
  return out;
}

Image fit_image(const Image& in, int height, int width, int channels) {
  return resize_image(convert_channels(in, channels), height, width);
}

}  // namespace npu::data
