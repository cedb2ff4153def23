#include "tb/ppu/ppu_layer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace npu::tb {

namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();

int32_t wrap(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }

int32_t clamp32(long double v) {
  if (v <= static_cast<long double>(kMin)) return kMin;
  if (v >= static_cast<long double>(kMax)) return kMax;
  return static_cast<int32_t>(std::llround(v));
}

}  // namespace

const char* to_string(PpuMode mode) {
  switch (mode) {
    case PpuMode::kConv:
      return "conv";
    case PpuMode::kConvAdd:
      return "conv+add";
    case PpuMode::kAdd:
      return "add";
  }
  return "?";
}

std::string PpuLayer::describe() const {
  std::ostringstream s;
  s << to_string(mode) << ", " << channels() << " channels, zp " << zero_point << ", relu " << relu;
  if (uses_residual()) {
    s << "; add: zp_a " << add.a_zero_point << ", zp_b " << add.b_zero_point << ", zp_out "
      << add.output_zero_point << ", a " << add.a_multiplier.multiplier << "/"
      << add.a_multiplier.shift << ", b " << add.b_multiplier.multiplier << "/"
      << add.b_multiplier.shift << ", out " << add.output_multiplier.multiplier << "/"
      << add.output_multiplier.shift << ", relu " << add.relu;
  }
  return s.str();
}

PpuReference::PpuReference(const PpuLayer& layer) : layer_(layer) {
  requant_.output_zero_point = layer.zero_point;
  requant_.relu = layer.relu;
  requant_.per_channel.reserve(layer.table.size());
  for (const PpuChannel& ch : layer.table) {
    requant_.per_channel.push_back({ch.multiplier, ch.shift});
  }
}

int8_t PpuReference::conv_output(int channel, int32_t acc) const {
  const int32_t bias = layer_.table.at(static_cast<std::size_t>(channel)).bias;
  return requant_.apply(wrap(int64_t{acc} + bias), channel);
}

int8_t PpuReference::output(int channel, int32_t acc, int8_t residual) const {
  switch (layer_.mode) {
    case PpuMode::kConv:
      return conv_output(channel, acc);
    case PpuMode::kConvAdd:
      return layer_.add.apply(conv_output(channel, acc), residual);
    case PpuMode::kAdd:
      return layer_.add.apply(static_cast<int8_t>(acc & 0xff), residual);
  }
  throw std::logic_error("PpuReference: bad mode");
}

const std::vector<int32_t>& int32_edges() {
  static const std::vector<int32_t> edges = {kMin, kMin + 1, -(1 << 30), -2,       -1,  0,
                                             1,    2,        1 << 30,    kMax - 1, kMax};
  return edges;
}

int PpuStimulus::uniform(int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng_);
}

bool PpuStimulus::chance(double p) { return std::bernoulli_distribution(p)(rng_); }

int32_t PpuStimulus::multiplier() {
  const int pick = uniform(0, 99);
  if (pick < 10) return 1 << 30;
  if (pick < 20) return kMax;
  if (pick < 25) return 0;
  if (pick < 30) return kMin;
  if (pick < 33) return 1;
  if (pick < 35) return -1;
  if (pick < 80) return std::uniform_int_distribution<int32_t>(1 << 30, kMax)(rng_);
  return std::uniform_int_distribution<int32_t>(kMin, kMax)(rng_);
}

int PpuStimulus::shift() {
  const int pick = uniform(0, 99);
  if (pick < 40) return uniform(-31, 30);
  if (pick < 80) return uniform(-12, 0);
  if (pick < 90) return uniform(20, 30);
  return uniform(-31, -25);
}

int32_t PpuStimulus::bias() {
  const int pick = uniform(0, 99);
  if (pick < 20) return 0;
  if (pick < 60) return uniform(-(1 << 15), 1 << 15);
  if (pick < 80) return uniform(-(1 << 24), 1 << 24);
  if (pick < 85) return int32_edges()[static_cast<std::size_t>(uniform(0, 10))];
  return std::uniform_int_distribution<int32_t>(kMin, kMax)(rng_);
}

PpuChannel PpuStimulus::channel() { return {bias(), multiplier(), shift()}; }

PpuChannel PpuStimulus::realistic_channel() {
  // input_scale * weight_scale / output_scale of real layers: about 2^-14 .. 2^-4.
  const double real =
      std::ldexp(std::uniform_real_distribution<double>(1.0, 2.0)(rng_), uniform(-15, -5));
  const golden::QuantizedMultiplier q = golden::quantize_multiplier(real);
  return {uniform(-(1 << 16), 1 << 16), q.multiplier, q.shift};
}

golden::AddParams PpuStimulus::add_params_from_scales() {
  // Scales of a real residual add: the two inputs within a factor 4 of each other, the
  // output a little coarser than the larger one, so that results spread over int8.
  std::uniform_real_distribution<double> log_scale(-10.0, 0.0);
  std::uniform_real_distribution<double> ratio(-2.0, 2.0);
  std::uniform_real_distribution<double> growth(-0.5, 1.5);
  for (;;) {
    const double sa = std::exp2(log_scale(rng_));
    const double sb = sa * std::exp2(ratio(rng_));
    const double so = std::max(sa, sb) * std::exp2(growth(rng_));
    const golden::QuantParams a{static_cast<float>(sa), uniform(-128, 127)};
    const golden::QuantParams b{static_cast<float>(sb), uniform(-128, 127)};
    const golden::QuantParams out{static_cast<float>(so), uniform(-128, 127)};
    try {
      return golden::AddParams::make(a, b, out, chance(0.5));
    } catch (const std::invalid_argument&) {
      // Output scale too small for the inputs: draw again.
    }
  }
}

golden::AddParams PpuStimulus::add_params_arbitrary() {
  golden::AddParams p;
  p.a_zero_point = uniform(-128, 127);
  p.b_zero_point = uniform(-128, 127);
  p.output_zero_point = uniform(-128, 127);
  p.a_multiplier = {multiplier(), chance(0.5) ? uniform(-3, 0) : uniform(-31, 0)};
  p.b_multiplier = {multiplier(), chance(0.5) ? uniform(-3, 0) : uniform(-31, 0)};
  // Half of the output factors undo the 2^20 of the input shift, so results spread over int8.
  const int out_shift =
      chance(0.5) ? uniform(-20, -16) : (chance(0.7) ? uniform(-31, 0) : uniform(1, 30));
  p.output_multiplier = {multiplier(), out_shift};
  p.relu = chance(0.5);
  return p;
}

PpuLayer PpuStimulus::layer(PpuMode mode, int channels, bool realistic) {
  PpuLayer layer;
  layer.mode = mode;
  layer.table.reserve(static_cast<std::size_t>(channels));
  for (int c = 0; c < channels; ++c) {
    layer.table.push_back(realistic ? realistic_channel() : channel());
  }
  layer.zero_point = uniform(-128, 127);
  layer.relu = chance(0.5);
  if (mode != PpuMode::kConv) {
    layer.add = (realistic || chance(0.6)) ? add_params_from_scales() : add_params_arbitrary();
  }
  return layer;
}

int32_t PpuStimulus::accumulator(const PpuChannel& ch, bool realistic, int zero_point) {
  // Realistic results before the zero point: int8 after it, give or take 20.
  const int lo = -148 - zero_point, hi = 147 - zero_point;
  const int left = ch.shift > 0 ? ch.shift : 0;
  const int right = ch.shift > 0 ? 0 : -ch.shift;
  int32_t total = 0;  // acc + bias
  const int pick = uniform(0, 99);
  if (realistic ? pick < 60 : pick < 25) {
    // A sum of a real layer: one that requantizes to about lo..hi, so most results land
    // inside int8 and only some saturate.
    const long double real =
        static_cast<long double>(ch.multiplier) * std::ldexp(1.0L, ch.shift - 31);
    if (real != 0.0L) {
      total = clamp32(uniform(lo, hi) / real + uniform(-3, 3));
    } else {
      total = uniform(-(1 << 16), 1 << 16);
    }
  } else if ((realistic ? pick < 95 : pick < 55) && ch.multiplier != 0) {
    // Next to a rounding tie: SRDHM lands on k * 2^right + 2^(right - 1) (+-1), or, without a
    // right shift, its own product sits half-way (+-1); for x = total << left. The result
    // is about k: a realistic layer keeps it inside int8.
    const int mag = uniform(0, std::max(0, 30 - right));
    const long double k =
        static_cast<long double>(realistic ? uniform(lo, hi) : uniform(-(1 << mag), 1 << mag));
    const long double target =
        right > 0 ? k * std::ldexp(1.0L, right) + std::ldexp(1.0L, right - 1) + uniform(-1, 1)
                  : k + 0.5L;
    const long double x = target * std::ldexp(1.0L, 31) / static_cast<long double>(ch.multiplier);
    total = clamp32(x / std::ldexp(1.0L, left) + uniform(-1, 1));
  } else if (pick < 65 && left > 0) {
    // The saturating left shift's boundaries: +-2^(31 - left) and their neighbours.
    const int64_t edge = int64_t{1} << (31 - left);
    total = wrap((chance(0.5) ? edge : -edge) + uniform(-2, 2));
  } else if (pick < 80) {
    total = int32_edges()[static_cast<std::size_t>(uniform(0, 10))];
  } else if (pick < 85) {
    // Edges of the accumulator itself, before the bias.
    return int32_edges()[static_cast<std::size_t>(uniform(0, 10))];
  } else {
    return std::uniform_int_distribution<int32_t>(kMin, kMax)(rng_);
  }
  return wrap(int64_t{total} - ch.bias);
}

int8_t PpuStimulus::int8_value() {
  if (chance(0.1)) {
    static const int8_t edges[] = {-128, -127, -1, 0, 1, 127};
    return edges[uniform(0, 5)];
  }
  return static_cast<int8_t>(uniform(-128, 127));
}

std::vector<PpuBeat> PpuStimulus::beats(const PpuLayer& layer, int lanes, int pixels,
                                        bool realistic) {
  const int groups = (layer.channels() + lanes - 1) / lanes;
  std::vector<int> order(static_cast<std::size_t>(groups));
  std::vector<PpuBeat> out;
  out.reserve(static_cast<std::size_t>(pixels) * groups);
  for (int p = 0; p < pixels; ++p) {
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng_);
    for (const int g : order) {
      PpuBeat beat;
      beat.pixel = p;
      beat.group = g;
      for (int l = 0; l < lanes; ++l) {
        const int c = g * lanes + l;
        int32_t acc = 0;
        if (layer.mode == PpuMode::kAdd) {
          // Input a in the low byte; the upper bits must be ignored, so fill them randomly.
          acc = static_cast<int32_t>((static_cast<uint32_t>(uniform(0, 0xffffff)) << 8) |
                                     static_cast<uint8_t>(int8_value()));
        } else if (c < layer.channels()) {
          acc = accumulator(layer.table[static_cast<std::size_t>(c)], realistic, layer.zero_point);
        } else {
          acc = std::uniform_int_distribution<int32_t>(kMin, kMax)(rng_);  // unused lane
        }
        beat.acc.push_back(acc);
        if (layer.uses_residual()) beat.residual.push_back(int8_value());
      }
      out.push_back(std::move(beat));
    }
  }
  return out;
}

}  // namespace npu::tb
