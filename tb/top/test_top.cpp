// npu_top at NPU_TOP_ROWS, driven as the driver will drive it: only AXI4-Lite register accesses
// (random gaps and BREADY/RREADY) and the AXI4 memory model (random latency, 80% ready/valid).
// The bench writes tensors, PPU records and the command stream into memory, programs CMDQ_*,
// enables the interrupts, writes CONTROL.START, waits for irq_o, then reads STATUS, ERROR_* and
// the counters and compares every output byte in memory with golden.
// * Layers (table below, scaled to the array): conv 3x3/s1/p1, 3x3/s2, 1x1/s2, 7x7/s2/p3 C=3,
//   C=1, channels not multiples of the array, fused residual add, fully connected; pooling
//   (max 3x3/s2/p1 after a conv in one stream, global average on a preloaded tensor).
// * Errors: a bus error during a load, an illegal opcode, a zero-size transfer: each ends with
//   its ERROR_CODE / ERROR_INFO, STATUS and the interrupt; after SOFT_RESET the next job is
//   bit-exact.
// * Counters: bytes, MAC-active cycles, PPU and pool busy / stall, DMA stalls against a slow and
//   a fast memory.
// * ConvLayerWalk prints the bus-visible timeline of one conv layer (docs/architecture.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "Vtop.h"
#include "golden/conv2d.h"
#include "npu_regs/npu_regs.h"
#include "sw/test_support/dp_layer.h"
#include "sw/test_support/layer_image.h"
#include "sw/test_support/streams.h"
#include "sw/test_support/tensor_check.h"
#include "tb/common/axi_lite_master.h"
#include "tb/common/axi_memory.h"
#include "tb/common/axi_memory_port.h"
#include "tb/common/bench_env.h"
#include "tb/common/mismatch.h"
#include "tb/common/tensor_mismatch.h"
#include "tb/common/verilated_bench.h"
#include "tb/ctrl/ctrl_command.h"

namespace npu::tb::top {
namespace {

using namespace npu::test_support;  // NOLINT(google-build-using-namespace): the shared test layers

using ctrl::CmdWords;
using ctrl::ComputeCmd;
using ctrl::DmaCmd;
namespace r = npu::regs;

constexpr int kRows = NPU_TOP_ROWS;
constexpr DramMap kDram{};
constexpr uint32_t kQueue = kDram.queue, kIn = kDram.in, kWgt = kDram.wgt, kPrm = kDram.prm,
                   kOut = kDram.out;

DpHw top_hw() {
  DpHw hw;
  hw.rows = hw.cols = kRows;
  hw.act_depth = NPU_TOP_ACT_DEPTH;
  hw.wgt_depth = NPU_TOP_WGT_DEPTH;
  hw.acc_depth = NPU_TOP_ACC_DEPTH;
  return hw;
}

constexpr ctrl::Deps kPushNext{false, false, false, true};

// What a job left in the registers once its interrupt came.
struct JobResult {
  bool irq = false;
  uint64_t cycles = 0;
  uint32_t status = 0, irq_status = 0, code = 0, info = 0, addr = 0;
};

// The counters after a job (PERF_CTRL.CLEAR before it).
struct Counters {
  uint64_t cycles = 0, mac = 0, ld_busy = 0, ld_stall = 0, st_busy = 0, st_stall = 0;
  uint64_t cp_busy = 0, cp_stall = 0, ppu_busy = 0, ppu_stall = 0, pool_busy = 0;
  uint64_t pool_stall = 0, rd_bytes = 0, wr_bytes = 0;
};

// One bus handshake seen by the bench (cycles from the START write).
struct BusEvent {
  uint64_t cycle = 0;
  char kind = 0;  // 'A' AR, 'R' last R beat of a burst, 'W' AW, 'B' B response, 'I' irq_o
  uint32_t id = 0;
  uint64_t addr = 0;
};

int64_t pool_words_read(const DpPoolLayer& P) {
  // Scratchpad reads of a pool job: one per window tap inside the input, per channel group.
  const DpJob& j = P.job;
  if (j.pool_mode == 2) return int64_t{j.in_h} * j.in_w * j.in_groups;
  int64_t taps = 0;
  for (int oy = 0; oy < j.out_h; ++oy)
    for (int ox = 0; ox < j.out_w; ++ox)
      for (int ky = 0; ky < j.kernel_h; ++ky)
        for (int kx = 0; kx < j.kernel_w; ++kx) {
          const int y = oy * j.stride_h - j.pad_top + ky, x = ox * j.stride_w - j.pad_left + kx;
          if (y >= 0 && y < j.in_h && x >= 0 && x < j.in_w) ++taps;
        }
  return taps * j.in_groups;
}

class TopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = test_seed();
    rng_.seed(seed_);
    memory_ = std::make_unique<AxiMemory>(random_memory());
    port_ = std::make_unique<AxiMemoryPort<Vtop>>(bench_.top(), *memory_);
    axil_ = std::make_unique<AxiLiteMaster<Vtop>>(bench_, seed_ ^ 0x11e);
    // The memory model runs in every cycle of every register access and idle cycle.
    axil_->set_on_cycle([this](Vtop& t) {
      port_->drive();
      bench_.settle();
      if (trace_) record_bus(t);
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

  AxiMemoryConfig random_memory() const {
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
    return cfg;
  }

  void record_bus(const Vtop& t) {
    const uint64_t c = bench_.cycle() - trace_start_;
    if (t.m_axi_arvalid_o && t.m_axi_arready_i)
      events_.push_back({c, 'A', static_cast<uint32_t>(t.m_axi_arid_o), t.m_axi_araddr_o});
    if (t.m_axi_rvalid_i && t.m_axi_rready_o && t.m_axi_rlast_i)
      events_.push_back({c, 'R', static_cast<uint32_t>(t.m_axi_rid_i), 0});
    if (t.m_axi_awvalid_o && t.m_axi_awready_i) events_.push_back({c, 'W', 0, t.m_axi_awaddr_o});
    if (t.m_axi_bvalid_i && t.m_axi_bready_o) events_.push_back({c, 'B', 0, 0});
    if (t.irq_o && (events_.empty() || events_.back().kind != 'I')) {
      events_.push_back({c, 'I', 0, 0});
    }
  }

  // The image's bytes into the memory model; returns its stream.
  std::vector<CmdWords> load(const LayerImage& im) {
    for (const DramWrite& w : im.writes) memory_->write(w.addr, w.bytes);
    return im.stream;
  }

  // A conv / FC layer (test_support::conv_image). With a pool case, a pool COMPUTE on the
  // conv's output follows the conv in the same stream, writing behind the conv's input in the
  // input bank, and the STORE writes the pool's output instead; *pool_out gets that job.
  std::vector<CmdWords> place(const DpLayer& L, const DpPoolCase* pool = nullptr,
                              std::optional<DpPoolLayer>* pool_out = nullptr) {
    if (pool == nullptr) return load(conv_image(L, kDram));
    const LayerImage im =
        conv_pool_image(L, *pool, L.job.in_base + static_cast<int>(L.act_words.size()), kDram);
    *pool_out = im.pool;
    return load(im);
  }

  // A pool job on a tensor preloaded by the stream: LOAD (push), COMPUTE (pop, push), STORE.
  std::vector<CmdWords> place_pool(const DpPoolLayer& P) { return load(pool_image(P, kDram)); }

  static uint32_t out_bytes(const DpLayer& L) {
    return static_cast<uint32_t>(L.job.pixels * L.job.out_groups * kRows);
  }

  // The driver's sequence: queue into memory, clear the counters, CMDQ_*, IRQ_ENABLE, START,
  // wait for irq_o.
  JobResult run_job(const std::vector<CmdWords>& stream, uint64_t max_cycles = 2000000) {
    memory_->write(kQueue, ctrl::to_bytes(stream));
    axil_->write(r::kPerfCtrl, r::perf_ctrl::kClearMask);
    axil_->write(r::kCmdqBaseLo, kQueue);
    axil_->write(r::kCmdqBaseHi, 0);
    axil_->write(r::kCmdqSize, static_cast<uint32_t>(stream.size()));
    axil_->write(r::kIrqEnable, r::irq_enable::kDoneMask | r::irq_enable::kErrorMask);
    EXPECT_EQ(bench_.top().irq_o, 0) << "[top] interrupt pending before START";
    JobResult res;
    const uint64_t start = bench_.cycle();
    trace_start_ = start;
    events_.clear();
    EXPECT_EQ(axil_->write(r::kControl, r::control::kStartMask), kAxiOkay);
    while (!bench_.top().irq_o && bench_.cycle() - start < max_cycles) {
      if (poll_) {
        poll_(bench_.cycle() - start);
      } else {
        axil_->idle(1);
      }
    }
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

  // A job that must end cleanly.
  JobResult run_ok(const std::vector<CmdWords>& stream, const std::string& what) {
    const JobResult res = run_job(stream);
    EXPECT_TRUE(res.irq) << what;
    EXPECT_EQ(res.status, r::status::kDoneMask) << what << ": STATUS done, not busy, no error";
    EXPECT_EQ(res.irq_status, r::irq_status::kDoneMask) << what;
    EXPECT_EQ(res.code, 0u) << what << ": " << r::error_code_name(res.code) << " at command "
                            << res.info;
    EXPECT_NO_THROW(memory_->check_idle()) << what;
    return res;
  }

  uint64_t counter(uint32_t lo_offset) {
    const uint64_t lo = axil_->read(lo_offset);
    const uint64_t hi = axil_->read(lo_offset + 4);
    return lo | (hi << 32);
  }

  Counters counters() {
    axil_->write(r::kPerfCtrl, r::perf_ctrl::kFreezeMask);  // one consistent snapshot
    Counters c;
    c.cycles = counter(r::kCyclesLo);
    c.mac = counter(r::kMacActiveLo);
    c.ld_busy = counter(r::kDmaLdBusyLo);
    c.ld_stall = counter(r::kDmaLdStallLo);
    c.st_busy = counter(r::kDmaStBusyLo);
    c.st_stall = counter(r::kDmaStStallLo);
    c.cp_busy = counter(r::kComputeBusyLo);
    c.cp_stall = counter(r::kComputeStallLo);
    c.ppu_busy = counter(r::kPpuBusyLo);
    c.ppu_stall = counter(r::kPpuStallLo);
    c.pool_busy = counter(r::kPoolBusyLo);
    c.pool_stall = counter(r::kPoolStallLo);
    c.rd_bytes = counter(r::kDmaRdBytesLo);
    c.wr_bytes = counter(r::kDmaWrBytesLo);
    axil_->write(r::kPerfCtrl, 0);
    return c;
  }

  // Every byte of golden tensor `e` against DRAM at kOut (NHWC, `groups` words per pixel).
  int check_tensor(const golden::Tensor& e, int groups, const std::string& name) {
    MismatchReporter m("top");
    const std::vector<uint8_t> out =
        memory_->read(kOut, static_cast<std::size_t>(e.shape.h * e.shape.w * groups * kRows));
    return tb::check_tensor(m, name, e, unpack_words(out, e.shape, e.quant, groups, kRows));
  }

  int check_output(const DpLayer& L) {
    return check_tensor(L.expected, L.job.out_groups, L.kase.name);
  }

  // Counter checks that hold for every conv / FC job (with `pool` after it, if any).
  void check_conv_counters(const DpLayer& L, const Counters& c, const JobResult& res,
                           const DpPoolLayer* pool) {
    const auto words = L.act_words.size() + L.res_words.size() + L.w_words.size();
    const auto conv_out_words = static_cast<uint64_t>(L.job.pixels * L.job.out_groups);
    EXPECT_EQ(c.rd_bytes, 16 * L.params.size() + words * kRows) << "DMA_RD_BYTES";
    const uint64_t stored_words = pool ? static_cast<uint64_t>(pool->out_words) : conv_out_words;
    EXPECT_EQ(c.wr_bytes, stored_words * kRows) << "DMA_WR_BYTES";
    EXPECT_EQ(c.mac, static_cast<uint64_t>(L.job.pixels * L.job.kchunks * L.job.ntiles))
        << "MAC_ACTIVE: one cycle per array vector (pixels x K-chunks x N-tiles)";
    EXPECT_GE(c.cp_busy, c.mac) << "COMPUTE_BUSY covers every MAC-active cycle";
    EXPECT_LT(c.cp_busy, res.cycles) << "COMPUTE_BUSY within the job";
    EXPECT_GT(c.ld_busy, 0u) << "DMA_LD_BUSY";
    EXPECT_GT(c.st_busy, 0u) << "DMA_ST_BUSY";
    EXPECT_LE(c.ld_stall, c.ld_busy) << "DMA_LD_STALL counts busy cycles only";
    EXPECT_LE(c.st_stall, c.st_busy) << "DMA_ST_STALL counts busy cycles only";
    EXPECT_GT(c.cycles, res.cycles) << "CYCLES counts from the clear, before START";
    // The PPU emits one word per cycle at most, and each word was one beat in and one out.
    EXPECT_GE(c.ppu_busy, conv_out_words) << "PPU_BUSY: at least one cycle per output word";
    EXPECT_LE(c.ppu_busy, c.cp_busy) << "PPU_BUSY within the compute job";
    EXPECT_LE(c.ppu_stall, c.ppu_busy) << "PPU_STALL counts busy cycles only";
    EXPECT_GE(c.ppu_busy - c.ppu_stall, conv_out_words) << "PPU busy cycles with a beat";
    EXPECT_LE(c.ppu_busy - c.ppu_stall, 2 * conv_out_words) << "PPU busy cycles with a beat";
    if (pool == nullptr) {
      EXPECT_EQ(c.pool_busy, 0u) << "POOL_BUSY after a conv-only job";
      EXPECT_EQ(c.pool_stall, 0u) << "POOL_STALL after a conv-only job";
    } else {
      check_pool_counters(*pool, c, res);
    }
  }

  static void check_pool_counters(const DpPoolLayer& P, const Counters& c, const JobResult& res) {
    EXPECT_GT(c.pool_busy, 0u) << "POOL_BUSY after a pool job";
    EXPECT_LE(c.pool_busy, res.cycles) << "POOL_BUSY within the job";
    EXPECT_LE(c.pool_stall, c.pool_busy) << "POOL_STALL counts busy cycles only";
    EXPECT_EQ(c.pool_busy - c.pool_stall, static_cast<uint64_t>(pool_words_read(P)))
        << "POOL_BUSY - POOL_STALL: one scratchpad read per tap inside the input";
    EXPECT_GE(c.pool_busy, static_cast<uint64_t>(P.out_words)) << "POOL_BUSY";
  }

  VerilatedBench<Vtop> bench_{"top", 20000};
  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  std::unique_ptr<AxiMemory> memory_;
  std::unique_ptr<AxiMemoryPort<Vtop>> port_;
  std::unique_ptr<AxiLiteMaster<Vtop>> axil_;
  bool trace_ = false;
  uint64_t trace_start_ = 0;
  std::vector<BusEvent> events_;
  std::function<void(uint64_t)> poll_;  // replaces the idle cycle while waiting for irq_o
};

// ---------------------------------------------------------------- layer table
DpCase layer(std::string name, int hw, int c, int out_c, int k, int s, int p) {
  DpCase d;
  d.name = std::move(name);
  d.h = d.w = hw;
  d.c = c;
  d.out_c = out_c;
  d.kh = d.kw = k;
  d.sh = d.sw = s;
  d.pad_top = d.pad_left = d.pad_bottom = d.pad_right = p;
  return d;
}

struct LayerCase {
  const char* test_name;
  DpCase conv;
};

std::vector<LayerCase> layer_cases() {
  constexpr int R = kRows;
  DpCase residual = layer("3x3/s1/p1 + residual (mode 1)", 6, R, R, 3, 1, 1);
  residual.residual = true;
  DpCase fc = layer("fully connected", 1, 3 * R + 5, 2 * R + 1, 1, 1, 0);
  fc.fully_connected = true;
  return {
      {"Conv3x3S1P1", layer("3x3/s1/p1", 8, 2 * R, 2 * R, 3, 1, 1)},
      {"Conv3x3S2", layer("3x3/s2/p1", 9, R, 2 * R, 3, 2, 1)},
      {"Conv1x1S2Downsample", layer("1x1/s2 downsample", 8, 2 * R, 2 * R, 1, 2, 0)},
      {"Conv7x7S2P3C3", layer("7x7/s2/p3, C=3", 12, 3, R + 3, 7, 2, 3)},
      {"Conv3x3C1", layer("3x3/s1/p1, C=1", 8, 1, R, 3, 1, 1)},
      // 20 -> 24 channels at 16x16, scaled: C = 1.25 R, O = 1.5 R.
      {"Conv3x3ChannelsNotMultiple",
       layer("3x3/s1/p1, C=1.25R -> 1.5R", 6, R + R / 4, R + R / 2, 3, 1, 1)},
      {"ResidualAddFused", residual},
      {"FullyConnected", fc},
  };
}

// gtest prints a parameter in test listings; the name is enough.
void PrintTo(const LayerCase& c, std::ostream* os) { *os << c.conv.name; }

class TopLayerTest : public TopTest, public ::testing::WithParamInterface<LayerCase> {};

TEST_P(TopLayerTest, BitExactThroughRegisters) {
  const DpLayer L = make_dp_layer(GetParam().conv, top_hw(), rng_);
  const JobResult res = run_ok(place(L), L.describe());
  ASSERT_TRUE(res.irq);
  EXPECT_EQ(check_output(L), 0) << L.describe();
  const Counters c = counters();
  check_conv_counters(L, c, res, nullptr);
  std::cout << "[ top      ] " << L.describe() << ": " << res.cycles
            << " cycles START to irq, MAC-active " << c.mac << ", PPU busy/stall " << c.ppu_busy
            << "/" << c.ppu_stall << ", DMA ld busy/stall " << c.ld_busy << "/" << c.ld_stall
            << ", st busy/stall " << c.st_busy << "/" << c.st_stall << std::endl;
}

INSTANTIATE_TEST_SUITE_P(Layers, TopLayerTest, ::testing::ValuesIn(layer_cases()),
                         [](const ::testing::TestParamInfo<LayerCase>& i) {
                           return std::string(i.param.test_name);
                         });

// ---------------------------------------------------------------- build and pooling
TEST_F(TopTest, IdentifiesTheBuild) {
  EXPECT_EQ(axil_->read(r::kId), 0x4E500100u);  // magic 'NP', version 1.0
  const uint32_t hw = axil_->read(r::kHwConfig);
  EXPECT_EQ(hw & 0xFFu, static_cast<uint32_t>(kRows)) << "ROWS";
  EXPECT_EQ((hw >> 8) & 0xFFu, static_cast<uint32_t>(kRows)) << "COLS";
  EXPECT_EQ((hw >> 16) & 0xFFu, static_cast<uint32_t>(kRows)) << "AXI_BYTES (Rows bytes)";
}

#if NPU_TOP_ROWS == 4
TEST_F(TopTest, Conv3x3CountersByHand) {
  // By hand, 8x8x8 -> 8 at 4x4: 8 PPU records x 16 B + 8x8 pixels x 2 words x 4 B input +
  // 3x3x8x8 weight bytes = 128 + 512 + 576; output 8x8 x 8 B; 64 pixels x 18 K-chunks x
  // 2 N-tiles vectors.
  const DpLayer L = make_dp_layer(layer("3x3/s1/p1", 8, 8, 8, 3, 1, 1), top_hw(), rng_);
  const JobResult res = run_ok(place(L), L.describe());
  ASSERT_TRUE(res.irq);
  EXPECT_EQ(check_output(L), 0);
  const Counters c = counters();
  EXPECT_EQ(c.rd_bytes, 1216u);
  EXPECT_EQ(c.wr_bytes, 512u);
  EXPECT_EQ(c.mac, 2304u);
  EXPECT_GE(c.ppu_busy, 128u) << "128 output words";
}
#endif

TEST_F(TopTest, MaxPool3x3S2P1AfterConvInOneStream) {
  // The ResNet stem's pool: a conv job, then a pool COMPUTE on its output, one stream; only
  // the pool's output is stored.
  constexpr int R = kRows;
  const DpLayer L =
      make_dp_layer(layer("3x3/s1/p1 before pool", 8, R, 2 * R, 3, 1, 1), top_hw(), rng_);
  DpPoolCase pk;
  pk.name = "max 3x3/s2/p1";
  pk.kind = DpPoolKind::kMax;
  pk.k = 3;
  pk.s = 2;
  pk.pad = 1;
  std::optional<DpPoolLayer> P;
  const std::vector<CmdWords> s = place(L, &pk, &P);
  const JobResult res = run_ok(s, P->describe());
  ASSERT_TRUE(res.irq);
  EXPECT_EQ(check_tensor(P->expected, P->job.out_groups, pk.name), 0) << P->describe();
  const Counters c = counters();
  check_conv_counters(L, c, res, &*P);
  std::cout << "[ top      ] conv + " << P->describe() << ": " << res.cycles
            << " cycles START to irq, pool busy/stall " << c.pool_busy << "/" << c.pool_stall
            << std::endl;
}

TEST_F(TopTest, GlobalAvgPoolOnPreloadedTensor) {
  constexpr int R = kRows;
  const golden::Tensor in = dp_random_tensor({1, 5, 5, 2 * R + 3}, {0.05f, -7}, rng_);
  DpPoolCase pk;
  pk.name = "global avg 5x5";
  pk.kind = DpPoolKind::kGlobalAvg;
  DpPoolPlace at;
  at.in_bank = 0;
  at.in_base = 0;
  at.out_bank = 1;
  at.out_base = 3;
  const DpPoolLayer P = make_dp_pool(pk, in, top_hw(), at, true);
  const JobResult res = run_ok(place_pool(P), P.describe());
  ASSERT_TRUE(res.irq);
  EXPECT_EQ(check_tensor(P.expected, P.job.out_groups, pk.name), 0) << P.describe();
  const Counters c = counters();
  EXPECT_EQ(c.mac, 0u) << "MAC_ACTIVE after a pool-only job";
  EXPECT_EQ(c.ppu_busy, 0u) << "PPU_BUSY after a pool-only job";
  EXPECT_EQ(c.rd_bytes, P.act_words.size() * kRows) << "DMA_RD_BYTES";
  EXPECT_EQ(c.wr_bytes, static_cast<uint64_t>(P.out_words) * kRows) << "DMA_WR_BYTES";
  check_pool_counters(P, c, res);
  std::cout << "[ top      ] " << P.describe() << ": " << res.cycles
            << " cycles START to irq, pool busy/stall " << c.pool_busy << "/" << c.pool_stall
            << std::endl;
}

// ---------------------------------------------------------------- errors
// After an error job: the right code, command index and address, STATUS done + error, both
// interrupt causes; then SOFT_RESET clears the error and a clean job runs bit-exact.
void expect_error(const JobResult& bad, r::ErrorCode code, uint32_t info, const std::string& what) {
  ASSERT_TRUE(bad.irq) << what;
  EXPECT_EQ(bad.code, static_cast<uint32_t>(code))
      << what << ": " << r::error_code_name(bad.code) << " instead of "
      << r::error_code_name(static_cast<uint32_t>(code));
  EXPECT_EQ(bad.info, info) << what << ": ERROR_INFO (command index)";
  EXPECT_EQ(bad.status, r::status::kDoneMask | r::status::kErrorMask) << what;
  EXPECT_EQ(bad.irq_status, r::irq_status::kDoneMask | r::irq_status::kErrorMask) << what;
}

class TopErrorTest : public TopTest {
 protected:
  void soft_reset_and_clean_run(const DpLayer& L) {
    axil_->write(r::kControl, r::control::kSoftResetMask);
    EXPECT_EQ(axil_->read(r::kErrorCode), 0u) << "SOFT_RESET clears ERROR_CODE";
    EXPECT_EQ(axil_->read(r::kStatus), 0u) << "SOFT_RESET clears STATUS";
    run_ok(place(L), "clean run after SOFT_RESET");
    EXPECT_EQ(check_output(L), 0) << L.describe();
  }

  DpLayer small_layer() {
    return make_dp_layer(layer("3x3/s1/p1", 6, kRows, kRows, 3, 1, 1), top_hw(), rng_);
  }
};

TEST_F(TopErrorTest, LoadBusErrorRaisesIrqThenSoftResetAndCleanRun) {
  const DpLayer L = small_layer();
  const std::vector<CmdWords> s = place(L);
  memory_->add_error_range(kIn + 64, kIn + 65, AxiResp::kSlvErr, true, false);
  const JobResult bad = run_job(s);
  expect_error(bad, r::ErrorCode::kDmaRdSlverr, 2, "SLVERR in the input LOAD");
  EXPECT_EQ(bad.code, 2u) << "DMA_RD_SLVERR is 2 in docs/control.md";
  EXPECT_LE(bad.addr, kIn + 64) << "ERROR_ADDR: the failing burst";
  EXPECT_GT(bad.addr + 4096, kIn + 64) << "ERROR_ADDR: the failing burst";
  EXPECT_NO_THROW(memory_->check_idle());
  memory_->clear_errors();
  soft_reset_and_clean_run(L);
}

TEST_F(TopErrorTest, IllegalOpcodeRaisesIrqThenSoftResetAndCleanRun) {
  // Opcode 0 (an all-zero command) in place of the COMPUTE, then opcode 9 in place of the
  // weight LOAD: the commands before it drain, nothing after it runs.
  struct Bad {
    uint32_t opcode;
    std::size_t at;
  };
  for (const Bad& b : {Bad{0, 3}, Bad{9, 1}}) {
    const DpLayer L = small_layer();
    std::vector<CmdWords> s = place(L);
    s[b.at] = CmdWords{};
    s[b.at][0] = b.opcode;
    const uint64_t writes_before = memory_->stats().writes;
    const JobResult bad = run_job(s);
    const std::string what = "opcode " + std::to_string(b.opcode);
    expect_error(bad, r::ErrorCode::kBadOpcode, static_cast<uint32_t>(b.at), what);
    EXPECT_EQ(bad.addr, 0u) << what << ": ERROR_ADDR";
    EXPECT_EQ(memory_->stats().writes, writes_before) << what << ": nothing stored";
    EXPECT_NO_THROW(memory_->check_idle());
    soft_reset_and_clean_run(L);
  }
}

TEST_F(TopErrorTest, ZeroSizeTransferRaisesIrqThenSoftResetAndCleanRun) {
  // A LOAD of 0 bytes (the input LOAD, command 2) is refused at decode.
  const DpLayer L = small_layer();
  std::vector<CmdWords> s = place(L);
  DmaCmd d = one_row(0, static_cast<uint32_t>(L.job.in_bank), 0, kIn, 0);
  s[2] = ctrl::encode_load(d, kPushNext);
  const uint64_t writes_before = memory_->stats().writes;
  const JobResult bad = run_job(s);
  expect_error(bad, r::ErrorCode::kZeroSize, 2, "LOAD with len 0");
  EXPECT_EQ(bad.addr, 0u) << "ERROR_ADDR";
  EXPECT_EQ(memory_->stats().writes, writes_before) << "nothing stored";
  EXPECT_NO_THROW(memory_->check_idle());
  soft_reset_and_clean_run(L);
}

TEST_F(TopErrorTest, MisalignedQueueIsRefusedByTheRegisterFile) {
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

// ---------------------------------------------------------------- counters
TEST_F(TopTest, DmaStallCountersFollowTheMemory) {
  // The same layer against a slow, jittery memory and a fast always-ready one: the DMAs'
  // AXI-side stall counters must see the difference.
  const DpLayer L = make_dp_layer(layer("3x3/s1/p1", 6, kRows, kRows, 3, 1, 1), top_hw(), rng_);
  AxiMemoryConfig slow = random_memory();
  slow.read_latency_min = 20;
  slow.read_latency_max = 50;
  slow.write_latency_min = 20;
  slow.write_latency_max = 50;
  slow.ar_ready = slow.aw_ready = slow.w_ready = slow.r_valid = slow.b_valid = 0.5;
  AxiMemoryConfig fast = random_memory();
  fast.read_latency_min = fast.read_latency_max = 1;
  fast.write_latency_min = fast.write_latency_max = 1;
  fast.ar_ready = fast.aw_ready = fast.w_ready = fast.r_valid = fast.b_valid = 1.0;
  Counters c[2];
  uint64_t cycles[2] = {0, 0};
  int i = 0;
  for (const AxiMemoryConfig& m : {slow, fast}) {
    memory_->set_config(m);
    const JobResult res = run_ok(place(L), i == 0 ? "slow memory" : "fast memory");
    EXPECT_EQ(check_output(L), 0);
    c[i] = counters();
    cycles[i] = res.cycles;
    EXPECT_LE(c[i].ld_stall, c[i].ld_busy);
    EXPECT_LE(c[i].st_stall, c[i].st_busy);
    ++i;
  }
  EXPECT_GT(c[0].ld_stall, c[1].ld_stall) << "DMA_LD_STALL: slow vs fast memory";
  EXPECT_GT(c[0].st_stall, c[1].st_stall) << "DMA_ST_STALL: slow vs fast memory";
  EXPECT_GT(c[0].ld_stall, c[0].ld_busy / 2) << "a slow memory stalls most load cycles";
  EXPECT_LT(c[1].ld_stall, c[1].ld_busy / 2) << "a fast memory stalls few load cycles";
  std::cout << "[ top      ] DMA stalls, slow memory (latency 20-50, 50% ready): ld "
            << c[0].ld_stall << "/" << c[0].ld_busy << " busy, st " << c[0].st_stall << "/"
            << c[0].st_busy << ", " << cycles[0] << " cycles; fast (latency 1, always ready): ld "
            << c[1].ld_stall << "/" << c[1].ld_busy << ", st " << c[1].st_stall << "/"
            << c[1].st_busy << ", " << cycles[1] << " cycles" << std::endl;
}

// ---------------------------------------------------------------- a walk of one conv layer
// The timeline docs/architecture.md describes: bus handshakes (command fetches, loads, stores)
// seen on the AXI master, and the compute phases seen by polling MAC_ACTIVE and PPU_BUSY
// through the register file while the job runs (a few cycles' resolution per poll).
TEST_F(TopTest, ConvLayerWalk) {
  const DpLayer L =
      make_dp_layer(layer("3x3/s1/p1", 8, 2 * kRows, 2 * kRows, 3, 1, 1), top_hw(), rng_);
  const std::vector<CmdWords> s = place(L);
  uint64_t mac_first = 0, mac_last = 0, ppu_first = 0, ppu_last = 0, mac_prev = 0, ppu_prev = 0;
  poll_ = [&](uint64_t) {
    const uint64_t mac = axil_->read(r::kMacActiveLo);
    const uint64_t now = bench_.cycle() - trace_start_;
    if (mac != mac_prev) {
      if (mac_prev == 0) mac_first = now;
      mac_last = now;
      mac_prev = mac;
    }
    const uint64_t ppu = axil_->read(r::kPpuBusyLo);
    const uint64_t now2 = bench_.cycle() - trace_start_;
    if (ppu != ppu_prev) {
      if (ppu_prev == 0) ppu_first = now2;
      ppu_last = now2;
      ppu_prev = ppu;
    }
  };
  trace_ = true;
  const JobResult res = run_ok(s, L.describe());
  poll_ = nullptr;
  trace_ = false;
  ASSERT_TRUE(res.irq);
  EXPECT_EQ(check_output(L), 0);
  const Counters c = counters();
  EXPECT_EQ(c.mac, static_cast<uint64_t>(L.job.pixels * L.job.kchunks * L.job.ntiles));
  EXPECT_GT(mac_first, 0u) << "MAC_ACTIVE moved while the job ran";
  EXPECT_GE(ppu_last, mac_first) << "the PPU works after the array started";

  // Name each burst by the region it touches.
  auto region = [](uint64_t a) -> std::string {
    if (a >= kOut) return "output";
    if (a >= kPrm) return "PPU params";
    if (a >= kWgt) return "weights";
    if (a >= kIn) return "input";
    return "command " + std::to_string((a - kQueue) / 64);
  };
  // Per command fetch and per load region: first AR and last R beat (one ID each, in order,
  // so R bursts answer the ARs of their ID in order).
  struct Span {
    std::string what;
    uint64_t first_ar = 0, last_r = 0;
  };
  std::vector<Span> spans;
  std::vector<std::vector<std::size_t>> open(2);  // per ID: span of each outstanding burst
  uint64_t first_aw = 0, last_b = 0, bursts = 0, irq = 0;
  for (const BusEvent& e : events_) {
    const std::size_t id = e.id & 1;
    if (e.kind == 'A') {
      const std::string reg = region(e.addr);
      if (spans.empty() || spans.back().what != reg || id == 1) spans.push_back({reg, e.cycle, 0});
      open[id].push_back(spans.size() - 1);
    } else if (e.kind == 'R' && !open[id].empty()) {
      spans[open[id].front()].last_r = e.cycle;
      open[id].erase(open[id].begin());
    } else if (e.kind == 'W') {
      if (bursts++ == 0) first_aw = e.cycle;
    } else if (e.kind == 'B') {
      last_b = e.cycle;
    } else if (e.kind == 'I' && irq == 0) {
      irq = e.cycle;
    }
  }
  EXPECT_GT(irq, last_b) << "the interrupt follows the store's last write response";
  std::ostringstream o;
  o << "[ walk     ] " << L.describe() << ", " << kRows << "x" << kRows
    << " (cycles from the START write)\n";
  for (const Span& sp : spans) {
    o << "[ walk     ]   " << (sp.what.rfind("command", 0) == 0 ? "fetch " : "load ") << sp.what
      << ": AR " << sp.first_ar << ", last R beat " << sp.last_r << "\n";
  }
  o << "[ walk     ]   MAC_ACTIVE first moved ~" << mac_first << ", last ~" << mac_last
    << " (total " << c.mac << " vectors)\n"
    << "[ walk     ]   PPU_BUSY first moved ~" << ppu_first << ", last ~" << ppu_last << " (busy "
    << c.ppu_busy << ", stall " << c.ppu_stall << ")\n"
    << "[ walk     ]   store: first AW " << first_aw << ", " << bursts << " bursts, last B "
    << last_b << "\n"
    << "[ walk     ]   irq_o " << irq << "; COMPUTE_BUSY " << c.cp_busy
    << ", COMPUTE_STALL (token wait) " << c.cp_stall << ", DMA_LD_BUSY " << c.ld_busy << " (stall "
    << c.ld_stall << "), DMA_ST_BUSY " << c.st_busy << " (stall " << c.st_stall << ")\n";
  std::cout << o.str() << std::flush;
}

}  // namespace
}  // namespace npu::tb::top
