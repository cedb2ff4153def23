// The tiler: jobs cover every output row and N-tile exactly once, input bands carry the halo,
// buffers fit, and the search prefers overlap and reuse.
#include <gtest/gtest.h>

#include <set>

#include "sw/compiler/compiler.h"
#include "sw/compiler/layer_tiling.h"

namespace npu::compiler {
namespace {

Target target16() {
  Target t;
  t.name = "t16";
  t.rows = t.cols = 16;
  t.act_depth = 8192;
  t.wgt_depth = 8192;
  t.acc_depth = 512;
  return t;
}

LayerShape conv3x3(int hw, int c, int o, int stride = 1) {
  LayerShape s;
  s.name = "conv";
  s.h = s.w = hw;
  s.c = c;
  s.o = o;
  s.kh = s.kw = 3;
  s.sh = s.sw = stride;
  s.pt = s.pl = s.pb = s.pr = 1;
  s.oh = s.ow = (hw + 2 - 3) / stride + 1;
  return s;
}

void expect_exact_cover(const LayerShape& s, const Target& t, const LayerPlan& p) {
  const int nt = (s.o + t.cols - 1) / t.cols;
  std::set<std::pair<int, int>> seen;  // (output row, N-tile)
  for (const JobPlan& j : p.jobs) {
    for (int y = j.oy0; y < j.oy1; ++y)
      for (int n = j.n0; n < j.n0 + j.nb; ++n)
        EXPECT_TRUE(seen.insert({y, n}).second) << y << "," << n;
    // The band holds every input row its windows touch, and the padding says the rest.
    EXPECT_EQ(j.in_lo - j.pad_top, j.oy0 * s.sh - s.pt);
    EXPECT_EQ(j.in_hi + j.pad_bottom, (j.oy1 - 1) * s.sh - s.pt + s.kh);
    EXPECT_LE(j.in_words, p.in_region_words);
    EXPECT_LE(j.w_words, t.wgt_depth);
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(s.oh) * nt);
}

TEST(LayerTiling, LayerThatFitsWholeIsStillCutToOverlapLoadsWithCompute) {
  const Target t = target16();
  const LayerShape s = conv3x3(16, 64, 64);
  const LayerPlan p = plan_layer(s, t);
  EXPECT_GT(p.jobs.size(), 1u) << "one job would load 52 KiB before the first MAC";
  expect_exact_cover(s, t, p);
  const int64_t ideal = int64_t{16} * 16 * 64 * 9 * 64 / 256;
  EXPECT_LT(p.tiling.est_cycles, ideal * 115 / 100) << p.tiling.describe();
}

TEST(LayerTiling, LargeLayerIsCutIntoBandsWithHalo) {
  Target t = target16();
  t.act_depth = 1024;  // 64 rows of 16 words per region at most
  const LayerShape s = conv3x3(32, 16, 32);
  const LayerPlan p = plan_layer(s, t);
  EXPECT_GT(p.tiling.bands, 1) << p.tiling.describe();
  expect_exact_cover(s, t, p);
  const int64_t ideal = int64_t{32} * 32 * 32 * 9 * 16 / 256;
  EXPECT_LT(p.tiling.est_cycles, 2 * ideal) << p.tiling.describe();
}

TEST(LayerTiling, WeightHeavyLayerIsSplitByOutputChannels) {
  Target t = target16();
  t.wgt_depth = 4096;  // one 3x3x512 N-tile is 4608 words: does not fit
  const LayerShape s = conv3x3(4, 256, 512);
  const LayerPlan p = plan_layer(s, t);
  EXPECT_GT(p.tiling.nblocks, 1);
  expect_exact_cover(s, t, p);
  for (const JobPlan& j : p.jobs) EXPECT_LE(j.w_words, 4096);
}

TEST(LayerTiling, LayerThatCannotFitNamesTheLayerAndTheLimit) {
  Target t = target16();
  t.wgt_depth = 4096;
  LayerShape s = conv3x3(4, 512, 512);
  s.name = "layer4.0.conv2";
  try {
    plan_layer(s, t);
    FAIL() << "expected CompileError";
  } catch (const CompileError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("layer4.0.conv2"), std::string::npos) << m;
    EXPECT_NE(m.find("4608 words, a weight bank holds 4096"), std::string::npos) << m;
  }
}

TEST(LayerTiling, ResidualLayerReservesRoomForTheResidual) {
  Target t = target16();
  t.act_depth = 2048;
  LayerShape s = conv3x3(32, 16, 16);
  s.residual = true;
  const LayerPlan p = plan_layer(s, t);
  EXPECT_LE(2 * p.out_cap_words, p.out_region_words);
  expect_exact_cover(s, t, p);
}

TEST(LayerTiling, PoolBandsCoverTheOutputWithBottomPadding) {
  Target t = target16();
  t.act_depth = 512;
  LayerShape s;
  s.name = "pool";
  s.kind = JobKind::kMaxPool;
  s.h = s.w = 33;
  s.c = s.o = 16;
  s.kh = s.kw = 3;
  s.sh = s.sw = 2;
  s.pt = s.pl = s.pb = s.pr = 1;
  s.oh = s.ow = 17;
  const LayerPlan p = plan_layer(s, t);
  EXPECT_GT(p.jobs.size(), 1u);
  int rows = 0;
  for (const JobPlan& j : p.jobs) {
    rows += j.oy1 - j.oy0;
    EXPECT_EQ((j.in_hi - j.in_lo + j.pad_top + j.pad_bottom - 3) / 2 + 1, j.oy1 - j.oy0)
        << "the pool unit derives the band's output rows from its padding";
  }
  EXPECT_EQ(rows, 17);
}

TEST(LayerTiling, GlobalAverageLargerThanAnInputRegionIsSplitByChannelGroups) {
  const Target t = target16();
  LayerShape s;
  s.name = "gap";
  s.kind = JobKind::kGlobalAvgPool;
  s.h = 19;
  s.w = 27;
  s.c = s.o = 256;  // 16 words per pixel: 8208 words, the region holds 8192
  const LayerPlan p = plan_layer(s, t);
  ASSERT_GT(p.jobs.size(), 1u);
  int groups = 0;
  for (const JobPlan& j : p.jobs) {
    EXPECT_EQ(j.n0, groups) << "the blocks cover the groups in order";
    EXPECT_EQ(j.in_words, int64_t{19} * 27 * j.nb);
    EXPECT_LE(j.in_words, p.in_region_words);
    groups += j.nb;
  }
  EXPECT_EQ(groups, 16);
  // A pool that fits whole keeps all its groups in one job.
  s.h = 16;
  EXPECT_EQ(plan_layer(s, t).jobs.front().nb, 16);
}

}  // namespace
}  // namespace npu::compiler
