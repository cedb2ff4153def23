// npu_dma at NPU_DMA_DATA_W bits (one executable per parameter set): directed byte-level
// checks, random strided descriptors against the reference of dma_model.h under random memory
// latency and backpressure on every channel, error injection with recovery, zero-size
// rejection, and the bandwidth of long transfers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "Vdma.h"
#include "tb/common/axi_memory.h"
#include "tb/common/bench_env.h"
#include "tb/common/mismatch.h"
#include "tb/common/verilated_bench.h"
#include "tb/dma/dma_harness.h"
#include "tb/dma/dma_model.h"

namespace npu::tb::dma {
namespace {

constexpr int kBytes = NPU_DMA_DATA_W / 8;
constexpr int kMaxBurst = NPU_DMA_MAX_BURST;
constexpr int kMaxOutstanding = NPU_DMA_MAX_OUTSTANDING;
constexpr uint32_t kWindow = 0x20000;  // DRAM window per random descriptor

// Error codes of npu_dma (docs/dma.md).
constexpr uint32_t kErrNone = 0, kErrZeroSize = 1, kErrRdSlv = 2, kErrRdDec = 3, kErrWrSlv = 4,
                   kErrWrDec = 5;

std::string hex_bytes(const std::vector<uint8_t>& v) {
  std::ostringstream s;
  for (std::size_t i = v.size(); i-- > 0;) {
    s << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(v[i]);
  }
  return s.str();
}

class DmaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = test_seed();
    rng_.seed(seed_);
    AxiMemoryConfig cfg;
    cfg.data_bytes = kBytes;
    cfg.seed = seed_ ^ 0xa11;
    memory_ = std::make_unique<AxiMemory>(cfg);
    harness_ =
        std::make_unique<DmaHarness<Vdma>>(bench_, *memory_, kBytes, kMaxBurst, seed_ ^ 0x5eed);
    bench_.top().desc_valid_i = 0;
    bench_.reset();
  }

  void TearDown() override {
    harness_->idle(8);
    memory_->check_idle();
  }

  void set_memory(int lat_min, int lat_max, double ready, double valid) {
    AxiMemoryConfig cfg = memory_->config();
    cfg.read_latency_min = cfg.write_latency_min = lat_min;
    cfg.read_latency_max = cfg.write_latency_max = lat_max;
    cfg.ar_ready = cfg.aw_ready = cfg.w_ready = ready;
    cfg.r_valid = cfg.b_valid = valid;
    memory_->set_config(cfg);
  }

  void fill_random(uint32_t addr, uint32_t size) {
    std::vector<uint8_t> bytes(size);
    for (auto& b : bytes) b = static_cast<uint8_t>(rng_());
    memory_->write(addr, bytes);
  }

  // Runs descriptors back to back and checks every one byte-exact: the on-chip words of the
  // reads, the DRAM window of the writes (including the bytes around the rows).
  void run_and_check(const std::vector<DmaDesc>& descs) {
    std::vector<std::vector<SpWord>> expected_words;
    std::vector<std::map<uint64_t, uint8_t>> expected_bytes;
    std::vector<std::vector<uint8_t>> snapshots;
    for (std::size_t i = 0; i < descs.size(); ++i) {
      const DmaDesc& d = descs[i];
      if (!d.write) {
        expected_words.push_back(
            expected_read_words(d, kBytes, [&](uint64_t a) { return memory_->byte(a); }));
      } else {
        expected_bytes.push_back(expected_write_bytes(
            d, kBytes, [&](uint32_t w, int l) { return harness_->onchip_byte(w, l); }));
        snapshots.push_back(memory_->read(window_of(d), kWindow));
      }
    }
    const std::size_t first_write = harness_->onchip_writes().size();
    const DmaEventCounts ev0 = harness_->events();
    const std::vector<DescStatus> st = harness_->run(descs);

    MismatchReporter m("dma");
    uint64_t rd_bytes = 0, wr_bytes = 0;
    std::size_t w = first_write, r = 0, x = 0;
    const auto& writes = harness_->onchip_writes();
    for (std::size_t i = 0; i < descs.size(); ++i) {
      const DmaDesc& d = descs[i];
      const std::string where = "desc " + std::to_string(i) + " (" + d.describe() + ")";
      m.check(where + ", status", kErrNone, st[i].err);
      m.check(where + ", tag", d.tag, st[i].tag);
      const uint64_t bytes = static_cast<uint64_t>(d.len) * d.cnt[0] * d.cnt[1] * d.cnt[2];
      if (!d.write) {
        rd_bytes += bytes;
        const auto& exp = expected_words[r++];
        for (std::size_t k = 0; k < exp.size(); ++k, ++w) {
          const std::string at = where + ", on-chip word " + std::to_string(k);
          if (w >= writes.size()) {
            m.check(at + " present", true, false);
            continue;
          }
          m.check(at + " address", exp[k].addr, writes[w].addr);
          m.check(at + " strobes", hex_bytes(exp[k].strb), hex_bytes(writes[w].strb));
          m.check(at + " data", hex_bytes(exp[k].data), hex_bytes(writes[w].data));
        }
      } else {
        wr_bytes += bytes;
        const auto& exp = expected_bytes[x];
        const auto& before = snapshots[x++];
        const uint32_t base = window_of(d);
        const std::vector<uint8_t> after = memory_->read(base, kWindow);
        for (uint32_t a = 0; a < kWindow; ++a) {
          const auto it = exp.find(base + a);
          const uint8_t e = it != exp.end() ? it->second : before[a];
          if (e != after[a]) {
            std::ostringstream at;
            at << where << ", DRAM byte 0x" << std::hex << base + a
               << (it != exp.end() ? " (in a row)" : " (outside the rows)");
            m.check(at.str(), static_cast<int>(e), static_cast<int>(after[a]));
          }
        }
      }
    }
    m.check("on-chip writes in total", w, writes.size());
    m.check("ev_rd_bytes summed", rd_bytes, harness_->events().rd_bytes - ev0.rd_bytes);
    m.check("ev_wr_bytes summed", wr_bytes, harness_->events().wr_bytes - ev0.wr_bytes);
    EXPECT_EQ(m.mismatches(), 0);
    memory_->check_idle();
  }

  // Random descriptors each get their own DRAM window (and writes their own on-chip area), so
  // reads and writes of one sequence never depend on each other.
  std::vector<DmaDesc> random_descs(int n, int kind /* 0 read, 1 write, 2 mixed */) {
    std::vector<DmaDesc> descs;
    for (int i = 0; i < n; ++i) {
      const bool write = kind == 2 ? (rng_() & 1) != 0 : kind == 1;
      const uint32_t window = 0x100000 + static_cast<uint32_t>(i) * kWindow;
      DmaDesc d = random_desc(rng_, write, window, kWindow, kBytes);
      if (write) {
        d.sp_addr += 0x8000;
      } else {
        fill_random(window, kWindow);
      }
      descs.push_back(d);
    }
    return descs;
  }

  static uint32_t window_of(const DmaDesc& d) {
    return 0x100000 + (d.addr - 0x100000) / kWindow * kWindow;
  }

  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  VerilatedBench<Vdma> bench_{"dma", 20000};
  std::unique_ptr<AxiMemory> memory_;
  std::unique_ptr<DmaHarness<Vdma>> harness_;
};

uint8_t pattern(uint64_t a) { return static_cast<uint8_t>(a * 7 + 3); }

// Two rows of 5 bytes at 0x1003 and 0x1013 (unaligned on every bus width), expected bytes
// written out from the address pattern, not from the reference model.
TEST_F(DmaTest, DirectedUnalignedReadRows) {
  for (uint64_t a = 0x1000; a < 0x1040; ++a) memory_->write(a, {pattern(a)});
  DmaDesc d;
  d.tag = 0x5a;
  d.addr = 0x1003;
  d.len = 5;
  d.cnt[0] = 2;
  d.stride[0] = 0x10;
  d.sp_addr = 4;
  const std::vector<DescStatus> st = harness_->run({d});
  EXPECT_EQ(st[0].err, kErrNone);
  EXPECT_EQ(st[0].tag, 0x5au);
  // Each row: ceil(5 / kBytes) words from word 4 on; byte i of a row at lane i % kBytes.
  const int words_per_row = (5 + kBytes - 1) / kBytes;
  const auto& writes = harness_->onchip_writes();
  ASSERT_EQ(writes.size(), static_cast<std::size_t>(2 * words_per_row));
  for (int row = 0; row < 2; ++row) {
    for (int i = 0; i < words_per_row * kBytes; ++i) {
      const SpWord& w = writes[static_cast<std::size_t>(row * words_per_row + i / kBytes)];
      const auto lane = static_cast<std::size_t>(i % kBytes);
      EXPECT_EQ(w.addr, static_cast<uint32_t>(4 + row * words_per_row + i / kBytes));
      EXPECT_EQ(w.strb[lane], i < 5 ? 1 : 0) << "row " << row << " byte " << i;
      EXPECT_EQ(w.data[lane], i < 5 ? pattern(0x1003 + 0x10 * row + i) : 0)
          << "row " << row << " byte " << i;
    }
  }
}

// One row of 11 bytes to 0x2005: exactly those bytes change.
TEST_F(DmaTest, DirectedUnalignedWriteRow) {
  memory_->write(0x2000, std::vector<uint8_t>(32, 0xee));
  DmaDesc d;
  d.write = true;
  d.tag = 3;
  d.addr = 0x2005;
  d.len = 11;
  d.sp_addr = 9;
  const std::vector<DescStatus> st = harness_->run({d});
  EXPECT_EQ(st[0].err, kErrNone);
  for (uint32_t a = 0x2000; a < 0x2020; ++a) {
    const bool in_row = a >= 0x2005 && a < 0x2010;
    const uint32_t i = a - 0x2005;
    const uint8_t expected =
        in_row ? harness_->onchip_byte(9 + i / kBytes, static_cast<int>(i % kBytes)) : 0xee;
    EXPECT_EQ(memory_->byte(a), expected) << "DRAM byte 0x" << std::hex << a;
  }
}

TEST_F(DmaTest, RandomReadsUnderLatencyAndBackpressure) {
  set_memory(1, 40, 0.7, 0.7);
  harness_->onchip_options() = {0.7, 1.0, 1, 1};
  run_and_check(random_descs(30, 0));
}

TEST_F(DmaTest, RandomWritesUnderLatencyAndBackpressure) {
  set_memory(1, 40, 0.7, 0.7);
  harness_->onchip_options() = {1.0, 0.7, 1, 6};
  run_and_check(random_descs(30, 1));
}

TEST_F(DmaTest, MixedBackToBackWithoutBackpressure) {
  set_memory(1, 3, 1.0, 1.0);
  run_and_check(random_descs(30, 2));
}

TEST_F(DmaTest, MixedBackToBackHeavyBackpressure) {
  set_memory(5, 60, 0.3, 0.4);
  harness_->onchip_options() = {0.4, 0.4, 1, 10};
  run_and_check(random_descs(20, 2));
}

// A long read whose middle row hits an error range: the right code, the failing burst's
// address, every outstanding beat drained, and the next transfer byte-exact.
TEST_F(DmaTest, ReadErrorDrainsAndNextTransferIsExact) {
  set_memory(5, 30, 0.8, 0.8);
  for (const AxiResp resp : {AxiResp::kSlvErr, AxiResp::kDecErr}) {
    DmaDesc d;
    d.tag = 77;
    d.addr = 0x40003;
    d.len = 3000;
    d.cnt[0] = 4;
    d.stride[0] = 3100;
    const uint32_t bad = d.addr + 2 * 3100 + 1000;
    memory_->add_error_range(bad, bad + 1, resp, true, false);
    const std::vector<DescStatus> st = harness_->run({d});
    memory_->check_idle();
    EXPECT_EQ(st[0].err, resp == AxiResp::kSlvErr ? kErrRdSlv : kErrRdDec);
    EXPECT_EQ(st[0].tag, 77u);
    EXPECT_LE(st[0].err_addr, bad);
    EXPECT_LT(bad - st[0].err_addr, static_cast<uint32_t>(kMaxBurst * kBytes));
    EXPECT_EQ(st[0].err_addr / 4096, bad / 4096) << "the failing burst's address";
    memory_->clear_errors();
    run_and_check(random_descs(3, 0));
  }
}

TEST_F(DmaTest, NthReadBurstErrorReportsDecErr) {
  set_memory(20, 40, 1.0, 1.0);
  memory_->fail_nth_read(memory_->stats().reads + 5, AxiResp::kDecErr);
  DmaDesc d;
  d.addr = 0x50000;
  d.len = 64;
  d.cnt[0] = 20;
  d.stride[0] = 64;
  const std::vector<DescStatus> st = harness_->run({d});
  EXPECT_EQ(st[0].err, kErrRdDec);
  EXPECT_EQ(st[0].err_addr, 0x50000u + 5 * 64) << "burst 5 is row 5";
  memory_->check_idle();
  memory_->clear_errors();
  run_and_check(random_descs(2, 0));
}

TEST_F(DmaTest, WriteErrorDrainsAndNextTransferIsExact) {
  set_memory(5, 30, 0.8, 0.8);
  harness_->onchip_options() = {1.0, 0.8, 1, 4};
  for (const AxiResp resp : {AxiResp::kSlvErr, AxiResp::kDecErr}) {
    DmaDesc d;
    d.write = true;
    d.tag = 12;
    d.addr = 0x60001;
    d.len = 2000;
    d.cnt[0] = 5;
    d.stride[0] = 2048;
    const uint32_t bad = d.addr + 2048 + 100;
    memory_->add_error_range(bad, bad + 1, resp, false, true);
    const std::vector<DescStatus> st = harness_->run({d});
    memory_->check_idle();
    EXPECT_EQ(st[0].err, resp == AxiResp::kSlvErr ? kErrWrSlv : kErrWrDec);
    EXPECT_LE(st[0].err_addr, bad);
    EXPECT_LT(bad - st[0].err_addr, static_cast<uint32_t>(kMaxBurst * kBytes));
    memory_->clear_errors();
    run_and_check(random_descs(3, 1));
  }
  // Error by count: the 3rd write burst from now.
  memory_->fail_nth_write(memory_->stats().writes + 2, AxiResp::kSlvErr);
  DmaDesc d;
  d.write = true;
  d.addr = 0x70000;
  d.len = 32;
  d.cnt[0] = 10;
  d.stride[0] = 64;
  EXPECT_EQ(harness_->run({d})[0].err, kErrWrSlv);
  memory_->clear_errors();
  run_and_check(random_descs(2, 2));
}

TEST_F(DmaTest, ZeroSizeDescriptorsAreRejectedWithoutBusTraffic) {
  DmaDesc d;
  d.addr = 0x1000;
  d.len = 0;
  d.tag = 9;
  DmaDesc e = d;
  e.len = 16;
  e.cnt[1] = 0;
  e.tag = 10;
  const uint64_t reads = memory_->stats().reads;
  const std::vector<DescStatus> st = harness_->run({d, e});
  EXPECT_EQ(st[0].err, kErrZeroSize);
  EXPECT_EQ(st[0].tag, 9u);
  EXPECT_EQ(st[1].err, kErrZeroSize);
  EXPECT_EQ(st[1].tag, 10u);
  EXPECT_EQ(memory_->stats().reads, reads);
  EXPECT_TRUE(harness_->onchip_writes().empty());
  run_and_check(random_descs(2, 2));
}

// 64 KiB in 4 KiB rows at memory latency 20..50: beats per cycle over the whole transfer.
TEST_F(DmaTest, BandwidthOfLongTransfers) {
  set_memory(20, 50, 1.0, 1.0);
  harness_->onchip_options() = {1.0, 1.0, 2, 2};
  // With MaxOutstanding * MaxBurst beats in flight well above the latency the bus is full.
  const double in_flight = static_cast<double>(kMaxOutstanding) * kMaxBurst;
  const double target = in_flight >= 2 * 50 ? 0.9 : 0.9 * in_flight / (50 + 10);
  for (const bool write : {false, true}) {
    DmaDesc d;
    d.write = write;
    d.addr = 0x200000;
    d.len = 4096;
    d.cnt[0] = 16;
    d.stride[0] = 4096;
    if (!write) fill_random(d.addr, 65536);
    const DmaEventCounts ev0 = harness_->events();
    const std::vector<DescStatus> st = harness_->run({d});
    ASSERT_EQ(st[0].err, kErrNone);
    const uint64_t cycles = st[0].done_cycle - st[0].accept_cycle;
    const uint64_t busy = harness_->events().busy - ev0.busy;
    const uint64_t stall = harness_->events().stall - ev0.stall;
    const double beats = 65536.0 / kBytes;
    const double rate = beats / static_cast<double>(cycles);
    std::cout << "[ bandwidth ] " << (write ? "write" : "read") << " 64 KiB, " << NPU_DMA_DATA_W
              << "-bit bus, MaxBurst " << kMaxBurst << ", MaxOutstanding " << kMaxOutstanding
              << ", latency 20..50: " << cycles << " cycles, " << std::fixed << std::setprecision(3)
              << rate << " beats/cycle, " << rate * kBytes << " bytes/cycle (bus " << kBytes
              << "), busy counter " << busy << ", stall counter " << stall << std::endl;
    EXPECT_GE(rate, target);
    EXPECT_LE(rate, 1.0);
    EXPECT_NEAR(static_cast<double>(busy), static_cast<double>(cycles), 3.0);
    EXPECT_LT(stall, busy);
    if (!write) {
      // Data checked too: reads of this size are exactly the reference.
      const std::vector<SpWord> exp =
          expected_read_words(d, kBytes, [&](uint64_t a) { return memory_->byte(a); });
      const auto& writes = harness_->onchip_writes();
      ASSERT_EQ(writes.size(), exp.size());
      int bad = 0;
      for (std::size_t k = 0; k < exp.size(); ++k) bad += writes[k].data != exp[k].data;
      EXPECT_EQ(bad, 0);
    }
  }
}

// The protocol assertions are on (rtl/README.md, Assertions): a descriptor offered while the
// engine is busy and withdrawn before desc_ready_o stops the simulation with a message naming
// the checker instance and the stream. (Verilator prints assertion messages on stdout: the
// child sends them to stderr, which is what the death test matches.)
using DmaDeathTest = DmaTest;

TEST_F(DmaDeathTest, DescriptorWithdrawnBeforeReadyTripsTheAssertion) {
  Vdma& t = bench_.top();
  const auto offer = [&t](uint32_t addr) {
    t.desc_valid_i = 1;
    t.desc_write_i = 0;
    t.desc_tag_i = 1;
    t.desc_addr_i = addr;
    t.desc_len_i = 64;
    t.desc_cnt1_i = t.desc_cnt2_i = t.desc_cnt3_i = 1;
    t.desc_stride1_i = t.desc_stride2_i = t.desc_stride3_i = 0;
    t.desc_sp_addr_i = 0;
  };
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // the model runs threads of its own
  EXPECT_DEATH(
      {
        dup2(STDERR_FILENO, STDOUT_FILENO);
        offer(0x1000);
        bench_.settle();
        if (!t.desc_ready_o) std::abort();  // idle: the first one is taken
        bench_.tick();
        offer(0x2000);  // busy now: held until ready ...
        bench_.settle();
        if (t.desc_ready_o) std::abort();
        bench_.tick();
        t.desc_valid_i = 0;  // ... but withdrawn
        bench_.settle();
        bench_.tick();
        bench_.tick();
      },
      "u_assert_desc.*npu_dma desc: valid dropped before ready");
}

}  // namespace
}  // namespace npu::tb::dma
