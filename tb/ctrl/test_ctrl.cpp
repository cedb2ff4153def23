// npu_ctrl (command processor) with fake load DMA, store DMA and datapath: command decode
// (every field of every opcode reaches its port), VTA-style dependency tokens (no operation
// starts before the tokens it pops were pushed, and load / compute / store overlap when a
// stream double-buffers), error detection (illegal commands, DMA and fetch bus errors, job
// configuration, token overflow and deadlock, watchdog, bad queue) with a clean stop, and the
// performance counters against the bench's own observations.
#include <gtest/gtest.h>

#include <cstdint>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "Vctrl.h"
#include "tb/common/axi_memory.h"
#include "tb/common/bench_env.h"
#include "tb/common/port_bits.h"
#include "tb/common/verilated_bench.h"
#include "tb/ctrl/ctrl_command.h"
#include "tb/ctrl/ctrl_harness.h"

namespace npu::tb::ctrl {
namespace {

constexpr int kBytes = NPU_CTRL_DATA_W / 8;
constexpr uint32_t kBase = 0x10000;
constexpr int kWatchdog = NPU_CTRL_WATCHDOG;
// Port limits of the verilated configuration (npu_ctrl defaults: 16x16 datapath).
constexpr uint32_t kRows = 16, kActDepth = 8192, kWgtDepth = 4096, kAccDepth = 512;

uint32_t err(CtrlError e) { return static_cast<uint32_t>(e); }

class CtrlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = test_seed();
    rng_.seed(seed_);
    AxiMemoryConfig cfg;
    cfg.data_bytes = kBytes;
    cfg.read_latency_min = 1;
    cfg.read_latency_max = 12;
    cfg.ar_ready = 0.6;
    cfg.r_valid = 0.7;
    cfg.seed = seed_ ^ 0xc7;
    memory_ = std::make_unique<AxiMemory>(cfg);
    harness_ = std::make_unique<CtrlHarness>(bench_, *memory_, seed_ ^ 0x77);
    Vctrl& top = bench_.top();
    top.start_i = 0;
    top.soft_reset_i = 0;
    bench_.reset();
  }

  uint32_t rnd(uint32_t lo, uint32_t hi) {
    return std::uniform_int_distribution<uint32_t>(lo, hi)(rng_);
  }

  DmaCmd random_dma(bool is_load) {
    DmaCmd d;
    d.dst = is_load ? rnd(0, 2) : 0;
    d.bank = d.dst == 2 ? 0 : rnd(0, 1);
    d.sp_addr = rnd(0, 0xffff);
    d.addr = rnd(0, 0xffffffffu);
    d.len = rnd(1, (1u << 24) - 1);
    d.cnt1 = rnd(1, 0xffff);
    d.cnt2 = rnd(1, 0xffff);
    d.cnt3 = rnd(1, 0xffff);
    d.stride1 = rnd(0, 0xffffffffu);
    d.stride2 = rnd(0, 0xffffffffu);
    d.stride3 = rnd(0, 0xffffffffu);
    return d;
  }

  // Any job the checks accept, every field at random within its port.
  ComputeCmd random_job() {
    ComputeCmd c;
    c.job = rnd(0, 1);
    c.in_bank = rnd(0, 1);
    c.in_base = rnd(0, kActDepth - 1);
    c.in_h = rnd(1, 1023);
    c.in_w = rnd(1, 1023);
    c.in_groups = rnd(1, 255);
    c.slot = rnd(1, kRows);
    c.taps_per_chunk = rnd(1, kRows);
    c.in_zp = rnd(0, 255);
    c.in_row_words = rnd(0, kActDepth - 1);
    c.kernel_h = rnd(1, 7);
    c.kernel_w = rnd(1, 7);
    c.stride_h = rnd(1, 7);
    c.stride_w = rnd(1, 7);
    c.pad_top = rnd(0, 7);
    c.pad_left = rnd(0, 7);
    c.pad_bottom = rnd(0, 7);
    c.pad_right = rnd(0, 7);
    c.pool_mode = rnd(0, 2);
    c.out_w = rnd(1, 1023);
    c.pixels = rnd(1, (1u << 20) - 1);
    c.kchunks = rnd(1, 4095);
    c.ntiles = rnd(1, 255);
    c.mblock = rnd(1, kAccDepth);
    c.mblocks = rnd(1, 4095);
    c.w_bank = rnd(0, 1);
    c.w_base = rnd(0, kWgtDepth - 1);
    c.w_words = rnd(1, 2 * kWgtDepth - 1);
    c.out_bank = rnd(0, 1);
    c.out_base = rnd(0, kActDepth - 1);
    c.out_groups = rnd(0, 255);
    c.mode = rnd(0, 1);
    c.res_bank = c.mode == 1 ? 1 - c.in_bank : rnd(0, 1);
    c.res_base = rnd(0, kActDepth - 1);
    c.zp = rnd(0, 255);
    c.relu = rnd(0, 1);
    c.add_zp_a = rnd(0, 255);
    c.add_zp_b = rnd(0, 255);
    c.add_zp_out = rnd(0, 255);
    c.add_mult_a = rnd(0, 0xffffffffu);
    c.add_mult_b = rnd(0, 0xffffffffu);
    c.add_mult_out = rnd(0, 0xffffffffu);
    c.add_shift_a = rnd(0, 63);
    c.add_shift_b = rnd(0, 63);
    c.add_shift_out = rnd(0, 63);
    c.add_relu = rnd(0, 1);
    return c;
  }

  // A small legal job (the fake datapath does not look at the values).
  static ComputeCmd small_job(uint32_t zp = 0) {
    ComputeCmd c;
    c.zp = zp;
    return c;
  }
  static DmaCmd small_dma(uint32_t addr) {
    DmaCmd d;
    d.addr = addr;
    d.len = 64;
    return d;
  }

  // After an error or the end of a run: nothing outstanding anywhere.
  void expect_drained(const RunResult& r) {
    EXPECT_TRUE(harness_->units_idle())
        << "an operation is still running at done_o (cycle " << r.done_cycle << ")";
    for (const auto* recs : {&harness_->loads, &harness_->stores, &harness_->jobs}) {
      for (const OpRecord& op : *recs) {
        EXPECT_TRUE(op.done) << "operation started at cycle " << op.valid_cycle
                             << " not finished at done_o";
        if (op.done) {
          EXPECT_LE(op.done_cycle, r.done_cycle);
        }
      }
    }
    harness_->idle(40);
    EXPECT_NO_THROW(memory_->check_idle());
  }

  // No operation starts after the cycle an error was signalled (+1: an engine may leave IDLE
  // in the same cycle, its valid shows the cycle after).
  void expect_nothing_after(uint64_t cycle) {
    for (const auto* recs : {&harness_->loads, &harness_->stores, &harness_->jobs}) {
      for (const OpRecord& op : *recs) EXPECT_LE(op.valid_cycle, cycle + 1);
    }
  }

  // Runs `stream`, expects done with `code` blamed on command `cmd` and a clean stop.
  RunResult expect_error(const std::vector<CmdWords>& stream, CtrlError code, uint32_t cmd) {
    const RunResult r = harness_->run(kBase, stream, 100000);
    EXPECT_TRUE(r.done) << "no done_o";
    EXPECT_EQ(r.err, err(code)) << "expected " << ctrl_error_name(err(code)) << ", got "
                                << ctrl_error_name(r.err);
    EXPECT_EQ(r.err_cmd, cmd);
    expect_drained(r);
    return r;
  }

  // After an error: a soft reset, then a short legal stream runs clean.
  void expect_recovers() {
    harness_->soft_reset();
    harness_->clear_records();
    harness_->load_error_at.reset();
    harness_->store_error_at.reset();
    harness_->hang_job_at.reset();
    std::vector<CmdWords> s = {encode_load(small_dma(0x100), {false, false, false, true}),
                               encode_compute(small_job(), {true, false, false, true}),
                               encode_store(small_dma(0x200), {true, false, false, false}),
                               encode_end()};
    const RunResult r = harness_->run(kBase + 0x8000, s);
    ASSERT_TRUE(r.done);
    EXPECT_EQ(r.err, 0u) << ctrl_error_name(r.err);
    EXPECT_EQ(harness_->loads.size(), 1u);
    EXPECT_EQ(harness_->jobs.size(), 1u);
    EXPECT_EQ(harness_->stores.size(), 1u);
  }

  VerilatedBench<Vctrl> bench_{"ctrl", 20000};
  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  std::unique_ptr<AxiMemory> memory_;
  std::unique_ptr<CtrlHarness> harness_;
};

// The encoder against the layout table of docs/control.md, byte by byte (hand-written values).
TEST(CtrlCommandTest, LayoutMatchesTheDocument) {
  DmaCmd d;
  d.dst = 1;
  d.bank = 1;
  d.sp_addr = 0x1234;
  d.addr = 0x89abcdef;
  d.len = 0x30201;
  d.cnt1 = 3;
  d.cnt2 = 0x405;
  d.cnt3 = 7;
  d.stride1 = 0x11;
  d.stride2 = 0x22;
  d.stride3 = 0xfffffff0;
  const std::vector<uint8_t> b = to_bytes({encode_load(d, {false, true, false, true})});
  ASSERT_EQ(b.size(), 64u);
  EXPECT_EQ(b[0], 0xa1);  // opcode 1, pop_next (bit 5), push_next (bit 7)
  EXPECT_EQ(b[1], 0x11);  // dst 1, bank 1
  EXPECT_EQ(b[4], 0x34);
  EXPECT_EQ(b[5], 0x12);
  EXPECT_EQ(b[8], 0xef);
  EXPECT_EQ(b[11], 0x89);
  EXPECT_EQ(b[16], 0x01);
  EXPECT_EQ(b[18], 0x03);
  EXPECT_EQ(b[20], 0x03);
  EXPECT_EQ(b[22], 0x05);
  EXPECT_EQ(b[23], 0x04);
  EXPECT_EQ(b[24], 0x07);
  EXPECT_EQ(b[28], 0x11);
  EXPECT_EQ(b[32], 0x22);
  EXPECT_EQ(b[36], 0xf0);
  EXPECT_EQ(b[39], 0xff);

  ComputeCmd c;
  c.job = 1;
  c.relu = 1;
  c.pool_mode = 2;
  c.in_bank = 1;
  c.out_bank = 1;
  c.in_zp = 0x80;
  c.zp = 0x7f;
  c.kernel_h = 3;
  c.kernel_w = 5;
  c.stride_h = 2;
  c.pad_right = 7;
  c.pixels = 0xabcde;
  c.in_groups = 9;
  c.add_shift_out = 33;
  const std::vector<uint8_t> e = to_bytes({encode_compute(c, {true, false, true, false})});
  EXPECT_EQ(e[0], 0x52);  // opcode 2, pop_prev, push_prev
  EXPECT_EQ(e[1], 0x23);  // job 1 (bit 8), relu (bit 9), pool mode 2 (bits 13:12)
  EXPECT_EQ(e[4], 0x01);  // in bank
  EXPECT_EQ(e[5], 0x01);  // out bank (bits 11:8)
  EXPECT_EQ(e[6], 0x80);
  EXPECT_EQ(e[7], 0x7f);
  EXPECT_EQ(e[16], 0x53);  // kernel w 5, kernel h 3
  EXPECT_EQ(e[17], 0x12);  // stride w 1 (the default), stride h 2
  EXPECT_EQ(e[19], 0x70);  // pad right 7
  EXPECT_EQ(e[28], 0xde);
  EXPECT_EQ(e[30], 0x0a);
  EXPECT_EQ(e[47], 0x09);  // in groups: word 11, bits 31:24
  EXPECT_EQ(e[62], 33);    // add shift out: word 15, bits 23:16
}

// Random legal LOAD / STORE / COMPUTE commands without dependencies: every field arrives at
// its port, in stream order per engine, and the counters match what the bench saw.
TEST_F(CtrlTest, DecodesEveryFieldInOrder) {
  std::vector<CmdWords> stream;
  std::vector<DmaCmd> lds, sts;
  std::vector<ComputeCmd> jbs;
  std::vector<uint32_t> ld_idx, st_idx;
  for (int i = 0; i < 40; ++i) {
    const uint32_t kind = rnd(0, 2);
    if (kind == 0) {
      lds.push_back(random_dma(true));
      ld_idx.push_back(static_cast<uint32_t>(stream.size()));
      stream.push_back(encode_load(lds.back(), {}));
    } else if (kind == 1) {
      jbs.push_back(random_job());
      stream.push_back(encode_compute(jbs.back(), {}));
    } else {
      sts.push_back(random_dma(false));
      st_idx.push_back(static_cast<uint32_t>(stream.size()));
      stream.push_back(encode_store(sts.back(), {}));
    }
  }
  stream.push_back(encode_end());
  const RunResult r = harness_->run(kBase, stream);
  ASSERT_TRUE(r.done);
  EXPECT_EQ(r.err, 0u) << ctrl_error_name(r.err) << " at command " << r.err_cmd;
  EXPECT_EQ(r.cmd_count, 40u);
  ASSERT_EQ(harness_->loads.size(), lds.size());
  ASSERT_EQ(harness_->stores.size(), sts.size());
  ASSERT_EQ(harness_->jobs.size(), jbs.size());
  for (std::size_t i = 0; i < lds.size(); ++i) {
    const DmaCmd& a = harness_->loads[i].dma;
    EXPECT_EQ(encode_load(a, {}), encode_load(lds[i], {})) << "[ctrl] load " << i;
    EXPECT_EQ(harness_->loads[i].tag, ld_idx[i] & 0xff) << "[ctrl] load " << i << " tag";
  }
  for (std::size_t i = 0; i < sts.size(); ++i) {
    EXPECT_EQ(encode_store(harness_->stores[i].dma, {}), encode_store(sts[i], {}))
        << "[ctrl] store " << i;
    EXPECT_EQ(harness_->stores[i].tag, st_idx[i] & 0xff) << "[ctrl] store " << i << " tag";
  }
  for (std::size_t i = 0; i < jbs.size(); ++i) {
    EXPECT_EQ(encode_compute(harness_->jobs[i].job, {}), encode_compute(jbs[i], {}))
        << "[ctrl] job " << i;
  }
  EXPECT_EQ(r.perf_mac, r.seen_mac);
  for (int u = 0; u < 3; ++u) {
    EXPECT_EQ(r.perf_busy[u], r.seen_unit_busy[u]) << "unit " << u;
    EXPECT_EQ(r.perf_stall[u], 0u) << "unit " << u << ": no dependencies, no stall";
  }
  expect_drained(r);
}

// The double-buffered tile loop of a layer (two buffers per stage):
//   LOAD i    pop_next (i >= 2: compute freed buffer i-2), push_next
//   COMPUTE i pop_prev, push_prev (buffer free), pop_next (i >= 2: store freed i-2), push_next
//   STORE i   pop_prev, push_prev
// Every pop must start after the matching push completed, and the stages must overlap.
TEST_F(CtrlTest, DoubleBufferedTilesOverlapAndRespectTokens) {
  constexpr int kTiles = 16;
  // Operations several times longer than a command fetch (real tiles take thousands of
  // cycles), so the fetcher is not what limits the overlap.
  harness_->load = {0.7, 60, 120};
  harness_->compute = {1.0, 60, 120};
  harness_->store = {0.7, 60, 120};
  std::vector<CmdWords> stream;
  for (int i = 0; i < kTiles; ++i) {
    const uint32_t t = static_cast<uint32_t>(i);
    stream.push_back(encode_load(small_dma(0x1000 * t), {false, i >= 2, false, true}));
    stream.push_back(encode_compute(small_job(t), {true, i >= 2, true, true}));
    stream.push_back(encode_store(small_dma(0x80000 + 0x1000 * t), {true, false, true, false}));
  }
  stream.push_back(encode_end());
  const RunResult r = harness_->run(kBase, stream);
  ASSERT_TRUE(r.done);
  EXPECT_EQ(r.err, 0u) << ctrl_error_name(r.err) << " at command " << r.err_cmd;
  ASSERT_EQ(harness_->loads.size(), static_cast<std::size_t>(kTiles));
  ASSERT_EQ(harness_->jobs.size(), static_cast<std::size_t>(kTiles));
  ASSERT_EQ(harness_->stores.size(), static_cast<std::size_t>(kTiles));
  const auto& L = harness_->loads;
  const auto& C = harness_->jobs;
  const auto& S = harness_->stores;
  for (int i = 0; i < kTiles; ++i) {
    const auto u = static_cast<std::size_t>(i);
    EXPECT_EQ(C[u].job.zp, static_cast<uint32_t>(i)) << "jobs out of order";
    EXPECT_GT(C[u].valid_cycle, L[u].done_cycle) << "[ctrl] compute " << i << " before load";
    EXPECT_GT(S[u].valid_cycle, C[u].done_cycle) << "[ctrl] store " << i << " before compute";
    if (i >= 2) {
      EXPECT_GT(L[u].valid_cycle, C[u - 2].done_cycle)
          << "[ctrl] load " << i << " overwrote buffer of compute " << i - 2;
      EXPECT_GT(C[u].valid_cycle, S[u - 2].done_cycle)
          << "[ctrl] compute " << i << " overwrote buffer of store " << i - 2;
    }
  }
  // Overlap: some load runs while the previous tile computes, some store while the next
  // tile computes.
  int ld_cp = 0, cp_st = 0;
  for (int i = 1; i < kTiles; ++i) {
    const auto u = static_cast<std::size_t>(i);
    if (L[u].accept_cycle < C[u - 1].done_cycle && L[u].done_cycle > C[u - 1].valid_cycle) ++ld_cp;
    if (S[u - 1].accept_cycle < C[u].done_cycle && S[u - 1].done_cycle > C[u].valid_cycle) {
      ++cp_st;
    }
  }
  EXPECT_GT(ld_cp, kTiles / 2) << "loads did not overlap computes";
  EXPECT_GT(cp_st, kTiles / 2) << "stores did not overlap computes";
  // Serial execution would take the sum of all operations; overlap must beat it clearly.
  uint64_t serial = 0;
  for (const auto* recs : {&L, &C, &S}) {
    for (const OpRecord& op : *recs) serial += op.done_cycle - op.valid_cycle;
  }
  EXPECT_LT(r.done_cycle - r.start_cycle, serial * 3 / 4);
  for (int u = 0; u < 3; ++u) EXPECT_EQ(r.perf_busy[u], r.seen_unit_busy[u]) << "unit " << u;
  EXPECT_GT(r.perf_stall[1], 0u) << "compute never waited for a load: tokens not in effect?";
  std::cout << "[ ctrl     ] " << kTiles << " tiles: " << (r.done_cycle - r.start_cycle)
            << " cycles (serial " << serial << "), stalls ld/cp/st " << r.perf_stall[0] << "/"
            << r.perf_stall[1] << "/" << r.perf_stall[2] << std::endl;
  expect_drained(r);
}

// SYNC commands move tokens without an operation: a compute waits for a store's token that
// only a store-queue SYNC gives.
TEST_F(CtrlTest, SyncCarriesTokens) {
  std::vector<CmdWords> s = {
      encode_sync(Queue::kStore, {false, false, true, false}),    // store -> compute token
      encode_compute(small_job(5), {false, true, false, false}),  // waits for it
      encode_end()};
  const RunResult r = harness_->run(kBase, s);
  ASSERT_TRUE(r.done);
  EXPECT_EQ(r.err, 0u) << ctrl_error_name(r.err);
  EXPECT_EQ(harness_->jobs.size(), 1u);
}

TEST_F(CtrlTest, IllegalOpcodeStopsAfterDraining) {
  harness_->load = {1.0, 200, 200};  // the first load is still running when the error comes
  std::vector<CmdWords> s = {encode_load(small_dma(0), {}), encode_compute(small_job(), {}),
                             CmdWords{}, encode_load(small_dma(0x40), {}), encode_end()};
  expect_error(s, CtrlError::kBadOpcode, 2);
  EXPECT_EQ(harness_->loads.size(), 1u) << "the load after the bad command ran";
  CmdWords bad{};
  bad[0] = 9;
  expect_recovers();
  harness_->clear_records();
  expect_error({encode_compute(small_job(), {}), bad, encode_end()}, CtrlError::kBadOpcode, 1);
}

TEST_F(CtrlTest, BadBankAndDestination) {
  DmaCmd d = small_dma(0);
  d.bank = 2;
  expect_error({encode_load(d, {}), encode_end()}, CtrlError::kBadBank, 0);
  d.bank = 0;
  d.dst = 3;
  expect_error({encode_end(), encode_load(d, {}), encode_end()}, CtrlError::kNone, 0);
  expect_error({encode_load(d, {}), encode_end()}, CtrlError::kBadBank, 0);
  d.dst = 1;  // a store reads activations only
  expect_error({encode_load(small_dma(0), {}), encode_store(d, {}), encode_end()},
               CtrlError::kBadBank, 1);
  ComputeCmd c = small_job();
  c.res_bank = 2;
  expect_error({encode_compute(c, {}), encode_end()}, CtrlError::kBadBank, 0);
  expect_recovers();
}

TEST_F(CtrlTest, ZeroSizeTransfers) {
  DmaCmd d = small_dma(0);
  d.len = 0;
  expect_error({encode_load(d, {}), encode_end()}, CtrlError::kZeroSize, 0);
  d.len = 8;
  d.cnt3 = 0;
  expect_error({encode_load(small_dma(0), {}), encode_store(d, {}), encode_end()},
               CtrlError::kZeroSize, 1);
  EXPECT_TRUE(harness_->stores.empty());
  expect_recovers();
}

TEST_F(CtrlTest, JobFieldsOutOfRange) {
  struct Case {
    const char* name;
    void (*mutate)(ComputeCmd&);
  };
  const Case cases[] = {
      {"kernel 0", [](ComputeCmd& c) { c.kernel_w = 0; }},
      {"stride 8", [](ComputeCmd& c) { c.stride_h = 8; }},
      {"mblock > AccDepth", [](ComputeCmd& c) { c.mblock = kAccDepth + 1; }},
      {"slot > Rows", [](ComputeCmd& c) { c.slot = kRows + 1; }},
      {"in_base beyond the bank", [](ComputeCmd& c) { c.in_base = kActDepth; }},
      {"pixels 0", [](ComputeCmd& c) { c.pixels = 0; }},
      {"mode 2", [](ComputeCmd& c) { c.mode = 2; }},
      {"residual in the input bank", [](ComputeCmd& c) { c.mode = 1; }},
      {"shift 64", [](ComputeCmd& c) { c.add_shift_b = 64; }},
      {"pool mode 3",
       [](ComputeCmd& c) {
         c.job = 1;
         c.pool_mode = 3;
       }},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.name);
    ComputeCmd c = small_job();
    k.mutate(c);
    harness_->clear_records();
    expect_error({encode_compute(small_job(), {}), encode_compute(c, {}), encode_end()},
                 CtrlError::kBadField, 1);
  }
  // A flag a load cannot have (no previous stage).
  expect_error({encode_load(small_dma(0), {true, false, false, false}), encode_end()},
               CtrlError::kBadField, 0);
  expect_recovers();
}

TEST_F(CtrlTest, DatapathRejectsAJob) {
  std::vector<CmdWords> s = {encode_compute(small_job(1), {}), encode_compute(small_job(0xee), {}),
                             encode_compute(small_job(2), {}), encode_end()};
  harness_->cfg_err_zp = 0xee;
  expect_error(s, CtrlError::kJobConfig, 1);
  ASSERT_EQ(harness_->jobs.size(), 1u) << "the rejected job (or a later one) was started";
  harness_->cfg_err_zp = 0x1ee;
  expect_recovers();
}

TEST_F(CtrlTest, DmaErrorDrainsAndReports) {
  harness_->load_error_at = 2;
  harness_->load_error_code = 3;  // RD_DECERR
  harness_->compute = {1.0, 60, 80};
  std::vector<CmdWords> s;
  for (int i = 0; i < 6; ++i) {
    s.push_back(encode_load(small_dma(0x100u * static_cast<uint32_t>(i)), {}));
    s.push_back(encode_compute(small_job(), {}));
  }
  s.push_back(encode_end());
  const RunResult r = expect_error(s, CtrlError::kDmaRdDecerr, 4);
  EXPECT_EQ(r.err_addr, CtrlHarness::kErrAddrBase + 2) << "the DMA's error address";
  expect_nothing_after(harness_->error_cycle);
  EXPECT_GE(r.done_cycle, harness_->error_cycle);
  expect_recovers();

  harness_->clear_records();
  harness_->store_error_at = 0;
  harness_->store_error_code = 4;
  expect_error({encode_store(small_dma(0), {}), encode_store(small_dma(0x40), {}), encode_end()},
               CtrlError::kDmaWrSlverr, 0);
  EXPECT_EQ(harness_->stores.size(), 1u);
  expect_recovers();
}

TEST_F(CtrlTest, FetchBusError) {
  memory_->add_error_range(kBase + 2 * 64, kBase + 2 * 64 + 8, AxiResp::kSlvErr, true, false);
  std::vector<CmdWords> s = {encode_load(small_dma(0), {}), encode_compute(small_job(), {}),
                             encode_store(small_dma(0), {}), encode_end()};
  expect_error(s, CtrlError::kFetchSlverr, 2);
  EXPECT_TRUE(harness_->stores.empty());
  memory_->clear_errors();
  memory_->add_error_range(kBase + 63, kBase + 64, AxiResp::kDecErr, true, false);
  expect_error(s, CtrlError::kFetchDecerr, 0);
  memory_->clear_errors();
  expect_recovers();
}

TEST_F(CtrlTest, BadQueue) {
  std::vector<CmdWords> s = {encode_load(small_dma(0), {}), encode_compute(small_job(), {})};
  // No END inside the queue: the fetcher stops at its end.
  expect_error(s, CtrlError::kBadQueue, 2);
  EXPECT_EQ(harness_->loads.size(), 1u);
  // Base not 64-byte aligned, size 0, size beyond the command index: rejected at start.
  harness_->clear_records();
  RunResult r = harness_->run_queue(kBase + 32, 2, 1000);
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.err, err(CtrlError::kBadQueue));
  r = harness_->run_queue(kBase, 1u << 26, 1000);
  EXPECT_EQ(r.err, err(CtrlError::kBadQueue));
  r = harness_->run_queue(kBase, 0, 1000);
  EXPECT_EQ(r.err, err(CtrlError::kBadQueue));
  EXPECT_TRUE(harness_->loads.empty());
  expect_recovers();
}

// A compute pops a load token that no command ever pushes: detected as a deadlock once the
// fetcher has reached END (not a hang), and likewise when the fetcher waits on a full queue.
TEST_F(CtrlTest, TokenDeadlockIsDetected) {
  std::vector<CmdWords> s = {encode_load(small_dma(0), {}),
                             encode_compute(small_job(), {true, false, false, false}),
                             encode_end()};
  const RunResult r = expect_error(s, CtrlError::kDeadlock, 2);  // END's index
  EXPECT_TRUE(harness_->jobs.empty());
  EXPECT_EQ(harness_->loads.size(), 1u);
  EXPECT_LT(r.done_cycle - r.start_cycle, 500u);
  // Store waits for compute, compute for store: a cycle between two stages.
  harness_->clear_records();
  std::vector<CmdWords> cyc = {encode_compute(small_job(), {false, true, false, true}),
                               encode_store(small_dma(0), {true, false, true, false})};
  for (int i = 0; i < 6; ++i) cyc.push_back(encode_load(small_dma(0), {}));
  cyc.push_back(encode_end());
  expect_error(cyc, CtrlError::kDeadlock, 8);
  expect_recovers();
}

TEST_F(CtrlTest, TokenOverflowIsDetected) {
  // 2^TokW - 1 = 255 tokens fit; the 256th push overflows.
  std::vector<CmdWords> s;
  for (int i = 0; i < 256; ++i) s.push_back(encode_sync(Queue::kLoad, {false, false, false, true}));
  s.push_back(encode_end());
  expect_error(s, CtrlError::kTokenOverflow, 255);
  expect_recovers();
}

TEST_F(CtrlTest, WatchdogEndsAHang) {
  harness_->hang_job_at = 0;
  bench_.watchdog().set_limit(4 * kWatchdog);
  std::vector<CmdWords> s = {encode_compute(small_job(), {}), encode_end()};
  const RunResult r = harness_->run(kBase, s, 4 * kWatchdog);
  ASSERT_TRUE(r.done) << "no done_o after a hang";
  EXPECT_EQ(r.err, err(CtrlError::kWatchdog)) << ctrl_error_name(r.err);
  EXPECT_GE(r.done_cycle - r.start_cycle, static_cast<uint64_t>(kWatchdog));
  EXPECT_LT(r.done_cycle - r.start_cycle, static_cast<uint64_t>(kWatchdog) + 200);
  // The core's soft reset would reset the datapath too; here the fake one is abandoned.
  harness_->hang_job_at.reset();
  expect_recovers();
}

}  // namespace
}  // namespace npu::tb::ctrl
