// npu_fpga_top (the FPGA build that make fpga places and routes, docs/fpga.md) driven only
// through its UART pins, as a host program drives the board: the layer's tensors, PPU records
// and command stream are written into the on-chip RAM word by word, the queue registers are
// programmed, START is written, STATUS is polled until DONE, and the output is read back and
// compared byte for byte with golden. The accelerator inside is the FPGA configuration
// (configs/fpga.yaml: 4x4, small scratchpads, the serial PPU).
#include <gtest/gtest.h>

#include <cstdint>
#include <iostream>
#include <random>
#include <sstream>
#include <vector>

#include "Vfpga.h"
#include "npu_regs/npu_regs.h"
#include "sw/test_support/dp_layer.h"
#include "sw/test_support/layer_image.h"
#include "sw/test_support/tensor_check.h"
#include "tb/common/bench_env.h"
#include "tb/common/mismatch.h"
#include "tb/common/tensor_mismatch.h"
#include "tb/common/verilated_bench.h"
#include "tb/ctrl/ctrl_command.h"
#include "tb/fpga/uart_host.h"

namespace npu::tb::fpga {
namespace {

using namespace npu::test_support;  // NOLINT(google-build-using-namespace): the shared test layers

namespace r = npu::regs;
using ctrl::CmdWords;

constexpr int kRows = NPU_FPGA_ROWS;
constexpr int kClksPerBit = NPU_FPGA_CLKS_PER_BIT;
constexpr uint32_t kRegs = 0;  // the bridge's register frames carry register offsets
// On-chip RAM layout (128 KiB at 4x4; no residual cases).
constexpr DramMap kDram{0x0000, 0x1000, 0x4000, 0x8000, 0x10000, 0xC000};
constexpr uint32_t kQueue = kDram.queue, kOut = kDram.out;

DpHw fpga_hw() {
  DpHw hw;
  hw.rows = hw.cols = kRows;
  hw.act_depth = NPU_FPGA_ACT_DEPTH;
  hw.wgt_depth = NPU_FPGA_WGT_DEPTH;
  hw.acc_depth = NPU_FPGA_ACC_DEPTH;
  return hw;
}

class FpgaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = test_seed();
    rng_.seed(seed_);
    bench_.reset();
    host_.idle(32);  // the power-on reset counter
  }

  uint32_t out_bytes(const DpLayer& L) const {
    return static_cast<uint32_t>(L.job.pixels * L.job.out_groups * kRows);
  }

  // The same stream as tb/top (test_support::conv_image): LOAD params, LOAD weights, LOAD
  // input, COMPUTE, STORE, END; the image written over the UART.
  std::vector<CmdWords> place(const DpLayer& L) {
    const LayerImage im = conv_image(L, kDram);
    for (const DramWrite& w : im.writes) host_.mem_write(w.addr, w.bytes, kRows);
    return im.stream;
  }

  int check_output(const DpLayer& L) {
    MismatchReporter m("fpga");
    const golden::Tensor& e = L.expected;
    const std::vector<uint8_t> out = host_.mem_read(kOut, out_bytes(L), kRows);
    return check_tensor(m, L.kase.name, e,
                        unpack_words(out, e.shape, e.quant, L.job.out_groups, kRows));
  }

  VerilatedBench<Vfpga> bench_{"fpga", 200000};
  UartHost<Vfpga> host_{bench_, kClksPerBit};
  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
};

TEST_F(FpgaTest, IdentifiesTheBuildOverTheUart) {
  uint32_t resp = 99;
  EXPECT_EQ(host_.reg_read(kRegs + r::kId, &resp), 0x4E500100u) << "ID: 'NP', version 1.0";
  EXPECT_EQ(resp, 0u) << "RRESP";
  const uint32_t hw = host_.reg_read(kRegs + r::kHwConfig);
  EXPECT_EQ(hw & 0xFFu, static_cast<uint32_t>(kRows)) << "ROWS";
  EXPECT_EQ(host_.reg_write(kRegs + r::kIrqEnable, r::irq_enable::kDoneMask), 0u) << "BRESP";
  EXPECT_EQ(host_.reg_read(kRegs + r::kIrqEnable), r::irq_enable::kDoneMask);
  // Memory words round trip through the host port.
  const std::vector<uint8_t> bytes{1, 2, 3, 4, 0xFE, 0xDC, 0xBA, 0x98};
  host_.mem_write(0x100, bytes, kRows);
  EXPECT_EQ(host_.mem_read(0x100, bytes.size(), kRows), bytes);
}

TEST_F(FpgaTest, Conv3x3OverTheUartIsBitExact) {
  DpCase k;
  k.name = "3x3/s1/p1";
  k.h = 8;
  k.w = 8;
  k.c = 2 * kRows;
  k.out_c = 2 * kRows;
  const DpLayer L = make_dp_layer(k, fpga_hw(), rng_);
  const std::vector<CmdWords> stream = place(L);
  host_.mem_write(kQueue, ctrl::to_bytes(stream), kRows);
  host_.reg_write(r::kCmdqBaseLo, kQueue);
  host_.reg_write(r::kCmdqBaseHi, 0);
  host_.reg_write(r::kCmdqSize, static_cast<uint32_t>(stream.size()));
  host_.reg_write(r::kIrqEnable, r::irq_enable::kDoneMask | r::irq_enable::kErrorMask);
  EXPECT_EQ(bench_.top().led_red_no, 1) << "red LED (interrupt) off before START";
  const uint64_t start = bench_.cycle();
  EXPECT_EQ(host_.reg_write(r::kControl, r::control::kStartMask), 0u);
  // The red LED is the interrupt: wait for it, then read STATUS as a host would.
  uint64_t waited = 0;
  while (bench_.top().led_red_no && waited < 2000000) {
    host_.idle(16);
    waited += 16;
    bench_.progress();
  }
  const uint64_t cycles = bench_.cycle() - start;
  ASSERT_EQ(bench_.top().led_red_no, 0) << "no interrupt " << cycles << " cycles after START";
  const uint32_t status = host_.reg_read(r::kStatus);
  const uint32_t code = host_.reg_read(r::kErrorCode);
  EXPECT_EQ(status, r::status::kDoneMask) << "STATUS: done, not busy, no error";
  EXPECT_EQ(code, 0u) << r::error_code_name(code);
  EXPECT_EQ(check_output(L), 0) << L.describe();
  host_.reg_write(r::kIrqStatus, r::irq_status::kDoneMask);
  host_.idle(4);
  EXPECT_EQ(bench_.top().led_red_no, 1) << "red LED off after IRQ_STATUS clear";
  const uint64_t mac = host_.reg_read(r::kMacActiveLo);
  EXPECT_EQ(mac, static_cast<uint64_t>(L.job.pixels * L.job.kchunks * L.job.ntiles))
      << "MAC_ACTIVE";
  std::cout << "[ fpga     ] " << L.describe() << ": START to interrupt (incl. the UART frame "
            << "of START) " << cycles << " cycles, " << host_.frames() << " UART frames in all, "
            << bench_.cycle() << " cycles simulated" << std::endl;
}

}  // namespace
}  // namespace npu::tb::fpga
