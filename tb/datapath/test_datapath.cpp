// Whole conv / FC layers through npu_datapath (im2col, array, accumulator, PPU) and pooling
// jobs (npu_pool) from preloaded scratchpads, every output byte against golden, with a cycle
// report per case.
// Built once per array size (NPU_DP_ROWS); sizes of the buffers come from the -G overrides,
// which CMake takes from the hardware YAML of that size (checked below where one exists).
#include <gtest/gtest.h>

#include <random>

#include "Vdatapath.h"
#include "sw/test_support/dp_layer.h"
#include "tb/common/bench_env.h"
#include "tb/datapath/dp_harness.h"

#ifdef NPU_DP_HW_HEADER
#include NPU_DP_HW_HEADER
static_assert(NPU_DP_HW_NS::kArrayRows == NPU_DP_ROWS, "config and bench disagree");
static_assert(NPU_DP_HW_NS::kAccumulatorBankDepth == NPU_DP_ACC_DEPTH, "accumulator depth");
static_assert(NPU_DP_HW_NS::kWeightBankDepth == NPU_DP_WGT_DEPTH, "weight depth");
static_assert(NPU_DP_HW_NS::kActivationBankBytes / NPU_DP_ROWS == NPU_DP_ACT_DEPTH, "act depth");
#endif

#ifndef NPU_DP_SUITE
#define NPU_DP_SUITE Datapath
#endif

namespace npu::tb {
namespace {

constexpr int R = NPU_DP_ROWS;

DpHw hw() {
  DpHw h;
  h.rows = R;
  h.cols = R;
  h.act_depth = NPU_DP_ACT_DEPTH;
  h.wgt_depth = NPU_DP_WGT_DEPTH;
  h.acc_depth = NPU_DP_ACC_DEPTH;
  return h;
}

DpCase conv(std::string name, int hw_, int c, int o, int k, int s, int p) {
  DpCase d;
  d.name = std::move(name);
  d.h = d.w = hw_;
  d.c = c;
  d.out_c = o;
  d.kh = d.kw = k;
  d.sh = d.sw = s;
  d.pad_top = d.pad_left = d.pad_bottom = d.pad_right = p;
  return d;
}

// Runs the cases in one bench (one reset, jobs back to back: state left by one job must not
// disturb the next). Returns the stats of the last case.
DpRunStats run_cases(const std::vector<DpCase>& cases, uint64_t seed) {
  std::mt19937_64 rng(seed);
  DpHarness<Vdatapath> h(hw());
  DpRunStats last;
  for (const DpCase& k : cases) {
    const DpLayer L = make_dp_layer(k, hw(), rng);
    last = h.run(L);
    DpHarness<Vdatapath>::report(L, last, R, R);
    EXPECT_EQ(last.mismatches, 0) << L.describe();
  }
  return last;
}

DpPoolCase pool(std::string name, DpPoolKind kind, int k = 0, int s = 1, int p = 0) {
  DpPoolCase c;
  c.name = std::move(name);
  c.kind = kind;
  c.k = k;
  c.s = s;
  c.pad = p;
  return c;
}

// A conv job, then a pool job on its output, as a network runs them: the conv writes bank 1
// from word 0 (its input is in bank 0); the pool reads that region and writes either bank 0
// behind the conv input or bank 1 behind its own input. Both outputs are checked: the conv's
// against golden conv2d, the pool's against golden pooling of golden's conv output.
struct ConvPool {
  DpCase conv;
  DpPoolCase pool;
  bool out_same_bank = false;
};

std::vector<DpRunStats> run_conv_pool(const std::vector<ConvPool>& chain, uint64_t seed) {
  std::mt19937_64 rng(seed);
  DpHarness<Vdatapath> h(hw());
  std::vector<DpRunStats> stats;
  for (const ConvPool& cp : chain) {
    const DpLayer L = make_dp_layer(cp.conv, hw(), rng);
    const DpRunStats cs = h.run(L);
    DpHarness<Vdatapath>::report(L, cs, R, R);
    EXPECT_EQ(cs.mismatches, 0) << L.describe();
    DpPoolPlace place;
    place.in_bank = L.job.out_bank;
    place.in_base = L.job.out_base;
    const int conv_out_words = L.job.pixels * L.job.out_groups;
    place.out_bank = cp.out_same_bank ? place.in_bank : L.job.in_bank;
    place.out_base = cp.out_same_bank ? place.in_base + conv_out_words
                                      : L.job.in_base + static_cast<int>(L.act_words.size());
    const DpPoolLayer P = make_dp_pool(cp.pool, L.expected, hw(), place, false);
    const DpRunStats ps = h.run_pool(P);
    DpHarness<Vdatapath>::report_pool(P, ps, R);
    EXPECT_EQ(ps.mismatches, 0) << P.describe();
    stats.push_back(ps);
  }
  return stats;
}

TEST(NPU_DP_SUITE, Conv3x3S1P1) {
  run_cases({conv("3x3/s1/p1", 8, 2 * R, 2 * R, 3, 1, 1)}, test_seed());
}

#ifndef NPU_DP_SMOKE  // 32x32: smoke subset only
TEST(NPU_DP_SUITE, Conv3x3S2) {
  run_cases({conv("3x3/s2/p1", 9, R, 2 * R, 3, 2, 1), conv("3x3/s2/p0", 9, 2 * R, R, 3, 2, 0)},
            test_seed());
}
#endif

#ifndef NPU_DP_SMOKE  // 32x32: smoke subset only
TEST(NPU_DP_SUITE, Conv1x1S2) {
  run_cases({conv("1x1/s2", 8, 2 * R, 2 * R, 1, 2, 0)}, test_seed());
}
#endif

#ifndef NPU_DP_SMOKE  // 32x32: smoke subset only
TEST(NPU_DP_SUITE, Conv7x7S2P3) { run_cases({conv("7x7/s2/p3", 12, R, R, 7, 2, 3)}, test_seed()); }
#endif

TEST(NPU_DP_SUITE, SmallChannelsPacked) {
  run_cases({conv("C=1 3x3/s1/p1", 8, 1, R, 3, 1, 1), conv("C=3 3x3/s1/p1", 8, 3, R + 2, 3, 1, 1),
             conv("C=3 7x7/s2/p3 (stem)", 13, 3, R, 7, 2, 3)},
            test_seed());
}

#ifndef NPU_DP_SMOKE  // 32x32: smoke subset only
TEST(NPU_DP_SUITE, ChannelRemainders) {
  // 20 in, 24 out at 16x16; the same shape of remainder at every size.
  run_cases({conv("C=20 O=24 analogue", 7, R + R / 4, R + R / 2, 3, 1, 1),
             conv("C=R+1 O=1", 6, R + 1, 1, 3, 2, 1)},
            test_seed());
}
#endif

TEST(NPU_DP_SUITE, FullyConnectedAs1x1) {
  DpCase fc = conv("FC", 1, 4 * R + 3, 2 * R + 5, 1, 1, 0);
  fc.fully_connected = true;
  // One K-chunk and one pixel: every tile set is a single beat, so the accumulator banks
  // alternate every cycle while the previous beat's write is still in its pipeline.
  DpCase fc1 = conv("FC one chunk", 1, R - 1, 3 * R + 1, 1, 1, 0);
  fc1.fully_connected = true;
  run_cases({fc, fc1}, test_seed());
}

#ifndef NPU_DP_SMOKE  // 32x32: smoke subset only
TEST(NPU_DP_SUITE, SmallMBlocksPingPong) {
  // Many M-blocks (accumulator banks alternate, the PPU drains one while the array fills the
  // other), a remainder block, and single-pixel blocks.
  DpCase a = conv("M-block 7", 8, R, 2 * R, 3, 1, 1);
  a.mblock = 7;
  DpCase b = conv("M-block 1", 4, R, R, 3, 1, 1);
  b.mblock = 1;
  run_cases({a, b}, test_seed());
}
#endif

TEST(NPU_DP_SUITE, ResidualAddFused) {
  DpCase r = conv("3x3/s1/p1 + residual", 6, R, 2 * R, 3, 1, 1);
  r.residual = true;
  run_cases({r}, test_seed());
}

#ifndef NPU_DP_SMOKE  // 32x32: smoke subset only
TEST(NPU_DP_SUITE, JobSequence) {
  run_cases({conv("seq 1x1", 5, R, R, 1, 1, 0), conv("seq C=3", 6, 3, R, 3, 1, 1),
             conv("seq 3x3/s2", 7, 2 * R, R, 3, 2, 1)},
            test_seed());
}
#endif

// The utilization target: a 3x3 conv with C >= Rows on a 16x16x(4R) input.
#ifndef NPU_DP_SMOKE  // 32x32: smoke subset only
TEST(NPU_DP_SUITE, CycleBudget3x3) {
  const DpRunStats s =
      run_cases({conv("cycle budget 16x16x4R -> 4R", 16, 4 * R, 4 * R, 3, 1, 1)}, test_seed());
  EXPECT_LE(double(s.cycles), 1.10 * s.ideal) << "more than 10% over MACs / (R * C)";
}
#endif

// ---------------------------------------------------------------- pooling jobs

TEST(NPU_DP_SUITE, ConvThenMaxPool3x3S2P1) {
  // 8x8 -> 4x4 (the ResNet stem's pool shape), and 9x9 -> 5x5, where the last window row and
  // column hang over the bottom / right padding.
  run_conv_pool(
      {{conv("conv 8x8", 8, R, 2 * R, 3, 1, 1), pool("max 3x3/s2/p1", DpPoolKind::kMax, 3, 2, 1)},
       {conv("conv 9x9", 9, R, R + 3, 3, 1, 1),
        pool("max 3x3/s2/p1 odd", DpPoolKind::kMax, 3, 2, 1), true}},
      test_seed());
}

#ifndef NPU_DP_SMOKE  // 32x32: smoke subset only
TEST(NPU_DP_SUITE, ConvThenGlobalAvgPool) {
  // After the last conv of a ResNet stage: 7x7 -> 1x1 (ImageNet) and 4x4 -> 1x1 (CIFAR, here
  // behind a stride-2 conv, with an output channel remainder).
  run_conv_pool(
      {{conv("conv 7x7", 7, R, 2 * R, 3, 1, 1), pool("global avg 7x7", DpPoolKind::kGlobalAvg)},
       {conv("conv 8x8/s2", 8, 2 * R, R + 5, 3, 2, 1),
        pool("global avg 4x4", DpPoolKind::kGlobalAvg), true}},
      test_seed());
}

TEST(NPU_DP_SUITE, ConvThenAvgPool2x2S2) {
  run_conv_pool({{conv("conv 8x8 1x1", 8, 2 * R, 2 * R, 1, 1, 0),
                  pool("avg 2x2/s2", DpPoolKind::kAvg, 2, 2, 0)}},
                test_seed());
}

TEST(NPU_DP_SUITE, PoolPreloadedAndJobSwitching) {
  // Pool jobs on preloaded tensors (avg with zero-point padding, a max window larger than the
  // stride, a global average of 1x1), interleaved with conv jobs: the job type switches the
  // input bank's read port and the output bank's write port back and forth.
  std::mt19937_64 rng(test_seed());
  DpHarness<Vdatapath> h(hw());
  std::uniform_int_distribution<int> zp(-128, 127);
  auto pool_job = [&](const DpPoolCase& k, int hgt, int wid, int ch, const DpPoolPlace& place) {
    const golden::Tensor in = dp_random_tensor({1, hgt, wid, ch}, {0.1f, zp(rng)}, rng);
    const DpPoolLayer P = make_dp_pool(k, in, hw(), place, true);
    const DpRunStats s = h.run_pool(P);
    DpHarness<Vdatapath>::report_pool(P, s, R);
    EXPECT_EQ(s.mismatches, 0) << P.describe();
  };
  auto conv_job = [&](const DpCase& k) {
    const DpLayer L = make_dp_layer(k, hw(), rng);
    const DpRunStats s = h.run(L);
    DpHarness<Vdatapath>::report(L, s, R, R);
    EXPECT_EQ(s.mismatches, 0) << L.describe();
  };
  pool_job(pool("avg 3x3/s1/p1", DpPoolKind::kAvg, 3, 1, 1), 6, 5, 2 * R, {0, 3, 0, 100});
  conv_job(conv("conv after pool", 6, R, R, 3, 1, 1));
  pool_job(pool("max 5x5/s2/p2", DpPoolKind::kMax, 5, 2, 2), 7, 7, R - 1, {1, 0, 1, 60});
  pool_job(pool("global avg 1x1", DpPoolKind::kGlobalAvg), 1, 1, 3 * R, {1, 10, 0, 0});
  conv_job(conv("conv after pools", 5, 2 * R, R, 1, 1, 0));
}

TEST(NPU_DP_SUITE, PoolCycleBudget) {
  // One tap per cycle: a pool job costs its window taps plus a fixed fill / drain
  // (docs/architecture.md, "Cycle accounting"): at most 24 cycles over the ideal.
  std::mt19937_64 rng(test_seed());
  DpHarness<Vdatapath> h(hw());
  const golden::Tensor in = dp_random_tensor({1, 16, 16, 2 * R}, {0.1f, 3}, rng);
  for (const DpPoolCase& k : {pool("budget max 3x3/s2/p1 16x16", DpPoolKind::kMax, 3, 2, 1),
                              pool("budget global avg 16x16", DpPoolKind::kGlobalAvg)}) {
    const DpPoolLayer P = make_dp_pool(k, in, hw(), {0, 0, 1, 0}, true);
    const DpRunStats s = h.run_pool(P);
    DpHarness<Vdatapath>::report_pool(P, s, R);
    EXPECT_EQ(s.mismatches, 0) << P.describe();
    EXPECT_LE(double(s.cycles), s.ideal + 24) << P.describe();
  }
}
#endif

TEST(NPU_DP_SUITE, PoolConfigErrors) {
  // Bad pool jobs are refused by the bench's job builder with the case and field named.
  const golden::Tensor in({1, 4, 4, R}, {0.1f, 0});
  try {
    make_dp_pool(pool("bad kernel", DpPoolKind::kMax, 9, 1, 0), in, hw(), {}, true);
    FAIL() << "kernel 9 accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'bad kernel': kernel"), std::string::npos) << e.what();
  }
  try {
    make_dp_pool(pool("overlap", DpPoolKind::kMax, 3, 2, 1), in, hw(), {1, 0, 1, 8}, true);
    FAIL() << "overlapping output accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'overlap': out_base"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace npu::tb
