#include "sw/compiler/layer_tiling.h"

#include <algorithm>
#include <limits>
#include <set>
#include <sstream>

#include "sw/compiler/compiler.h"
#include "sw/compiler/conv_packing.h"
#include "sw/compiler/tensor_layout.h"

namespace npu::compiler {
namespace {

constexpr int kField16 = 65535;  // 16-bit command fields (bases, sizes, w_words)
constexpr int kField8 = 255;     // 8-bit command fields (groups, N-tiles)
constexpr int kMaxPad = 7;       // 3-bit padding nibbles
constexpr int kPoolMaxTaps = 4096;
constexpr int64_t kDmaLatency = 40;  // cycles a descriptor costs beyond its beats (model)
constexpr int64_t kJobFixed = 27;    // start, PPU pipeline and write-back (model)

bool is_pool(const LayerShape& s) { return s.kind != JobKind::kConv; }

int in_groups(const LayerShape& s, const Target& t) { return word_groups(s.c, t.rows); }

int out_groups(const LayerShape& s, const Target& t) {
  return is_pool(s) ? in_groups(s, t) : ceil_div(s.o, t.cols);
}

int64_t job_compute_cycles(const LayerShape& s, const Target& t, const JobPlan& j) {
  const int64_t pixels = int64_t{j.oy1 - j.oy0} * s.ow;
  if (is_pool(s)) {
    const int64_t words = pixels * in_groups(s, t);
    int64_t taps = int64_t{s.kh} * s.kw;
    if (s.kind == JobKind::kAvgPool) taps = std::max<int64_t>(taps, 8);
    if (s.kind == JobKind::kGlobalAvgPool) taps = std::max<int64_t>(int64_t{s.h} * s.w, 8);
    return words * taps + 5;
  }
  const KPacking kp = KPacking::of(s.c, s.kh * s.kw, t.rows);
  const int64_t mblock = std::min<int64_t>(t.acc_depth, pixels);
  const int64_t vc = kp.taps_per_chunk > 1 ? kp.taps_per_chunk : 1;
  const int64_t full = pixels / mblock, rem = pixels % mblock;
  int64_t per_tile = full * std::max<int64_t>(mblock * vc, t.rows);
  if (rem > 0) per_tile += std::max<int64_t>(rem * vc, t.rows);
  return int64_t{j.nb} * kp.kchunks * per_tile + 2 * t.rows + t.cols + kJobFixed +
         (rem > 0 ? rem : mblock);
}

// Three-engine list schedule of the jobs (see the header): returns total cycles, sets bytes.
int64_t schedule(const LayerShape& s, const Target& t, const LayerPlan& p, int64_t* dram_bytes) {
  const int64_t bw = t.bus_bytes();
  const int n = static_cast<int>(p.jobs.size());
  std::vector<int64_t> compute_done(n, 0), store_done(n, 0);
  int64_t load_free = 0, compute_free = 0, store_free = 0, bytes = 0;
  const int64_t R = t.rows;
  for (int i = 0; i < n; ++i) {
    const JobPlan& j = p.jobs[i];
    std::vector<std::pair<int, int64_t>> loads;  // (dependency, bytes)
    if (j.load_input) loads.emplace_back(j.dep_input, j.in_words * R);
    if (j.load_weights) loads.emplace_back(j.dep_weights, j.w_words * t.cols);
    if (j.load_table) loads.emplace_back(j.dep_table, int64_t{j.nb} * t.cols * kPpuRecordBytes);
    if (s.residual) loads.emplace_back(j.dep_residual, j.out_words * R);
    std::sort(loads.begin(), loads.end());
    int64_t ready = 0;
    for (const auto& [dep, b] : loads) {
      const int64_t start = std::max(load_free, dep >= 0 ? compute_done[dep] : 0);
      load_free = start + kDmaLatency + (b + bw - 1) / bw;
      ready = load_free;
      bytes += b;
    }
    const int64_t cs =
        std::max({compute_free, ready, j.out_prev_job >= 0 ? store_done[j.out_prev_job] : 0});
    compute_done[i] = compute_free = cs + j.compute_cycles;
    const int64_t out_b = j.out_words * R;
    store_done[i] = store_free =
        std::max(store_free, compute_done[i]) + kDmaLatency + (out_b + bw - 1) / bw;
    bytes += out_b;
  }
  *dram_bytes = bytes;
  return store_free;
}

// Distinct values of ceil(total / k) for k = 1..total, largest first.
std::vector<int> block_sizes(int total) {
  std::set<int, std::greater<int>> v;
  for (int k = 1; k <= total; ++k) v.insert(ceil_div(total, k));
  return {v.begin(), v.end()};
}

}  // namespace

std::string Tiling::describe() const {
  std::ostringstream o;
  o << bands << " band" << (bands == 1 ? "" : "s") << " x " << band_rows << " rows, " << nblocks
    << " N-block" << (nblocks == 1 ? "" : "s") << " x " << nblock << ", "
    << (n_outer ? "N outer" : "bands outer") << ", in x" << in_buffers << ", out x" << out_buffers;
  return o.str();
}

int kchunks_of(const LayerShape& s, const Target& t) {
  return is_pool(s) ? 1 : KPacking::of(s.c, s.kh * s.kw, t.rows).kchunks;
}

namespace {

// The limits a tiling must respect before any job is cut (buffers, bank depths, the 8/16-bit
// command fields, the PPU table); "" when it respects them. Fills p's region sizes.
std::string tiling_limits(const LayerShape& s, const Target& t, const Tiling& tiling,
                          LayerPlan& p) {
  const int R = t.rows;
  const int G = in_groups(s, t), NT = out_groups(s, t);
  const int bh = tiling.band_rows, nb = tiling.nblock;
  p.in_region_words = t.act_depth / tiling.in_buffers;
  p.out_region_words = t.act_depth / tiling.out_buffers;
  p.out_cap_words = bh * s.ow * nb;
  // A pool job reads only its block of channel groups (a strided load), a conv job all of them.
  const int in_job_groups = is_pool(s) ? nb : G;
  if (in_job_groups > kField8)
    return "input channels need " + std::to_string(in_job_groups) +
           " words per pixel, the command field holds 255";
  if (nb > kField8)
    return "an N-block of " + std::to_string(nb) + " N-tiles exceeds the 8-bit field";
  if (int64_t{p.out_cap_words} * (s.residual ? 2 : 1) > p.out_region_words)
    return "output tile of " + std::to_string(p.out_cap_words) + " words" +
           (s.residual ? " (x2 with the residual)" : "") + " exceeds an output region of " +
           std::to_string(p.out_region_words) + " words";
  if (!is_pool(s)) {
    const int64_t w_words = int64_t{nb} * kchunks_of(s, t) * R;
    if (w_words > t.wgt_depth || w_words > kField16)
      return "weights of " + std::to_string(nb) + " N-tile(s) need " + std::to_string(w_words) +
             " words, a weight bank holds " + std::to_string(std::min(t.wgt_depth, kField16));
    if (nb * t.cols > t.ppu_channels)
      return "an N-block of " + std::to_string(nb * t.cols) + " channels exceeds the PPU table (" +
             std::to_string(t.ppu_channels) + ")";
  }
  if (s.kind == JobKind::kGlobalAvgPool && (bh != s.oh || int64_t{s.h} * s.w > kPoolMaxTaps))
    return "global average needs the whole input in one job and H * W <= 4096";
  if (int64_t{s.w} * in_job_groups > kField16)
    return "an input row of " + std::to_string(s.w * in_job_groups) +
           " words exceeds the 16-bit field";
  if (is_pool(s) && ceil_div(NT, nb) > 1 && int64_t{s.h} * s.w > kField16)
    return "a strided load of " + std::to_string(int64_t{s.h} * s.w) +
           " pixels exceeds the 16-bit count";
  return "";
}

// The input rows job `j` (output rows oy0..oy1) reads, with the padding it needs at the image
// edges.
void input_rows(const LayerShape& s, JobPlan& j) {
  if (s.kind == JobKind::kGlobalAvgPool) {
    j.in_lo = 0;
    j.in_hi = s.h;
    return;
  }
  const int lo = j.oy0 * s.sh - s.pt, hi = (j.oy1 - 1) * s.sh - s.pt + s.kh;
  j.in_lo = std::max(0, lo);
  j.in_hi = std::min(s.h, hi);
  j.pad_top = j.in_lo - lo;
  j.pad_bottom = hi - j.in_hi;
}

// Which input band, weight block and PPU table block is in which buffer, and which job read
// each buffer last: a job reuses what is already there, loads the rest into the next buffer
// and depends on that buffer's last reader; output regions rotate.
class BufferTracker {
 public:
  explicit BufferTracker(const Tiling& tiling)
      : in_key_(tiling.in_buffers, -1),
        in_reader_(tiling.in_buffers, -1),
        out_user_(tiling.out_buffers, -1) {}

  // `key` says what the input region holds (a band, or a band and channel block for pools).
  void place_input(int i, int key, JobPlan& j) {
    auto it = std::find(in_key_.begin(), in_key_.end(), key);
    if (it != in_key_.end()) {
      j.in_region = static_cast<int>(it - in_key_.begin());
    } else {
      j.in_region = in_next_;
      in_next_ = (in_next_ + 1) % static_cast<int>(in_key_.size());
      j.load_input = true;
      j.dep_input = in_reader_[j.in_region];
      in_key_[j.in_region] = key;
    }
    in_reader_[j.in_region] = i;
  }

  void place_weights_and_table(int i, int block, JobPlan& j) {
    if (w_block_[0] == block || w_block_[1] == block) {
      j.w_bank = w_block_[0] == block ? 0 : 1;
    } else {
      j.w_bank = w_next_;
      w_next_ ^= 1;
      j.load_weights = true;
      j.dep_weights = w_reader_[j.w_bank];
      w_block_[j.w_bank] = block;
    }
    w_reader_[j.w_bank] = i;
    if (table_block_ != block) {
      j.load_table = true;
      j.dep_table = table_reader_;
      table_block_ = block;
    }
    table_reader_ = i;
  }

  void place_output(int i, JobPlan& j) {
    j.out_region = i % static_cast<int>(out_user_.size());
    j.out_prev_job = out_user_[j.out_region];
    j.dep_residual = out_user_[j.out_region];  // its compute read the previous residual there
    out_user_[j.out_region] = i;
  }

 private:
  std::vector<int> in_key_, in_reader_;
  int in_next_ = 0;
  int w_block_[2] = {-1, -1}, w_reader_[2] = {-1, -1}, w_next_ = 0;
  int table_block_ = -1, table_reader_ = -1;
  std::vector<int> out_user_;
};

}  // namespace

LayerPlan plan_with(const LayerShape& s, const Target& t, const Tiling& tiling, std::string* why) {
  auto fail = [&](const std::string& m) {
    if (why) *why = m;
    return LayerPlan{};
  };
  LayerPlan p;
  p.tiling = tiling;
  if (const std::string limit = tiling_limits(s, t, tiling, p); !limit.empty()) return fail(limit);
  const int R = t.rows;
  const int G = in_groups(s, t), NT = out_groups(s, t);
  const int bh = tiling.band_rows, nb = tiling.nblock;
  const int kchunks = kchunks_of(s, t);
  const int bands = ceil_div(s.oh, bh), nblocks = ceil_div(NT, nb);
  p.tiling.bands = bands;
  p.tiling.nblocks = nblocks;
  BufferTracker buffers(tiling);
  const int outer = tiling.n_outer ? nblocks : bands, inner = tiling.n_outer ? bands : nblocks;
  for (int a = 0; a < outer; ++a) {
    for (int b = 0; b < inner; ++b) {
      const int band = tiling.n_outer ? b : a, block = tiling.n_outer ? a : b;
      const int in_key = is_pool(s) ? band * nblocks + block : band;  // what the input region holds
      const int i = static_cast<int>(p.jobs.size());
      JobPlan j;
      j.oy0 = band * bh;
      j.oy1 = std::min(s.oh, j.oy0 + bh);
      j.n0 = block * nb;
      j.nb = std::min(nb, NT - j.n0);
      input_rows(s, j);
      if (j.in_hi <= j.in_lo)
        return fail("a band of output rows " + std::to_string(j.oy0) + ".." +
                    std::to_string(j.oy1) + " reads no input row");
      if (j.pad_top > kMaxPad || j.pad_bottom > kMaxPad) return fail("padding above 7");
      j.in_words = int64_t{j.in_hi - j.in_lo} * s.w * (is_pool(s) ? j.nb : G);
      if (j.in_words > p.in_region_words)
        return fail("input band of " + std::to_string(j.in_words) +
                    " words exceeds an input region of " + std::to_string(p.in_region_words));
      j.out_words = int64_t{j.oy1 - j.oy0} * s.ow * j.nb;
      buffers.place_input(i, in_key, j);
      if (!is_pool(s)) {
        j.w_words = int64_t{j.nb} * kchunks * R;
        buffers.place_weights_and_table(i, block, j);
      }
      buffers.place_output(i, j);
      j.compute_cycles = job_compute_cycles(s, t, j);
      p.jobs.push_back(j);
    }
  }
  p.tiling.est_cycles = schedule(s, t, p, &p.tiling.dram_bytes);
  return p;
}

namespace {

// The fastest fitting tiling over band heights `bhs`, N-block sizes `nbs`, both loop orders and
// one or two regions per buffer (empty if none fits; `first_why` gets the first reason).
LayerPlan best_tiling(const LayerShape& s, const Target& t, const std::vector<int>& bhs,
                      const std::vector<int>& nbs, std::string* first_why) {
  const int NT = out_groups(s, t);
  LayerPlan best;
  for (int bh : bhs)
    for (int nb : nbs)
      for (int order = 0; order < 2; ++order)
        for (int ib = 1; ib <= 2; ++ib)
          for (int ob = 1; ob <= 2; ++ob) {
            const bool single = ceil_div(s.oh, bh) == 1 || ceil_div(NT, nb) == 1;
            if (order == 1 && single) continue;  // both orders are the same
            Tiling tl;
            tl.band_rows = bh;
            tl.nblock = nb;
            tl.n_outer = order == 0;
            tl.in_buffers = ib;
            tl.out_buffers = ob;
            std::string why;
            LayerPlan p = plan_with(s, t, tl, &why);
            if (p.jobs.empty()) {
              if (first_why->empty()) *first_why = why;
              continue;
            }
            const bool better =
                best.jobs.empty() || p.tiling.est_cycles < best.tiling.est_cycles ||
                (p.tiling.est_cycles == best.tiling.est_cycles && p.jobs.size() < best.jobs.size());
            if (better) best = std::move(p);
          }
  return best;
}

}  // namespace

LayerPlan plan_layer(const LayerShape& s, const Target& t) {
  const int NT = out_groups(s, t);
  std::string first_why;
  const std::vector<int> bhs =
      s.kind == JobKind::kGlobalAvgPool ? std::vector<int>{s.oh} : block_sizes(s.oh);
  std::vector<int> nbs = is_pool(s) ? std::vector<int>{NT} : block_sizes(NT);
  LayerPlan best = best_tiling(s, t, bhs, nbs, &first_why);
  // A pool splits its channel groups into jobs only when all of them do not fit (e.g. a global
  // average whose input is larger than an input region); every job's result is exact.
  if (best.jobs.empty() && is_pool(s)) {
    nbs = block_sizes(NT);
    best = best_tiling(s, t, bhs, nbs, &first_why);
  }
  if (best.jobs.empty()) {
    // Report why the smallest tile with the largest regions does not fit either.
    Tiling smallest;
    smallest.band_rows = bhs.back();
    smallest.nblock = nbs.back();
    smallest.in_buffers = smallest.out_buffers = 1;
    plan_with(s, t, smallest, &first_why);
    throw CompileError("layer '" + s.name + "': no tiling fits the '" + t.name +
                       "' hardware; the smallest tile fails: " + first_why);
  }
  return best;
}

}  // namespace npu::compiler
