// Per-layer tiling: a layer runs as jobs, each a band of output rows x a block of N-tiles,
// with its input band (plus halo), weights, PPU table and residual loaded into on-chip regions
// and its output stored back. The search tries every distinct band height and N-block size, both
// loop orders and single or double buffering, keeps those that fit the banks, the PPU table and
// the command fields, and picks the fewest cycles by a three-engine schedule of the jobs (load,
// compute, store run concurrently, gated by the same buffer dependencies the stream encodes).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sw/compiler/program.h"
#include "sw/compiler/target.h"

namespace npu::compiler {

enum class JobKind { kConv, kMaxPool, kAvgPool, kGlobalAvgPool };

// A hardware layer's geometry in the terms the tiler needs.
struct LayerShape {
  std::string name;  // for messages
  JobKind kind = JobKind::kConv;
  int h = 1, w = 1, c = 1;    // input
  int oh = 1, ow = 1, o = 1;  // output (pools: o = c)
  int kh = 1, kw = 1, sh = 1, sw = 1, pt = 0, pl = 0, pb = 0, pr = 0;
  bool residual = false;
};

// One job of a tiling and the buffers it uses.
struct JobPlan {
  int oy0 = 0, oy1 = 0;      // output rows [oy0, oy1)
  int n0 = 0, nb = 0;        // N-tiles [n0, n0 + nb) (pools: all word groups)
  int in_lo = 0, in_hi = 0;  // input rows loaded
  int pad_top = 0, pad_bottom = 0;
  int in_region = 0, w_bank = 0, out_region = 0;
  bool load_input = false, load_weights = false, load_table = false;
  int dep_input = -1, dep_weights = -1, dep_table = -1, dep_residual = -1, out_prev_job = -1;
  int64_t in_words = 0, out_words = 0, w_words = 0;
  int64_t compute_cycles = 0;
};

struct LayerPlan {
  Tiling tiling;
  std::vector<JobPlan> jobs;
  int in_region_words = 0, out_region_words = 0, out_cap_words = 0;  // region sizes
};

// Derived per-layer constants.
int kchunks_of(const LayerShape& s, const Target& t);

// The best tiling of `s` on `t` (throws CompileError, compiler.h, naming the layer and the limit).
LayerPlan plan_layer(const LayerShape& s, const Target& t);

// The jobs of one given tiling (empty if it does not fit; `why` then says why).
LayerPlan plan_with(const LayerShape& s, const Target& t, const Tiling& tiling, std::string* why);

}  // namespace npu::compiler
