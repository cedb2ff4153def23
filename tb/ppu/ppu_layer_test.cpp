// The bench's own pieces without the RTL: the hand-computed cases against golden (so a
// disagreement points at the paper or at golden, not at the RTL), the identities the RTL
// datapath is built on, and that the random generators hit what they claim to.
#include "tb/ppu/ppu_layer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>

#include "golden/fixed_point.h"
#include "tb/ppu/ppu_cases.h"

namespace npu::tb {
namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();

TEST(PpuReference, HandCasesMatchGolden) {
  for (const PpuHandCase& c : ppu_hand_cases()) {
    const PpuReference ref(c.layer);
    for (std::size_t b = 0; b < c.beats.size(); ++b) {
      for (int l = 0; l < 4; ++l) {
        const PpuBeat& beat = c.beats[b];
        const int8_t b_in = beat.residual.empty() ? int8_t{0} : beat.residual[std::size_t(l)];
        EXPECT_EQ(int(ref.output(l, beat.acc[std::size_t(l)], b_in)), int(c.expected[b][l]))
            << c.name << ", beat " << b << ", lane " << l;
      }
    }
  }
}

// npu_ppu_srdhm computes SRDHM as floor((a*b + 2^30) / 2^31) (plus the one saturating case),
// not with gemmlowp's sign-dependent nudge and truncating division.
TEST(PpuIdentities, HighMulIsOneFloorShift) {
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<int32_t> any(kMin, std::numeric_limits<int32_t>::max());
  const auto floor_form = [](int32_t a, int32_t b) {
    if (a == kMin && b == kMin) return std::numeric_limits<int32_t>::max();
    const int64_t p = int64_t{a} * b + (int64_t{1} << 30);
    return static_cast<int32_t>(p >> 31);  // arithmetic: floor
  };
  for (int i = 0; i < 200000; ++i) {
    int32_t a = any(rng), b = any(rng);
    if (i % 4 == 1) b = 1 << 30;  // exact ties for odd a
    if (i % 4 == 2) a = static_cast<int32_t>(a % 4096);
    if (i % 8 == 3) a = int32_edges()[std::size_t(i / 8) % int32_edges().size()];
    ASSERT_EQ(floor_form(a, b), golden::saturating_rounding_doubling_high_mul(a, b))
        << "a " << a << ", b " << b;
  }
  EXPECT_EQ(floor_form(-3, 1 << 30), -1);  // -1.5 goes up
  EXPECT_EQ(floor_form(3, 1 << 30), 2);    // 1.5 goes up
}

// The residual rescale feeds (q - zp) << 20: SRDHM(d << 20, m) = floor((d*m + 2^10) / 2^11).
TEST(PpuIdentities, ResidualHighMulDropsTheShift) {
  std::mt19937_64 rng(2);
  std::uniform_int_distribution<int32_t> any(kMin, std::numeric_limits<int32_t>::max());
  for (int d = -255; d <= 255; ++d) {
    for (int i = 0; i < 200; ++i) {
      const int32_t m = i == 0 ? kMin : (i == 1 ? (1 << 30) : any(rng));
      const int64_t short_form = (int64_t{d} * m + (int64_t{1} << 10)) >> 11;
      ASSERT_EQ(short_form, golden::saturating_rounding_doubling_high_mul(d * (1 << 20), m))
          << "d " << d << ", m " << m;
    }
  }
}

// With the add disabled the RTL forces a = 0.5 (<<20 -> *2^19), b * 0, out 0.5 * 2^-18 and
// zero points 0: an exact identity for every int8; add-only layers force the conv stage to
// 0.5 with shift 1 and zero bias, also exact.
TEST(PpuIdentities, BypassParametersAreExact) {
  golden::AddParams id;
  id.a_multiplier = {1 << 30, 0};
  id.b_multiplier = {0, 0};
  id.output_multiplier = {1 << 30, -18};
  for (int a = -128; a <= 127; ++a) {
    for (int b = -128; b <= 127; b += 17) {
      ASSERT_EQ(int(id.apply(static_cast<int8_t>(a), static_cast<int8_t>(b))), a);
    }
    golden::Requantizer conv;
    conv.per_channel = {{1 << 30, 1}};
    ASSERT_EQ(int(conv.apply(a, 0)), a);
  }
}

TEST(PpuStimulus, AddParamsFromScalesOnlyShiftRightOnInputs) {
  PpuStimulus stim(3);
  for (int i = 0; i < 2000; ++i) {
    const golden::AddParams p = stim.add_params_from_scales();
    ASSERT_LE(p.a_multiplier.shift, 0);
    ASSERT_LE(p.b_multiplier.shift, 0);
    ASSERT_GE(p.a_multiplier.shift, -31);
    ASSERT_GE(p.b_multiplier.shift, -31);
  }
}

// The tie generator must actually produce exact half-way cases of the right shift.
TEST(PpuStimulus, AccumulatorsHitRoundingTies) {
  PpuStimulus stim(4);
  const PpuChannel ch{123, 1518500250, -7};  // ~0.7071, /128
  int ties = 0;
  for (int i = 0; i < 4000; ++i) {
    const int32_t acc = stim.accumulator(ch, false);
    const int32_t total = static_cast<int32_t>(static_cast<uint32_t>(acc) + uint32_t(ch.bias));
    const int32_t h = golden::saturating_rounding_doubling_high_mul(total, ch.multiplier);
    if ((h & 127) == 64) ++ties;
  }
  EXPECT_GT(ties, 200) << "of 4000 accumulators";
}

TEST(PpuStimulus, BeatsCoverEveryGroupOncePerPixel) {
  PpuStimulus stim(5);
  const PpuLayer layer = stim.layer(PpuMode::kConvAdd, 37, false);
  const std::vector<PpuBeat> beats = stim.beats(layer, 8, 3, false);
  ASSERT_EQ(beats.size(), 15u);  // 37 channels -> 5 groups of 8, 3 pixels
  for (int p = 0; p < 3; ++p) {
    int mask = 0;
    for (int g = 0; g < 5; ++g) {
      const PpuBeat& b = beats[std::size_t(p * 5 + g)];
      EXPECT_EQ(b.pixel, p);
      EXPECT_EQ(b.acc.size(), 8u);
      EXPECT_EQ(b.residual.size(), 8u);
      mask |= 1 << b.group;
    }
    EXPECT_EQ(mask, 0x1f);
  }
}

}  // namespace
}  // namespace npu::tb
