// One job for the datapath bench: a conv / FC layer (the golden layer with random tensors,
// weights and quantization, what software puts into the scratchpads for it: the packed
// activation and weight layouts, the folded bias and requantization table) or a pooling job
// (docs/architecture.md, "Datapath"), the job configuration, and the golden output.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "golden/add.h"
#include "golden/conv2d.h"
#include "golden/tensor.h"

namespace npu::test_support {

// The layer to run.
struct DpCase {
  std::string name;
  int h = 8, w = 8, c = 16, out_c = 16;
  int kh = 3, kw = 3, sh = 1, sw = 1;
  int pad_top = 1, pad_left = 1, pad_bottom = 1, pad_right = 1;
  bool fully_connected = false;  // golden::fully_connected on an h = w = 1 input
  bool residual = false;         // fused residual add (PPU mode 1)
  int mblock = 0;                // pixels per M-block; 0: as many as the accumulator holds
};

// Hardware sizes the plan depends on.
struct DpHw {
  int rows = 16, cols = 16;
  int act_depth = 8192, wgt_depth = 4096, acc_depth = 512;
};

// PPU table entry of one output channel.
struct DpParam {
  int32_t bias = 0, mult = 0;
  int shift = 0;
};

// Job configuration (the datapath's cfg_* ports) as the control unit will compute it. A conv
// job leaves the pool fields at 0; a pool job uses the in_*, geometry, pool and out_bank /
// out_base fields only.
struct DpJob {
  bool pool = false;  // cfg_job_i
  int in_bank = 0, in_base = 0, in_h = 0, in_w = 0, in_groups = 0, slot = 0, taps_per_chunk = 0;
  int in_zp = 0;
  int in_row_words = 0;  // pool: W * G
  int kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, pad_top = 0, pad_left = 0;
  int pad_bottom = 0, pad_right = 0;  // pool only
  int pool_mode = 0;                  // 0 max, 1 avg, 2 global avg
  int out_h = 0, out_w = 0, pixels = 0;
  int kchunks = 0, ntiles = 0, mblock = 0, mblocks = 0;
  int w_bank = 0, w_base = 0, w_words = 0;
  int out_bank = 1, out_base = 0, out_groups = 0;
  int res_bank = 1, res_base = 0;
  int mode = 0, zp = 0;
  bool relu = false;
  golden::AddParams add;
};

struct DpLayer {
  DpCase kase;
  DpHw hw;
  golden::Tensor input, residual, expected;  // expected: the golden output
  golden::ConvWeights weights;
  golden::ConvGeometry geometry;
  DpJob job;
  std::vector<std::vector<uint8_t>> act_words;  // input, one word (rows bytes) per address
  std::vector<std::vector<uint8_t>> res_words;  // residual words (residual cases)
  std::vector<std::vector<uint8_t>> w_words;    // weight words (cols bytes), consumption order
  std::vector<DpParam> params;                  // per output channel
  int64_t macs = 0;                             // real multiply-adds of the layer

  std::string describe() const;
};

// A pooling job on a tensor that is already in (or preloaded into) an activation bank.
enum class DpPoolKind { kMax = 0, kAvg = 1, kGlobalAvg = 2 };

struct DpPoolCase {
  std::string name;
  DpPoolKind kind = DpPoolKind::kMax;
  int k = 3, s = 2, pad = 1;  // square window, stride, padding on every side; not for global
};

// Where the pool job's input and output live (words of Rows bytes).
struct DpPoolPlace {
  int in_bank = 1, in_base = 0, out_bank = 0, out_base = 0;
};

struct DpPoolLayer {
  DpPoolCase kase;
  DpHw hw;
  golden::Tensor input, expected;  // expected: golden max_pool / avg_pool / global_avg_pool
  golden::ConvGeometry geometry;
  DpJob job;
  std::vector<std::vector<uint8_t>> act_words;  // input words to preload (empty: already there)
  int out_words = 0;                            // output words the job writes
  int64_t ideal_cycles = 0;  // one tap per cycle, average words at least 8 (the divider)

  std::string describe() const;
};

// Builds the pool job of `kase` on `input` (NHWC, ceil(C / rows) words per pixel) at `place`.
// With preload, the input words are returned for the bench to write first; without, the input
// must already be in the bank (e.g. the previous conv job's output). Throws
// std::invalid_argument naming the case and the field when it does not fit.
DpPoolLayer make_dp_pool(const DpPoolCase& kase, const golden::Tensor& input, const DpHw& hw,
                         const DpPoolPlace& place, bool preload);

// A random int8 tensor (uniform over [-128, 127]).
golden::Tensor dp_random_tensor(golden::Shape s, golden::QuantParams q, std::mt19937_64& rng);

// Builds a random layer of `kase` for `hw` (throws std::invalid_argument naming the case and
// the field if it does not fit the hardware or the job format).
DpLayer make_dp_layer(const DpCase& kase, const DpHw& hw, std::mt19937_64& rng);

// The K ordering, exposed for the unit test: lane r of K-chunk kc of the layer maps to
// (tap, input channel), or tap = -1 for an unused lane.
struct DpLaneSource {
  int tap = -1, channel = -1;
};
DpLaneSource dp_lane_source(const DpJob& job, int rows, int taps, int channels, int kc, int lane);

}  // namespace npu::test_support
