// npu_ppu against golden Requantizer / AddParams, byte by byte, with constrained-random
// layers, random input gaps and random output backpressure. NPU_SEED reproduces a run,
// NPU_TRACE dumps FST (tb/README.md).
//
// Built once per lane count (tb/ppu/CMakeLists.txt): NPU_PPU_LANES is the model's Lanes and
// NPU_PPU_SUITE the suite name (PpuL4, PpuL8, ...), so CTest names stay unique. Lanes 32 runs
// the smoke subset only (NPU_PPU_SMOKE).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <vector>

#include "Vnpu_ppu.h"
#include "tb/common/bench_env.h"
#include "tb/common/mismatch.h"
#include "tb/ppu/ppu_cases.h"
#include "tb/ppu/ppu_harness.h"
#include "tb/ppu/ppu_layer.h"

namespace npu::tb {
namespace {

constexpr int kLanes = NPU_PPU_LANES;
constexpr int kMaxChannels = 1024;  // npu_ppu default MaxChannels
constexpr int kLatency = 21;        // npu_ppu Latency: pipeline stages
#ifdef NPU_PPU_SERIAL
// Serial: the beat's channels enter the one lane in cycles t + 1 .. t + Lanes, one beat is
// accepted every Lanes cycles, and the queue holds Latency / Lanes + 3 beats.
constexpr uint64_t kAcceptToOutput = kLatency + 1 + kLanes;
constexpr uint64_t kAcceptInterval = kLanes;
constexpr int kQueueDepth = kLatency / kLanes + 3;
#else
// A beat accepted in cycle t is pushed into the output queue at the end of cycle t + 21 and
// can leave in cycle t + 21.
constexpr uint64_t kAcceptToOutput = kLatency + 1;
constexpr uint64_t kAcceptInterval = 1;
constexpr int kQueueDepth = kLatency + 2;
#endif

using Harness = PpuHarness<Vnpu_ppu>;

// Beats for roughly `target` vectors of a layer with `channels` channels.
int pixels_for(int channels, int target) {
  const int groups = (channels + kLanes - 1) / kLanes;
  return std::max(1, target / groups);
}

void print_coverage(const char* what, const PpuRunStats& s) {
  std::cout << "[ coverage ] " << what << ": " << s.beats << " vectors, " << s.compared
            << " bytes checked, " << s.saturated << " saturated, " << s.at_zero_point
            << " at the zero point" << std::endl;
}

// One layer end to end: configure, load the table, stream, check.
PpuRunStats run_layer(Harness& h, const PpuLayer& layer, const std::vector<PpuBeat>& beats,
                      const PpuTraffic& traffic) {
  h.configure(layer);
  h.load_table(layer, traffic.prm_gap);
  MismatchReporter report("npu_ppu L" + std::to_string(kLanes));
  const PpuRunStats stats = h.run(layer, beats, traffic, report);
  EXPECT_EQ(report.mismatches(), 0) << layer.describe() << "; traffic " << traffic.describe();
  h.bench().settle();
  EXPECT_TRUE(h.top().idle_o) << "npu_ppu: idle_o low after the last output";
  EXPECT_FALSE(h.top().cfg_err_o) << "npu_ppu: cfg_err_o for a legal layer " << layer.describe();
  return stats;
}

PpuTraffic random_traffic(PpuStimulus& stim) {
  PpuTraffic t;
  t.acc_gap = stim.uniform(0, 60) / 100.0;
  t.res_gap = stim.uniform(0, 60) / 100.0;
  t.stall = stim.uniform(0, 70) / 100.0;
  t.prm_gap = stim.uniform(0, 50) / 100.0;
  return t;
}

TEST(NPU_PPU_SUITE, HandComputedCases) {
  Harness h(kLanes, test_seed());
  for (const PpuHandCase& hc : ppu_hand_cases()) {
    const PpuHandCase c = widen(hc, kLanes);
    h.configure(c.layer);
    h.load_table(c.layer, 0.0);
    MismatchReporter report("npu_ppu L" + std::to_string(kLanes) + " " + c.name);
    // The harness checks against golden; the hand values are checked here on top.
    h.run(c.layer, c.beats, PpuTraffic{}, report);
    EXPECT_EQ(report.mismatches(), 0) << c.name;
    const PpuReference ref(c.layer);
    for (std::size_t b = 0; b < c.beats.size(); ++b) {
      for (int l = 0; l < 4; ++l) {
        const PpuBeat& beat = c.beats[b];
        const int8_t r = beat.residual.empty() ? int8_t{0} : beat.residual[std::size_t(l)];
        EXPECT_EQ(int(ref.output(l, beat.acc[std::size_t(l)], r)), int(c.expected[b][l]))
            << c.name << ": golden disagrees with the hand value, beat " << b << " lane " << l;
      }
    }
  }
}

// The hand cases with the RTL output captured directly (not through golden).
TEST(NPU_PPU_SUITE, HandComputedCasesRawOutput) {
  Harness h(kLanes, test_seed());
  for (const PpuHandCase& hc : ppu_hand_cases()) {
    const PpuHandCase c = widen(hc, kLanes);
    h.configure(c.layer);
    h.load_table(c.layer, 0.0);
    auto& t = h.top();
    for (std::size_t b = 0; b < c.beats.size(); ++b) {
      for (int l = 0; l < kLanes; ++l) {
        set_bits(t.acc_data_i, 32 * l, 32, static_cast<uint32_t>(c.beats[b].acc[std::size_t(l)]));
        if (!c.beats[b].residual.empty()) {
          set_bits(t.res_data_i, 8 * l, 8,
                   static_cast<uint8_t>(c.beats[b].residual[std::size_t(l)]));
        }
      }
      t.acc_group_i = 0;
      t.acc_valid_i = 1;
      t.res_valid_i = c.layer.uses_residual();
      t.out_ready_i = 1;
      h.bench().settle();
      ASSERT_TRUE(t.acc_ready_o);
      h.bench().tick();
      t.acc_valid_i = 0;
      t.res_valid_i = 0;
      uint64_t waited = 0;
      for (h.bench().settle(); !t.out_valid_o && waited < 100; h.bench().settle()) {
        h.bench().tick();
        ++waited;
      }
      ASSERT_TRUE(t.out_valid_o) << c.name << ": no output";
      for (int l = 0; l < 4; ++l) {
        EXPECT_EQ(get_signed(t.out_data_o, 8 * l, 8), int(c.expected[b][l]))
            << c.name << ", beat " << b << ", lane " << l;
      }
      h.bench().tick();  // out_ready_i high: taken
    }
  }
}

TEST(NPU_PPU_SUITE, ConvRandomFullRange) {
  const uint64_t seed = test_seed();
  PpuStimulus stim(seed);
  Harness h(kLanes, seed);
  for (int layer_index = 0; layer_index < 3; ++layer_index) {
    const int channels = layer_index == 0 ? kMaxChannels : stim.uniform(1, 300);
    const PpuLayer layer = stim.layer(PpuMode::kConv, channels, false);
    const auto beats = stim.beats(layer, kLanes, pixels_for(channels, 1500), false);
    print_coverage("conv full range", run_layer(h, layer, beats, PpuTraffic{}));
  }
}

TEST(NPU_PPU_SUITE, ConvRealisticLayer) {
  const uint64_t seed = test_seed();
  PpuStimulus stim(seed);
  Harness h(kLanes, seed);
  const int channels = stim.uniform(kLanes, 256);
  const PpuLayer layer = stim.layer(PpuMode::kConv, channels, true);
  const auto beats = stim.beats(layer, kLanes, pixels_for(channels, 2000), true);
  const PpuRunStats s = run_layer(h, layer, beats, random_traffic(stim));
  print_coverage("conv realistic", s);
  // Most outputs of a realistic layer must land inside the int8 range, or the rounding paths
  // would go untested behind the clamp.
  EXPECT_LT(s.saturated * 2, s.compared);
}

TEST(NPU_PPU_SUITE, ConvGapsAndBackpressure) {
  const uint64_t seed = test_seed();
  PpuStimulus stim(seed);
  Harness h(kLanes, seed);
  for (int layer_index = 0; layer_index < 4; ++layer_index) {
    const int channels = stim.uniform(1, 200);
    const bool realistic = stim.chance(0.5);
    const PpuLayer layer = stim.layer(PpuMode::kConv, channels, realistic);
    const auto beats = stim.beats(layer, kLanes, pixels_for(channels, 800), realistic);
    const PpuTraffic traffic = random_traffic(stim);
    std::cout << "[ traffic  ] " << traffic.describe() << std::endl;
    print_coverage("conv with gaps", run_layer(h, layer, beats, traffic));
  }
}

TEST(NPU_PPU_SUITE, FusedAddFromScales) {
  const uint64_t seed = test_seed();
  PpuStimulus stim(seed);
  Harness h(kLanes, seed);
  for (int layer_index = 0; layer_index < 4; ++layer_index) {
    const int channels = stim.uniform(1, 200);
    const PpuLayer layer = stim.layer(PpuMode::kConvAdd, channels, true);
    const auto beats = stim.beats(layer, kLanes, pixels_for(channels, 800), true);
    print_coverage("conv + add", run_layer(h, layer, beats, random_traffic(stim)));
  }
}

TEST(NPU_PPU_SUITE, FusedAddArbitraryParams) {
  const uint64_t seed = test_seed();
  PpuStimulus stim(seed);
  Harness h(kLanes, seed);
  for (int layer_index = 0; layer_index < 4; ++layer_index) {
    const int channels = stim.uniform(1, 200);
    PpuLayer layer = stim.layer(PpuMode::kConvAdd, channels, false);
    layer.add = stim.add_params_arbitrary();
    const auto beats = stim.beats(layer, kLanes, pixels_for(channels, 800), false);
    print_coverage("conv + add, any parameters", run_layer(h, layer, beats, random_traffic(stim)));
  }
}

TEST(NPU_PPU_SUITE, AddOnly) {
  const uint64_t seed = test_seed();
  PpuStimulus stim(seed);
  Harness h(kLanes, seed);
  for (int layer_index = 0; layer_index < 4; ++layer_index) {
    const int channels = stim.uniform(1, 200);
    PpuLayer layer = stim.layer(PpuMode::kAdd, channels, false);
    if (layer_index % 2 == 1) layer.add = stim.add_params_arbitrary();
    const auto beats = stim.beats(layer, kLanes, pixels_for(channels, 800), false);
    print_coverage("add only", run_layer(h, layer, beats, random_traffic(stim)));
  }
}

#ifndef NPU_PPU_SMOKE

TEST(NPU_PPU_SUITE, ThroughputAndLatency) {
  const uint64_t seed = test_seed();
  PpuStimulus stim(seed);
  Harness h(kLanes, seed);
  for (const PpuMode mode : {PpuMode::kConv, PpuMode::kConvAdd}) {
    const PpuLayer layer = stim.layer(mode, 256, true);
    const auto beats = stim.beats(layer, kLanes, pixels_for(256, 4000), true);
    const PpuRunStats s = run_layer(h, layer, beats, PpuTraffic{});
    std::cout << "[ perf     ] npu_ppu Lanes=" << kLanes << " " << to_string(mode) << ": "
              << s.beats << " vectors, input " << std::fixed << std::setprecision(3)
              << s.input_rate() << " vectors/cycle, output " << s.output_rate()
              << " vectors/cycle, latency " << s.min_latency << ".." << s.max_latency
              << " cycles (accept to output handshake)" << std::endl;
    EXPECT_EQ(s.last_accept - s.first_accept, (uint64_t(s.beats) - 1) * kAcceptInterval)
        << "input bubbles";
    EXPECT_EQ(s.last_output - s.first_output, (uint64_t(s.beats) - 1) * kAcceptInterval)
        << "output bubbles";
    EXPECT_EQ(s.min_latency, kAcceptToOutput);
    EXPECT_EQ(s.max_latency, kAcceptToOutput);
  }
}

// With the output stalled the unit admits exactly as many beats as its queue holds
// (Latency + 2 = 23), keeps them all, and hands them out once the stall ends.
TEST(NPU_PPU_SUITE, StalledOutputHoldsItsCredit) {
  const uint64_t seed = test_seed();
  PpuStimulus stim(seed);
  Harness h(kLanes, seed);
  for (const PpuMode mode : {PpuMode::kConv, PpuMode::kAdd}) {
    const PpuLayer layer = stim.layer(mode, kLanes, false);
    h.configure(layer);
    h.load_table(layer, 0.0);
    const auto beats = stim.beats(layer, kLanes, 100, false);
    EXPECT_EQ(h.stalled_capacity(layer, beats, 200), kQueueDepth) << to_string(mode);
  }
}

// Layers of every mode back to back, the table rewritten in between (including its last
// row), the residual stream ignored while a conv layer runs.
TEST(NPU_PPU_SUITE, LayerSequence) {
  const uint64_t seed = test_seed();
  PpuStimulus stim(seed);
  Harness h(kLanes, seed);
  const PpuMode modes[] = {PpuMode::kConvAdd, PpuMode::kConv,    PpuMode::kAdd,
                           PpuMode::kConv,    PpuMode::kConvAdd, PpuMode::kAdd};
  for (const PpuMode mode : modes) {
    const int channels = stim.chance(0.3) ? kMaxChannels : stim.uniform(1, 100);
    const bool realistic = stim.chance(0.5);
    const PpuLayer layer = stim.layer(mode, channels, realistic);
    const auto beats = stim.beats(layer, kLanes, pixels_for(channels, 300), realistic);
    run_layer(h, layer, beats, random_traffic(stim));
    h.idle_cycles(stim.uniform(0, 3));
  }
}

// A reset with beats in flight leaves nothing behind: the next layer sees only its own.
TEST(NPU_PPU_SUITE, ResetWithBeatsInFlight) {
  const uint64_t seed = test_seed();
  PpuStimulus stim(seed);
  Harness h(kLanes, seed);
  const PpuLayer first = stim.layer(PpuMode::kConvAdd, 64, true);
  h.configure(first);
  h.load_table(first, 0.0);
  auto& t = h.top();
  const auto beats = stim.beats(first, kLanes, 10, true);
  t.out_ready_i = 0;
  // Offer the beats (each held until taken: valid/ready) for 10 cycles with the output stalled.
  for (std::size_t next = 0, i = 0; i < 10 && next < beats.size(); ++i) {
    const PpuBeat& beat = beats[next];
    for (int l = 0; l < kLanes; ++l) {
      set_bits(t.acc_data_i, 32 * l, 32, static_cast<uint32_t>(beat.acc[std::size_t(l)]));
    }
    t.acc_valid_i = 1;
    t.res_valid_i = 1;
    h.bench().settle();
    const bool taken = t.acc_ready_o;
    h.bench().tick();
    if (taken) ++next;
  }
  t.acc_valid_i = 0;
  t.res_valid_i = 0;
  h.bench().reset();
  h.bench().settle();
  EXPECT_TRUE(t.idle_o);
  EXPECT_FALSE(t.out_valid_o);
  const PpuLayer second = stim.layer(PpuMode::kConv, 40, false);
  run_layer(h, second, stim.beats(second, kLanes, 30, false), random_traffic(stim));
}

TEST(NPU_PPU_SUITE, ConfigErrorFlag) {
  Harness h(kLanes, test_seed());
  auto& t = h.top();
  PpuLayer layer;
  layer.mode = PpuMode::kConvAdd;
  layer.add.a_multiplier = {1 << 30, -1};
  layer.add.b_multiplier = {1 << 30, 0};
  layer.add.output_multiplier = {1 << 30, 30};
  h.configure(layer);
  EXPECT_FALSE(t.cfg_err_o) << "legal shifts -1, 0, 30";
  t.cfg_add_shift_a_i = 1;  // input rescales only shift right
  h.bench().settle();
  EXPECT_TRUE(t.cfg_err_o) << "add shift a = +1";
  h.configure(layer);
  t.cfg_add_shift_out_i = 31;  // outside -31..30
  h.bench().settle();
  EXPECT_TRUE(t.cfg_err_o) << "add shift out = 31";
  t.cfg_mode_i = 0;  // conv: the add fields do not matter
  h.bench().settle();
  EXPECT_FALSE(t.cfg_err_o) << "conv mode ignores the add fields";
  t.cfg_mode_i = 3;
  h.bench().settle();
  EXPECT_TRUE(t.cfg_err_o) << "reserved mode 3";
  h.configure(layer);
  t.cfg_add_shift_b_i = 0x20;  // -32
  h.bench().settle();
  EXPECT_TRUE(t.cfg_err_o) << "add shift b = -32";
}

#endif  // NPU_PPU_SMOKE

}  // namespace
}  // namespace npu::tb
