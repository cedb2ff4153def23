// The command-level device model alone: layers bit-exact against golden per hardware config,
// the error codes of docs/control.md for malformed streams, and the register semantics of
// docs/registers.md.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "npu_regs/npu_regs.h"
#include "sw/config/hw_config.h"
#include "sw/runtime/command_model_device.h"
#include "sw/runtime/tests/layer_streams.h"

namespace npu::runtime::test {
namespace {

namespace r = npu::regs;
using compiler::CmdWords;
using compiler::CtrlError;
using compiler::Deps;

config::HwConfig load_config(const std::string& name) {
  return config::load_hw_config(std::string(NPU_CONFIGS_DIR) + "/" + name + ".yaml");
}

ts::DpCase conv_case(int rows, bool residual = false) {
  ts::DpCase k;
  k.name = residual ? "3x3/s1/p1 + residual" : "3x3/s1/p1";
  k.h = 8;
  k.w = 8;
  k.c = 2 * rows;
  k.out_c = 2 * rows - 1;  // an output-channel remainder
  k.residual = residual;
  return k;
}

class ModelLayers : public ::testing::TestWithParam<std::string> {
 protected:
  CommandModelDevice dev_{load_config(GetParam())};
  std::mt19937_64 rng_{0x601d};
  int rows() const { return dev_.params().rows; }
};

TEST_P(ModelLayers, ConvIsBitExactAndCounted) {
  const ts::DpLayer L = ts::make_dp_layer(conv_case(rows()), dp_hw(dev_.params()), rng_);
  const Job job = place_conv(dev_, L);
  const RunResult res = run_stream(dev_, job.stream);
  ASSERT_TRUE(res.irq);
  EXPECT_EQ(res.code, 0u) << r::error_code_name(res.code) << " at command " << res.info;
  EXPECT_EQ(res.status, r::status::kDoneMask);
  EXPECT_EQ(res.irq_status, r::irq_status::kDoneMask);
  EXPECT_EQ(count_mismatches(dev_, job, rows()), 0) << job.name;
  EXPECT_EQ(res.mac, job.mac_vectors) << "MAC_ACTIVE";
  EXPECT_EQ(res.rd_bytes, job.rd_bytes) << "DMA_RD_BYTES";
  EXPECT_EQ(res.wr_bytes, job.out_bytes) << "DMA_WR_BYTES";
}

TEST_P(ModelLayers, ResidualConvIsBitExact) {
  const ts::DpLayer L = ts::make_dp_layer(conv_case(rows(), true), dp_hw(dev_.params()), rng_);
  const Job job = place_conv(dev_, L);
  const RunResult res = run_stream(dev_, job.stream);
  ASSERT_TRUE(res.irq);
  EXPECT_EQ(res.code, 0u) << r::error_code_name(res.code);
  EXPECT_EQ(count_mismatches(dev_, job, rows()), 0) << job.name;
}

TEST_P(ModelLayers, SmallChannelStemIsBitExact) {
  ts::DpCase k;
  k.name = "7x7/s2/p3, C = 3";
  k.h = k.w = 13;
  k.c = 3;
  k.out_c = rows() + 1;
  k.kh = k.kw = 7;
  k.sh = k.sw = 2;
  k.pad_top = k.pad_left = k.pad_bottom = k.pad_right = 3;
  k.mblock = 7;  // several M-blocks
  const ts::DpLayer L = ts::make_dp_layer(k, dp_hw(dev_.params()), rng_);
  const Job job = place_conv(dev_, L);
  const RunResult res = run_stream(dev_, job.stream);
  EXPECT_EQ(res.code, 0u) << r::error_code_name(res.code);
  EXPECT_EQ(count_mismatches(dev_, job, rows()), 0) << job.name;
}

TEST_P(ModelLayers, ConvThenPoolsAreBitExact) {
  const ts::DpPoolCase pools[] = {{"max 3x3/s2/p1", ts::DpPoolKind::kMax, 3, 2, 1},
                                  {"avg 2x2/s2", ts::DpPoolKind::kAvg, 2, 2, 0},
                                  {"avg 3x3/s1/p1", ts::DpPoolKind::kAvg, 3, 1, 1},
                                  {"global avg", ts::DpPoolKind::kGlobalAvg, 1, 1, 0}};
  for (const ts::DpPoolCase& pool : pools) {
    const ts::DpLayer L = ts::make_dp_layer(conv_case(rows()), dp_hw(dev_.params()), rng_);
    const Job job = place_conv_pool(dev_, L, pool);
    const RunResult res = run_stream(dev_, job.stream);
    EXPECT_EQ(res.code, 0u) << r::error_code_name(res.code) << " " << job.name;
    EXPECT_EQ(count_mismatches(dev_, job, rows()), 0) << job.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Configs, ModelLayers, ::testing::Values("small", "medium", "default"),
                         [](const auto& p) { return p.param; });

// ------------------------------------------------------------------ errors and registers
class ModelErrors : public ::testing::Test {
 protected:
  CommandModelDevice dev_{load_config("small")};
  std::mt19937_64 rng_{0xe77};

  std::vector<CmdWords> good_stream() {
    const ts::DpLayer L = ts::make_dp_layer(conv_case(4), dp_hw(dev_.params()), rng_);
    return place_conv(dev_, L).stream;
  }
  void expect_error(const std::vector<CmdWords>& s, CtrlError code, uint32_t info) {
    const RunResult res = run_stream(dev_, s);
    ASSERT_TRUE(res.irq);
    EXPECT_EQ(res.code, static_cast<uint32_t>(code)) << r::error_code_name(res.code);
    EXPECT_EQ(res.info, info) << "ERROR_INFO";
    EXPECT_EQ(res.status, r::status::kDoneMask | r::status::kErrorMask);
    EXPECT_EQ(res.irq_status, r::irq_status::kDoneMask | r::irq_status::kErrorMask);
    // The next run is normal after a soft reset.
    dev_.write_reg(r::kControl, r::control::kSoftResetMask);
    EXPECT_EQ(dev_.read_reg(r::kErrorCode), 0u);
    const RunResult ok = run_stream(dev_, good_stream());
    EXPECT_EQ(ok.code, 0u) << r::error_code_name(ok.code);
  }
};

TEST_F(ModelErrors, BadOpcode) {
  std::vector<CmdWords> s = good_stream();
  s[1][0] = (s[1][0] & ~0xfu) | 9;  // opcode 9
  expect_error(s, CtrlError::kBadOpcode, 1);
  s = good_stream();
  s[2] = CmdWords{};  // a zeroed command
  expect_error(s, CtrlError::kBadOpcode, 2);
}

TEST_F(ModelErrors, ZeroSizeBadBankBadField) {
  std::vector<CmdWords> s = good_stream();
  s[1][4] = 0;  // weights LOAD len 0
  expect_error(s, CtrlError::kZeroSize, 1);
  s = good_stream();
  s[1][0] |= 2u << 12;  // bank 2
  expect_error(s, CtrlError::kBadBank, 1);
  s = good_stream();
  s[0][0] |= 1u << 4;  // a LOAD with pop_prev
  expect_error(s, CtrlError::kBadField, 0);
  s = good_stream();
  s[3][4] |= 1u << 3;  // COMPUTE kernel_h nibble bit 3
  expect_error(s, CtrlError::kBadField, 3);
}

TEST_F(ModelErrors, JobConfig) {
  std::vector<CmdWords> s = good_stream();
  s[3][0] |= 1u << 10;                 // mode 1 (residual bank 1 != input bank 0)
  s[3][15] = (s[3][15] & ~0x3fu) | 1;  // add_shift_a = +1: a left shift the PPU refuses
  expect_error(s, CtrlError::kJobConfig, 3);
}

TEST_F(ModelErrors, DeadlockAndOverflow) {
  std::vector<CmdWords> s = good_stream();
  s[2][0] &= ~(1u << 7);  // the input LOAD no longer pushes: the COMPUTE's pop has no token
  expect_error(s, CtrlError::kDeadlock, 3);
  // 256 SYNC pushes on l2c.
  std::vector<CmdWords> o(
      256, compiler::encode_sync(compiler::Queue::kLoad, Deps{false, false, false, true}));
  o.push_back(compiler::encode_end());
  expect_error(o, CtrlError::kTokenOverflow, 255);
}

TEST_F(ModelErrors, QueueWithoutEnd) {
  std::vector<CmdWords> s = good_stream();
  s.pop_back();
  expect_error(s, CtrlError::kBadQueue, static_cast<uint32_t>(s.size()));
}

TEST_F(ModelErrors, IllegalQueueRegisters) {
  dev_.write_reg(r::kIrqEnable, r::irq_enable::kErrorMask);
  dev_.write_reg(r::kCmdqBaseLo, kQueue + 32);
  dev_.write_reg(r::kCmdqSize, 1);
  dev_.write_reg(r::kControl, r::control::kStartMask);
  EXPECT_TRUE(dev_.wait_for_interrupt(10));
  EXPECT_EQ(dev_.read_reg(r::kErrorCode), 16u) << "ILLEGAL_REG";
  EXPECT_EQ(dev_.read_reg(r::kErrorInfo), r::kCmdqBaseLo);
  EXPECT_EQ(dev_.read_reg(r::kErrorAddr), kQueue + 32);
  dev_.write_reg(r::kCmdqBaseLo, kQueue);
  dev_.write_reg(r::kCmdqSize, 0);
  dev_.write_reg(r::kControl, r::control::kStartMask);
  EXPECT_EQ(dev_.read_reg(r::kErrorInfo), r::kCmdqSize);
}

TEST_F(ModelErrors, StartWhileBusy) {
  const std::vector<CmdWords> s = good_stream();
  dev_.write_memory(kQueue, compiler::to_bytes(s));
  dev_.write_reg(r::kCmdqBaseLo, kQueue);
  dev_.write_reg(r::kCmdqSize, static_cast<uint32_t>(s.size()));
  dev_.write_reg(r::kControl, r::control::kStartMask);
  dev_.write_reg(r::kControl, r::control::kStartMask);
  EXPECT_EQ(dev_.read_reg(r::kErrorCode), 17u) << "START_BUSY";
  EXPECT_EQ(dev_.read_reg(r::kStatus) & r::status::kBusyMask, 0u) << "the first job ran";
  EXPECT_EQ(dev_.read_reg(r::kErrorCode), 17u) << "the first error sticks";
}

TEST(ModelRegisters, IdentityW1cAndCounters) {
  CommandModelDevice dev(load_config("medium"));
  EXPECT_EQ(dev.read_reg(r::kId), 0x4E500100u);
  EXPECT_EQ(dev.read_reg(r::kHwConfig), 8u | 8u << 8 | 8u << 16);
  // A job sets IRQ_STATUS.DONE; W1C clears only the bits written as 1.
  std::mt19937_64 rng(5);
  const ts::DpLayer L = ts::make_dp_layer(conv_case(8), dp_hw(dev.params()), rng);
  const Job job = place_conv(dev, L);
  dev.write_memory(kQueue, compiler::to_bytes(job.stream));
  dev.write_reg(r::kCmdqBaseLo, kQueue);
  dev.write_reg(r::kCmdqSize, static_cast<uint32_t>(job.stream.size()));
  dev.write_reg(r::kIrqEnable, 0);
  dev.write_reg(r::kControl, r::control::kStartMask);
  EXPECT_FALSE(dev.wait_for_interrupt(1)) << "no interrupt while IRQ_ENABLE = 0";
  EXPECT_EQ(dev.read_reg(r::kIrqStatus), r::irq_status::kDoneMask);
  dev.write_reg(r::kIrqEnable, r::irq_enable::kDoneMask);
  EXPECT_TRUE(dev.wait_for_interrupt(1)) << "enabling a pending cause raises the line";
  dev.write_reg(r::kIrqStatus, r::irq_status::kErrorMask);
  EXPECT_EQ(dev.read_reg(r::kIrqStatus), r::irq_status::kDoneMask) << "W1C of another bit";
  dev.write_reg(r::kIrqStatus, r::irq_status::kDoneMask);
  EXPECT_EQ(dev.read_reg(r::kIrqStatus), 0u);
  EXPECT_FALSE(dev.wait_for_interrupt(1));
  // Counters: _LO latches _HI; FREEZE holds; CLEAR; CLEAR_ON_START; they survive jobs.
  const uint64_t mac = read_counter(dev, r::kMacActiveLo);
  EXPECT_EQ(mac, job.mac_vectors);
  EXPECT_EQ(dev.read_reg(r::kMacActiveHi), 0u);
  dev.write_reg(r::kControl, r::control::kStartMask);
  EXPECT_EQ(dev.read_reg(r::kStatus), r::status::kDoneMask);
  EXPECT_EQ(read_counter(dev, r::kMacActiveLo), 2 * mac) << "counters accumulate over jobs";
  dev.write_reg(r::kPerfCtrl, r::perf_ctrl::kFreezeMask);
  dev.write_reg(r::kControl, r::control::kStartMask);
  EXPECT_EQ(dev.read_reg(r::kStatus), r::status::kDoneMask);
  EXPECT_EQ(read_counter(dev, r::kMacActiveLo), 2 * mac) << "FREEZE holds";
  dev.write_reg(r::kPerfCtrl, r::perf_ctrl::kClearOnStartMask);
  EXPECT_EQ(dev.read_reg(r::kPerfCtrl), r::perf_ctrl::kClearOnStartMask) << "CLEAR reads 0";
  dev.write_reg(r::kControl, r::control::kStartMask);
  EXPECT_EQ(dev.read_reg(r::kStatus), r::status::kDoneMask);
  EXPECT_EQ(read_counter(dev, r::kMacActiveLo), mac) << "CLEAR_ON_START";
  dev.write_reg(r::kPerfCtrl, r::perf_ctrl::kClearMask);
  EXPECT_EQ(read_counter(dev, r::kMacActiveLo), 0u) << "CLEAR";
  EXPECT_EQ(read_counter(dev, r::kDmaWrBytesLo), 0u);
}

}  // namespace
}  // namespace npu::runtime::test
