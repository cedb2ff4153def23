#include "sw/test_support/dp_layer.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "golden/fully_connected.h"
#include "golden/pool.h"
#include "golden/requantize.h"
#include "sw/compiler/conv_packing.h"

namespace npu::test_support {
namespace {

int ceil_div(int a, int b) { return (a + b - 1) / b; }

void require(bool ok, const DpCase& k, const std::string& field, const std::string& why) {
  if (!ok) throw std::invalid_argument("datapath case '" + k.name + "': " + field + ": " + why);
}

void require_pool(bool ok, const DpPoolCase& k, const std::string& field, const std::string& why) {
  if (!ok)
    throw std::invalid_argument("datapath pool case '" + k.name + "': " + field + ": " + why);
}

// NHWC words: word (y * W + x) * G + g, lane r = channel g * R + r, lanes past C are 0.
std::vector<std::vector<uint8_t>> tensor_words(const golden::Tensor& t, int rows) {
  const golden::Shape& s = t.shape;
  const int groups = ceil_div(s.c, rows);
  std::vector<std::vector<uint8_t>> words(static_cast<size_t>(s.h) * s.w * groups,
                                          std::vector<uint8_t>(static_cast<size_t>(rows), 0));
  for (int y = 0; y < s.h; ++y)
    for (int x = 0; x < s.w; ++x)
      for (int ch = 0; ch < s.c; ++ch)
        words[static_cast<size_t>((y * s.w + x) * groups + ch / rows)][ch % rows] =
            static_cast<uint8_t>(t.at(0, y, x, ch));
  return words;
}

const char* kind_name(DpPoolKind k) {
  switch (k) {
    case DpPoolKind::kMax:
      return "max";
    case DpPoolKind::kAvg:
      return "avg";
    case DpPoolKind::kGlobalAvg:
      return "global avg";
  }
  return "?";
}

}  // namespace

golden::Tensor dp_random_tensor(golden::Shape s, golden::QuantParams q, std::mt19937_64& rng) {
  golden::Tensor t(s, q);
  std::uniform_int_distribution<int> d(-128, 127);
  for (auto& v : t.data) v = static_cast<int8_t>(d(rng));
  return t;
}

std::string DpPoolLayer::describe() const {
  std::ostringstream s;
  const golden::Shape& i = input.shape;
  s << kase.name << " (" << kind_name(kase.kind) << " pool";
  if (kase.kind != DpPoolKind::kGlobalAvg)
    s << " " << kase.k << "x" << kase.k << "/s" << kase.s << "/p" << kase.pad;
  s << ", " << i.h << "x" << i.w << "x" << i.c << " -> " << expected.shape.h << "x"
    << expected.shape.w << "x" << expected.shape.c << ", groups " << job.in_groups << ", bank "
    << job.in_bank << "@" << job.in_base << " -> bank " << job.out_bank << "@" << job.out_base
    << ")";
  return s.str();
}

DpPoolLayer make_dp_pool(const DpPoolCase& k, const golden::Tensor& input, const DpHw& hw,
                         const DpPoolPlace& place, bool preload) {
  const golden::Shape& s = input.shape;
  const bool global = k.kind == DpPoolKind::kGlobalAvg;
  require_pool(s.n == 1, k, "input", "batch must be 1");
  require_pool(s.h >= 1 && s.h < 1024 && s.w >= 1 && s.w < 1024, k, "input",
               "H, W must be 1..1023");
  if (!global) {
    require_pool(k.k >= 1 && k.k <= 7, k, "kernel", "must be 1..7");
    require_pool(k.s >= 1 && k.s <= 7, k, "stride", "must be 1..7");
    require_pool(k.pad >= 0 && k.pad <= 7, k, "padding", "must be 0..7");
    require_pool(s.h + 2 * k.pad >= k.k && s.w + 2 * k.pad >= k.k, k, "kernel",
                 "larger than the padded input");
  } else {
    require_pool(s.h * s.w <= 4096, k, "input", "global average needs H * W <= 4096 (MaxTapsLog2)");
  }
  DpPoolLayer P;
  P.kase = k;
  P.hw = hw;
  P.input = input;
  P.geometry.kernel_h = P.geometry.kernel_w = global ? 1 : k.k;
  P.geometry.stride_h = P.geometry.stride_w = global ? 1 : k.s;
  P.geometry.pad_top = P.geometry.pad_left = P.geometry.pad_bottom = P.geometry.pad_right =
      global ? 0 : k.pad;
  switch (k.kind) {
    case DpPoolKind::kMax:
      P.expected = golden::max_pool(input, P.geometry);
      break;
    case DpPoolKind::kAvg:
      P.expected = golden::avg_pool(input, P.geometry);
      break;
    case DpPoolKind::kGlobalAvg:
      P.expected = golden::global_avg_pool(input);
      break;
  }
  const int groups = ceil_div(s.c, hw.rows);
  DpJob& j = P.job;
  j.pool = true;
  j.pool_mode = static_cast<int>(k.kind);
  j.in_bank = place.in_bank;
  j.in_base = place.in_base;
  j.in_h = s.h;
  j.in_w = s.w;
  j.in_groups = groups;
  j.in_row_words = s.w * groups;
  j.in_zp = input.quant.zero_point;
  j.kernel_h = j.kernel_w = P.geometry.kernel_h;
  j.stride_h = j.stride_w = P.geometry.stride_h;
  j.pad_top = j.pad_left = j.pad_bottom = j.pad_right = P.geometry.pad_top;
  j.out_bank = place.out_bank;
  j.out_base = place.out_base;
  j.out_groups = groups;
  j.out_h = P.expected.shape.h;
  j.out_w = P.expected.shape.w;
  j.pixels = j.out_h * j.out_w;
  P.out_words = j.pixels * groups;
  const int in_words = s.h * s.w * groups;
  require_pool(place.in_base >= 0 && place.in_base + in_words <= hw.act_depth, k, "in_base",
               "input does not fit the activation bank");
  require_pool(place.out_base >= 0 && place.out_base + P.out_words <= hw.act_depth, k, "out_base",
               "output does not fit the activation bank");
  require_pool(place.in_bank != place.out_bank || place.out_base >= place.in_base + in_words ||
                   place.out_base + P.out_words <= place.in_base,
               k, "out_base", "output overlaps the input in the same bank");
  const int64_t taps = global ? int64_t{s.h} * s.w : int64_t{k.k} * k.k;
  const int64_t per_word = k.kind == DpPoolKind::kMax ? taps : std::max<int64_t>(taps, 8);
  P.ideal_cycles = per_word * P.out_words;
  if (preload) P.act_words = tensor_words(input, hw.rows);
  return P;
}

std::string DpLayer::describe() const {
  std::ostringstream s;
  const DpCase& k = kase;
  s << k.name << " (" << k.h << "x" << k.w << "x" << k.c << " -> " << k.out_c << ", " << k.kh << "x"
    << k.kw << "/s" << k.sh << "/p" << k.pad_top << k.pad_left << k.pad_bottom << k.pad_right
    << (k.fully_connected ? ", FC" : "") << (k.residual ? ", +residual" : "") << ", M-block "
    << job.mblock << ", chunks " << job.kchunks << " (P " << job.taps_per_chunk << "), tiles "
    << job.ntiles << ")";
  return s.str();
}

DpLaneSource dp_lane_source(const DpJob& job, int rows, int taps, int channels, int kc, int lane) {
  // The driver's K ordering (sw/compiler/conv_packing.h) with the job's packing fields.
  compiler::KPacking k;
  k.slot = job.slot;
  k.taps_per_chunk = job.taps_per_chunk;
  k.groups = job.in_groups;
  const compiler::KPacking::Source s = k.source(kc, lane, rows, taps, channels);
  DpLaneSource src;
  src.tap = s.tap;
  src.channel = s.channel;
  return src;
}

DpLayer make_dp_layer(const DpCase& k, const DpHw& hw, std::mt19937_64& rng) {
  require(hw.rows == hw.cols, k, "hw", "the datapath needs rows == cols");
  require(k.kh >= 1 && k.kh <= 7 && k.kw >= 1 && k.kw <= 7, k, "kernel", "must be 1..7");
  require(k.sh >= 1 && k.sh <= 7 && k.sw >= 1 && k.sw <= 7, k, "stride", "must be 1..7");
  require(k.pad_top <= 7 && k.pad_left <= 7, k, "padding", "top/left must be 0..7");
  require(!k.fully_connected || (k.h == 1 && k.w == 1 && k.kh == 1 && k.kw == 1), k,
          "fully_connected", "needs a 1x1 input and kernel");
  const int R = hw.rows, Cc = hw.cols;
  DpLayer L;
  L.kase = k;
  L.hw = hw;
  std::uniform_int_distribution<int> zp(-128, 127);
  std::uniform_int_distribution<int> coin(0, 1);
  L.input = dp_random_tensor({1, k.h, k.w, k.c}, {0.05f, zp(rng)}, rng);

  L.geometry.kernel_h = k.kh;
  L.geometry.kernel_w = k.kw;
  L.geometry.stride_h = k.sh;
  L.geometry.stride_w = k.sw;
  L.geometry.pad_top = k.pad_top;
  L.geometry.pad_left = k.pad_left;
  L.geometry.pad_bottom = k.pad_bottom;
  L.geometry.pad_right = k.pad_right;
  const int oh = L.geometry.out_h(k.h), ow = L.geometry.out_w(k.w);
  const int taps = k.kh * k.kw;

  golden::ConvWeights& w = L.weights;
  w.out_channels = k.out_c;
  w.kernel_h = k.kh;
  w.kernel_w = k.kw;
  w.in_channels = k.c;
  w.data.resize(static_cast<size_t>(k.out_c) * taps * k.c);
  std::uniform_int_distribution<int> wd(-127, 127);
  for (auto& v : w.data) v = static_cast<int8_t>(wd(rng));
  std::uniform_int_distribution<int> bd(-20000, 20000);
  std::uniform_real_distribution<float> sd(0.5f, 2.0f);
  w.bias.resize(k.out_c);
  w.scales.resize(k.out_c);
  for (int o = 0; o < k.out_c; ++o) {
    w.bias[o] = bd(rng);
    w.scales[o] = 0.01f * sd(rng);
  }
  // Output scale so that outputs spread over int8 (and some saturate): the accumulator's
  // spread is about sqrt(K) * 74 * 73.
  const float acc_scale = 0.05f * 0.01f * std::sqrt(float(taps * k.c)) * 74.0f * 73.0f;
  const golden::QuantParams out_q{acc_scale / 40.0f, zp(rng)};
  const bool relu = coin(rng) != 0;
  golden::Tensor conv_out = k.fully_connected ? golden::fully_connected(L.input, w, out_q, relu)
                                              : golden::conv2d(L.input, w, L.geometry, out_q, relu);

  // Job configuration.
  DpJob& j = L.job;
  j.in_h = k.h;
  j.in_w = k.w;
  j.in_groups = ceil_div(k.c, R);
  j.slot = std::min(k.c, R);
  j.taps_per_chunk = R / j.slot;
  j.in_zp = L.input.quant.zero_point;
  j.kernel_h = k.kh;
  j.kernel_w = k.kw;
  j.stride_h = k.sh;
  j.stride_w = k.sw;
  j.pad_top = k.pad_top;
  j.pad_left = k.pad_left;
  j.out_h = oh;
  j.out_w = ow;
  j.pixels = oh * ow;
  j.kchunks = ceil_div(taps, j.taps_per_chunk) * j.in_groups;
  j.ntiles = ceil_div(k.out_c, Cc);
  j.mblock = k.mblock > 0 ? std::min(k.mblock, hw.acc_depth) : hw.acc_depth;
  j.mblocks = ceil_div(j.pixels, j.mblock);
  j.w_words = j.ntiles * j.kchunks * R;
  j.out_groups = j.ntiles;
  j.out_base = 0;
  j.res_base = j.pixels * j.out_groups;  // behind the output, same bank
  j.zp = out_q.zero_point;
  j.relu = relu;
  require(k.h * k.w * j.in_groups <= hw.act_depth, k, "input", "does not fit an activation bank");
  require(j.res_base * (k.residual ? 2 : 1) <= hw.act_depth, k, "output",
          "does not fit an activation bank");
  require(j.w_words <= hw.wgt_depth, k, "weights", "do not fit a weight bank");

  L.act_words = tensor_words(L.input, R);

  // Weights exactly as the driver packs them (sw/compiler/conv_packing.h): per N-tile, per
  // K-chunk, Rows words of Cols bytes, bottom row first.
  const std::vector<uint8_t> packed = compiler::pack_conv_weights(w, R, Cc);
  for (size_t at = 0; at < packed.size(); at += static_cast<size_t>(Cc))
    L.w_words.emplace_back(packed.begin() + static_cast<std::ptrdiff_t>(at),
                           packed.begin() + static_cast<std::ptrdiff_t>(at) + Cc);
  require(static_cast<int>(L.w_words.size()) == j.w_words, k, "weights",
          "driver packing size differs from the job");

  // PPU table: bias with -zp_in * sum(w) folded in (docs/ppu.md), golden's multipliers.
  const golden::Requantizer rq =
      golden::Requantizer::for_conv(L.input.quant.scale, w.scales, out_q, relu);
  for (int o = 0; o < k.out_c; ++o) {
    int64_t sum = 0;
    for (int i = 0; i < taps * k.c; ++i) sum += w.data[static_cast<size_t>(o) * taps * k.c + i];
    DpParam p;
    p.bias = static_cast<int32_t>(w.bias[o] - int64_t{j.in_zp} * sum);
    p.mult = rq.per_channel[o].multiplier;
    p.shift = rq.per_channel[o].shift;
    L.params.push_back(p);
  }

  L.expected = conv_out;
  if (k.residual) {
    L.residual = dp_random_tensor(conv_out.shape, {conv_out.quant.scale * sd(rng), zp(rng)}, rng);
    const golden::QuantParams add_q{conv_out.quant.scale * 1.5f, zp(rng)};
    const bool add_relu = coin(rng) != 0;
    j.mode = 1;
    j.add = golden::AddParams::make(conv_out.quant, L.residual.quant, add_q, add_relu);
    L.expected = golden::add(conv_out, L.residual, add_q, add_relu);
    L.res_words.assign(static_cast<size_t>(j.pixels) * j.out_groups, std::vector<uint8_t>(Cc, 0));
    for (int m = 0; m < j.pixels; ++m)
      for (int o = 0; o < k.out_c; ++o)
        L.res_words[static_cast<size_t>(m * j.out_groups + o / Cc)][o % Cc] =
            static_cast<uint8_t>(L.residual.data[static_cast<size_t>(m) * k.out_c + o]);
  }
  L.macs = int64_t{j.pixels} * k.out_c * taps * k.c;
  return L;
}

}  // namespace npu::test_support
