// What the post-processing unit bench feeds npu_ppu, and what golden says must come out:
// one layer's configuration and parameter table, its beats (one pixel's accumulators for one
// channel group), and constrained-random generators for both. No Verilator here, so the
// generators and the reference are tested on their own (ppu_layer_test.cpp).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "golden/add.h"
#include "golden/requantize.h"

namespace npu::tb {

// cfg_mode_i encoding of rtl/npu_ppu.sv.
enum class PpuMode : int { kConv = 0, kConvAdd = 1, kAdd = 2 };
const char* to_string(PpuMode mode);

struct PpuChannel {
  int32_t bias = 0;        // bias - zp_in * sum(w), as the driver folds it
  int32_t multiplier = 0;  // Q31
  int shift = 0;           // -31..30
};

struct PpuLayer {
  PpuMode mode = PpuMode::kConv;
  std::vector<PpuChannel> table;  // channel c at index c; size = output channels
  int32_t zero_point = 0;         // conv output
  bool relu = false;              // conv output
  golden::AddParams add;          // kConvAdd and kAdd

  int channels() const { return static_cast<int>(table.size()); }
  bool uses_residual() const { return mode != PpuMode::kConv; }
  std::string describe() const;
};

struct PpuBeat {
  int pixel = 0;
  int group = 0;                 // channels group * lanes .. group * lanes + lanes - 1
  std::vector<int32_t> acc;      // per lane; kAdd: bits 7..0 carry input a
  std::vector<int8_t> residual;  // per lane; empty for kConv
};

// The contract: golden Requantizer::apply on the wrapping int32 sum acc + bias (exact for
// every layer golden accepts, see docs/ppu.md), then golden AddParams::apply.
class PpuReference {
 public:
  explicit PpuReference(const PpuLayer& layer);
  int8_t conv_output(int channel, int32_t acc) const;  // before the add (input a)
  int8_t output(int channel, int32_t acc, int8_t residual) const;

 private:
  const PpuLayer& layer_;
  golden::Requantizer requant_;
};

// Edge values of the int32 datapath.
const std::vector<int32_t>& int32_edges();

// Constrained-random layers and beats. Every draw comes from the one generator, so a seed
// reproduces a whole test.
class PpuStimulus {
 public:
  explicit PpuStimulus(uint64_t seed) : rng_(seed) {}

  std::mt19937_64& rng() { return rng_; }
  int uniform(int lo, int hi);  // inclusive
  bool chance(double p);

  // Multipliers over the whole int32 range with the special ones weighted up: 2^30,
  // 2^31 - 1, 0, INT32_MIN, +-1, TFLite's [2^30, 2^31).
  int32_t multiplier();
  int shift();  // -31..30, typical right shifts and saturating left shifts weighted up
  int32_t bias();
  PpuChannel channel();
  // A channel as a real conv layer has: multiplier from a real scale, small bias.
  PpuChannel realistic_channel();

  // AddParams::make from random scales and zero points (retried until make accepts them).
  golden::AddParams add_params_from_scales();
  // Any multipliers, input shifts -31..0, output shift -31..30: beyond what make builds.
  golden::AddParams add_params_arbitrary();

  PpuLayer layer(PpuMode mode, int channels, bool realistic);

  // Accumulator (without bias) for a channel: edges, full range, realistic sums, values
  // whose rounding is a tie or next to one, saturating-left-shift boundaries. Realistic
  // ones mostly requantize into int8 with the given output zero point.
  int32_t accumulator(const PpuChannel& ch, bool realistic, int zero_point = 0);
  int8_t int8_value();

  // `pixels` pixels, each with every channel group of the layer once, in random order.
  std::vector<PpuBeat> beats(const PpuLayer& layer, int lanes, int pixels, bool realistic);

 private:
  std::mt19937_64 rng_;
};

}  // namespace npu::tb
