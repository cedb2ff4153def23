// npu_top at NPU_TOP_ROWS, driven as the driver will drive it: only AXI4-Lite register accesses
// (random gaps and BREADY/RREADY) and the AXI4 memory model (random latency, 80% ready/valid).
// The bench writes tensors, PPU records and the command stream into memory, programs CMDQ_*,
// enables the interrupts, writes CONTROL.START, waits for irq_o, then reads STATUS, ERROR_* and
// the counters and compares every output byte in memory with golden. A bus error during a load
// ends in ERROR_CODE = DMA_RD_SLVERR with the interrupt; after SOFT_RESET the next job is
// bit-exact.
#include <gtest/gtest.h>

#include <cstdint>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "Vtop.h"
#include "golden/conv2d.h"
#include "npu_regs/npu_regs.h"
#include "tb/common/axi_lite_master.h"
#include "tb/common/axi_memory.h"
#include "tb/common/axi_memory_port.h"
#include "tb/common/bench_env.h"
#include "tb/common/mismatch.h"
#include "tb/common/verilated_bench.h"
#include "tb/ctrl/ctrl_command.h"
#include "tb/ctrl/ctrl_job.h"
#include "tb/datapath/dp_layer.h"

namespace npu::tb::top {
namespace {

using ctrl::CmdWords;
using ctrl::ComputeCmd;
using ctrl::DmaCmd;
namespace r = npu::regs;

constexpr int kRows = NPU_TOP_ROWS;
constexpr uint32_t kQueue = 0x10000, kIn = 0x100000, kWgt = 0x200000, kPrm = 0x300000,
                   kOut = 0x400000;

DpHw top_hw() {
  DpHw hw;
  hw.rows = hw.cols = kRows;
  hw.act_depth = NPU_TOP_ACT_DEPTH;
  hw.wgt_depth = NPU_TOP_WGT_DEPTH;
  hw.acc_depth = NPU_TOP_ACC_DEPTH;
  return hw;
}

using ctrl::flatten;
using ctrl::one_row;
using ctrl::param_records;
using ctrl::to_command;

// What a job left in the registers once its interrupt came.
struct JobResult {
  bool irq = false;
  uint64_t cycles = 0;
  uint32_t status = 0, irq_status = 0, code = 0, info = 0, addr = 0;
};

class TopTest : public ::testing::Test {
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
    cfg.seed = seed_ ^ 0x70b;
    memory_ = std::make_unique<AxiMemory>(cfg);
    port_ = std::make_unique<AxiMemoryPort<Vtop>>(bench_.top(), *memory_);
    axil_ = std::make_unique<AxiLiteMaster<Vtop>>(bench_, seed_ ^ 0x11e);
    // The memory model runs in every cycle of every register access and idle cycle.
    axil_->set_on_cycle([this](Vtop&) {
      port_->drive();
      bench_.settle();
      port_->step();
    });
    Vtop& t = bench_.top();
    t.s_axil_awvalid_i = 0;
    t.s_axil_wvalid_i = 0;
    t.s_axil_arvalid_i = 0;
    t.s_axil_bready_i = 0;
    t.s_axil_rready_i = 0;
    bench_.reset();
  }

  // DRAM image and stream of one layer: LOAD params, LOAD weights, LOAD input (push),
  // COMPUTE (pop, push), STORE (pop), END.
  std::vector<CmdWords> place(const DpLayer& L) {
    const DpJob& j = L.job;
    memory_->write(kIn, flatten(L.act_words));
    memory_->write(kWgt, flatten(L.w_words));
    const std::vector<uint8_t> prm = param_records(L.params);
    memory_->write(kPrm, prm);
    memory_->write(kOut, std::vector<uint8_t>(out_bytes(L), 0xA5));  // poison
    const auto rows = static_cast<uint32_t>(kRows);
    std::vector<CmdWords> s;
    s.push_back(ctrl::encode_load(one_row(2, 0, 0, kPrm, static_cast<uint32_t>(prm.size())), {}));
    s.push_back(ctrl::encode_load(one_row(1, static_cast<uint32_t>(j.w_bank),
                                          static_cast<uint32_t>(j.w_base), kWgt,
                                          static_cast<uint32_t>(L.w_words.size()) * rows),
                                  {}));
    s.push_back(ctrl::encode_load(one_row(0, static_cast<uint32_t>(j.in_bank),
                                          static_cast<uint32_t>(j.in_base), kIn,
                                          static_cast<uint32_t>(L.act_words.size()) * rows),
                                  {false, false, false, true}));
    s.push_back(ctrl::encode_compute(to_command(j), {true, false, false, true}));
    s.push_back(ctrl::encode_store(one_row(0, static_cast<uint32_t>(j.out_bank),
                                           static_cast<uint32_t>(j.out_base), kOut,
                                           out_bytes(L)),
                                   {true, false, false, false}));
    s.push_back(ctrl::encode_end());
    return s;
  }

  static uint32_t out_bytes(const DpLayer& L) {
    return static_cast<uint32_t>(L.job.pixels * L.job.out_groups * kRows);
  }

  // The driver's sequence: queue into memory, CMDQ_*, IRQ_ENABLE, START, wait for irq_o.
  JobResult run_job(const std::vector<CmdWords>& stream, uint64_t max_cycles = 2000000) {
    memory_->write(kQueue, ctrl::to_bytes(stream));
    axil_->write(r::kCmdqBaseLo, kQueue);
    axil_->write(r::kCmdqBaseHi, 0);
    axil_->write(r::kCmdqSize, static_cast<uint32_t>(stream.size()));
    axil_->write(r::kIrqEnable, r::irq_enable::kDoneMask | r::irq_enable::kErrorMask);
    EXPECT_EQ(bench_.top().irq_o, 0) << "[top] interrupt pending before START";
    JobResult res;
    const uint64_t start = bench_.cycle();
    EXPECT_EQ(axil_->write(r::kControl, r::control::kStartMask), kAxiOkay);
    while (!bench_.top().irq_o && bench_.cycle() - start < max_cycles) axil_->idle(1);
    res.irq = bench_.top().irq_o != 0;
    res.cycles = bench_.cycle() - start;
    if (!res.irq) {
      ADD_FAILURE() << "[top] no interrupt " << max_cycles << " cycles after START (cycle "
                    << bench_.cycle() << ")";
      return res;
    }
    // An error interrupts at once while the issued operations drain: like a driver, poll
    // STATUS until BUSY falls before looking at the outcome.
    res.status = axil_->read(r::kStatus);
    for (int polls = 0; (res.status & r::status::kBusyMask) != 0; ++polls) {
      if (polls == 10000) {
        ADD_FAILURE() << "[top] STATUS.BUSY still set 10000 polls after the interrupt (cycle "
                      << bench_.cycle() << ")";
        return res;
      }
      res.status = axil_->read(r::kStatus);
    }
    res.irq_status = axil_->read(r::kIrqStatus);
    res.code = axil_->read(r::kErrorCode);
    res.info = axil_->read(r::kErrorInfo);
    res.addr = axil_->read(r::kErrorAddr);
    // Acknowledge: write-one-to-clear drops the interrupt.
    axil_->write(r::kIrqStatus, res.irq_status);
    axil_->idle(1);
    EXPECT_EQ(bench_.top().irq_o, 0) << "[top] interrupt still high after IRQ_STATUS clear";
    return res;
  }

  uint64_t counter(uint32_t lo_offset) {
    const uint64_t lo = axil_->read(lo_offset);
    const uint64_t hi = axil_->read(lo_offset + 4);
    return lo | (hi << 32);
  }

  int check_output(const DpLayer& L) {
    MismatchReporter m("top");
    const golden::Tensor& e = L.expected;
    const std::vector<uint8_t> out = memory_->read(kOut, out_bytes(L));
    for (int y = 0; y < e.shape.h; ++y) {
      for (int x = 0; x < e.shape.w; ++x) {
        for (int ch = 0; ch < e.shape.c; ++ch) {
          const int word = (y * e.shape.w + x) * L.job.out_groups + ch / kRows;
          const auto at = static_cast<std::size_t>(word * kRows + ch % kRows);
          std::ostringstream idx;
          idx << "case " << L.kase.name << ", (y " << y << ", x " << x << ", c " << ch << ")";
          m.check(idx.str(), static_cast<int>(e.at(0, y, x, ch)),
                  static_cast<int>(static_cast<int8_t>(out[at])));
        }
      }
    }
    return m.mismatches();
  }

  VerilatedBench<Vtop> bench_{"top", 20000};
  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  std::unique_ptr<AxiMemory> memory_;
  std::unique_ptr<AxiMemoryPort<Vtop>> port_;
  std::unique_ptr<AxiLiteMaster<Vtop>> axil_;
};

DpCase conv3x3() {
  DpCase k;
  k.name = "3x3/s1/p1";
  k.h = 8;
  k.w = 8;
  k.c = 2 * kRows;
  k.out_c = 2 * kRows;
  return k;
}

TEST_F(TopTest, IdentifiesTheBuild) {
  EXPECT_EQ(axil_->read(r::kId), 0x4E500100u);  // magic 'NP', version 1.0
  const uint32_t hw = axil_->read(r::kHwConfig);
  EXPECT_EQ(hw & 0xFFu, static_cast<uint32_t>(kRows)) << "ROWS";
  EXPECT_EQ((hw >> 8) & 0xFFu, static_cast<uint32_t>(kRows)) << "COLS";
  EXPECT_EQ((hw >> 16) & 0xFFu, static_cast<uint32_t>(kRows)) << "AXI_BYTES (Rows bytes)";
}

TEST_F(TopTest, Conv3x3ThroughRegisters) {
  axil_->write(r::kPerfCtrl, r::perf_ctrl::kClearMask);
  const DpLayer L = make_dp_layer(conv3x3(), top_hw(), rng_);
  const JobResult res = run_job(place(L));
  ASSERT_TRUE(res.irq);
  EXPECT_EQ(res.status, r::status::kDoneMask) << "STATUS: done, not busy, no error";
  EXPECT_EQ(res.irq_status, r::irq_status::kDoneMask);
  EXPECT_EQ(res.code, 0u) << r::error_code_name(res.code) << " at command " << res.info;
  EXPECT_EQ(check_output(L), 0) << L.describe();
  EXPECT_NO_THROW(memory_->check_idle());
  // Counters against the layer's sizes (hand-derived: each byte moved once, one MAC-active
  // cycle per array vector = pixels x K-chunks x N-tiles).
  const auto words = L.act_words.size() + L.w_words.size();
  const uint64_t rd = counter(r::kDmaRdBytesLo), wr = counter(r::kDmaWrBytesLo);
  const uint64_t mac = counter(r::kMacActiveLo);
  EXPECT_EQ(rd, 16 * L.params.size() + words * kRows) << "DMA_RD_BYTES";
  EXPECT_EQ(wr, out_bytes(L)) << "DMA_WR_BYTES";
  EXPECT_EQ(mac, static_cast<uint64_t>(L.job.pixels * L.job.kchunks * L.job.ntiles))
      << "MAC_ACTIVE";
  if (kRows == 4) {
    // By hand, 8x8x8 -> 8 at 4x4: 8 PPU records x 16 B + 8x8 pixels x 2 words x 4 B input +
    // 3x3x8x8 weight bytes = 128 + 512 + 576; output 8x8 x 8 B; 64 pixels x 18 K-chunks x
    // 2 N-tiles vectors.
    EXPECT_EQ(rd, 1216u);
    EXPECT_EQ(wr, 512u);
    EXPECT_EQ(mac, 2304u);
  }
  const uint64_t cycles = counter(r::kCyclesLo);
  const uint64_t cp_busy = counter(r::kComputeBusyLo);
  EXPECT_GE(cp_busy, mac) << "COMPUTE_BUSY covers every MAC-active cycle";
  EXPECT_LT(cp_busy, res.cycles) << "COMPUTE_BUSY within the job";
  EXPECT_GT(counter(r::kDmaLdBusyLo), 0u) << "DMA_LD_BUSY";
  EXPECT_GT(counter(r::kDmaStBusyLo), 0u) << "DMA_ST_BUSY";
  EXPECT_GT(cycles, res.cycles) << "CYCLES counts from the clear, before START";
  std::cout << "[ top      ] " << L.describe() << ": " << res.cycles
            << " cycles START to irq, MAC-active " << mac << ", compute busy " << cp_busy
            << std::endl;
}

TEST_F(TopTest, LoadBusErrorRaisesIrqThenSoftResetAndCleanRun) {
  DpCase k = conv3x3();
  k.name = "3x3/s1/p1 (bus error)";
  k.c = kRows;
  k.out_c = kRows;
  const DpLayer L = make_dp_layer(k, top_hw(), rng_);
  const std::vector<CmdWords> s = place(L);
  memory_->add_error_range(kIn + 64, kIn + 65, AxiResp::kSlvErr, true, false);
  const JobResult bad = run_job(s);
  ASSERT_TRUE(bad.irq);
  EXPECT_EQ(bad.code, static_cast<uint32_t>(r::ErrorCode::kDmaRdSlverr))
      << r::error_code_name(bad.code);
  EXPECT_EQ(bad.code, 2u) << "DMA_RD_SLVERR is 2 in docs/control.md";
  EXPECT_EQ(bad.info, 2u) << "ERROR_INFO: the input LOAD is command 2";
  EXPECT_LE(bad.addr, kIn + 64) << "ERROR_ADDR: the failing burst";
  EXPECT_GT(bad.addr + 4096, kIn + 64) << "ERROR_ADDR: the failing burst";
  EXPECT_EQ(bad.status, r::status::kDoneMask | r::status::kErrorMask);
  EXPECT_EQ(bad.irq_status, r::irq_status::kDoneMask | r::irq_status::kErrorMask);
  EXPECT_NO_THROW(memory_->check_idle());

  memory_->clear_errors();
  axil_->write(r::kControl, r::control::kSoftResetMask);
  EXPECT_EQ(axil_->read(r::kErrorCode), 0u) << "SOFT_RESET clears ERROR_CODE";
  EXPECT_EQ(axil_->read(r::kStatus), 0u) << "SOFT_RESET clears STATUS";
  const JobResult good = run_job(place(L));
  ASSERT_TRUE(good.irq);
  EXPECT_EQ(good.code, 0u) << r::error_code_name(good.code);
  EXPECT_EQ(good.status, r::status::kDoneMask);
  EXPECT_EQ(check_output(L), 0) << L.describe();
}

TEST_F(TopTest, MisalignedQueueIsRefusedByTheRegisterFile) {
  // 64-byte alignment (one command): a base 32 bytes off must not start the core.
  axil_->write(r::kCmdqBaseLo, kQueue + 32);
  axil_->write(r::kCmdqBaseHi, 0);
  axil_->write(r::kCmdqSize, 1);
  axil_->write(r::kIrqEnable, r::irq_enable::kErrorMask);
  axil_->write(r::kControl, r::control::kStartMask);
  axil_->idle(4);
  EXPECT_EQ(bench_.top().irq_o, 1);
  EXPECT_EQ(axil_->read(r::kErrorCode), 16u) << "ILLEGAL_REG";
  EXPECT_EQ(axil_->read(r::kErrorInfo), r::kCmdqBaseLo);
  EXPECT_EQ(memory_->stats().reads, 0u) << "no command fetched";
}

}  // namespace
}  // namespace npu::tb::top
