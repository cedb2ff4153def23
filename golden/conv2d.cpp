#include "golden/conv2d.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>

namespace npu::golden {

namespace {

[[noreturn]] void fail(const std::string& message) {
  throw std::invalid_argument("conv2d: " + message);
}

void validate_weights(const Tensor& in, const ConvWeights& w, const ConvGeometry& g) {
  if (w.out_channels < 1) {
    fail("weights.out_channels must be >= 1, got " + std::to_string(w.out_channels));
  }
  if (w.in_channels != in.shape.c) {
    fail("weights.in_channels (" + std::to_string(w.in_channels) +
         ") differs from the input channels (" + std::to_string(in.shape.c) + ")");
  }
  if (w.kernel_h != g.kernel_h || w.kernel_w != g.kernel_w) {
    fail("weights kernel " + std::to_string(w.kernel_h) + "x" + std::to_string(w.kernel_w) +
         " differs from the geometry's " + std::to_string(g.kernel_h) + "x" +
         std::to_string(g.kernel_w));
  }
  const std::size_t expected =
      static_cast<std::size_t>(w.out_channels) * w.kernel_h * w.kernel_w * w.in_channels;
  if (w.data.size() != expected) {
    fail("weights.data has " + std::to_string(w.data.size()) + " values, OHWI " +
         std::to_string(w.out_channels) + "x" + std::to_string(w.kernel_h) + "x" +
         std::to_string(w.kernel_w) + "x" + std::to_string(w.in_channels) + " needs " +
         std::to_string(expected));
  }
  if (w.bias.size() != static_cast<std::size_t>(w.out_channels)) {
    fail("weights.bias has " + std::to_string(w.bias.size()) + " values, out_channels is " +
         std::to_string(w.out_channels));
  }
}

// Window rows that fall in the padding, and the padded columns at either end of a row,
// are zeros: padding holds the input zero point, so x - zp is 0 there.
void gather_patch(const int16_t* x, const Shape& s, const ConvGeometry& g, int n, int oy, int ox,
                  int16_t* patch) {
  const int row_len = g.kernel_w * s.c;
  const int ix0 = ox * g.stride_w - g.pad_left;
  const int kx_begin = std::max(0, -ix0);
  const int kx_end = std::min(g.kernel_w, s.w - ix0);
  for (int ky = 0; ky < g.kernel_h; ++ky) {
    int16_t* dst = patch + ky * row_len;
    const int iy = oy * g.stride_h - g.pad_top + ky;
    if (iy < 0 || iy >= s.h || kx_begin >= kx_end) {
      std::fill(dst, dst + row_len, int16_t{0});
      continue;
    }
    std::fill(dst, dst + kx_begin * s.c, int16_t{0});
    const int16_t* src =
        x + ((static_cast<std::size_t>(n) * s.h + iy) * s.w + (ix0 + kx_begin)) * s.c;
    std::copy(src, src + (kx_end - kx_begin) * s.c, dst + kx_begin * s.c);
    std::fill(dst + kx_end * s.c, dst + row_len, int16_t{0});
  }
}

// int32 += int16 * int16 over contiguous memory: GCC turns these loops into pmaddwd (SSE2).
// Four channels per pass share each patch load. No overflow: the layer passed the bound.
void dot4(const int16_t* p, const int16_t* w, int k, int32_t* out) {
  const int16_t* w0 = w;
  const int16_t* w1 = w + k;
  const int16_t* w2 = w + 2 * k;
  const int16_t* w3 = w + 3 * k;
  int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (int i = 0; i < k; ++i) {
    const int32_t v = p[i];
    s0 += v * w0[i];
    s1 += v * w1[i];
    s2 += v * w2[i];
    s3 += v * w3[i];
  }
  out[0] += s0;
  out[1] += s1;
  out[2] += s2;
  out[3] += s3;
}

int32_t dot1(const int16_t* p, const int16_t* w, int k) {
  int32_t s = 0;
  for (int i = 0; i < k; ++i) s += static_cast<int32_t>(p[i]) * w[i];
  return s;
}

}  // namespace

void validate_geometry(const ConvGeometry& g, int in_h, int in_w, const char* what) {
  const std::string who(what);
  if (g.kernel_h < 1 || g.kernel_w < 1) {
    throw std::invalid_argument(who + ": kernel must be >= 1, got " + std::to_string(g.kernel_h) +
                                "x" + std::to_string(g.kernel_w));
  }
  if (g.stride_h < 1 || g.stride_w < 1) {
    throw std::invalid_argument(who + ": stride must be >= 1, got " + std::to_string(g.stride_h) +
                                "x" + std::to_string(g.stride_w));
  }
  if (g.pad_top < 0 || g.pad_left < 0 || g.pad_bottom < 0 || g.pad_right < 0) {
    throw std::invalid_argument(who + ": padding must be >= 0");
  }
  // Checked before out_h()/out_w(): their division truncates toward zero, so a negative
  // numerator would still yield a size of 1.
  if (in_h + g.pad_top + g.pad_bottom < g.kernel_h ||
      in_w + g.pad_left + g.pad_right < g.kernel_w) {
    throw std::invalid_argument(who + ": kernel " + std::to_string(g.kernel_h) + "x" +
                                std::to_string(g.kernel_w) + " is larger than the padded input " +
                                std::to_string(in_h + g.pad_top + g.pad_bottom) + "x" +
                                std::to_string(in_w + g.pad_left + g.pad_right));
  }
}

int64_t accumulator_bound(const ConvWeights& w) {
  int64_t max_bias = 0;
  for (int32_t b : w.bias) max_bias = std::max(max_bias, std::abs(static_cast<int64_t>(b)));
  const int64_t k = static_cast<int64_t>(w.kernel_h) * w.kernel_w * w.in_channels;
  return k * 255 * 127 + max_bias;
}

std::vector<int32_t> conv2d_accumulate(const Tensor& in, const ConvWeights& w,
                                       const ConvGeometry& g) {
  validate_tensor(in, "conv2d input");
  validate_geometry(g, in.shape.h, in.shape.w, "conv2d");
  validate_weights(in, w, g);
  const int64_t bound = accumulator_bound(w);
  if (bound > std::numeric_limits<int32_t>::max()) {
    throw std::overflow_error(
        "conv2d: accumulator bound K*255*127 + max|bias| = " + std::to_string(bound) +
        " exceeds INT32_MAX (K = " + std::to_string(w.kernel_h * w.kernel_w * w.in_channels) + ")");
  }

  // Weights and zero-point-centred inputs widened once to int16, the MAC operand width.
  std::vector<int16_t> w16(w.data.size());
  for (std::size_t i = 0; i < w.data.size(); ++i) {
    if (w.data[i] == -128) {
      fail("weight " + std::to_string(i) + " (out channel " +
           std::to_string(i / (w.data.size() / w.out_channels)) +
           ") is -128; symmetric weights must be in [-127, 127]");
    }
    w16[i] = w.data[i];
  }
  std::vector<int16_t> x16(in.data.size());
  for (std::size_t i = 0; i < in.data.size(); ++i) {
    x16[i] = static_cast<int16_t>(in.data[i] - in.quant.zero_point);
  }

  const Shape& s = in.shape;
  const int oh = g.out_h(s.h), ow = g.out_w(s.w), oc = w.out_channels;
  const int k = g.kernel_h * g.kernel_w * s.c;
  std::vector<int16_t> patch(static_cast<std::size_t>(k));
  std::vector<int32_t> acc(static_cast<std::size_t>(s.n) * oh * ow * oc);
  int32_t* out = acc.data();
  for (int n = 0; n < s.n; ++n) {
    for (int oy = 0; oy < oh; ++oy) {
      for (int ox = 0; ox < ow; ++ox, out += oc) {
        gather_patch(x16.data(), s, g, n, oy, ox, patch.data());
        std::copy(w.bias.begin(), w.bias.end(), out);
        int c = 0;
        for (; c + 4 <= oc; c += 4) {
          dot4(patch.data(), w16.data() + static_cast<std::size_t>(c) * k, k, out + c);
        }
        for (; c < oc; ++c) {
          out[c] += dot1(patch.data(), w16.data() + static_cast<std::size_t>(c) * k, k);
        }
      }
    }
  }
  return acc;
}

Tensor conv2d(const Tensor& in, const ConvWeights& w, const ConvGeometry& g, QuantParams output,
              bool relu) {
  const std::vector<int32_t> acc = conv2d_accumulate(in, w, g);  // validates all but scales
  if (w.scales.size() != static_cast<std::size_t>(w.out_channels)) {
    fail("weights.scales has " + std::to_string(w.scales.size()) + " values, out_channels is " +
         std::to_string(w.out_channels));
  }
  const Requantizer rq = Requantizer::for_conv(in.quant.scale, w.scales, output, relu);
  Tensor result(Shape{in.shape.n, g.out_h(in.shape.h), g.out_w(in.shape.w), w.out_channels},
                output);
  const std::size_t pixels = acc.size() / static_cast<std::size_t>(w.out_channels);
  for (std::size_t p = 0; p < pixels; ++p) {
    for (int c = 0; c < w.out_channels; ++c) {
      const std::size_t i = p * static_cast<std::size_t>(w.out_channels) + c;
      result.data[i] = rq.apply(acc[i], c);
    }
  }
  return result;
}

}  // namespace npu::golden
