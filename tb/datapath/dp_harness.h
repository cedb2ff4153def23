// Drives one Verilated npu_datapath: preloads the scratchpads and the PPU table through the
// write ports, runs one conv / FC layer job or one pool job (start / done), reads the output
// activation bank back and checks every output byte against golden. Clock, reset, watchdog,
// NPU_TRACE: tb/common.
#pragma once

#include <cstdint>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "sw/test_support/dp_layer.h"
#include "tb/common/mismatch.h"
#include "tb/common/port_bits.h"
#include "tb/common/verilated_bench.h"

namespace npu::tb {

using namespace npu::test_support;  // NOLINT(google-build-using-namespace): the shared test layers

struct DpRunStats {
  uint64_t cycles = 0, vectors = 0, acc_stall = 0, w_wait = 0;
  int64_t macs = 0;
  double ideal = 0.0;
  int mismatches = 0;
};

template <class Model>
class DpHarness {
 public:
  static constexpr uint64_t kWatchdogCycles = 4000;

  explicit DpHarness(DpHw hw) : hw_(hw), bench_("datapath", kWatchdogCycles) {
    Model& t = bench_.top();
    t.start_i = 0;
    t.act_wr_valid_i = 0;
    t.act_rd_valid_i = 0;
    t.w_wr_valid_i = 0;
    t.prm_valid_i = 0;
    bench_.reset();
  }

  VerilatedBench<Model>& bench() { return bench_; }

  // Loads, runs and checks one layer; returns the cycle statistics.
  DpRunStats run(const DpLayer& L) {
    const DpJob& j = L.job;
    for (size_t a = 0; a < L.act_words.size(); ++a)
      write_act(j.in_bank, j.in_base + static_cast<int>(a), L.act_words[a]);
    for (size_t a = 0; a < L.res_words.size(); ++a)
      write_act(j.res_bank, j.res_base + static_cast<int>(a), L.res_words[a]);
    for (size_t a = 0; a < L.w_words.size(); ++a)
      write_w(j.w_bank, j.w_base + int(a), L.w_words[a]);
    for (size_t c = 0; c < L.params.size(); ++c) write_param(static_cast<int>(c), L.params[c]);
    // Poison the output region so that a word the job forgets to write cannot pass.
    std::vector<uint8_t> poison(static_cast<size_t>(hw_.rows), 0xA5);
    for (int a = 0; a < j.pixels * j.out_groups; ++a) write_act(j.out_bank, j.out_base + a, poison);

    DpRunStats s = execute(j, L.describe());
    s.macs = L.macs;
    s.ideal = double(L.macs) / double(hw_.rows * hw_.cols);
    s.mismatches = check_output(L.kase.name, L.expected, j);
    return s;
  }

  // Loads (if the layer carries input words), runs and checks one pool job.
  DpRunStats run_pool(const DpPoolLayer& P) {
    const DpJob& j = P.job;
    for (size_t a = 0; a < P.act_words.size(); ++a)
      write_act(j.in_bank, j.in_base + static_cast<int>(a), P.act_words[a]);
    std::vector<uint8_t> poison(static_cast<size_t>(hw_.rows), 0x5A);
    for (int a = 0; a < P.out_words; ++a) write_act(j.out_bank, j.out_base + a, poison);
    DpRunStats s = execute(j, P.describe());
    s.ideal = double(P.ideal_cycles);
    s.mismatches = check_output(P.kase.name, P.expected, j);
    return s;
  }

  static void report_pool(const DpPoolLayer& P, const DpRunStats& s, int rows) {
    std::cout << "[ cycles   ] " << rows << "x" << rows << " " << P.describe() << "\n"
              << "             cycles " << s.cycles << ", output words " << P.out_words
              << ", activation reads " << s.vectors << ", ideal (1 tap/cycle, avg >= 8/word) "
              << std::fixed << std::setprecision(0) << s.ideal << ", ratio " << std::setprecision(3)
              << s.ideal / double(s.cycles) << ", overhead " << int64_t(s.cycles) - int64_t(s.ideal)
              << " cycles (start, read pipe, reducer, "
              << "division, done)" << std::endl;
  }

  static void report(const DpLayer& L, const DpRunStats& s, int rows, int cols) {
    const int64_t tiles = int64_t{L.job.ntiles} * L.job.kchunks * L.job.mblocks;
    const uint64_t other = s.cycles - s.vectors - s.w_wait - s.acc_stall;
    std::cout << "[ cycles   ] " << rows << "x" << cols << " " << L.describe() << "\n"
              << "             cycles " << s.cycles << ", MACs " << s.macs << ", ideal "
              << std::fixed << std::setprecision(1) << s.ideal << ", utilization "
              << std::setprecision(3) << s.ideal / double(s.cycles) << "\n"
              << "             array input busy " << s.vectors << " vectors in " << tiles
              << " tiles (MAC slots " << s.vectors * rows * cols << ", " << std::setprecision(1)
              << 100.0 * (1.0 - double(s.macs) / double(s.vectors * rows * cols))
              << "% of them padding: channel / K remainders, packing)\n"
              << "             overhead " << s.cycles - s.vectors << " cycles: weight-bound tiles "
              << s.w_wait << ", accumulator bank waits (PPU drain) " << s.acc_stall
              << ", fill / final drain / packing reads " << other << std::endl;
  }

 private:
  // Configures and runs one job to done_o; the cycle count is start to done.
  DpRunStats execute(const DpJob& j, const std::string& what) {
    Model& t = bench_.top();
    configure(j);
    t.start_i = 1;
    bench_.settle();
    bench_.tick();
    t.start_i = 0;
    uint32_t last_vectors = 0;
    const uint64_t start_cycle = bench_.cycle();
    while (!t.done_o) {
      bench_.settle();
      bench_.tick();
      if (t.perf_vectors_o != last_vectors) {
        last_vectors = t.perf_vectors_o;
        bench_.progress();
      }
      EXPECT_EQ(t.cfg_err_o, 0) << "cfg_err_o raised for " << what;
    }
    bench_.progress();
    DpRunStats s;
    s.cycles = bench_.cycle() - start_cycle;
    s.vectors = t.perf_vectors_o;
    s.acc_stall = t.perf_acc_stall_o;
    s.w_wait = t.perf_w_wait_o;
    return s;
  }

  void configure(const DpJob& j) {
    Model& t = bench_.top();
    t.cfg_job_i = j.pool ? 1 : 0;
    t.cfg_in_row_words_i = j.in_row_words;
    t.cfg_pad_bottom_i = j.pad_bottom;
    t.cfg_pad_right_i = j.pad_right;
    t.cfg_pool_mode_i = j.pool_mode;
    t.cfg_in_bank_i = j.in_bank;
    t.cfg_in_base_i = j.in_base;
    t.cfg_in_h_i = j.in_h;
    t.cfg_in_w_i = j.in_w;
    t.cfg_in_groups_i = j.in_groups;
    t.cfg_slot_i = j.slot;
    t.cfg_taps_per_chunk_i = j.taps_per_chunk;
    t.cfg_in_zp_i = static_cast<uint8_t>(j.in_zp);
    t.cfg_kernel_h_i = j.kernel_h;
    t.cfg_kernel_w_i = j.kernel_w;
    t.cfg_stride_h_i = j.stride_h;
    t.cfg_stride_w_i = j.stride_w;
    t.cfg_pad_top_i = j.pad_top;
    t.cfg_pad_left_i = j.pad_left;
    t.cfg_out_w_i = j.out_w;
    t.cfg_pixels_i = j.pixels;
    t.cfg_kchunks_i = j.kchunks;
    t.cfg_ntiles_i = j.ntiles;
    t.cfg_mblock_i = j.mblock;
    t.cfg_mblocks_i = j.mblocks;
    t.cfg_w_bank_i = j.w_bank;
    t.cfg_w_base_i = j.w_base;
    t.cfg_w_words_i = j.w_words;
    t.cfg_out_bank_i = j.out_bank;
    t.cfg_out_base_i = j.out_base;
    t.cfg_out_groups_i = j.out_groups;
    t.cfg_res_bank_i = j.res_bank;
    t.cfg_res_base_i = j.res_base;
    t.cfg_mode_i = j.mode;
    t.cfg_zp_i = static_cast<uint8_t>(j.zp);
    t.cfg_relu_i = j.relu;
    const golden::AddParams& a = j.add;
    t.cfg_add_zp_a_i = static_cast<uint8_t>(a.a_zero_point);
    t.cfg_add_zp_b_i = static_cast<uint8_t>(a.b_zero_point);
    t.cfg_add_zp_out_i = static_cast<uint8_t>(a.output_zero_point);
    t.cfg_add_mult_a_i = static_cast<uint32_t>(a.a_multiplier.multiplier);
    t.cfg_add_mult_b_i = static_cast<uint32_t>(a.b_multiplier.multiplier);
    t.cfg_add_mult_out_i = static_cast<uint32_t>(a.output_multiplier.multiplier);
    t.cfg_add_shift_a_i = static_cast<uint8_t>(a.a_multiplier.shift) & 0x3F;
    t.cfg_add_shift_b_i = static_cast<uint8_t>(a.b_multiplier.shift) & 0x3F;
    t.cfg_add_shift_out_i = static_cast<uint8_t>(a.output_multiplier.shift) & 0x3F;
    t.cfg_add_relu_i = a.relu;
  }

  template <class Port>
  static void put_bytes(Port& port, const std::vector<uint8_t>& bytes) {
    for (size_t i = 0; i < bytes.size(); ++i) set_bits(port, int(i) * 8, 8, bytes[i]);
  }

  // One write beat, held until taken.
  template <class SetValid, class Ready>
  void handshake(SetValid set_valid, Ready ready) {
    set_valid(1);
    for (;;) {
      bench_.settle();
      const bool taken = ready();
      bench_.tick();
      if (taken) break;
    }
    set_valid(0);
    bench_.progress();
  }

  void write_act(int bank, int addr, const std::vector<uint8_t>& word) {
    Model& t = bench_.top();
    t.act_wr_bank_i = bank;
    t.act_wr_addr_i = addr;
    put_bytes(t.act_wr_data_i, word);
    handshake([&](int v) { t.act_wr_valid_i = v; }, [&] { return t.act_wr_ready_o != 0; });
  }
  void write_w(int bank, int addr, const std::vector<uint8_t>& word) {
    Model& t = bench_.top();
    t.w_wr_bank_i = bank;
    t.w_wr_addr_i = addr;
    put_bytes(t.w_wr_data_i, word);
    handshake([&](int v) { t.w_wr_valid_i = v; }, [&] { return t.w_wr_ready_o != 0; });
  }
  void write_param(int chan, const DpParam& p) {
    Model& t = bench_.top();
    t.prm_chan_i = chan;
    t.prm_bias_i = static_cast<uint32_t>(p.bias);
    t.prm_mult_i = static_cast<uint32_t>(p.mult);
    t.prm_shift_i = static_cast<uint8_t>(p.shift) & 0x3F;
    handshake([&](int v) { t.prm_valid_i = v; }, [&] { return t.prm_ready_o != 0; });
  }

  std::vector<uint8_t> read_act(int bank, int addr) {
    Model& t = bench_.top();
    t.act_rd_bank_i = bank;
    t.act_rd_addr_i = addr;
    t.act_rd_valid_i = 1;
    bench_.settle();
    EXPECT_TRUE(t.act_rd_ready_o) << "activation read refused while idle";
    bench_.tick();
    t.act_rd_valid_i = 0;
    bench_.settle();
    std::vector<uint8_t> word(static_cast<size_t>(hw_.rows));
    for (int i = 0; i < hw_.rows; ++i)
      word[i] = static_cast<uint8_t>(get_bits(t.act_rd_rdata_o, i * 8, 8));
    return word;
  }

  // Output words: out_base + (y * W + x) * out_groups + group, lane = channel % cols.
  int check_output(const std::string& name, const golden::Tensor& e, const DpJob& j) {
    MismatchReporter m("datapath");
    for (int y = 0; y < e.shape.h; ++y)
      for (int x = 0; x < e.shape.w; ++x) {
        const int pix = y * e.shape.w + x;
        for (int nt = 0; nt < j.out_groups; ++nt) {
          const std::vector<uint8_t> word =
              read_act(j.out_bank, j.out_base + pix * j.out_groups + nt);
          for (int c = 0; c < hw_.cols; ++c) {
            const int ch = nt * hw_.cols + c;
            if (ch >= e.shape.c) continue;
            std::ostringstream idx;
            idx << "case " << name << ", (y " << y << ", x " << x << ", c " << ch << ")";
            m.check(idx.str(), e.at(0, y, x, ch), static_cast<int8_t>(word[c]));
          }
        }
      }
    return m.mismatches();
  }

  DpHw hw_;
  VerilatedBench<Model> bench_;
};

}  // namespace npu::tb
