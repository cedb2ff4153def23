// A cycle-level AXI4 slave with a byte-addressed sparse memory, for benches of AXI masters.
//
// It plays the slave's half of every channel once per clock edge: outputs() is what it drives
// during a cycle (decided before the edge, independent of the master's valids, so there is no
// combinational path through it), step() takes what the master drove in the same cycle and
// performs that edge's handshakes. Latency (random in a range), ready/valid backpressure
// (random, per cycle), the number of outstanding transactions and injected SLVERR/DECERR are
// configurable. Everything the master must obey is checked, and a violation throws
// AxiProtocolError with a message naming the channel, the cycle and the values: handshake
// stability, legal AxLEN/AxSIZE/AxBURST, no burst across 4 KiB, WLAST on the right beat,
// WSTRB only on active lanes, and (check_idle()) nothing outstanding at the end of a test.
// Responses return in AR/AW order for every ID (legal for any ID assignment), R beats of a
// burst are never interleaved with another burst's. W beats may arrive before their AW.
//
// axi_memory_port.h connects it to a Verilated model with standard port names.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace npu::tb {

enum class AxiResp : uint8_t { kOkay = 0, kExOkay = 1, kSlvErr = 2, kDecErr = 3 };
const char* axi_resp_name(uint32_t resp);

struct AxiProtocolError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct AxiMemoryConfig {
  int data_bytes = 8;        // bus width in bytes (power of two, 1..128)
  int read_latency_min = 1;  // cycles from the AR handshake to the first R beat offered
  int read_latency_max = 1;
  int write_latency_min = 1;  // cycles from the last W beat to the B response offered
  int write_latency_max = 1;
  double ar_ready = 1.0;  // probability per cycle that ARREADY is high (if room)
  double aw_ready = 1.0;
  double w_ready = 1.0;
  double r_valid = 1.0;  // probability that a due R beat is offered in a cycle
  double b_valid = 1.0;
  int max_reads = 8;   // outstanding read bursts accepted (ARREADY low beyond)
  int max_writes = 8;  // outstanding write bursts (AW accepted, B not yet taken)
  uint64_t seed = 1;
};

// An address channel as the master drives it.
struct AxiAddrBeat {
  bool valid = false;
  uint64_t addr = 0;
  uint32_t len = 0;    // AxLEN: beats - 1
  uint32_t size = 0;   // AxSIZE: log2(bytes per beat)
  uint32_t burst = 1;  // AxBURST: 0 FIXED, 1 INCR, 2 WRAP
  uint32_t id = 0;
};

// Everything the master drives in one cycle.
struct AxiMasterOut {
  AxiAddrBeat ar, aw;
  bool w_valid = false;
  std::vector<uint8_t> w_data;  // data_bytes bytes, lane 0 first
  std::vector<uint8_t> w_strb;  // data_bytes flags
  bool w_last = false;
  bool r_ready = false;
  bool b_ready = false;
};

// Everything the slave drives in one cycle.
struct AxiSlaveOut {
  bool ar_ready = false, aw_ready = false, w_ready = false;
  bool r_valid = false;
  std::vector<uint8_t> r_data;
  uint32_t r_resp = 0, r_id = 0;
  bool r_last = false;
  bool b_valid = false;
  uint32_t b_resp = 0, b_id = 0;
};

struct AxiMemoryStats {
  uint64_t reads = 0, writes = 0;     // bursts accepted
  uint64_t r_beats = 0, w_beats = 0;  // data beats transferred
  uint64_t error_responses = 0;       // R beats and B responses other than OKAY
};

class AxiMemory {
 public:
  explicit AxiMemory(AxiMemoryConfig config);

  const AxiMemoryConfig& config() const { return config_; }
  // Backpressure and latency may change between phases of a test.
  void set_config(const AxiMemoryConfig& config);

  // Backdoor access (no bus traffic). Bytes never written read as 0.
  void write(uint64_t addr, const std::vector<uint8_t>& bytes);
  std::vector<uint8_t> read(uint64_t addr, std::size_t n) const;
  uint8_t byte(uint64_t addr) const;

  // Error injection. A read beat touching [lo, hi) answers `resp`; a write burst touching it
  // answers `resp` on B and writes nothing. The n-th read / write burst accepted (0-based,
  // counted from construction) answers `resp` on every beat / on B.
  void add_error_range(uint64_t lo, uint64_t hi, AxiResp resp, bool reads, bool writes);
  void fail_nth_read(uint64_t n, AxiResp resp);
  void fail_nth_write(uint64_t n, AxiResp resp);
  void clear_errors();

  // What the slave drives in the current cycle.
  const AxiSlaveOut& outputs() const { return out_; }
  // The rising edge: the handshakes of this cycle, protocol checks, then next cycle's outputs.
  void step(const AxiMasterOut& in);

  // True when no burst is outstanding on any channel.
  bool idle() const;
  // Throws AxiProtocolError describing whatever is still outstanding.
  void check_idle() const;

  uint64_t cycle() const { return cycle_; }
  const AxiMemoryStats& stats() const { return stats_; }

 private:
  struct ReadBurst {
    AxiAddrBeat ar;
    uint64_t due = 0;            // first cycle an R beat may be offered
    uint32_t beat = 0;           // next beat to send
    std::vector<uint32_t> resp;  // per beat
  };
  struct WriteBurst {
    AxiAddrBeat aw;
    uint32_t beat = 0;  // next W beat expected
    uint32_t resp = 0;
    uint64_t due = 0;  // B may be offered from this cycle on
  };
  struct WBeat {
    std::vector<uint8_t> data, strb;
    bool last = false;
    uint64_t cycle = 0;
  };
  struct ErrorRange {
    uint64_t lo, hi;
    uint32_t resp;
    bool reads, writes;
  };

  void check_stability(const AxiMasterOut& in) const;
  void check_addr(const char* ch, const AxiAddrBeat& a) const;
  static uint64_t beat_addr(const AxiAddrBeat& a, uint32_t beat);
  uint32_t range_resp(uint64_t lo, uint64_t hi, bool is_read) const;
  void accept_w(WBeat beat);
  void match_w();
  void apply_w(WriteBurst& burst, const WBeat& beat);
  int latency(int lo, int hi);
  bool chance(double p);
  void decide_outputs(bool keep_r, bool keep_b);
  [[noreturn]] void fail(const std::string& channel, const std::string& what) const;

  AxiMemoryConfig config_;
  std::mt19937_64 rng_;
  std::unordered_map<uint64_t, std::unique_ptr<std::array<uint8_t, 4096>>> pages_;
  std::vector<ErrorRange> error_ranges_;
  std::unordered_map<uint64_t, uint32_t> fail_reads_, fail_writes_;

  std::deque<ReadBurst> reads_;
  std::deque<WriteBurst> awaiting_data_;
  std::deque<WBeat> early_w_;
  std::deque<WriteBurst> awaiting_b_;

  AxiSlaveOut out_;
  AxiMasterOut prev_in_;
  bool have_prev_ = false;
  bool out_prev_ar_ready_ = false, out_prev_aw_ready_ = false, out_prev_w_ready_ = false;
  uint64_t cycle_ = 0;
  AxiMemoryStats stats_;
};

}  // namespace npu::tb
