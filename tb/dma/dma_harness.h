// Runs descriptors through a Verilated npu_dma: descriptor source, AXI memory (tb/common
// AxiMemory through AxiMemoryPort), on-chip side (a word memory with a write port under random
// backpressure and a read port with random latency and request backpressure), and the
// checks that need the cycle view: burst length limit, done/status per descriptor.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "tb/common/axi_memory.h"
#include "tb/common/axi_memory_port.h"
#include "tb/common/port_bits.h"
#include "tb/common/verilated_bench.h"
#include "tb/dma/dma_model.h"

namespace npu::tb::dma {

struct OnChipOptions {
  double wr_ready = 1.0;    // probability the on-chip write port is ready in a cycle
  double req_ready = 1.0;   // same for read requests
  int rsp_latency_min = 1;  // cycles from request to response
  int rsp_latency_max = 1;
};

// The engine's per-cycle performance events (busy_o, ev_*_o), summed over every cycle the
// harness ran: what the register file's counters would read.
struct DmaEventCounts {
  uint64_t busy = 0, stall = 0, rd_bytes = 0, wr_bytes = 0;
};

struct DescStatus {
  uint32_t tag = 0;
  uint32_t err = 0;
  uint32_t err_addr = 0;
  uint64_t accept_cycle = 0, done_cycle = 0;
};

template <typename Top>
class DmaHarness {
 public:
  DmaHarness(VerilatedBench<Top>& bench, AxiMemory& memory, int bus_bytes, int max_burst,
             uint64_t seed)
      : bench_(bench),
        memory_(memory),
        port_(bench.top(), memory),
        bytes_(bus_bytes),
        max_burst_(max_burst),
        rng_(seed) {}

  OnChipOptions& onchip_options() { return options_; }

  // On-chip memory (words of bus_bytes bytes; never written words read as a function of the
  // address, so write tests have data without a preload).
  uint8_t onchip_byte(uint32_t word, int lane) const {
    const auto it = onchip_.find(word);
    if (it != onchip_.end()) return it->second[static_cast<std::size_t>(lane)];
    return static_cast<uint8_t>(word * 131 + static_cast<uint32_t>(lane) * 29 + 7);
  }
  // Every on-chip write, in order.
  const std::vector<SpWord>& onchip_writes() const { return writes_; }
  const DmaEventCounts& events() const { return events_; }

  // Presents the descriptors back to back (the next one waits only for desc_ready_o) and
  // runs until every one has reported done. Returns their statuses in order.
  std::vector<DescStatus> run(const std::vector<DmaDesc>& descs) {
    Top& top = bench_.top();
    std::vector<DescStatus> statuses;
    std::size_t next = 0;
    std::bernoulli_distribution wr_ready(options_.wr_ready), req_ready(options_.req_ready);
    std::uniform_int_distribution<int> rsp_lat(options_.rsp_latency_min, options_.rsp_latency_max);
    while (statuses.size() < descs.size()) {
      // Inputs of this cycle.
      port_.drive();
      top.desc_valid_i = next < descs.size();
      if (next < descs.size()) set_desc(top, descs[next]);
      const bool sp_wr_ready = wr_ready(rng_);
      top.sp_wr_ready_i = sp_wr_ready;
      top.sp_req_ready_i = req_ready(rng_);
      const bool rsp_valid = !rsp_.empty() && rsp_.front().due <= bench_.cycle();
      top.sp_rsp_valid_i = rsp_valid;
      if (rsp_valid) {
        for (int l = 0; l < bytes_; ++l) {
          set_bits(top.sp_rsp_data_i, 8 * l, 8, rsp_.front().data[static_cast<std::size_t>(l)]);
        }
      }
      bench_.settle();
      count_events();

      // Handshakes of this cycle.
      if (top.desc_valid_i && top.desc_ready_o) {
        DescStatus s;
        s.accept_cycle = bench_.cycle();
        accepted_.push_back(s);
        ++next;
        bench_.progress();
      }
      if (top.done_o) {
        if (accepted_.empty()) {
          ADD_FAILURE() << "[dma] done_o at cycle " << bench_.cycle() << " with no descriptor";
        } else {
          DescStatus s = accepted_.front();
          accepted_.pop_front();
          s.tag = top.status_tag_o;
          s.err = top.status_err_o;
          s.err_addr = top.status_err_addr_o;
          s.done_cycle = bench_.cycle();
          statuses.push_back(s);
        }
        bench_.progress();
      }
      if (top.sp_wr_valid_o && sp_wr_ready) {
        SpWord w;
        w.addr = top.sp_wr_addr_o;
        w.data.resize(static_cast<std::size_t>(bytes_));
        w.strb.resize(static_cast<std::size_t>(bytes_));
        auto& word = onchip_word(w.addr);
        for (int l = 0; l < bytes_; ++l) {
          const auto ul = static_cast<std::size_t>(l);
          w.data[ul] = static_cast<uint8_t>(get_bits(top.sp_wr_data_o, 8 * l, 8));
          w.strb[ul] = static_cast<uint8_t>(get_bits(top.sp_wr_strb_o, l, 1));
          if (w.strb[ul]) word[ul] = w.data[ul];
        }
        writes_.push_back(std::move(w));
        bench_.progress();
      }
      if (top.sp_req_valid_o && top.sp_req_ready_i) {
        const uint32_t a = top.sp_req_addr_o;
        Rsp r;
        r.due = bench_.cycle() + static_cast<uint64_t>(rsp_lat(rng_));
        for (int l = 0; l < bytes_; ++l) r.data.push_back(onchip_byte(a, l));
        rsp_.push_back(std::move(r));
        bench_.progress();
      }
      if (rsp_valid && top.sp_rsp_ready_o) rsp_.pop_front();

      const uint64_t beats_before = memory_.stats().r_beats + memory_.stats().w_beats;
      const AxiMasterOut in = port_.step();
      if (memory_.stats().r_beats + memory_.stats().w_beats != beats_before) bench_.progress();
      check_burst(in.ar, "AR");
      check_burst(in.aw, "AW");
      bench_.tick();
    }
    top.desc_valid_i = 0;
    return statuses;
  }

  // A few idle cycles (the memory keeps checking that nothing moves).
  void idle(int cycles) {
    Top& top = bench_.top();
    top.desc_valid_i = 0;
    for (int i = 0; i < cycles; ++i) {
      port_.drive();
      bench_.settle();
      count_events();
      EXPECT_FALSE(top.sp_wr_valid_o) << "[dma] on-chip write while idle, cycle " << bench_.cycle();
      EXPECT_FALSE(top.sp_req_valid_o) << "[dma] on-chip read while idle, cycle " << bench_.cycle();
      port_.step();
      bench_.progress();
      bench_.tick();
    }
  }

 private:
  struct Rsp {
    uint64_t due = 0;
    std::vector<uint8_t> data;
  };

  std::vector<uint8_t>& onchip_word(uint32_t addr) {
    auto it = onchip_.find(addr);
    if (it == onchip_.end()) {
      std::vector<uint8_t> w;
      for (int l = 0; l < bytes_; ++l) w.push_back(onchip_byte(addr, l));
      it = onchip_.emplace(addr, std::move(w)).first;
    }
    return it->second;
  }

  void set_desc(Top& top, const DmaDesc& d) {
    top.desc_write_i = d.write;
    top.desc_tag_i = d.tag;
    top.desc_addr_i = d.addr;
    top.desc_len_i = d.len;
    top.desc_cnt1_i = d.cnt[0];
    top.desc_stride1_i = d.stride[0];
    top.desc_cnt2_i = d.cnt[1];
    top.desc_stride2_i = d.stride[1];
    top.desc_cnt3_i = d.cnt[2];
    top.desc_stride3_i = d.stride[2];
    top.desc_sp_addr_i = d.sp_addr;
  }

  // After settle(): this cycle's events, as the rising edge will see them.
  void count_events() {
    const Top& top = bench_.top();
    events_.busy += top.busy_o;
    events_.stall += top.ev_stall_o;
    events_.rd_bytes += top.ev_rd_bytes_o;
    events_.wr_bytes += top.ev_wr_bytes_o;
  }

  void check_burst(const AxiAddrBeat& a, const char* ch) {
    if (!a.valid) return;
    if (static_cast<int>(a.len) + 1 > max_burst_) {
      ADD_FAILURE() << "[dma] " << ch << " burst of " << a.len + 1 << " beats > MaxBurst "
                    << max_burst_ << " at cycle " << bench_.cycle();
    }
    if ((1 << a.size) != bytes_ || a.addr % static_cast<uint64_t>(bytes_) != 0) {
      ADD_FAILURE() << "[dma] " << ch << " burst not full-width and aligned: addr 0x" << std::hex
                    << a.addr << std::dec << " size " << a.size;
    }
  }

  VerilatedBench<Top>& bench_;
  AxiMemory& memory_;
  AxiMemoryPort<Top> port_;
  int bytes_;
  int max_burst_;
  std::mt19937_64 rng_;
  OnChipOptions options_;
  std::map<uint32_t, std::vector<uint8_t>> onchip_;
  std::vector<SpWord> writes_;
  std::deque<Rsp> rsp_;
  std::deque<DescStatus> accepted_;
  DmaEventCounts events_;
};

}  // namespace npu::tb::dma
