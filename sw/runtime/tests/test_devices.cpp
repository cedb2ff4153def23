// Both backends run the same hand-built streams per hardware config (small 4x4, medium 8x8,
// default 16x16): identical output bytes, equal to golden's tensors, equal exact counters;
// error codes that both must give; the Verilator device under random memory timing; and the
// simulation speed of the 16x16 model (printed, never asserted).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "npu_regs/npu_regs.h"
#include "sw/config/hw_config.h"
#include "sw/runtime/device_params.h"
#include "sw/runtime/make_device.h"
#include "sw/runtime/tests/layer_streams.h"
#include "sw/runtime/verilator_device.h"

namespace npu::runtime::test {
namespace {

namespace r = npu::regs;
using compiler::CmdWords;

config::HwConfig load_config(const std::string& name) {
  return config::load_hw_config(std::string(NPU_CONFIGS_DIR) + "/" + name + ".yaml");
}

ts::DpCase conv_case(int hw, int c, int out_c, bool residual = false) {
  ts::DpCase k;
  k.name = residual ? "3x3/s1/p1 + residual" : "3x3/s1/p1";
  k.h = k.w = hw;
  k.c = c;
  k.out_c = out_c;
  k.residual = residual;
  return k;
}

// stdout of a command (the test's own fst2vcd call on its own file).
std::string command_output(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  pclose(p);
  return out;
}

class BothDevices : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    hw_ = load_config(GetParam());
    params_ = DeviceParams::from_config(hw_);
    model_ = make_device("model", hw_);
    verilator_ = make_device("verilator", hw_);
  }
  int rows() const { return params_.rows; }

  // Places the job in both devices, runs both, compares them and golden's tensor.
  template <typename Place>
  void run_both(Place place) {
    const Job jg = place(*model_);
    const Job jv = place(*verilator_);
    const RunResult g = run_stream(*model_, jg.stream);
    const auto t0 = std::chrono::steady_clock::now();
    const RunResult v = run_stream(*verilator_, jv.stream);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_TRUE(g.irq && v.irq) << jg.name;
    EXPECT_EQ(g.code, 0u) << "model: " << r::error_code_name(g.code) << " at " << g.info;
    EXPECT_EQ(v.code, 0u) << "verilator: " << r::error_code_name(v.code) << " at " << v.info;
    EXPECT_EQ(g.status, r::status::kDoneMask);
    EXPECT_EQ(v.status, r::status::kDoneMask);
    EXPECT_EQ(count_mismatches(*model_, jg, rows()), 0) << jg.name;
    EXPECT_EQ(count_mismatches(*verilator_, jv, rows()), 0) << jv.name;
    EXPECT_EQ(model_->read_memory(kOut, jg.out_bytes), verilator_->read_memory(kOut, jv.out_bytes))
        << "output bytes (padding lanes included) differ: " << jg.name;
    EXPECT_EQ(g.mac, jg.mac_vectors) << "model MAC_ACTIVE";
    EXPECT_EQ(v.mac, g.mac) << "MAC_ACTIVE";
    EXPECT_EQ(v.rd_bytes, g.rd_bytes) << "DMA_RD_BYTES";
    EXPECT_EQ(v.wr_bytes, g.wr_bytes) << "DMA_WR_BYTES";
    std::cout << "[ runtime  ] " << verilator_->backend_name() << " " << jv.name << ": " << v.cycles
              << " cycles, " << static_cast<uint64_t>(double(v.cycles) / s) << " cycles/s"
              << std::endl;
  }

  config::HwConfig hw_;
  DeviceParams params_;
  std::unique_ptr<Device> model_, verilator_;
};

TEST_P(BothDevices, ConvWithChannelRemainder) {
  run_both([&](Device& d) {
    std::mt19937_64 rng(11);
    const ts::DpLayer layer =
        ts::make_dp_layer(conv_case(8, 2 * rows(), 2 * rows() - 1), dp_hw(params_), rng);
    return place_conv(d, layer);
  });
}

TEST_P(BothDevices, ResidualConv) {
  run_both([&](Device& d) {
    std::mt19937_64 rng(12);
    const ts::DpLayer layer =
        ts::make_dp_layer(conv_case(6, rows(), 2 * rows(), true), dp_hw(params_), rng);
    return place_conv(d, layer);
  });
}

TEST_P(BothDevices, SmallChannelStem) {
  run_both([&](Device& d) {
    std::mt19937_64 rng(13);
    ts::DpCase k;
    k.name = "7x7/s2/p3, C = 3";
    k.h = k.w = 13;
    k.c = 3;
    k.out_c = rows() + 1;
    k.kh = k.kw = 7;
    k.sh = k.sw = 2;
    k.pad_top = k.pad_left = k.pad_bottom = k.pad_right = 3;
    k.mblock = 7;
    return place_conv(d, ts::make_dp_layer(k, dp_hw(params_), rng));
  });
}

TEST_P(BothDevices, ConvThenPools) {
  const ts::DpPoolCase pools[] = {{"max 3x3/s2/p1", ts::DpPoolKind::kMax, 3, 2, 1},
                                  {"avg 3x3/s1/p1", ts::DpPoolKind::kAvg, 3, 1, 1},
                                  {"global avg", ts::DpPoolKind::kGlobalAvg, 1, 1, 0}};
  for (const ts::DpPoolCase& pool : pools) {
    run_both([&](Device& d) {
      std::mt19937_64 rng(14);
      const ts::DpLayer layer =
          ts::make_dp_layer(conv_case(7, rows(), rows() + 2), dp_hw(params_), rng);
      return place_conv_pool(d, layer, pool);
    });
  }
}

TEST_P(BothDevices, ErrorCodesAgree) {
  std::mt19937_64 rng(15);
  const ts::DpLayer layer = ts::make_dp_layer(conv_case(4, rows(), rows()), dp_hw(params_), rng);
  for (Device* d : {model_.get(), verilator_.get()}) {
    std::vector<CmdWords> s = place_conv(*d, layer).stream;
    s[1][0] &= ~0xfu;  // opcode 0
    RunResult res = run_stream(*d, s);
    EXPECT_EQ(res.code, 8u) << d->backend_name() << ": " << r::error_code_name(res.code);
    EXPECT_EQ(res.info, 1u) << d->backend_name();
    d->write_reg(r::kControl, r::control::kSoftResetMask);
    s = place_conv(*d, layer).stream;
    s[2][0] &= ~(1u << 7);  // the input LOAD does not push: the COMPUTE can never start
    res = run_stream(*d, s);
    EXPECT_EQ(res.code, 13u) << d->backend_name() << ": " << r::error_code_name(res.code);
    d->write_reg(r::kControl, r::control::kSoftResetMask);
    // A misaligned queue: the register file refuses it.
    d->write_reg(r::kCmdqBaseLo, kQueue + 32);
    d->write_reg(r::kCmdqSize, 1);
    d->write_reg(r::kIrqEnable, r::irq_enable::kErrorMask);
    d->write_reg(r::kControl, r::control::kStartMask);
    EXPECT_TRUE(d->wait_for_interrupt(100)) << d->backend_name();
    EXPECT_EQ(d->read_reg(r::kErrorCode), 16u) << d->backend_name() << ": ILLEGAL_REG";
    EXPECT_EQ(d->read_reg(r::kErrorInfo), r::kCmdqBaseLo) << d->backend_name();
    d->write_reg(r::kControl, r::control::kSoftResetMask);
    // And then a good run.
    const Job job = place_conv(*d, layer);
    res = run_stream(*d, job.stream);
    EXPECT_EQ(res.code, 0u) << d->backend_name() << ": " << r::error_code_name(res.code);
    EXPECT_EQ(count_mismatches(*d, job, rows()), 0) << d->backend_name();
  }
  EXPECT_EQ(model_->read_reg(r::kId), verilator_->read_reg(r::kId));
  EXPECT_EQ(model_->read_reg(r::kHwConfig), verilator_->read_reg(r::kHwConfig));
}

// The 3-level strided descriptor both ways: 12 rows of 13 bytes gathered from an unaligned
// base with strides 50, 400 and -700 bytes into the activation bank (each row from a new
// word), then scattered back to DRAM 16 bytes apart. Both devices must leave the same bytes,
// and those of the descriptor semantics (docs/dma.md).
TEST_P(BothDevices, StridedLoadAndStore) {
  constexpr uint32_t kSrc = 0x100003, kDst = 0x500001, kLen = 13;
  const uint32_t strides[3] = {50, 400, static_cast<uint32_t>(-700)};
  std::mt19937_64 rng(18);
  std::vector<uint8_t> src(4096);
  for (auto& b : src) b = static_cast<uint8_t>(rng());
  std::vector<uint8_t> expect(12 * 16, 0xA5);
  int row = 0;
  for (uint32_t i3 = 0; i3 < 2; ++i3)
    for (uint32_t i2 = 0; i2 < 2; ++i2)
      for (uint32_t i1 = 0; i1 < 3; ++i1, ++row) {
        const uint32_t off = 1000 + i1 * strides[0] + i2 * strides[1] + i3 * strides[2];
        for (uint32_t b = 0; b < kLen; ++b) expect[row * 16 + b] = src[off + b];
      }
  compiler::DmaCmd ld;
  ld.dst = 0;
  ld.bank = 1;
  ld.sp_addr = 5;
  ld.addr = kSrc + 1000;
  ld.len = kLen;
  ld.cnt1 = 3;
  ld.cnt2 = 2;
  ld.cnt3 = 2;
  ld.stride1 = strides[0];
  ld.stride2 = strides[1];
  ld.stride3 = strides[2];
  compiler::DmaCmd st;
  st.bank = 1;
  st.sp_addr = 5;
  st.addr = kDst;
  st.len = kLen;
  st.cnt1 = 4;
  st.cnt2 = 3;
  st.stride1 = 16;
  st.stride2 = 64;
  const std::vector<CmdWords> stream = {
      compiler::encode_load(ld, compiler::Deps{false, false, false, true}),
      compiler::encode_sync(compiler::Queue::kCompute, compiler::Deps{true, false, false, true}),
      compiler::encode_store(st, compiler::Deps{true, false, false, false}),
      compiler::encode_end()};
  for (Device* d : {model_.get(), verilator_.get()}) {
    d->write_memory(kSrc, src);
    d->write_memory(kDst, std::vector<uint8_t>(expect.size(), 0xA5));
    const RunResult res = run_stream(*d, stream);
    EXPECT_EQ(res.code, 0u) << d->backend_name() << ": " << r::error_code_name(res.code);
    EXPECT_EQ(d->read_memory(kDst, expect.size()), expect) << d->backend_name();
    EXPECT_EQ(res.rd_bytes, 12u * kLen) << d->backend_name();
    EXPECT_EQ(res.wr_bytes, 12u * kLen) << d->backend_name();
  }
}

TEST_P(BothDevices, RandomMemoryTiming) {
  VerilatorOptions o;
  o.memory.mode = MemoryTiming::Mode::kRandom;
  o.memory.seed = 0x5eed;
  o.memory.latency_min = 2;
  o.memory.latency_max = 40;
  o.memory.ready = 0.7;
  verilator_ = make_device("verilator", hw_, o);
  run_both([&](Device& d) {
    std::mt19937_64 rng(16);
    const ts::DpLayer layer =
        ts::make_dp_layer(conv_case(6, 2 * rows(), rows(), true), dp_hw(params_), rng);
    return place_conv(d, layer);
  });
}

INSTANTIATE_TEST_SUITE_P(Configs, BothDevices, ::testing::Values("small", "medium", "default"),
                         [](const auto& p) { return p.param; });

TEST(VerilatorDevice, TraceWindowWritesAFile) {
  VerilatorOptions o;
  o.trace.path = ::testing::TempDir() + "runtime_trace.fst";
  o.trace.first_cycle = 10;
  o.trace.last_cycle = 50;
  std::remove(o.trace.path.c_str());
  {
    const std::unique_ptr<Device> d = make_device("verilator", load_config("small"), o);
    EXPECT_EQ(d->read_reg(r::kId), 0x4E500100u);
    d->wait_for_interrupt(100);
  }
  std::ifstream f(o.trace.path, std::ios::binary | std::ios::ate);
  EXPECT_TRUE(f.good()) << o.trace.path;
  EXPECT_GT(static_cast<long>(f.tellg()), 0) << o.trace.path;

  // Real time at small.yaml's 200 MHz: 1 ps units, rising edge n at n * 5000 ps, the clock-low
  // dump half a period later; cycles 10..50 only.
  if (std::string(NPU_FST2VCD).empty()) GTEST_SKIP() << "fst2vcd (gtkwave) not found";
  ASSERT_DOUBLE_EQ(load_config("small").clock_mhz, 200.0);
  const std::string vcd = command_output(std::string(NPU_FST2VCD) + " " + o.trace.path);
  EXPECT_NE(vcd.find("$timescale\n\t1ps"), std::string::npos) << vcd.substr(0, 400);
  std::vector<uint64_t> times;
  std::istringstream lines(vcd);
  for (std::string l; std::getline(lines, l);) {
    if (l.size() > 1 && l[0] == '#') times.push_back(std::stoull(l.substr(1)));
  }
  ASSERT_FALSE(times.empty());
  EXPECT_EQ(times.front(), 10u * 5000);
  EXPECT_EQ(times.back(), 50u * 5000 + 2500);
  for (std::size_t i = 1; i < times.size(); ++i) EXPECT_EQ(times[i] - times[i - 1], 2500u) << i;
}

TEST(VerilatorDevice, UnknownBackendAndUnbuiltConfigAreRefused) {
  config::HwConfig hw = load_config("small");
  EXPECT_THROW(make_device("fpga", hw), DeviceError);
  try {
    make_device("golden", hw);
    ADD_FAILURE() << "the old name 'golden' was accepted";
  } catch (const DeviceError& e) {
    EXPECT_STREQ(e.what(), "device backend 'golden' is now called 'model'");
  }
  hw.name = "odd";
  hw.activation_kib = 64;
  EXPECT_THROW(make_device("verilator", hw), DeviceError);
}

// Simulation speed of the 16x16 npu_top on a long job: 3x3 conv 32x32x64 -> 64 (about 150k
// cycles), fast memory. Printed, not asserted; the output is still checked.
TEST(VerilatorSpeed, Conv32x32x64At16x16) {
  const config::HwConfig hw = load_config("default");
  const DeviceParams p = DeviceParams::from_config(hw);
  if (p.rows != 16) GTEST_SKIP() << "default.yaml is not 16x16";
  const std::unique_ptr<Device> dev = make_device("verilator", hw);
  std::mt19937_64 rng(17);
  ts::DpCase k = conv_case(32, 64, 64);
  const ts::DpLayer layer = ts::make_dp_layer(k, dp_hw(p), rng);
  const Job job = place_conv(*dev, layer);
  // Process CPU time besides wall time: the machine may be shared.
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  const RunResult res = run_stream(*dev, job.stream);
  const double cpu = double(std::clock() - c0) / CLOCKS_PER_SEC;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(res.irq);
  EXPECT_EQ(res.code, 0u) << r::error_code_name(res.code);
  EXPECT_EQ(count_mismatches(*dev, job, 16), 0) << job.name;
  std::cout << "[ speed    ] " << dev->backend_name() << " " << job.name << ": " << res.cycles
            << " cycles in " << s << " s wall, " << cpu
            << " s CPU: " << static_cast<uint64_t>(double(res.cycles) / cpu)
            << " cycles per CPU second, " << static_cast<uint64_t>(double(res.cycles) / s)
            << " per wall second (target >= 400000)" << std::endl;
}

}  // namespace
}  // namespace npu::runtime::test
