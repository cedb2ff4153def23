// A lean AXI4 slave in front of a SparseMemory for the runtime's Verilator device: no
// allocation per cycle, no protocol checking (tb/common/axi_memory.h is the checking model
// for benches). INCR bursts, responses in request order, W beats taken only while an AW is
// outstanding (legal for a slave; npu_dma sends AW first).
//
// Per cycle: outputs() is what the slave drives (decided before the edge, from its state
// only), step(in) performs the edge's handshakes with what the master drove.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <random>

#include "sw/runtime/sparse_memory.h"
#include "sw/runtime/verilator_options.h"

namespace npu::runtime {

constexpr int kMaxBusBytes = 64;

struct AxiSlaveIn {
  bool ar_valid = false;
  uint64_t ar_addr = 0;
  uint32_t ar_len = 0, ar_size = 0, ar_id = 0;
  bool r_ready = false;
  bool aw_valid = false;
  uint64_t aw_addr = 0;
  uint32_t aw_len = 0, aw_size = 0, aw_id = 0;
  bool w_valid = false;
  bool w_last = false;
  uint64_t w_strb = 0;  // one bit per byte lane
  std::array<uint8_t, kMaxBusBytes> w_data{};
  bool b_ready = false;
};

struct AxiSlaveOut {
  bool ar_ready = false, aw_ready = false, w_ready = false;
  bool r_valid = false, r_last = false;
  uint32_t r_id = 0, r_resp = 0;
  std::array<uint8_t, kMaxBusBytes> r_data{};
  bool b_valid = false;
  uint32_t b_id = 0, b_resp = 0;
};

class AxiSlaveMemory {
 public:
  AxiSlaveMemory(SparseMemory& memory, int bus_bytes, const MemoryTiming& timing);

  const AxiSlaveOut& outputs() const { return out_; }
  void step(const AxiSlaveIn& in);
  // Nothing outstanding and nothing offered: the outputs will not change until a valid.
  bool idle() const { return reads_.empty() && writes_.empty() && bresps_.empty(); }

 private:
  struct Burst {
    uint64_t addr = 0;
    uint32_t beats = 0, size = 0, id = 0, beat = 0;
    uint64_t due = 0;  // cycle from which the first beat / the response may be offered
  };

  uint64_t beat_addr(const Burst& b) const;
  int latency(bool read);
  bool chance();
  void decide_outputs();

  SparseMemory& memory_;
  int bytes_;
  MemoryTiming timing_;
  std::mt19937_64 rng_;
  uint64_t now_ = 0;
  std::deque<Burst> reads_, writes_, bresps_;  // AR accepted; AW accepted; B due
  AxiSlaveOut out_;
};

}  // namespace npu::runtime
