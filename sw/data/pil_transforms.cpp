#include "sw/data/pil_transforms.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "sw/data/data_error.h"

namespace npu::data {
namespace {

// Pillow's fixed-point resampling: 8 bits of result plus 2 bits of headroom in an int32.
constexpr int kPrecisionBits = 32 - 8 - 2;

// One output pixel's filter: the first input index and the fixed-point weights.
struct Taps {
  int first = 0;
  std::vector<int32_t> weights;
};

double triangle(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

// Pillow's precompute_coeffs + normalize_coeffs_8bpc for the bilinear filter over the
// whole input (box 0..in_size, held as float as Pillow does).
std::vector<Taps> bilinear_taps(int in_size, int out_size) {
  const float box_start = 0.0f, box_end = static_cast<float>(in_size);
  const double scale = static_cast<double>(box_end - box_start) / out_size;
  const double filter_scale = std::max(scale, 1.0);
  const double support = 1.0 * filter_scale;  // the triangle's support is 1
  std::vector<Taps> taps(static_cast<std::size_t>(out_size));
  for (int xx = 0; xx < out_size; ++xx) {
    const double center = box_start + (xx + 0.5) * scale;
    const double inv_filter_scale = 1.0 / filter_scale;
    // Truncating casts of value + 0.5: Pillow's rounding of the window ends.
    const int lo = std::max(static_cast<int>(center - support + 0.5), 0);
    const int hi = std::min(static_cast<int>(center + support + 0.5), in_size);
    std::vector<double> w;
    double sum = 0.0;
    for (int x = lo; x < hi; ++x) {
      w.push_back(triangle((x - center + 0.5) * inv_filter_scale));
      sum += w.back();
    }
    Taps& t = taps[static_cast<std::size_t>(xx)];
    t.first = lo;
    for (double v : w) {
      if (sum != 0.0) v /= sum;
      const double fixed = v * (1 << kPrecisionBits);
      t.weights.push_back(static_cast<int32_t>(fixed < 0 ? fixed - 0.5 : fixed + 0.5));
    }
  }
  return taps;
}

uint8_t clip8(int32_t acc) {
  return static_cast<uint8_t>(std::clamp(acc >> kPrecisionBits, 0, 255));
}

// One pass along x (horizontal) or y (vertical); every channel alike.
Image resample_pass(const Image& in, int out_h, int out_w, bool horizontal) {
  const std::vector<Taps> taps =
      horizontal ? bilinear_taps(in.width, out_w) : bilinear_taps(in.height, out_h);
  Image out(out_h, out_w, in.channels);
  for (int y = 0; y < out_h; ++y) {
    for (int x = 0; x < out_w; ++x) {
      const Taps& t = taps[static_cast<std::size_t>(horizontal ? x : y)];
      for (int c = 0; c < in.channels; ++c) {
        int32_t acc = 1 << (kPrecisionBits - 1);
        for (std::size_t k = 0; k < t.weights.size(); ++k) {
          const int src = t.first + static_cast<int>(k);
          acc += (horizontal ? in.at(y, src, c) : in.at(src, x, c)) * t.weights[k];
        }
        out.at(y, x, c) = clip8(acc);
      }
    }
  }
  return out;
}

std::string size_text(int h, int w) { return std::to_string(h) + "x" + std::to_string(w); }

}  // namespace

uint8_t pil_luma(uint8_t r, uint8_t g, uint8_t b) {
  // Max is 255 * 65536 + 0x8000, so the shift stays in [0, 255].
  return static_cast<uint8_t>((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
}

Image pil_convert(const Image& in, int channels) {
  if (channels != 1 && channels != 3) {
    throw DataError("cannot convert an image to " + std::to_string(channels) +
                    " channels: only 1 (gray) and 3 (RGB) model inputs take images");
  }
  if (in.channels < 1 || in.channels > 4) {
    throw DataError("cannot convert an image with " + std::to_string(in.channels) +
                    " channels (expected 1 to 4)");
  }
  if (in.channels == channels) return in;
  Image out(in.height, in.width, channels);
  const bool color = in.channels >= 3;
  for (int y = 0; y < in.height; ++y) {
    for (int x = 0; x < in.width; ++x) {
      if (channels == 1) {
        out.at(y, x, 0) =
            color ? pil_luma(in.at(y, x, 0), in.at(y, x, 1), in.at(y, x, 2)) : in.at(y, x, 0);
      } else {
        for (int c = 0; c < 3; ++c) out.at(y, x, c) = in.at(y, x, color ? c : 0);
      }
    }
  }
  return out;
}

std::array<int, 2> shorter_side_resize_shape(int height, int width, int size) {
  const bool portrait = width <= height;
  const int shorter = portrait ? width : height;
  const int longer = portrait ? height : width;
  // Python: int(size * long / short); the product is exact, the division a correctly
  // rounded double, the int() a truncation.
  const double ratio = static_cast<double>(int64_t{size} * longer) / shorter;
  const int new_longer = static_cast<int>(ratio);
  return portrait ? std::array<int, 2>{new_longer, size} : std::array<int, 2>{size, new_longer};
}

Image pil_resize_bilinear(const Image& in, int height, int width) {
  if (height <= 0 || width <= 0 || in.height <= 0 || in.width <= 0) {
    throw DataError("cannot resize " + size_text(in.height, in.width) + " to " +
                    size_text(height, width));
  }
  Image out = in;
  if (width != in.width) out = resample_pass(out, in.height, width, true);
  if (height != in.height) out = resample_pass(out, height, width, false);
  return out;
}

Image pad_black(const Image& in, const std::array<int, 4>& ltrb) {
  const int64_t h = int64_t{in.height} + ltrb[1] + ltrb[3];
  const int64_t w = int64_t{in.width} + ltrb[0] + ltrb[2];
  if (h > INT32_MAX / 4 || w > INT32_MAX / 4 || h * w > INT32_MAX / 4) {
    throw DataError("padding " + size_text(in.height, in.width) + " gives " + std::to_string(h) +
                    "x" + std::to_string(w) + ", too large");
  }
  Image out(static_cast<int>(h), static_cast<int>(w), in.channels);
  for (int y = 0; y < in.height; ++y) {
    const uint8_t* src = &in.pixels[static_cast<std::size_t>(y) * in.width * in.channels];
    uint8_t* dst = &out.at(y + ltrb[1], ltrb[0], 0);
    std::copy(src, src + static_cast<std::size_t>(in.width) * in.channels, dst);
  }
  return out;
}

Image center_crop(const Image& in, int height, int width) {
  Image src = in;
  if (width > in.width || height > in.height) {
    const int dw = std::max(width - in.width, 0), dh = std::max(height - in.height, 0);
    src = pad_black(in, {dw / 2, dh / 2, (dw + 1) / 2, (dh + 1) / 2});
    if (src.width == width && src.height == height) return src;
  }
  // int(round(d / 2.0)) with round-half-to-even: an odd d gives the even neighbour.
  const auto offset = [](int d) { return d / 2 + ((d % 2 == 1 && (d / 2) % 2 == 1) ? 1 : 0); };
  const int top = offset(src.height - height), left = offset(src.width - width);
  Image out(height, width, src.channels);
  for (int y = 0; y < height; ++y) {
    const uint8_t* from = &src.at(top + y, left, 0);
    std::copy(from, from + static_cast<std::size_t>(width) * src.channels, &out.at(y, 0, 0));
  }
  return out;
}

}  // namespace npu::data
