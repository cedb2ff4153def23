#include "golden/pool.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace npu::golden {

int32_t divide_round_half_away(int32_t sum, int32_t divisor) {
  if (divisor <= 0) {
    throw std::invalid_argument("divide_round_half_away: divisor must be > 0, got " +
                                std::to_string(divisor));
  }
  // int64 so that sum + divisor / 2 and -INT32_MIN cannot overflow.
  const int64_t s = sum, d = divisor;
  return static_cast<int32_t>(s >= 0 ? (s + d / 2) / d : -((-s + d / 2) / d));
}

namespace {

// Visits every output position with the window sum/max computed by `reduce` over the
// in-bounds input values plus `pad_value` once per padded position.
template <typename Reduce, typename Finish>
Tensor pool(const Tensor& in, const ConvGeometry& g, const char* what, int32_t init,
            int32_t pad_value, Reduce reduce, Finish finish) {
  validate_tensor(in, (std::string(what) + " input").c_str());
  validate_geometry(g, in.shape.h, in.shape.w, what);
  const Shape& s = in.shape;
  Tensor out(Shape{s.n, g.out_h(s.h), g.out_w(s.w), s.c}, in.quant);
  std::vector<int32_t> acc(static_cast<std::size_t>(s.c));
  for (int n = 0; n < s.n; ++n) {
    for (int oy = 0; oy < out.shape.h; ++oy) {
      for (int ox = 0; ox < out.shape.w; ++ox) {
        std::fill(acc.begin(), acc.end(), init);
        for (int ky = 0; ky < g.kernel_h; ++ky) {
          const int iy = oy * g.stride_h - g.pad_top + ky;
          for (int kx = 0; kx < g.kernel_w; ++kx) {
            const int ix = ox * g.stride_w - g.pad_left + kx;
            const bool inside = iy >= 0 && iy < s.h && ix >= 0 && ix < s.w;
            for (int c = 0; c < s.c; ++c) {
              acc[c] = reduce(acc[c], inside ? int32_t{in.at(n, iy, ix, c)} : pad_value);
            }
          }
        }
        for (int c = 0; c < s.c; ++c) out.at(n, oy, ox, c) = finish(acc[c]);
      }
    }
  }
  return out;
}

}  // namespace

Tensor max_pool(const Tensor& in, const ConvGeometry& g) {
  return pool(
      in, g, "max_pool", -128, -128, [](int32_t a, int32_t x) { return std::max(a, x); },
      [](int32_t a) { return static_cast<int8_t>(a); });
}

Tensor avg_pool(const Tensor& in, const ConvGeometry& g) {
  // |window sum| <= kernel_h * kernel_w * 128 must fit int32.
  if (static_cast<int64_t>(g.kernel_h) * g.kernel_w > (int64_t{1} << 24) - 1) {
    throw std::invalid_argument("avg_pool: kernel " + std::to_string(g.kernel_h) + "x" +
                                std::to_string(g.kernel_w) + " exceeds 2^24 - 1 elements");
  }
  const int32_t divisor = g.kernel_h * g.kernel_w;
  return pool(
      in, g, "avg_pool", 0, in.quant.zero_point, [](int32_t a, int32_t x) { return a + x; },
      [divisor](int32_t a) { return saturate_int8(divide_round_half_away(a, divisor)); });
}

Tensor global_avg_pool(const Tensor& in) {
  validate_tensor(in, "global_avg_pool input");
  const Shape& s = in.shape;
  // |sum| <= h * w * 128 must fit int32.
  if (static_cast<int64_t>(s.h) * s.w > (int64_t{1} << 24) - 1) {
    throw std::invalid_argument("global_avg_pool: h*w of " + to_string(s) +
                                " exceeds 2^24 - 1 (the int32 sum could overflow)");
  }
  const int32_t divisor = s.h * s.w;
  Tensor out(Shape{s.n, 1, 1, s.c}, in.quant);
  std::vector<int32_t> sum(static_cast<std::size_t>(s.c));
  for (int n = 0; n < s.n; ++n) {
    std::fill(sum.begin(), sum.end(), 0);
    for (int y = 0; y < s.h; ++y) {
      for (int x = 0; x < s.w; ++x) {
        for (int c = 0; c < s.c; ++c) sum[c] += in.at(n, y, x, c);
      }
    }
    for (int c = 0; c < s.c; ++c) {
      out.at(n, 0, 0, c) = saturate_int8(divide_round_half_away(sum[c], divisor));
    }
  }
  return out;
}

}  // namespace npu::golden
