// Whole conv / FC layers through npu_datapath (im2col, array, accumulator, PPU) from
// preloaded scratchpads, every output byte against golden, with a cycle report per case.
// Built once per array size (NPU_DP_ROWS); sizes of the buffers come from the -G overrides,
// which CMake takes from the hardware YAML of that size (checked below where one exists).
#include <gtest/gtest.h>

#include <random>

#include "Vdatapath.h"
#include "tb/common/bench_env.h"
#include "tb/datapath/dp_harness.h"
#include "tb/datapath/dp_layer.h"

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
TEST(NPU_DP_SUITE, Conv7x7S2P3) {
  run_cases({conv("7x7/s2/p3", 12, R, R, 7, 2, 3)}, test_seed());
}
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
  run_cases({fc}, test_seed());
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
  const DpRunStats s = run_cases({conv("cycle budget 16x16x4R -> 4R", 16, 4 * R, 4 * R, 3, 1, 1)},
                                 test_seed());
  EXPECT_LE(double(s.cycles), 1.10 * s.ideal) << "more than 10% over MACs / (R * C)";
}
#endif

}  // namespace
}  // namespace npu::tb
