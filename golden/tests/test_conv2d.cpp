#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

#include "golden/conv2d.h"
#include "golden/tests/expect_throw.h"

namespace npu::golden {
namespace {

ConvGeometry geometry(int kh, int kw, int stride, int top, int left, int bottom, int right) {
  ConvGeometry g;
  g.kernel_h = kh;
  g.kernel_w = kw;
  g.stride_h = g.stride_w = stride;
  g.pad_top = top;
  g.pad_left = left;
  g.pad_bottom = bottom;
  g.pad_right = right;
  return g;
}

ConvGeometry rectangular_stride(ConvGeometry g, int stride_h, int stride_w) {
  g.stride_h = stride_h;
  g.stride_w = stride_w;
  return g;
}

ConvWeights weights(int oc, int kh, int kw, int ic, std::vector<int8_t> data,
                    std::vector<int32_t> bias) {
  ConvWeights w;
  w.out_channels = oc;
  w.kernel_h = kh;
  w.kernel_w = kw;
  w.in_channels = ic;
  w.data = std::move(data);
  w.bias = std::move(bias);
  w.scales.assign(static_cast<std::size_t>(oc), 1.0f);
  return w;
}

// Obviously correct reference: every window position, padding read as the zero point.
std::vector<int32_t> naive_accumulate(const Tensor& in, const ConvWeights& w,
                                      const ConvGeometry& g) {
  const int oh = g.out_h(in.shape.h), ow = g.out_w(in.shape.w);
  std::vector<int32_t> out;
  for (int n = 0; n < in.shape.n; ++n)
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox)
        for (int oc = 0; oc < w.out_channels; ++oc) {
          int32_t acc = w.bias[oc];
          for (int ky = 0; ky < g.kernel_h; ++ky)
            for (int kx = 0; kx < g.kernel_w; ++kx)
              for (int ic = 0; ic < in.shape.c; ++ic) {
                const int iy = oy * g.stride_h - g.pad_top + ky;
                const int ix = ox * g.stride_w - g.pad_left + kx;
                const bool inside = iy >= 0 && iy < in.shape.h && ix >= 0 && ix < in.shape.w;
                const int32_t x = inside ? in.at(n, iy, ix, ic) : in.quant.zero_point;
                const std::size_t wi =
                    ((static_cast<std::size_t>(oc) * g.kernel_h + ky) * g.kernel_w + kx) *
                        in.shape.c +
                    ic;
                acc += (x - in.quant.zero_point) * w.data[wi];
              }
          out.push_back(acc);
        }
  return out;
}

Tensor random_tensor(Shape s, QuantParams q, std::mt19937& rng) {
  std::uniform_int_distribution<int> d(-128, 127);
  Tensor t(s, q);
  for (auto& v : t.data) v = static_cast<int8_t>(d(rng));
  return t;
}

ConvWeights random_weights(int oc, int kh, int kw, int ic, std::mt19937& rng) {
  std::uniform_int_distribution<int> d(-127, 127), b(-20000, 20000);
  std::uniform_real_distribution<float> s(0.001f, 0.01f);
  ConvWeights w = weights(oc, kh, kw, ic, std::vector<int8_t>(std::size_t(oc) * kh * kw * ic), {});
  for (auto& v : w.data) v = static_cast<int8_t>(d(rng));
  for (int c = 0; c < oc; ++c) {
    w.bias.push_back(b(rng));
    w.scales[c] = s(rng);
  }
  return w;
}

TEST(Conv2dAccumulate, HandComputed3x3Pad1) {
  // x(y, x) = 4y + x + 1 on 4x4, all-ones 3x3 kernel, bias 100.
  Tensor in(Shape{1, 4, 4, 1}, QuantParams{1.0f, 0});
  for (int i = 0; i < 16; ++i) in.data[i] = static_cast<int8_t>(i + 1);
  const ConvWeights w = weights(1, 3, 3, 1, std::vector<int8_t>(9, 1), {100});
  const ConvGeometry g = geometry(3, 3, 1, 1, 1, 1, 1);
  std::vector<int32_t> acc = conv2d_accumulate(in, w, g);
  ASSERT_EQ(acc.size(), 16u);
  EXPECT_EQ(acc[0], 100 + 1 + 2 + 5 + 6);                        // corner: 4 values
  EXPECT_EQ(acc[1], 100 + 1 + 2 + 3 + 5 + 6 + 7);                // edge: 6 values
  EXPECT_EQ(acc[5], 100 + 1 + 2 + 3 + 5 + 6 + 7 + 9 + 10 + 11);  // interior: 9
  EXPECT_EQ(acc[15], 100 + 11 + 12 + 15 + 16);
  // Zero point 2: in-bounds values count x - 2, padded positions 0.
  in.quant.zero_point = 2;
  acc = conv2d_accumulate(in, w, g);
  EXPECT_EQ(acc[0], 100 + 14 - 4 * 2);
  EXPECT_EQ(acc[5], 100 + 54 - 9 * 2);
  EXPECT_EQ(acc[15], 100 + 54 - 4 * 2);
}

TEST(Conv2dAccumulate, ConstantZeroPointInputGivesExactlyBias) {
  std::mt19937 rng(7);
  for (const ConvGeometry& g : {geometry(3, 3, 1, 1, 1, 1, 1), geometry(3, 3, 2, 1, 1, 1, 1),
                                geometry(7, 7, 2, 3, 3, 3, 3), geometry(3, 3, 2, 0, 1, 2, 0)}) {
    Tensor in(Shape{2, 9, 8, 5}, QuantParams{0.1f, -37});
    std::fill(in.data.begin(), in.data.end(), int8_t{-37});
    const ConvWeights w = random_weights(6, g.kernel_h, g.kernel_w, 5, rng);
    const std::vector<int32_t> acc = conv2d_accumulate(in, w, g);
    ASSERT_EQ(acc.size(), std::size_t(2) * g.out_h(9) * g.out_w(8) * 6);
    for (std::size_t i = 0; i < acc.size(); ++i) ASSERT_EQ(acc[i], w.bias[i % 6]) << i;
  }
}

TEST(Conv2dAccumulate, Stride2AsymmetricPadding) {
  // 4x4 input x(y, x) = 10y + x, zero point -1 (so x - zp = 10y + x + 1). Kernel 3x3,
  // stride 2, padding top 0, left 1, bottom 1, right 0 -> 2x2 output. Each output channel
  // is a one-hot kernel that reads one window position: input (2oy + ky, 2ox - 1 + kx).
  Tensor in(Shape{1, 4, 4, 1}, QuantParams{1.0f, -1});
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) in.at(0, y, x, 0) = static_cast<int8_t>(10 * y + x);
  std::vector<int8_t> data(3 * 9, 0);
  data[0 * 9 + 0] = 1;  // ch 0: top-left (ky 0, kx 0)
  data[1 * 9 + 8] = 2;  // ch 1: bottom-right (ky 2, kx 2), weight 2
  data[2 * 9 + 4] = 1;  // ch 2: centre (ky 1, kx 1)
  const ConvWeights w = weights(3, 3, 3, 1, data, {0, 0, 0});
  const ConvGeometry g = geometry(3, 3, 2, 0, 1, 1, 0);
  ASSERT_EQ(g.out_h(4), 2);
  ASSERT_EQ(g.out_w(4), 2);
  const std::vector<int32_t> acc = conv2d_accumulate(in, w, g);
  // [oy][ox][ch]
  const std::vector<int32_t> expect = {
      0,  2 * 22, 11,  // (0,0): (0,-1) pad; (2,1) = 21+1; (1,0) = 10+1
      2,  2 * 24, 13,  // (0,1): (0,1) = 1+1; (2,3) = 23+1; (1,2) = 12+1
      0,  0,      31,  // (1,0): (2,-1) pad; (4,1) bottom pad; (3,0) = 30+1
      22, 0,      33,  // (1,1): (2,1) = 21+1; (4,3) bottom pad; (3,2) = 32+1
  };
  EXPECT_EQ(acc, expect);
}

TEST(Conv2dAccumulate, Kernel7x7Stride2Pad3) {
  // 8x8x3 input, all 2 (zp 0), all-ones 7x7 kernel: acc = 2 * 3 * (in-bounds positions).
  Tensor in(Shape{1, 8, 8, 3}, QuantParams{1.0f, 0});
  std::fill(in.data.begin(), in.data.end(), int8_t{2});
  const ConvWeights w = weights(1, 7, 7, 3, std::vector<int8_t>(7 * 7 * 3, 1), {0});
  const ConvGeometry g = geometry(7, 7, 2, 3, 3, 3, 3);
  const std::vector<int32_t> acc = conv2d_accumulate(in, w, g);
  ASSERT_EQ(acc.size(), 16u);  // (8 + 6 - 7) / 2 + 1 = 4
  // Rows/cols in bounds per output index: 0 -> 4 (-3..3), 1 -> 6 (-1..5), 2 -> 7 (1..7),
  // 3 -> 5 (3..9).
  const int valid[4] = {4, 6, 7, 5};
  for (int oy = 0; oy < 4; ++oy)
    for (int ox = 0; ox < 4; ++ox) EXPECT_EQ(acc[oy * 4 + ox], 6 * valid[oy] * valid[ox]);
  EXPECT_EQ(acc[0], 96);
  EXPECT_EQ(acc[5], 216);
}

TEST(Conv2dAccumulate, OneByOneInputThreeChannels) {
  Tensor in(Shape{1, 1, 1, 3}, QuantParams{1.0f, 5});
  in.data = {10, 20, 30};  // centred: 5, 15, 25
  const ConvWeights w = weights(2, 1, 1, 3, {1, 2, 3, -1, -2, -3}, {1, -1});
  EXPECT_EQ(conv2d_accumulate(in, w, ConvGeometry{}), (std::vector<int32_t>{111, -111}));
  // Same input through a 3x3 kernel with padding 1: only the centre tap sees data.
  std::vector<int8_t> data(2 * 9 * 3, 9);  // the other taps must not matter
  for (int c = 0; c < 3; ++c) {
    data[4 * 3 + c] = static_cast<int8_t>(c + 1);
    data[27 + 4 * 3 + c] = static_cast<int8_t>(-(c + 1));
  }
  const ConvWeights w3 = weights(2, 3, 3, 3, data, {1, -1});
  EXPECT_EQ(conv2d_accumulate(in, w3, geometry(3, 3, 1, 1, 1, 1, 1)),
            (std::vector<int32_t>{111, -111}));
}

TEST(Conv2dAccumulate, WindowsEntirelyInPaddingGiveBias) {
  // 1x1 kernel, padding 1 on a 2x2 input: the output ring reads only padding.
  Tensor in(Shape{1, 2, 2, 1}, QuantParams{1.0f, 3});
  in.data = {13, 23, 33, 43};
  const ConvWeights w = weights(1, 1, 1, 1, {2}, {-7});
  const std::vector<int32_t> acc = conv2d_accumulate(in, w, geometry(1, 1, 1, 1, 1, 1, 1));
  const std::vector<int32_t> expect = {-7, -7, -7, -7,  //
                                       -7, 13, 33, -7,  // -7 + 2 * (x - 3)
                                       -7, 53, 73, -7,  //
                                       -7, -7, -7, -7};
  EXPECT_EQ(acc, expect);
}

TEST(Conv2dAccumulate, MatchesNaiveReferenceOnOddShapes) {
  std::mt19937 rng(12345);
  struct Case {
    Shape in;
    int oc;
    ConvGeometry g;
  };
  const Case cases[] = {
      {Shape{2, 5, 7, 3}, 5, geometry(3, 3, 2, 1, 1, 1, 1)},
      {Shape{1, 28, 28, 1}, 16, geometry(3, 3, 1, 1, 1, 1, 1)},  // ResNet-20 stem
      {Shape{1, 9, 11, 16}, 7, geometry(3, 3, 1, 1, 1, 1, 1)},
      {Shape{1, 15, 13, 3}, 8, geometry(7, 7, 2, 3, 3, 3, 3)},  // ImageNet stem shape
      {Shape{1, 6, 6, 17}, 9, geometry(3, 3, 2, 0, 0, 1, 1)},   // TF "SAME" stride 2
      {Shape{3, 7, 5, 32}, 64, geometry(1, 1, 2, 0, 0, 0, 0)},  // 1x1 s2 shortcut
      {Shape{1, 4, 9, 2}, 3, geometry(2, 3, 1, 2, 0, 1, 3)},    // odd kernel, pad > stride
      {Shape{1, 1, 1, 1}, 1, geometry(3, 3, 1, 1, 1, 1, 1)},
      {Shape{2, 7, 8, 4}, 6, rectangular_stride(geometry(1, 3, 1, 0, 1, 0, 1), 2, 1)},
      {Shape{1, 8, 7, 5}, 4, rectangular_stride(geometry(3, 1, 1, 1, 0, 1, 0), 1, 3)},
  };
  for (const Case& c : cases) {
    const Tensor in = random_tensor(c.in, QuantParams{0.05f, 17}, rng);
    const ConvWeights w = random_weights(c.oc, c.g.kernel_h, c.g.kernel_w, c.in.c, rng);
    EXPECT_EQ(conv2d_accumulate(in, w, c.g), naive_accumulate(in, w, c.g))
        << "input " << to_string(c.in) << " kernel " << c.g.kernel_h << "x" << c.g.kernel_w;
  }
}

TEST(Conv2dAccumulate, ReachesInt32LimitExactly) {
  // K = 66311: K * 255 * 127 = 2147481735; with |bias| 1912 the bound is exactly INT32_MAX.
  constexpr int k = 66311;
  Tensor in(Shape{1, 1, 1, k}, QuantParams{1.0f, -128});
  std::fill(in.data.begin(), in.data.end(), int8_t{127});  // x - zp = 255
  std::vector<int8_t> data(2 * std::size_t(k), 127);
  std::fill(data.begin() + k, data.end(), int8_t{-127});
  ConvWeights w = weights(2, 1, 1, k, data, {1912, -1912});
  EXPECT_EQ(accumulator_bound(w), int64_t{2147483647});
  EXPECT_EQ(conv2d_accumulate(in, w, ConvGeometry{}),
            (std::vector<int32_t>{2147483647, -2147483647}));
  w.bias[1] = -1913;
  EXPECT_EQ(accumulator_bound(w), int64_t{2147483648});
  EXPECT_THROW_WITH(conv2d_accumulate(in, w, ConvGeometry{}), std::overflow_error,
                    "2147483648 exceeds INT32_MAX");
}

TEST(Conv2dAccumulate, RejectsTooDeepReduction) {
  constexpr int k = 66312;  // 66312 * 32385 = 2147514120 > INT32_MAX even without bias
  Tensor in(Shape{1, 1, 1, k}, QuantParams{1.0f, 0});
  const ConvWeights w = weights(1, 1, 1, k, std::vector<int8_t>(k, 1), {0});
  EXPECT_THROW_WITH(conv2d_accumulate(in, w, ConvGeometry{}), std::overflow_error, "K = 66312");
}

TEST(Conv2d, RequantizesPerChannelWithReluAndSaturation) {
  // in scale 0.5, out scale 0.5: real_c = weight scale c = {1, 0.25, 4}; out zp 10.
  Tensor in(Shape{1, 1, 4, 1}, QuantParams{0.5f, 0});
  in.data = {5, -6, 100, -100};
  ConvWeights w = weights(3, 1, 1, 1, {1, 1, 1}, {0, 2, -1});
  w.scales = {1.0f, 0.25f, 4.0f};
  const QuantParams out_q{0.5f, 10};
  const Tensor out = conv2d(in, w, ConvGeometry{}, out_q, false);
  EXPECT_EQ(out.shape, (Shape{1, 1, 4, 3}));
  EXPECT_EQ(out.quant.scale, 0.5f);
  EXPECT_EQ(out.quant.zero_point, 10);
  // ch0: x + 10. ch1: (x + 2) / 4: 1.75 -> 2, -1, 25.5 -> 26, -24.5 -> -25, then + 10.
  // ch2: 4 (x - 1) + 10: 26, -18, 406 -> 127, -394 -> -128.
  const std::vector<int8_t> expect = {15, 12, 26, 4, 9, -18, 110, 36, 127, -90, -15, -128};
  EXPECT_EQ(out.data, expect);
  const Tensor relu = conv2d(in, w, ConvGeometry{}, out_q, true);
  const std::vector<int8_t> expect_relu = {15, 12, 26, 10, 10, 10, 110, 36, 127, 10, 10, 10};
  EXPECT_EQ(relu.data, expect_relu);
}

TEST(Conv2d, ZeroPointInputWithPaddingGivesBiasOnlyOutput) {
  // Constant zp input: every output is requantize(bias) = bias * 0.5 + zp_out.
  Tensor in(Shape{1, 5, 5, 3}, QuantParams{0.25f, 50});
  std::fill(in.data.begin(), in.data.end(), int8_t{50});
  ConvWeights w = weights(2, 3, 3, 3, std::vector<int8_t>(54, 127), {40, -41});
  w.scales = {1.0f, 1.0f};  // real = 0.25 * 1 / 0.5 = 0.5
  const Tensor out = conv2d(in, w, geometry(3, 3, 2, 1, 1, 1, 1), QuantParams{0.5f, -3}, false);
  ASSERT_EQ(out.shape, (Shape{1, 3, 3, 2}));
  for (std::size_t i = 0; i < out.data.size(); i += 2) {
    EXPECT_EQ(out.data[i], 20 - 3);
    EXPECT_EQ(out.data[i + 1], -20 - 3);  // -20.5 -> SRDHM half-up -> -20
  }
}

TEST(Conv2d, WithinOneLsbOfFloatConvolution) {
  std::mt19937 rng(99);
  const Tensor in = random_tensor(Shape{1, 9, 10, 6}, QuantParams{0.02f, -3}, rng);
  const ConvWeights w = random_weights(10, 3, 3, 6, rng);
  const ConvGeometry g = geometry(3, 3, 2, 1, 0, 1, 1);
  const int oh = g.out_h(9), ow = g.out_w(10);
  // Real-valued convolution of the dequantized tensors, in double.
  std::vector<double> real(static_cast<std::size_t>(oh) * ow * w.out_channels);
  double max_abs = 0;
  for (int oy = 0; oy < oh; ++oy)
    for (int ox = 0; ox < ow; ++ox)
      for (int oc = 0; oc < w.out_channels; ++oc) {
        const double sw = w.scales[oc], si = in.quant.scale;
        double r = w.bias[oc] * si * sw;
        for (int ky = 0; ky < 3; ++ky)
          for (int kx = 0; kx < 3; ++kx) {
            const int iy = oy * 2 - 1 + ky, ix = ox * 2 + kx;
            if (iy < 0 || iy >= 9 || ix < 0 || ix >= 10) continue;  // real 0
            for (int ic = 0; ic < 6; ++ic) {
              const double x = si * (in.at(0, iy, ix, ic) - in.quant.zero_point);
              const double wt = sw * w.data[((oc * 3 + ky) * 3 + kx) * 6 + ic];
              r += x * wt;
            }
          }
        real[(static_cast<std::size_t>(oy) * ow + ox) * w.out_channels + oc] = r;
        max_abs = std::max(max_abs, std::abs(r));
      }
  const QuantParams out_q{static_cast<float>(max_abs / 100.0), 7};
  const Tensor out = conv2d(in, w, g, out_q, false);
  int exact = 0;
  for (std::size_t i = 0; i < real.size(); ++i) {
    const double q =
        std::clamp(std::round(real[i] / out_q.scale) + out_q.zero_point, -128.0, 127.0);
    EXPECT_LE(std::abs(out.data[i] - q), 1.0) << i << ": real " << real[i];
    exact += out.data[i] == q;
  }
  EXPECT_GE(exact, static_cast<int>(real.size()) * 9 / 10);
}

TEST(Conv2d, RejectsInconsistentShapes) {
  Tensor in(Shape{1, 4, 4, 2}, QuantParams{1.0f, 0});
  const ConvGeometry g = geometry(3, 3, 1, 1, 1, 1, 1);
  const ConvWeights good = weights(2, 3, 3, 2, std::vector<int8_t>(36, 1), {0, 0});
  const QuantParams q{1.0f, 0};
  EXPECT_NO_THROW(conv2d(in, good, g, q, false));

  ConvWeights w = good;
  w.in_channels = 3;
  w.data.resize(54);
  EXPECT_THROW_WITH(conv2d(in, w, g, q, false), std::invalid_argument,
                    "weights.in_channels (3) differs from the input channels (2)");
  w = good;
  w.data.pop_back();
  EXPECT_THROW_WITH(conv2d(in, w, g, q, false), std::invalid_argument, "weights.data has 35");
  w = good;
  w.bias.push_back(0);
  EXPECT_THROW_WITH(conv2d(in, w, g, q, false), std::invalid_argument, "weights.bias has 3");
  w = good;
  w.scales.pop_back();
  EXPECT_THROW_WITH(conv2d(in, w, g, q, false), std::invalid_argument, "weights.scales has 1");
  w = good;
  w.kernel_h = w.kernel_w = 1;
  w.data.resize(4);
  EXPECT_THROW_WITH(conv2d(in, w, g, q, false), std::invalid_argument, "kernel 1x1");
  w = good;
  w.data[17] = -128;
  EXPECT_THROW_WITH(conv2d(in, w, g, q, false), std::invalid_argument, "weight 17 (out channel 0)");
  w = good;
  w.out_channels = 0;
  EXPECT_THROW_WITH(conv2d(in, w, g, q, false), std::invalid_argument, "out_channels");
}

TEST(Conv2d, RejectsBadGeometry) {
  Tensor in(Shape{1, 2, 2, 1}, QuantParams{1.0f, 0});
  const ConvWeights w = weights(1, 3, 3, 1, std::vector<int8_t>(9, 1), {0});
  const QuantParams q{1.0f, 0};
  // 2x2 input, 3x3 kernel, no padding: (2 - 3) / 1 + 1 would be 0 (or 1 with truncation).
  EXPECT_THROW_WITH(conv2d(in, w, geometry(3, 3, 1, 0, 0, 0, 0), q, false), std::invalid_argument,
                    "larger than the padded input 2x2");
  EXPECT_THROW_WITH(conv2d(in, w, geometry(3, 3, 1, 1, 0, 0, 0), q, false), std::invalid_argument,
                    "larger than the padded input 3x2");
  // Padded to 3x3: exactly one output.
  EXPECT_EQ(conv2d(in, w, geometry(3, 3, 1, 1, 1, 0, 0), q, false).shape, (Shape{1, 1, 1, 1}));
  EXPECT_THROW_WITH(conv2d(in, w, geometry(3, 3, 0, 1, 1, 1, 1), q, false), std::invalid_argument,
                    "stride");
  EXPECT_THROW_WITH(conv2d(in, w, geometry(3, 3, 1, -1, 1, 1, 1), q, false), std::invalid_argument,
                    "padding");
  Tensor bad = in;
  bad.data.pop_back();
  EXPECT_THROW_WITH(conv2d(bad, w, geometry(3, 3, 1, 1, 1, 1, 1), q, false), std::invalid_argument,
                    "conv2d input");
}

}  // namespace
}  // namespace npu::golden
