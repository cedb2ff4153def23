// npu_regfile bench: every register against the generated table (npu_regs/npu_regs.h, from
// rtl/csr/npu_regs.yaml), through the AXI4-Lite master of tb/common with random gaps and
// backpressure. Expected values come from the description and the spec, not from the RTL.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "Vregfile.h"
#include "npu_regs/npu_regs.h"
#include "tb/common/axi_lite_master.h"
#include "tb/common/bench_env.h"
#include "tb/common/verilated_bench.h"

namespace {

using namespace npu::regs;
using npu::tb::AxiLiteMaster;
using npu::tb::AxiLiteTxn;
using npu::tb::kAxiOkay;
using npu::tb::kAxiSlvErr;
using npu::tb::VerilatedBench;

class RegsTest : public ::testing::Test {
 protected:
  RegsTest() : bench_("regfile"), seed_(npu::tb::test_seed()), axi_(bench_, seed_) {
    Vregfile& t = bench_.top();
    t.busy_i = 0;
    t.done_i = 0;
    t.err_valid_i = 0;
    bench_.reset();
    reset_cycle_ = bench_.cycle();
  }

  // The value a register has after reset, parameter fields included.
  static uint32_t reset_value(const RegisterInfo& r) {
    uint32_t v = r.reset;
    if (r.offset == kHwConfig) {
      v |= (NPU_REGS_ROWS << hw_config::kRowsShift) | (NPU_REGS_COLS << hw_config::kColsShift) |
           (NPU_REGS_AXI_BYTES << hw_config::kAxiBytesShift);
    }
    return v;
  }
  static uint32_t byte_mask(uint8_t strb) {
    uint32_t m = 0;
    for (int b = 0; b < 4; ++b) {
      if ((strb >> b) & 1) m |= 0xFFu << (8 * b);
    }
    return m;
  }
  // Raises a one-cycle input pulse (done_i or err_valid_i) in the next cycle.
  void pulse(bool done) {
    int n = 0;
    axi_.set_on_cycle(
        [done, n](Vregfile& t) mutable { (done ? t.done_i : t.err_valid_i) = (n++ == 0); });
    axi_.idle(2);
    axi_.set_on_cycle(nullptr);
  }

  VerilatedBench<Vregfile> bench_;
  uint64_t seed_;
  AxiLiteMaster<Vregfile> axi_;
  uint64_t reset_cycle_ = 0;
};

TEST_F(RegsTest, EveryRegisterReadsItsResetValue) {
  for (const RegisterInfo& r : kRegisters) {
    uint32_t resp = 99;
    uint64_t cycle = 0;
    const uint32_t v = axi_.read(r.offset, &resp, &cycle);
    EXPECT_EQ(resp, kAxiOkay) << r.name;
    if (r.offset == kCyclesLo) {
      EXPECT_EQ(v, cycle - reset_cycle_) << "CYCLES_LO counts cycles since reset";
    } else {
      EXPECT_EQ(v, reset_value(r)) << r.name << " at 0x" << std::hex << r.offset;
    }
  }
  EXPECT_EQ(axi_.read(kId), 0x4E500100u);  // 'NP', version 1.0 (spec, typed by hand)
  EXPECT_EQ(bench_->irq_o, 0);
}

TEST_F(RegsTest, ReadWriteRegistersReadBackWithByteStrobes) {
  std::mt19937 rng(static_cast<uint32_t>(seed_));
  std::map<uint32_t, uint32_t> model;
  for (const RegisterInfo& r : kRegisters) model[r.offset] = reset_value(r);
  for (int i = 0; i < 200; ++i) {
    const RegisterInfo& r = kRegisters[rng() % std::size(kRegisters)];
    if (r.rw_mask == 0 || r.w1c_mask != 0) continue;
    // CONTROL-free registers with RW bits: IRQ_ENABLE, CMDQ_*, PERF_CTRL (its CLEAR pulse
    // reads 0 and only clears counters).
    const uint32_t v = static_cast<uint32_t>(rng());
    const uint8_t strb = static_cast<uint8_t>(rng() % 16);
    ASSERT_EQ(axi_.write(r.offset, v, strb), kAxiOkay) << r.name;
    const uint32_t m = r.rw_mask & byte_mask(strb);
    model[r.offset] = (model[r.offset] & ~m) | (v & m);
    EXPECT_EQ(axi_.read(r.offset), model[r.offset])
        << r.name << " after writing 0x" << std::hex << v << " strb " << int{strb};
  }
}

TEST_F(RegsTest, ReadOnlyRegistersIgnoreWritesWithSlverr) {
  for (const RegisterInfo& r : kRegisters) {
    if (r.writable() || r.offset == kCyclesLo || r.offset == kCyclesHi) continue;
    EXPECT_EQ(axi_.write(r.offset, ~reset_value(r)), kAxiSlvErr) << r.name;
    EXPECT_EQ(axi_.read(r.offset), reset_value(r)) << r.name << " changed by a write";
  }
}

TEST_F(RegsTest, UnmappedAddressesAnswerSlverr) {
  std::map<uint32_t, bool> mapped;
  for (const RegisterInfo& r : kRegisters) mapped[r.offset] = true;
  std::mt19937 rng(static_cast<uint32_t>(seed_));
  int checked = 0;
  for (uint32_t a = 0; a < kWindowBytes; a += 4) {
    if (mapped.count(a) || (a > 0x200 && rng() % 16 != 0)) continue;
    uint32_t resp = 0;
    EXPECT_EQ(axi_.read(a, &resp), 0u) << std::hex << a;
    EXPECT_EQ(resp, kAxiSlvErr) << "read 0x" << std::hex << a;
    EXPECT_EQ(axi_.write(a, 0xFFFFFFFFu), kAxiSlvErr) << "write 0x" << std::hex << a;
    ++checked;
  }
  EXPECT_GT(checked, 50);
  for (const RegisterInfo& r : kRegisters) {
    if (r.offset == kCyclesLo || r.offset == kCyclesHi) continue;
    EXPECT_EQ(axi_.read(r.offset), reset_value(r)) << r.name << " changed by unmapped writes";
  }
}

TEST_F(RegsTest, AwBeforeWAndWBeforeAw) {
  axi_.options().w_extra_delay = 6;  // AW first
  ASSERT_EQ(axi_.write(kCmdqBaseLo, 0x1234'5678u), kAxiOkay);
  axi_.options().w_extra_delay = 0;
  axi_.options().aw_extra_delay = 6;  // W first
  ASSERT_EQ(axi_.write(kCmdqSize, 0xABCDu), kAxiOkay);
  axi_.options().aw_extra_delay = 0;
  EXPECT_EQ(axi_.read(kCmdqBaseLo), 0x1234'5678u);
  EXPECT_EQ(axi_.read(kCmdqSize), 0xABCDu);
  EXPECT_EQ(bench_->cmdq_base_o, 0x1234'5678u);
  EXPECT_EQ(bench_->cmdq_size_o, 0xABCDu);
}

TEST_F(RegsTest, BackToBackRandomTransactions) {
  std::mt19937 rng(static_cast<uint32_t>(seed_));
  const uint32_t regs[] = {kCmdqBaseLo, kCmdqBaseHi, kCmdqSize, kIrqEnable};
  const uint32_t masks[] = {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFu, 0x3u};
  for (int round = 0; round < 20; ++round) {
    axi_.options().max_gap = round % 3 == 0 ? 0 : 4;
    axi_.options().bready = round % 2 ? 1.0 : 0.4;
    axi_.options().rready = round % 2 ? 1.0 : 0.4;
    std::vector<AxiLiteTxn> writes(12);
    std::map<uint32_t, uint32_t> last;
    for (auto& t : writes) {
      const int k = static_cast<int>(rng() % 4);
      t.write = true;
      t.addr = regs[k];
      t.data = static_cast<uint32_t>(rng());
      last[t.addr] = t.data & masks[k];
    }
    axi_.run(writes);
    for (const auto& t : writes) EXPECT_EQ(t.resp, kAxiOkay);
    std::vector<AxiLiteTxn> reads;
    for (const auto& [addr, value] : last) {
      AxiLiteTxn t;
      t.addr = addr;
      reads.push_back(t);
      reads.push_back(t);
    }
    axi_.run(reads);
    for (const auto& t : reads) {
      EXPECT_EQ(t.resp, kAxiOkay);
      EXPECT_EQ(t.data, last[t.addr]) << "round " << round << " reg 0x" << std::hex << t.addr;
    }
  }
}

TEST_F(RegsTest, StartIsOneCyclePulseAndControlReadsZero) {
  axi_.write(kCmdqBaseLo, 0x8000'0040u);
  axi_.write(kCmdqSize, 3);
  int start_cycles = 0, reset_cycles = 0;
  axi_.set_on_cycle([&](Vregfile& t) {
    start_cycles += t.start_o;
    reset_cycles += t.soft_reset_o;
  });
  ASSERT_EQ(axi_.write(kControl, control::kStartMask), kAxiOkay);
  axi_.idle(5);
  EXPECT_EQ(start_cycles, 1);
  EXPECT_EQ(reset_cycles, 0);
  EXPECT_EQ(axi_.read(kControl), 0u);
  EXPECT_EQ(bench_->cmdq_base_o, 0x8000'0040u);
  ASSERT_EQ(axi_.write(kControl, control::kSoftResetMask), kAxiOkay);
  axi_.idle(5);
  EXPECT_EQ(start_cycles, 1);
  EXPECT_EQ(reset_cycles, 1);
  axi_.set_on_cycle(nullptr);
}

TEST_F(RegsTest, DoneAndErrorInterruptsWithWriteOneToClear) {
  pulse(true);
  EXPECT_EQ(axi_.read(kIrqStatus), irq_status::kDoneMask);
  EXPECT_EQ(axi_.read(kStatus) & status::kDoneMask, status::kDoneMask);
  EXPECT_EQ(bench_->irq_o, 0) << "IRQ_ENABLE is 0";
  axi_.write(kIrqEnable, irq_enable::kDoneMask);
  axi_.idle(1);
  EXPECT_EQ(bench_->irq_o, 1);
  axi_.write(kIrqStatus, irq_status::kErrorMask);  // the other bit: no effect
  EXPECT_EQ(axi_.read(kIrqStatus), irq_status::kDoneMask);
  axi_.write(kIrqStatus, irq_status::kDoneMask);
  EXPECT_EQ(axi_.read(kIrqStatus), 0u);
  EXPECT_EQ(bench_->irq_o, 0);

  bench_->err_code_i = static_cast<uint8_t>(ErrorCode::kDmaRdDecerr);
  bench_->err_info_i = 17;
  bench_->err_addr_i = 0x4000'1000u;
  pulse(false);
  bench_->err_code_i = static_cast<uint8_t>(ErrorCode::kBadOpcode);  // a later error: ignored
  pulse(false);
  EXPECT_EQ(axi_.read(kErrorCode), 3u);
  EXPECT_EQ(axi_.read(kErrorInfo), 17u);
  EXPECT_EQ(axi_.read(kErrorAddr), 0x4000'1000u);
  EXPECT_EQ(axi_.read(kStatus) & status::kErrorMask, status::kErrorMask);
  EXPECT_EQ(axi_.read(kIrqStatus), irq_status::kErrorMask);
  EXPECT_EQ(bench_->irq_o, 0) << "error interrupt not enabled";
  axi_.write(kIrqEnable, irq_enable::kErrorMask | irq_enable::kDoneMask);
  axi_.idle(1);
  EXPECT_EQ(bench_->irq_o, 1);
  axi_.write(kControl, control::kSoftResetMask);
  EXPECT_EQ(axi_.read(kErrorCode), 0u);
  EXPECT_EQ(axi_.read(kIrqStatus), 0u);
  EXPECT_EQ(axi_.read(kStatus), 0u);
  EXPECT_EQ(bench_->irq_o, 0);
}

TEST_F(RegsTest, IllegalQueueRegistersRaiseErrorInsteadOfStarting) {
  int starts = 0;
  axi_.set_on_cycle([&](Vregfile& t) { starts += t.start_o; });
  axi_.write(kIrqEnable, irq_enable::kErrorMask);
  struct Case {
    uint32_t lo, hi, size, bad_reg;
  };
  const Case cases[] = {{0x1000, 0, 0, kCmdqSize},     // no commands
                        {0x1020, 0, 4, kCmdqBaseLo},   // not a multiple of 64
                        {0x1000, 1, 4, kCmdqBaseHi}};  // beyond a 32-bit AXI address
  for (const Case& c : cases) {
    axi_.write(kCmdqBaseLo, c.lo);
    axi_.write(kCmdqBaseHi, c.hi);
    axi_.write(kCmdqSize, c.size);
    axi_.write(kControl, control::kStartMask);
    axi_.idle(2);
    EXPECT_EQ(starts, 0);
    EXPECT_EQ(axi_.read(kErrorCode), static_cast<uint32_t>(ErrorCode::kIllegalReg));
    EXPECT_EQ(axi_.read(kErrorInfo), c.bad_reg);
    EXPECT_EQ(axi_.read(kStatus), status::kDoneMask | status::kErrorMask);
    EXPECT_EQ(axi_.read(kIrqStatus), irq_status::kDoneMask | irq_status::kErrorMask);
    EXPECT_EQ(bench_->irq_o, 1);
    axi_.write(kControl, control::kSoftResetMask);
    EXPECT_EQ(axi_.read(kErrorCode), 0u);
  }
  // A good start, then START while busy: refused with START_BUSY.
  axi_.write(kCmdqBaseLo, 0x2000);
  axi_.write(kCmdqBaseHi, 0);
  axi_.write(kCmdqSize, 1);
  axi_.write(kControl, control::kStartMask);
  EXPECT_EQ(starts, 1);
  bench_->busy_i = 1;
  EXPECT_EQ(axi_.read(kStatus), status::kBusyMask);
  axi_.write(kControl, control::kStartMask);
  axi_.idle(2);
  EXPECT_EQ(starts, 1);
  EXPECT_EQ(axi_.read(kErrorCode), static_cast<uint32_t>(ErrorCode::kStartBusy));
  axi_.set_on_cycle(nullptr);
}

// Counters: exact values against a cycle-by-cycle model, and LO/HI consistency across a wrap
// of the low half (the HI read comes long after the LO read).
TEST_F(RegsTest, SixtyFourBitCountersAreConsistent) {
  std::mt19937 rng(static_cast<uint32_t>(seed_));
  std::map<uint64_t, uint64_t> rd_bytes_at;  // counter value at the start of a cycle
  uint64_t rd_bytes = 0, mac = 0;
  bool drive = true;
  axi_.set_on_cycle([&](Vregfile& t) {
    rd_bytes_at[bench_.cycle()] = rd_bytes;
    t.dma_rd_bytes_i = drive ? 0xFFFF : 0;
    t.ev_mac_i = drive && (rng() & 1);
    rd_bytes += t.dma_rd_bytes_i;
    mac += t.ev_mac_i;
  });
  for (int k = 0; k < 3; ++k) {
    uint64_t lo_cycle = 0;
    const uint32_t lo = axi_.read(kDmaRdBytesLo, nullptr, &lo_cycle);
    axi_.idle(70000);  // the low half wraps at least once meanwhile
    const uint32_t hi = axi_.read(kDmaRdBytesHi);
    const uint64_t v = (uint64_t{hi} << 32) | lo;
    EXPECT_EQ(v, rd_bytes_at[lo_cycle]) << "pair " << k << " read at cycle " << lo_cycle;
  }
  EXPECT_GT(rd_bytes >> 32, 0u);
  drive = false;
  axi_.idle(2);
  const uint64_t mac_lo = axi_.read(kMacActiveLo);
  const uint64_t mac_hi = axi_.read(kMacActiveHi);
  EXPECT_EQ((mac_hi << 32) | mac_lo, mac);
  // FREEZE holds every counter; CLEAR zeroes them.
  axi_.write(kPerfCtrl, perf_ctrl::kFreezeMask);
  const uint32_t c1 = axi_.read(kCyclesLo);
  axi_.idle(10);
  EXPECT_EQ(axi_.read(kCyclesLo), c1);
  axi_.write(kPerfCtrl, perf_ctrl::kFreezeMask | perf_ctrl::kClearMask);
  EXPECT_EQ(axi_.read(kDmaRdBytesLo), 0u);
  EXPECT_EQ(axi_.read(kDmaRdBytesHi), 0u);
  EXPECT_EQ(axi_.read(kCyclesLo), 0u);
  axi_.set_on_cycle(nullptr);
}

}  // namespace
