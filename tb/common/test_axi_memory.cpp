// The AXI4 memory model on its own, driven by hand-written master behaviour: data, latency,
// backpressure, error injection, and every protocol check throwing with a useful message.
#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "tb/common/axi_memory.h"

namespace npu::tb {
namespace {

AxiAddrBeat addr_beat(uint64_t addr, uint32_t beats, uint32_t size = 3) {
  return {true, addr, beats - 1, size, 1, 0};
}

// Runs one read burst to completion (always ready), returning the beats' data and responses.
struct ReadResult {
  std::vector<std::vector<uint8_t>> data;
  std::vector<uint32_t> resp;
  std::vector<uint64_t> cycles;  // cycle of each beat
  uint64_t ar_cycle = 0;
};

ReadResult read_burst(AxiMemory& m, AxiAddrBeat ar, int limit = 1000) {
  ReadResult result;
  AxiMasterOut in;
  in.ar = ar;
  in.r_ready = true;
  while (limit-- > 0) {
    const AxiSlaveOut out = m.outputs();
    if (in.ar.valid && out.ar_ready) result.ar_cycle = m.cycle();
    if (out.r_valid) {
      result.data.push_back(out.r_data);
      result.resp.push_back(out.r_resp);
      result.cycles.push_back(m.cycle());
    }
    const bool last = out.r_valid && out.r_last;
    const bool ar_taken = in.ar.valid && out.ar_ready;
    m.step(in);
    if (ar_taken) in.ar.valid = false;
    if (last) return result;
  }
  ADD_FAILURE() << "read burst did not finish";
  return result;
}

struct WBeatIn {
  std::vector<uint8_t> data, strb;
  bool last;
};

// Runs one write burst (AW first, then the beats), returns BRESP.
uint32_t write_burst(AxiMemory& m, AxiAddrBeat aw, const std::vector<WBeatIn>& beats,
                     int limit = 1000) {
  AxiMasterOut in;
  in.aw = aw;
  in.b_ready = true;
  std::size_t next = 0;
  while (limit-- > 0) {
    in.w_valid = next < beats.size();
    if (in.w_valid) {
      in.w_data = beats[next].data;
      in.w_strb = beats[next].strb;
      in.w_last = beats[next].last;
    }
    const AxiSlaveOut out = m.outputs();
    const bool aw_taken = in.aw.valid && out.aw_ready;
    const bool w_taken = in.w_valid && out.w_ready;
    const bool b = out.b_valid;
    const uint32_t resp = out.b_resp;
    m.step(in);
    if (aw_taken) in.aw.valid = false;
    if (w_taken) ++next;
    if (b) return resp;
  }
  ADD_FAILURE() << "write burst did not finish";
  return 99;
}

std::vector<uint8_t> bytes8(uint8_t first) {
  std::vector<uint8_t> v(8);
  for (int i = 0; i < 8; ++i) v[static_cast<std::size_t>(i)] = static_cast<uint8_t>(first + i);
  return v;
}

const std::vector<uint8_t> kAll(8, 1);

TEST(AxiMemoryTest, WriteThenReadBackWithExactLatency) {
  AxiMemoryConfig cfg;
  cfg.read_latency_min = cfg.read_latency_max = 5;
  AxiMemory m(cfg);
  // Two beats at 0x100: bytes 0x10..0x17, then 0x20..0x27 with only lanes 2 and 3 strobed.
  std::vector<uint8_t> strb2(8, 0);
  strb2[2] = strb2[3] = 1;
  EXPECT_EQ(write_burst(m, addr_beat(0x100, 2),
                        {{bytes8(0x10), kAll, false}, {bytes8(0x20), strb2, true}}),
            0u);
  EXPECT_EQ(m.byte(0x100), 0x10);
  EXPECT_EQ(m.byte(0x107), 0x17);
  EXPECT_EQ(m.byte(0x108), 0x00);  // not strobed
  EXPECT_EQ(m.byte(0x10a), 0x22);
  EXPECT_EQ(m.byte(0x10b), 0x23);
  EXPECT_EQ(m.byte(0x10c), 0x00);

  const ReadResult r = read_burst(m, addr_beat(0x100, 2));
  ASSERT_EQ(r.data.size(), 2u);
  EXPECT_EQ(r.data[0], bytes8(0x10));
  EXPECT_EQ(r.data[1], (std::vector<uint8_t>{0, 0, 0x22, 0x23, 0, 0, 0, 0}));
  EXPECT_EQ(r.cycles[0] - r.ar_cycle, 5u) << "first R beat 5 cycles after the AR handshake";
  EXPECT_EQ(r.cycles[1], r.cycles[0] + 1);
  m.check_idle();
  EXPECT_EQ(m.stats().r_beats, 2u);
  EXPECT_EQ(m.stats().w_beats, 2u);
}

TEST(AxiMemoryTest, UnalignedAndNarrowBeatsUseTheRightLanes) {
  AxiMemory m(AxiMemoryConfig{});
  m.write(0x200, bytes8(0x40));
  m.write(0x208, bytes8(0x48));
  // 4-byte beats starting at 0x206: beat 0 covers lanes 6..7 (0x206), beat 1 lanes 0..3 of 0x208.
  const ReadResult r = read_burst(m, addr_beat(0x206, 2, 2));
  ASSERT_EQ(r.data.size(), 2u);
  EXPECT_EQ(r.data[0][6], 0x46);
  EXPECT_EQ(r.data[1][0], 0x48);
  // A narrow write may strobe only its own lanes: lanes 4..7 for a 4-byte beat at 0x304.
  std::vector<uint8_t> strb(8, 0);
  strb[4] = strb[7] = 1;
  EXPECT_EQ(write_burst(m, addr_beat(0x304, 1, 2), {{bytes8(0x60), strb, true}}), 0u);
  EXPECT_EQ(m.byte(0x304), 0x64);
  EXPECT_EQ(m.byte(0x307), 0x67);
  EXPECT_EQ(m.byte(0x305), 0);
}

TEST(AxiMemoryTest, ManyOutstandingReadsUnderBackpressureReturnInOrder) {
  AxiMemoryConfig cfg;
  cfg.read_latency_min = 3;
  cfg.read_latency_max = 30;
  cfg.ar_ready = 0.5;
  cfg.r_valid = 0.6;
  cfg.max_reads = 4;
  cfg.seed = 7;
  AxiMemory m(cfg);
  for (uint64_t a = 0; a < 4096; ++a) m.write(a, {static_cast<uint8_t>(a * 13 + 5)});
  // 32 bursts of 4 beats, issued as fast as ARREADY allows, RREADY random.
  std::deque<uint64_t> issued;
  uint64_t next_addr = 0, beats_seen = 0;
  int outstanding = 0, max_outstanding = 0;
  AxiMasterOut in;
  in.ar = addr_beat(0, 4);
  uint32_t flip = 0;
  for (int cycle = 0; cycle < 5000 && beats_seen < 128; ++cycle) {
    in.r_ready = (++flip % 3) != 0;
    const AxiSlaveOut out = m.outputs();
    const bool ar_fire = in.ar.valid && out.ar_ready;
    if (out.r_valid && in.r_ready) {
      const uint64_t beat_addr = issued.front() + (beats_seen % 4) * 8;
      for (int l = 0; l < 8; ++l) {
        ASSERT_EQ(out.r_data[static_cast<std::size_t>(l)],
                  static_cast<uint8_t>((beat_addr + static_cast<uint64_t>(l)) * 13 + 5))
            << "beat " << beats_seen << " lane " << l;
      }
      EXPECT_EQ(out.r_last, beats_seen % 4 == 3);
      if (out.r_last) {
        issued.pop_front();
        --outstanding;
      }
      ++beats_seen;
    }
    m.step(in);
    if (ar_fire) {
      issued.push_back(in.ar.addr);
      max_outstanding = std::max(max_outstanding, ++outstanding);
      next_addr += 32;
      in.ar = addr_beat(next_addr, 4);
      in.ar.valid = next_addr < 32 * 32;
    }
  }
  EXPECT_EQ(beats_seen, 128u);
  EXPECT_EQ(max_outstanding, 4) << "ARREADY must stay low beyond max_reads";
  m.check_idle();
}

TEST(AxiMemoryTest, InjectedErrorsByRangeAndByCount) {
  AxiMemory m(AxiMemoryConfig{});
  m.add_error_range(0x1010, 0x1018, AxiResp::kSlvErr, true, true);
  m.fail_nth_read(1, AxiResp::kDecErr);  // the second read burst
  // Read 0 covers 0x1000..0x101f: only beat 2 (0x1010) touches the range.
  const ReadResult r0 = read_burst(m, addr_beat(0x1000, 4));
  EXPECT_EQ(r0.resp, (std::vector<uint32_t>{0, 0, 2, 0}));
  const ReadResult r1 = read_burst(m, addr_beat(0x2000, 2));
  EXPECT_EQ(r1.resp, (std::vector<uint32_t>{3, 3}));
  const ReadResult r2 = read_burst(m, addr_beat(0x2000, 1));
  EXPECT_EQ(r2.resp, (std::vector<uint32_t>{0}));
  // A write touching the range answers SLVERR and writes nothing.
  EXPECT_EQ(
      write_burst(m, addr_beat(0x1008, 2), {{bytes8(1), kAll, false}, {bytes8(9), kAll, true}}),
      2u);
  EXPECT_EQ(m.byte(0x1008), 0);
  m.fail_nth_write(1, AxiResp::kDecErr);
  EXPECT_EQ(write_burst(m, addr_beat(0x3000, 1), {{bytes8(1), kAll, true}}), 3u);
  m.clear_errors();
  EXPECT_EQ(write_burst(m, addr_beat(0x1008, 1), {{bytes8(1), kAll, true}}), 0u);
  EXPECT_EQ(m.byte(0x1008), 1);
  EXPECT_EQ(m.stats().error_responses, 5u);
}

TEST(AxiMemoryTest, WriteDataBeforeAddressIsMatchedLater) {
  AxiMemory m(AxiMemoryConfig{});
  AxiMasterOut in;
  in.w_valid = true;
  in.w_data = bytes8(0x70);
  in.w_strb = kAll;
  in.w_last = true;
  in.b_ready = true;
  m.step(in);  // W alone
  in.w_valid = false;
  EXPECT_FALSE(m.idle());
  in.aw = addr_beat(0x500, 1);
  m.step(in);
  in.aw.valid = false;
  for (int i = 0; i < 5; ++i) m.step(in);
  EXPECT_EQ(m.byte(0x503), 0x73);
  m.check_idle();
}

// Expects `body` to throw AxiProtocolError whose message contains `text`.
template <typename F>
void expect_violation(F body, const std::string& text) {
  try {
    body();
    ADD_FAILURE() << "no AxiProtocolError, expected one about '" << text << "'";
  } catch (const AxiProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

TEST(AxiMemoryTest, ProtocolViolationsThrowWithClearMessages) {
  expect_violation(
      [] {
        AxiMemory m(AxiMemoryConfig{});
        read_burst(m, addr_beat(0xff8, 2));
      },
      "crosses a 4 KiB boundary");
  expect_violation(
      [] {
        AxiMemory m(AxiMemoryConfig{});
        AxiAddrBeat ar = addr_beat(0, 4);
        ar.burst = 2;
        read_burst(m, ar);
      },
      "burst type 2");
  expect_violation(
      [] {
        AxiMemory m(AxiMemoryConfig{});
        read_burst(m, addr_beat(0, 1, 4));
      },
      "wider than the 8-byte bus");
  expect_violation(
      [] {
        AxiMemory m(AxiMemoryConfig{});
        write_burst(m, addr_beat(0, 2), {{bytes8(0), kAll, true}});
      },
      "WLAST on beat 1 of a 2-beat burst");
  expect_violation(
      [] {
        AxiMemory m(AxiMemoryConfig{});
        write_burst(m, addr_beat(0, 1), {{bytes8(0), kAll, false}});
      },
      "no WLAST on beat 1 of a 1-beat burst");
  expect_violation(
      [] {
        AxiMemory m(AxiMemoryConfig{});
        write_burst(m, addr_beat(0x4, 1, 2), {{bytes8(0), kAll, true}});
      },
      "WSTRB lane 0 set outside the active lanes 4..7");
  expect_violation(
      [] {
        AxiMemoryConfig cfg;
        cfg.ar_ready = 0.0;
        AxiMemory m(cfg);
        AxiMasterOut in;
        in.ar = addr_beat(0x40, 1);
        m.step(in);
        in.ar.valid = false;
        m.step(in);
      },
      "ARVALID dropped before ARREADY");
  expect_violation(
      [] {
        AxiMemoryConfig cfg;
        cfg.aw_ready = 0.0;
        AxiMemory m(cfg);
        AxiMasterOut in;
        in.aw = addr_beat(0x40, 1);
        m.step(in);
        in.aw.addr = 0x48;
        m.step(in);
      },
      "payload changed while VALID && !READY");
  expect_violation(
      [] {
        AxiMemoryConfig cfg;
        cfg.w_ready = 0.0;
        AxiMemory m(cfg);
        AxiMasterOut in;
        in.w_valid = true;
        in.w_data = bytes8(0);
        in.w_strb = kAll;
        m.step(in);
        in.w_data[3] = 9;
        m.step(in);
      },
      "changed while WVALID && !WREADY");
  expect_violation(
      [] {
        AxiMemoryConfig cfg;
        cfg.read_latency_min = cfg.read_latency_max = 50;
        AxiMemory m(cfg);
        AxiMasterOut in;
        in.ar = addr_beat(0x40, 4);
        m.step(in);
        m.check_idle();
      },
      "1 read burst(s) with 4 R beat(s) not taken");
}

}  // namespace
}  // namespace npu::tb
