// Drives one Verilated npu_ppu: loads the parameter table through its write port, offers the
// accumulator and residual streams with random gaps, stalls the output randomly, and checks
// every output byte against golden (tb/ppu/ppu_layer.h) plus the stream rules: the two input
// streams are consumed together, an output held under backpressure stays put, beats leave
// in order (the user sideband carries the beat number). Clock, reset, watchdog and the
// NPU_TRACE switch come from tb/common/verilated_bench.h.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "tb/common/mismatch.h"
#include "tb/common/port_bits.h"
#include "tb/common/verilated_bench.h"
#include "tb/ppu/ppu_layer.h"

namespace npu::tb {

// Random behaviour of the environment around the unit.
struct PpuTraffic {
  double acc_gap = 0.0;  // P(the accumulator source has nothing to offer in a cycle)
  double res_gap = 0.0;  // same for the residual source
  double stall = 0.0;    // P(out_ready_i low in a cycle)
  double prm_gap = 0.0;  // P(no table write offered in a cycle)

  std::string describe() const {
    std::ostringstream s;
    s << "acc gap " << acc_gap << ", residual gap " << res_gap << ", stall " << stall;
    return s.str();
  }
};

struct PpuRunStats {
  int beats = 0;
  uint64_t first_accept = 0, last_accept = 0, first_output = 0, last_output = 0;
  uint64_t min_latency = UINT64_MAX, max_latency = 0;  // accept -> output handshake
  int64_t compared = 0;                                // output bytes checked
  int64_t saturated = 0;                               // of which -128 or 127
  int64_t at_zero_point = 0;

  double input_rate() const { return beats / double(last_accept - first_accept + 1); }
  double output_rate() const { return beats / double(last_output - first_output + 1); }
};

template <class Model>
class PpuHarness {
 public:
  static constexpr int kUserBits = 16;  // -GUserW of the bench build
  static constexpr uint64_t kWatchdogCycles = 2000;

  PpuHarness(int lanes, uint64_t seed) : lanes_(lanes), rng_(seed), bench_("npu_ppu") {
    bench_.watchdog().set_limit(kWatchdogCycles);
    Model& t = bench_.top();
    t.prm_valid_i = 0;
    t.acc_valid_i = 0;
    t.res_valid_i = 0;
    t.out_ready_i = 0;
    bench_.reset();
  }

  VerilatedBench<Model>& bench() { return bench_; }
  Model& top() { return bench_.top(); }

  // Per-layer configuration ports; call while the unit is idle.
  void configure(const PpuLayer& layer) {
    Model& t = bench_.top();
    t.cfg_mode_i = static_cast<uint8_t>(layer.mode);
    t.cfg_zp_i = static_cast<uint8_t>(layer.zero_point);
    t.cfg_relu_i = layer.relu;
    const golden::AddParams& a = layer.add;
    t.cfg_add_zp_a_i = static_cast<uint8_t>(a.a_zero_point);
    t.cfg_add_zp_b_i = static_cast<uint8_t>(a.b_zero_point);
    t.cfg_add_zp_out_i = static_cast<uint8_t>(a.output_zero_point);
    t.cfg_add_mult_a_i = static_cast<uint32_t>(a.a_multiplier.multiplier);
    t.cfg_add_mult_b_i = static_cast<uint32_t>(a.b_multiplier.multiplier);
    t.cfg_add_mult_out_i = static_cast<uint32_t>(a.output_multiplier.multiplier);
    t.cfg_add_shift_a_i = static_cast<uint8_t>(a.a_multiplier.shift & 0x3f);
    t.cfg_add_shift_b_i = static_cast<uint8_t>(a.b_multiplier.shift & 0x3f);
    t.cfg_add_shift_out_i = static_cast<uint8_t>(a.output_multiplier.shift & 0x3f);
    t.cfg_add_relu_i = a.relu;
    bench_.settle();
  }

  // Writes every channel of the layer's table through the prm stream, in random order, with
  // random gaps; returns the cycles it took.
  uint64_t load_table(const PpuLayer& layer, double gap) {
    std::vector<int> order(layer.table.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng_);
    Model& t = bench_.top();
    const uint64_t start = bench_.cycle();
    std::size_t next = 0;
    while (next < order.size()) {
      const bool offer = !chance(gap);
      t.prm_valid_i = offer;
      if (offer) {
        const int c = order[next];
        const PpuChannel& ch = layer.table[static_cast<std::size_t>(c)];
        t.prm_chan_i = static_cast<uint16_t>(c);
        t.prm_bias_i = static_cast<uint32_t>(ch.bias);
        t.prm_mult_i = static_cast<uint32_t>(ch.multiplier);
        t.prm_shift_i = static_cast<uint8_t>(ch.shift & 0x3f);
      }
      bench_.settle();
      const bool fire = offer && t.prm_ready_o;
      bench_.tick();
      if (fire) {
        ++next;
        bench_.progress();
      }
    }
    t.prm_valid_i = 0;
    bench_.settle();
    return bench_.cycle() - start;
  }

  // Streams the beats through the unit and checks every output byte of every loaded channel.
  PpuRunStats run(const PpuLayer& layer, const std::vector<PpuBeat>& beats,
                  const PpuTraffic& traffic, MismatchReporter& report) {
    const PpuReference ref(layer);
    const std::size_t n = beats.size();
    Model& t = bench_.top();
    PpuRunStats stats;
    stats.beats = static_cast<int>(n);
    std::vector<uint64_t> accepted_at(n, 0);
    std::size_t next_acc = 0, next_res = 0, next_out = 0;
    bool acc_offered = false, res_offered = false;
    bool held = false;  // the output was valid and not taken last cycle
    uint32_t held_user = 0;
    std::vector<uint8_t> held_data(static_cast<std::size_t>(lanes_));
    const bool residual = layer.uses_residual();

    while (next_out < n) {
      // Sources: a beat once offered stays until taken; idle payloads are noise.
      if (!acc_offered && next_acc < n && !chance(traffic.acc_gap)) {
        acc_offered = true;
        drive_acc(beats[next_acc], static_cast<uint32_t>(next_acc));
      } else if (!acc_offered) {
        drive_acc_noise();
      }
      t.acc_valid_i = acc_offered;
      if (residual) {
        if (!res_offered && next_res < n && !chance(traffic.res_gap)) {
          res_offered = true;
          drive_res(beats[next_res].residual);
        } else if (!res_offered) {
          drive_res_noise();
        }
        t.res_valid_i = res_offered;
      } else {
        // Conv layers must ignore the residual stream whatever it does.
        t.res_valid_i = chance(0.5);
        drive_res_noise();
      }
      t.out_ready_i = !chance(traffic.stall);
      bench_.settle();

      const bool acc_fire = t.acc_valid_i && t.acc_ready_o;
      const bool res_fire = t.res_valid_i && t.res_ready_o;
      if (residual) {
        EXPECT_EQ(acc_fire, res_fire) << "npu_ppu: accumulator and residual handshakes must "
                                         "coincide, cycle "
                                      << bench_.cycle();
      } else {
        EXPECT_FALSE(t.res_ready_o)
            << "npu_ppu: res_ready_o in a conv layer, cycle " << bench_.cycle();
      }

      if (held) {
        EXPECT_TRUE(t.out_valid_o)
            << "npu_ppu: out_valid_o dropped under backpressure, cycle " << bench_.cycle();
        bool same = get_bits(t.out_user_o, 0, kUserBits) == held_user;
        for (int l = 0; l < lanes_; ++l) {
          same = same && get_bits(t.out_data_o, 8 * l, 8) == held_data[std::size_t(l)];
        }
        EXPECT_TRUE(same) << "npu_ppu: output changed under backpressure, cycle " << bench_.cycle();
      }
      const bool out_fire = t.out_valid_o && t.out_ready_i;
      if (t.out_valid_o && !t.out_ready_i) {
        held = true;
        held_user = get_bits(t.out_user_o, 0, kUserBits);
        for (int l = 0; l < lanes_; ++l) {
          held_data[std::size_t(l)] = static_cast<uint8_t>(get_bits(t.out_data_o, 8 * l, 8));
        }
      } else {
        held = false;
      }
      if (out_fire) {
        if (next_out >= next_acc) {
          ADD_FAILURE() << "npu_ppu: output beat " << next_out << " before its input, cycle "
                        << bench_.cycle();
          return stats;
        }
        check_output(layer, ref, beats, next_out, report, stats);
        const uint64_t latency = bench_.cycle() - accepted_at[next_out];
        stats.min_latency = std::min(stats.min_latency, latency);
        stats.max_latency = std::max(stats.max_latency, latency);
        if (next_out == 0) stats.first_output = bench_.cycle();
        stats.last_output = bench_.cycle();
      }
      if (acc_fire) {
        accepted_at[next_acc] = bench_.cycle();
        if (next_acc == 0) stats.first_accept = bench_.cycle();
        stats.last_accept = bench_.cycle();
      }

      bench_.tick();

      if (acc_fire) {
        ++next_acc;
        acc_offered = false;
        bench_.progress();
      }
      if (residual && res_fire) {
        ++next_res;
        res_offered = false;
      }
      if (out_fire) {
        ++next_out;
        bench_.progress();
      }
    }
    t.acc_valid_i = 0;
    t.res_valid_i = 0;
    bench_.settle();
    return stats;
  }

  // Holds the output stalled while offering beats: returns how many the unit took before it
  // stopped (its credit), then drains them with out_ready_i high. Results are not checked.
  int stalled_capacity(const PpuLayer& layer, const std::vector<PpuBeat>& beats, int cycles) {
    Model& t = bench_.top();
    std::size_t taken = 0;
    t.out_ready_i = 0;
    for (int i = 0; i < cycles && taken < beats.size(); ++i) {
      drive_acc(beats[taken], static_cast<uint32_t>(taken));
      if (layer.uses_residual()) drive_res(beats[taken].residual);
      t.acc_valid_i = 1;
      t.res_valid_i = layer.uses_residual();
      bench_.settle();
      const bool fire = t.acc_ready_o;
      bench_.tick();
      if (fire) ++taken;
      bench_.progress();
    }
    // A beat offered and not taken stays offered (valid/ready: no withdrawal, the protocol
    // assertions check it) until the draining unit takes it; it is drained too.
    bool offered = taken < beats.size();
    std::size_t extra = 0;
    t.out_ready_i = 1;
    std::size_t drained = 0;
    for (int i = 0; i < 200 && (drained < taken + extra || offered); ++i) {
      bench_.settle();
      if (t.out_valid_o) ++drained;
      const bool fire = offered && t.acc_ready_o;
      bench_.tick();
      if (fire) {
        offered = false;
        extra = 1;
        t.acc_valid_i = 0;
        t.res_valid_i = 0;
      }
    }
    t.acc_valid_i = 0;
    t.res_valid_i = 0;
    EXPECT_EQ(drained, taken + extra) << "npu_ppu: beats lost while draining";
    bench_.settle();
    EXPECT_TRUE(t.idle_o) << "npu_ppu: not idle after draining";
    return static_cast<int>(taken);
  }

  void idle_cycles(int n) {
    for (int i = 0; i < n; ++i) {
      bench_.tick();
      bench_.progress();
    }
  }

 private:
  bool chance(double p) { return p > 0.0 && std::bernoulli_distribution(p)(rng_); }

  void drive_acc(const PpuBeat& beat, uint32_t index) {
    Model& t = bench_.top();
    for (int l = 0; l < lanes_; ++l) {
      set_bits(t.acc_data_i, 32 * l, 32, static_cast<uint32_t>(beat.acc[std::size_t(l)]));
    }
    t.acc_group_i = static_cast<std::remove_reference_t<decltype(t.acc_group_i)>>(beat.group);
    set_bits(t.acc_user_i, 0, kUserBits, index & ((1U << kUserBits) - 1));
  }

  void drive_acc_noise() {
    Model& t = bench_.top();
    for (int l = 0; l < lanes_; ++l) set_bits(t.acc_data_i, 32 * l, 32, uint32_t(rng_()));
    set_bits(t.acc_user_i, 0, kUserBits, uint32_t(rng_()));
  }

  void drive_res(const std::vector<int8_t>& residual) {
    Model& t = bench_.top();
    for (int l = 0; l < lanes_; ++l) {
      set_bits(t.res_data_i, 8 * l, 8, static_cast<uint8_t>(residual[std::size_t(l)]));
    }
  }

  void drive_res_noise() {
    Model& t = bench_.top();
    for (int l = 0; l < lanes_; ++l) set_bits(t.res_data_i, 8 * l, 8, uint32_t(rng_()) & 0xff);
  }

  void check_output(const PpuLayer& layer, const PpuReference& ref,
                    const std::vector<PpuBeat>& beats, std::size_t index, MismatchReporter& report,
                    PpuRunStats& stats) {
    Model& t = bench_.top();
    const PpuBeat& beat = beats[index];
    const uint32_t user = get_bits(t.out_user_o, 0, kUserBits);
    const uint32_t want_user = static_cast<uint32_t>(index) & ((1U << kUserBits) - 1);
    if (user != want_user) {
      report.check("beat " + std::to_string(index) + " user sideband (beat order)", want_user,
                   user);
    }
    for (int l = 0; l < lanes_; ++l) {
      const int c = beat.group * lanes_ + l;
      if (c >= layer.channels()) continue;  // lane beyond the layer: a don't-care
      const int32_t acc = beat.acc[std::size_t(l)];
      const int8_t b = layer.uses_residual() ? beat.residual[std::size_t(l)] : int8_t{0};
      const int8_t want = ref.output(c, acc, b);
      const int8_t got = static_cast<int8_t>(get_bits(t.out_data_o, 8 * l, 8));
      ++stats.compared;
      if (want == -128 || want == 127) ++stats.saturated;
      const int32_t zp =
          layer.mode == PpuMode::kConv ? layer.zero_point : layer.add.output_zero_point;
      if (want == zp) ++stats.at_zero_point;
      if (want != got) {
        const PpuChannel& ch = layer.table[std::size_t(c)];
        std::ostringstream where;
        where << "beat " << index << " (pixel " << beat.pixel << ", group " << beat.group
              << "), lane " << l << ", channel " << c << " [acc " << acc << ", bias " << ch.bias
              << ", M " << ch.multiplier << ", shift " << ch.shift;
        if (layer.mode == PpuMode::kConvAdd) {
          where << ", conv out " << int(ref.conv_output(c, acc));
        }
        if (layer.uses_residual()) where << ", residual " << int(b);
        where << "; layer " << layer.describe() << "]";
        report.check(where.str(), want, got);
      }
    }
  }

  int lanes_;
  std::mt19937_64 rng_;
  VerilatedBench<Model> bench_;
};

}  // namespace npu::tb
