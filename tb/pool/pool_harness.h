// Drives one Verilated npu_pool: a C++ activation scratchpad serving the read stream with random
// latency and random ready/valid gaps, a randomly stalling output sink, the start/done handshake
// and protocol checks on every stream. Clock, reset, watchdog and the NPU_TRACE switch come from
// tb/common/verilated_bench.h.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tb/common/port_bits.h"
#include "tb/common/verilated_bench.h"
#include "tb/pool/pool_job.h"

namespace npu::tb {

// Random behaviour of the environment around the unit.
struct PoolTraffic {
  double req_ready = 1.0;  // P(req_ready_i) per cycle
  double rsp_valid = 1.0;  // P(a due response is presented) per cycle
  double out_ready = 1.0;  // P(out_ready_i) per cycle
  int min_latency = 1;     // read latency in cycles, request accept -> response valid
  int max_latency = 1;
  double start_noise = 0.0;  // P(start_i pulses while busy: must be ignored)

  std::string describe() const {
    std::ostringstream s;
    s << "req_ready " << req_ready << ", rsp_valid " << rsp_valid << ", out_ready " << out_ready
      << ", latency " << min_latency << ".." << max_latency;
    return s.str();
  }
};

inline PoolTraffic ideal_traffic(int latency = 1) {
  PoolTraffic t;
  t.min_latency = t.max_latency = latency;
  return t;
}

inline PoolTraffic random_traffic(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> p(0.3, 1.0);
  std::uniform_int_distribution<int> lat(1, 6);
  PoolTraffic t;
  t.req_ready = p(rng);
  t.rsp_valid = p(rng);
  t.out_ready = p(rng);
  t.min_latency = lat(rng);
  t.max_latency = t.min_latency + lat(rng) - 1;
  t.start_noise = 0.05;
  return t;
}

struct PoolRun {
  std::vector<std::vector<int8_t>> words;  // output words in the order they left the unit
  std::vector<std::string> errors;         // protocol / memory violations
  uint64_t cycles = 0;                     // start accepted .. done_o
  uint64_t reads = 0;
};

template <class Model>
class PoolHarness {
 public:
  static constexpr int kAddrBits = 16;  // npu_pool AddrW default
  static constexpr uint64_t kWatchdogCycles = 2000;

  PoolHarness(int lanes, uint64_t seed)
      : lanes_(lanes),
        rng_(seed),
        bench_("npu_pool", kWatchdogCycles),
        memory_(std::size_t{1} << kAddrBits, std::vector<int8_t>(static_cast<std::size_t>(lanes))),
        holds_input_(std::size_t{1} << kAddrBits, false) {
    bench_->start_i = 0;
    bench_->req_ready_i = 0;
    bench_->rsp_valid_i = 0;
    bench_->out_ready_i = 0;
    bench_.reset();
  }

  uint64_t cycle() const { return bench_.cycle(); }

  // Places job.input in a scratchpad full of random garbage and runs the job to completion.
  PoolRun run(const PoolJob& job, const PoolTraffic& traffic) {
    const PoolConfig cfg = pool_config(job);
    load_memory(job);
    apply_config(cfg);
    PoolRun run;
    std::bernoulli_distribution req_ready(traffic.req_ready), rsp_valid(traffic.rsp_valid),
        out_ready(traffic.out_ready), start_noise(traffic.start_noise);
    std::uniform_int_distribution<int> latency(traffic.min_latency, traffic.max_latency);

    struct Pending {
      uint32_t addr;
      uint64_t due;
    };
    std::deque<Pending> pending;
    bool presenting = false;  // rsp_valid_i is up and must stay up until taken
    bool started = false, done = false;
    uint64_t start_cycle = 0, last_due = 0;
    bool prev_req_stall = false, prev_out_stall = false;
    uint32_t prev_req_addr = 0;
    std::vector<int8_t> prev_out(static_cast<std::size_t>(lanes_));
    bool prev_out_last = false;
    int done_pulses = 0;
    int64_t last_index = -1;
    bench_.progress();

    auto error = [&](const std::string& what) {
      if (run.errors.size() < 20) {
        run.errors.push_back("cycle " + std::to_string(bench_.cycle()) + ": " + what);
      }
    };

    // Until done, plus a few idle cycles to catch anything the unit does after done_o.
    uint64_t tail = 0;
    while (tail < 8) {
      const uint64_t now = bench_.cycle();
      // Drive this cycle's inputs.
      const bool idle_before = bench_->idle_o;
      if (!started) {
        if (!idle_before) error("idle_o low before the job was started");
        bench_->start_i = 1;
      } else {
        // idle_o is registered: while it is low this cycle's edge cannot start a new job.
        bench_->start_i = (!idle_before && start_noise(rng_)) ? 1 : 0;
      }
      bench_->req_ready_i = req_ready(rng_) ? 1 : 0;
      if (!presenting && !pending.empty() && pending.front().due <= now && rsp_valid(rng_)) {
        presenting = true;
        const auto& word = memory_[pending.front().addr];
        for (int l = 0; l < lanes_; ++l) {
          set_bits(bench_->rsp_data_i, 8 * l, 8, static_cast<uint8_t>(word[l]));
        }
      }
      bench_->rsp_valid_i = presenting ? 1 : 0;
      bench_->out_ready_i = out_ready(rng_) ? 1 : 0;
      bench_.settle();

      // Sample the handshakes of this cycle.
      if (!started) {
        started = true;
        start_cycle = now;
      }
      const bool req_valid = bench_->req_valid_o;
      const uint32_t req_addr = bench_->req_addr_o;
      if (prev_req_stall && (!req_valid || req_addr != prev_req_addr)) {
        error("req_valid_o/req_addr_o changed while the request waited for req_ready_i");
      }
      if (req_valid && bench_->req_ready_i) {
        ++run.reads;
        if (!holds_input_[req_addr]) {
          std::ostringstream s;
          s << "read of word 0x" << std::hex << req_addr << " which holds no input pixel";
          error(s.str());
        }
        const uint64_t due = std::max(now + static_cast<uint64_t>(latency(rng_)), last_due);
        last_due = due;
        pending.push_back({req_addr, due});
        bench_.progress();
      }
      prev_req_stall = req_valid && !bench_->req_ready_i;
      prev_req_addr = req_addr;
      if (presenting) {
        // The unit only issues a read when it has room for the response (docs/pool.md), so a
        // fixed-latency SRAM may ignore rsp_ready_o: check that promise.
        if (!bench_->rsp_ready_o) error("rsp_ready_o low while a response was presented");
        if (bench_->rsp_ready_o) {
          pending.pop_front();
          presenting = false;
          bench_.progress();
        }
      }
      const bool out_valid = bench_->out_valid_o;
      std::vector<int8_t> out(static_cast<std::size_t>(lanes_));
      for (int l = 0; l < lanes_; ++l) {
        out[l] = static_cast<int8_t>(get_signed(bench_->out_data_o, 8 * l, 8));
      }
      if (prev_out_stall &&
          (!out_valid || out != prev_out || prev_out_last != bool(bench_->out_last_o))) {
        error("out_valid_o/out_data_o/out_last_o changed while waiting for out_ready_i");
      }
      if (out_valid && bench_->out_ready_i) {
        if (done) error("output word after done_o");
        if (bench_->out_last_o) {
          if (last_index >= 0) error("out_last_o on more than one word");
          last_index = static_cast<int64_t>(run.words.size());
        }
        run.words.push_back(out);
        bench_.progress();
      }
      prev_out_stall = out_valid && !bench_->out_ready_i;
      prev_out = out;
      prev_out_last = bench_->out_last_o;
      if (bench_->done_o) {
        ++done_pulses;
        if (!done) run.cycles = now - start_cycle;
        done = true;
      }
      if (done) {
        ++tail;
        if (req_valid) error("read request after done_o");
        if (!bench_->idle_o) error("idle_o low after done_o");
      }

      bench_.tick();
    }
    bench_->start_i = 0;
    if (done_pulses != 1) error("done_o pulsed " + std::to_string(done_pulses) + " times");
    if (!pending.empty()) error(std::to_string(pending.size()) + " reads never consumed");
    if (last_index != static_cast<int64_t>(run.words.size()) - 1) {
      error("out_last_o on word " + std::to_string(last_index) + " of " +
            std::to_string(run.words.size()));
    }
    return run;
  }

 private:
  void load_memory(const PoolJob& job) {
    std::uniform_int_distribution<int> byte(-128, 127);
    for (auto& word : memory_) {
      for (auto& b : word) b = static_cast<int8_t>(byte(rng_));
    }
    std::fill(holds_input_.begin(), holds_input_.end(), false);
    const golden::Shape& s = job.input.shape;
    for (int y = 0; y < s.h; ++y) {
      for (int x = 0; x < s.w; ++x) {
        for (int g = 0; g < job.groups(); ++g) {
          const uint32_t a = job.word_address(y, x, g);
          for (int l = 0; l < lanes_; ++l) memory_[a][l] = job.input.at(0, y, x, g * lanes_ + l);
          holds_input_[a] = true;
        }
      }
    }
  }

  void apply_config(const PoolConfig& c) {
    bench_->cfg_mode_i = c.mode;
    bench_->cfg_in_h_i = c.in_h;
    bench_->cfg_in_w_i = c.in_w;
    bench_->cfg_groups_i = c.groups;
    bench_->cfg_in_base_i = c.in_base;
    bench_->cfg_pix_stride_i = c.pix_stride;
    bench_->cfg_row_stride_i = c.row_stride;
    bench_->cfg_kernel_h_i = c.kernel_h;
    bench_->cfg_kernel_w_i = c.kernel_w;
    bench_->cfg_stride_h_i = c.stride_h;
    bench_->cfg_stride_w_i = c.stride_w;
    bench_->cfg_pad_top_i = c.pad_top;
    bench_->cfg_pad_left_i = c.pad_left;
    bench_->cfg_pad_bottom_i = c.pad_bottom;
    bench_->cfg_pad_right_i = c.pad_right;
    bench_->cfg_in_zp_i = c.in_zp;
  }

  int lanes_;
  std::mt19937_64 rng_;
  VerilatedBench<Model> bench_;
  std::vector<std::vector<int8_t>> memory_;
  std::vector<bool> holds_input_;
};

}  // namespace npu::tb
