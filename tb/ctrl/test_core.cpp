// npu_core (control unit + load DMA + store DMA + datapath) at NPU_CORE_ROWS: whole conv layers
// run from DRAM only, as the driver will run them: the bench writes the input, the weights, the
// PPU table and a LOAD / LOAD / LOAD / COMPUTE / STORE / END stream into the AXI memory model
// (random latency and backpressure), pulses start, waits for done, and compares every output
// byte in DRAM with golden. A bus error during a load ends with its code, and the next run
// after a soft reset is bit-exact again.
#include <gtest/gtest.h>

#include <cstdint>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "Vcore.h"
#include "golden/conv2d.h"
#include "sw/test_support/dp_layer.h"
#include "sw/test_support/layer_image.h"
#include "sw/test_support/streams.h"
#include "sw/test_support/tensor_check.h"
#include "tb/common/axi_memory.h"
#include "tb/common/axi_memory_port.h"
#include "tb/common/bench_env.h"
#include "tb/common/mismatch.h"
#include "tb/common/tensor_mismatch.h"
#include "tb/common/verilated_bench.h"
#include "tb/ctrl/ctrl_command.h"

namespace npu::tb::ctrl {
namespace {

using namespace npu::test_support;  // NOLINT(google-build-using-namespace): the shared test layers

constexpr int kRows = NPU_CORE_ROWS;
constexpr DramMap kDram{};
constexpr uint32_t kQueue = kDram.queue, kIn = kDram.in, kOut = kDram.out;

DpHw core_hw() {
  DpHw hw;
  hw.rows = hw.cols = kRows;
  hw.act_depth = NPU_CORE_ACT_DEPTH;
  hw.wgt_depth = NPU_CORE_WGT_DEPTH;
  hw.acc_depth = NPU_CORE_ACC_DEPTH;
  return hw;
}

struct CoreRun {
  bool done = false;
  uint32_t err = 0, err_cmd = 0;
  uint64_t cycles = 0;
  // Sums of the core's performance events (ev_*_o) over the run, and its busy cycles.
  uint32_t mac = 0, rd_bytes = 0, wr_bytes = 0, cp_busy = 0, ld_busy = 0, st_busy = 0;
  uint32_t busy_cycles = 0;
};

class CoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = test_seed();
    rng_.seed(seed_);
    AxiMemoryConfig cfg;
    cfg.data_bytes = kRows;
    cfg.read_latency_min = 2;
    cfg.read_latency_max = 20;
    cfg.write_latency_min = 1;
    cfg.write_latency_max = 10;
    cfg.ar_ready = 0.8;
    cfg.aw_ready = 0.8;
    cfg.w_ready = 0.8;
    cfg.r_valid = 0.8;
    cfg.b_valid = 0.8;
    cfg.seed = seed_ ^ 0xc0e;
    memory_ = std::make_unique<AxiMemory>(cfg);
    port_ = std::make_unique<AxiMemoryPort<Vcore>>(bench_.top(), *memory_);
    Vcore& t = bench_.top();
    t.start_i = 0;
    t.soft_reset_i = 0;
    bench_.reset();
  }

  // The DRAM image and stream of one layer (test_support::conv_image); returns the stream.
  std::vector<CmdWords> place(const DpLayer& L) {
    const LayerImage im = conv_image(L, kDram);
    for (const DramWrite& w : im.writes) memory_->write(w.addr, w.bytes);
    return im.stream;
  }

  CoreRun run(const std::vector<CmdWords>& stream, uint64_t max_cycles = 2000000) {
    memory_->write(kQueue, to_bytes(stream));
    Vcore& t = bench_.top();
    t.queue_base_i = kQueue;
    t.queue_size_i = static_cast<uint32_t>(stream.size());
    t.start_i = 1;
    CoreRun r;
    const uint64_t start = bench_.cycle();
    while (bench_.cycle() - start < max_cycles) {
      port_->drive();
      bench_.settle();
      const uint64_t beats = memory_->stats().r_beats + memory_->stats().w_beats;
      r.mac += t.ev_mac_o;
      r.rd_bytes += t.ev_rd_bytes_o;
      r.wr_bytes += t.ev_wr_bytes_o;
      r.cp_busy += t.ev_cp_busy_o;
      r.ld_busy += t.ev_ld_busy_o;
      r.st_busy += t.ev_st_busy_o;
      r.busy_cycles += t.busy_o;
      if (t.done_o) {
        r.done = true;
        r.err = t.err_code_o;
        r.err_cmd = t.err_cmd_o;
        r.cycles = bench_.cycle() - start;
      }
      port_->step();
      if (memory_->stats().r_beats + memory_->stats().w_beats != beats || t.ev_mac_o) {
        bench_.progress();
      }
      bench_.tick();
      t.start_i = 0;
      if (r.done) break;
    }
    t.start_i = 0;
    return r;
  }

  int check_output(const DpLayer& L) {
    MismatchReporter m("core");
    const golden::Tensor& e = L.expected;
    const std::vector<uint8_t> out =
        memory_->read(kOut, static_cast<std::size_t>(L.job.pixels * L.job.out_groups * kRows));
    return check_tensor(m, L.kase.name, e,
                        unpack_words(out, e.shape, e.quant, L.job.out_groups, kRows));
  }

  void run_layer(const DpCase& k) {
    const DpLayer L = make_dp_layer(k, core_hw(), rng_);
    const CoreRun r = run(place(L));
    ASSERT_TRUE(r.done) << "[core] no done_o for " << L.describe();
    EXPECT_EQ(r.err, 0u) << ctrl_error_name(r.err) << " at command " << r.err_cmd;
    EXPECT_EQ(check_output(L), 0) << L.describe();
    EXPECT_NO_THROW(memory_->check_idle());
    // Counters against the layer's sizes: every byte moved once, one MAC-active cycle per
    // array vector (pixels x K-chunks x N-tiles).
    const auto words = L.act_words.size() + L.res_words.size() + L.w_words.size();
    EXPECT_EQ(r.rd_bytes, 16 * L.params.size() + words * kRows) << "[core] DMA bytes read";
    EXPECT_EQ(r.wr_bytes, static_cast<uint32_t>(L.job.pixels * L.job.out_groups * kRows))
        << "[core] DMA bytes written";
    EXPECT_EQ(r.mac, static_cast<uint32_t>(L.job.pixels * L.job.kchunks * L.job.ntiles))
        << "[core] MAC-active cycles";
    std::cout << "[ core     ] " << k.name << ": " << r.cycles << " cycles from start to done, "
              << "compute busy " << r.cp_busy << ", MAC-active " << r.mac << ", DMA read "
              << r.rd_bytes << " B, written " << r.wr_bytes << " B" << std::endl;
  }

  VerilatedBench<Vcore> bench_{"core", 20000};
  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  std::unique_ptr<AxiMemory> memory_;
  std::unique_ptr<AxiMemoryPort<Vcore>> port_;
};

TEST_F(CoreTest, Conv3x3FromDram) {
  DpCase k;
  k.name = "3x3/s1/p1";
  k.h = 8;
  k.w = 8;
  k.c = 2 * kRows;
  k.out_c = 2 * kRows;
  run_layer(k);
}

TEST_F(CoreTest, StemC3Stride2FromDram) {
  DpCase k;
  k.name = "7x7/s2/p3, C=3";
  k.h = 12;
  k.w = 12;
  k.c = 3;
  k.out_c = kRows + 3;
  k.kh = k.kw = 7;
  k.sh = k.sw = 2;
  k.pad_top = k.pad_left = k.pad_bottom = k.pad_right = 3;
  run_layer(k);
}

TEST_F(CoreTest, ResidualFromDram) {
  DpCase k;
  k.name = "3x3/s1/p1 + residual";
  k.h = 6;
  k.w = 6;
  k.c = kRows;
  k.out_c = kRows;
  k.residual = true;
  run_layer(k);
}

// Six inputs through one layer as double-buffered tiles: input i and its output live in
// activation bank i % 2 (input at word 0, output behind it), so the load of tile i+1 and the
// store of tile i-1 run while tile i computes; tokens (as in docs/control.md) keep a bank's
// regions from being overwritten before they are consumed. Every output is bit-exact.
TEST_F(CoreTest, DoubleBufferedTilesFromDram) {
  DpCase k;
  k.name = "3x3/s1/p1 tiles";
  k.h = 8;
  k.w = 8;
  k.c = kRows;
  k.out_c = kRows;
  constexpr int kTiles = 6;
  const DpLayer L = make_dp_layer(k, core_hw(), rng_);
  std::vector<CmdWords> s = place(L);  // params, weights (and a first input we replace)
  s.resize(2);
  const auto rows = static_cast<uint32_t>(kRows);
  const auto in_words = static_cast<uint32_t>(L.act_words.size());
  const auto out_words = static_cast<uint32_t>(L.job.pixels * L.job.out_groups);
  std::vector<golden::Tensor> expected;
  for (int i = 0; i < kTiles; ++i) {
    const auto t = static_cast<uint32_t>(i), bank = t % 2;
    const golden::Tensor x = dp_random_tensor(L.input.shape, L.input.quant, rng_);
    expected.push_back(golden::conv2d(x, L.weights, L.geometry, L.expected.quant, L.job.relu));
    std::vector<uint8_t> bytes(in_words * rows, 0);
    const int groups = L.job.in_groups;
    for (int y = 0; y < k.h; ++y) {
      for (int xx = 0; xx < k.w; ++xx) {
        for (int ch = 0; ch < k.c; ++ch) {
          bytes[static_cast<std::size_t>(((y * k.w + xx) * groups + ch / kRows) * kRows +
                                         ch % kRows)] = static_cast<uint8_t>(x.at(0, y, xx, ch));
        }
      }
    }
    memory_->write(kIn + 0x10000 * t, bytes);
    memory_->write(kOut + 0x10000 * t, std::vector<uint8_t>(out_words * rows, 0xA5));
    ComputeCmd c = to_command(L.job);
    c.in_bank = c.out_bank = bank;
    c.in_base = 0;
    c.out_base = in_words;
    s.push_back(encode_load(one_row(0, bank, 0, kIn + 0x10000 * t, in_words * rows),
                            {false, i >= 2, false, true}));
    s.push_back(encode_compute(c, {true, i >= 2, true, true}));
    s.push_back(encode_store(one_row(0, bank, in_words, kOut + 0x10000 * t, out_words * rows),
                             {true, false, true, false}));
  }
  s.push_back(encode_end());
  const CoreRun r = run(s);
  ASSERT_TRUE(r.done);
  EXPECT_EQ(r.err, 0u) << ctrl_error_name(r.err) << " at command " << r.err_cmd;
  for (int i = 0; i < kTiles; ++i) {
    MismatchReporter m("core");
    const std::vector<uint8_t> out =
        memory_->read(kOut + 0x10000 * static_cast<uint32_t>(i), out_words * rows);
    const golden::Tensor& e = expected[static_cast<std::size_t>(i)];
    for (int y = 0; y < e.shape.h; ++y) {
      for (int xx = 0; xx < e.shape.w; ++xx) {
        for (int ch = 0; ch < e.shape.c; ++ch) {
          const int word = (y * e.shape.w + xx) * L.job.out_groups + ch / kRows;
          std::ostringstream idx;
          idx << "tile " << i << ", (y " << y << ", x " << xx << ", c " << ch << ")";
          m.check(idx.str(), static_cast<int>(e.at(0, y, xx, ch)),
                  static_cast<int>(static_cast<int8_t>(
                      out[static_cast<std::size_t>(word * kRows + ch % kRows)])));
        }
      }
    }
    EXPECT_EQ(m.mismatches(), 0) << "tile " << i;
  }
  // The engines' busy cycles add up to more than the run: they overlapped.
  EXPECT_GT(r.ld_busy + r.cp_busy + r.st_busy, r.busy_cycles);
  std::cout << "[ core     ] " << kTiles << " tiles: " << r.busy_cycles << " cycles, busy ld/cp/st "
            << r.ld_busy << "/" << r.cp_busy << "/" << r.st_busy << std::endl;
  EXPECT_NO_THROW(memory_->check_idle());
}

TEST_F(CoreTest, BusErrorDuringLoadThenCleanRun) {
  DpCase k;
  k.name = "1x1/s2";
  k.h = 8;
  k.w = 8;
  k.c = kRows;
  k.out_c = kRows;
  k.kh = k.kw = 1;
  k.sh = k.sw = 2;
  k.pad_top = k.pad_left = k.pad_bottom = k.pad_right = 0;
  const DpLayer L = make_dp_layer(k, core_hw(), rng_);
  const std::vector<CmdWords> s = place(L);
  memory_->add_error_range(kIn + 64, kIn + 65, AxiResp::kSlvErr, true, false);
  const CoreRun bad = run(s);
  ASSERT_TRUE(bad.done);
  EXPECT_EQ(bad.err, static_cast<uint32_t>(CtrlError::kDmaRdSlverr)) << ctrl_error_name(bad.err);
  EXPECT_EQ(bad.err_cmd, static_cast<uint32_t>(s.size() - 4)) << "the input LOAD";
  EXPECT_NO_THROW(memory_->check_idle());
  memory_->clear_errors();
  Vcore& t = bench_.top();
  t.soft_reset_i = 1;
  bench_.tick();
  t.soft_reset_i = 0;
  const CoreRun good = run(place(L));
  ASSERT_TRUE(good.done);
  EXPECT_EQ(good.err, 0u) << ctrl_error_name(good.err);
  EXPECT_EQ(check_output(L), 0);
}

}  // namespace
}  // namespace npu::tb::ctrl
