// Runs command streams through a Verilated npu_ctrl: the stream lies in an AxiMemory (the
// fetcher's AR/R channels are bound here, the model has no write channels), and three fake
// engines stand in for the load DMA, the store DMA and the datapath, each with random
// acceptance and random operation lengths (and injectable errors or a hang). Every operation
// is recorded with its fields and cycles; the checks that need the cycle view (a descriptor
// held stable until taken, job fields stable from start to done, no start while the datapath
// is busy) fail the test as they happen.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "Vctrl.h"
#include "tb/common/axi_memory.h"
#include "tb/common/port_bits.h"
#include "tb/common/verilated_bench.h"
#include "tb/ctrl/ctrl_command.h"

namespace npu::tb::ctrl {

struct FakeUnitOptions {
  double ready = 0.7;  // probability a descriptor is taken in a cycle (DMAs)
  int lat_min = 2;     // cycles from acceptance / start to done
  int lat_max = 20;
};

// One operation as the fake unit saw it.
struct OpRecord {
  uint32_t tag = 0;            // DMAs: the command index (low bits)
  DmaCmd dma;                  // DMAs
  ComputeCmd job;              // datapath
  uint32_t dst = 0, bank = 0;  // load: destination and bank; store: bank
  uint64_t valid_cycle = 0;    // first cycle of desc_valid (or start) seen
  uint64_t accept_cycle = 0;
  uint64_t done_cycle = 0;  // cycle the fake unit drove done
  bool done = false;
};

struct RunResult {
  bool done = false;  // done_o seen
  uint64_t start_cycle = 0, done_cycle = 0;
  uint32_t err = 0, err_cmd = 0, err_addr = 0, cmd_count = 0;
  // Sums of the performance events (ev_*_o) over the run.
  uint32_t perf_mac = 0;
  uint32_t perf_busy[3] = {0, 0, 0}, perf_stall[3] = {0, 0, 0};  // load, compute, store
  // The same, observed by the bench.
  uint64_t seen_busy_cycles = 0, seen_mac = 0;
  uint64_t seen_unit_busy[3] = {0, 0, 0};
};

class CtrlHarness {
 public:
  CtrlHarness(VerilatedBench<Vctrl>& bench, AxiMemory& memory, uint64_t seed)
      : bench_(bench), memory_(memory), rng_(seed) {}

  FakeUnitOptions load, store, compute;
  double mac_active = 0.5;                   // probability of mac_active_i while busy
  std::optional<std::size_t> load_error_at;  // this load (0-based) ends with load_error_code
  uint32_t load_error_code = 2;
  std::optional<std::size_t> store_error_at;
  uint32_t store_error_code = 4;
  std::optional<std::size_t> hang_job_at;  // this datapath job never finishes
  uint32_t cfg_err_zp = 0x1ee;             // a job with this cfg_zp has cfg_err (none: >255)

  // A DMA error reports address kErrAddrBase + the operation's index.
  static constexpr uint32_t kErrAddrBase = 0xdead0000;

  std::vector<OpRecord> loads, stores, jobs;
  uint64_t error_cycle = 0;  // last cycle the bench drove an error (0: none)

  void clear_records() {
    loads.clear();
    stores.clear();
    jobs.clear();
    error_cycle = 0;
  }

  // Writes the stream at `base` and runs it (start, queue base, size in commands); returns at
  // done_o or after max_cycles (then result.done is false).
  RunResult run(uint64_t base, const std::vector<CmdWords>& stream, uint64_t max_cycles = 200000,
                std::optional<uint32_t> size_override = std::nullopt) {
    memory_.write(base, to_bytes(stream));
    const uint32_t size = size_override ? *size_override : static_cast<uint32_t>(stream.size());
    return run_queue(static_cast<uint32_t>(base), size, max_cycles);
  }

  RunResult run_queue(uint32_t base, uint32_t size, uint64_t max_cycles) {
    Vctrl& top = bench_.top();
    RunResult r;
    top.queue_base_i = base;
    top.queue_size_i = size;
    top.start_i = 1;
    r.start_cycle = bench_.cycle();
    const uint64_t limit = bench_.cycle() + max_cycles;
    bool first = true;
    while (bench_.cycle() < limit) {
      step(r);
      if (first) {
        top.start_i = 0;
        first = false;
      }
      if (r.done) break;
    }
    top.start_i = 0;
    return r;
  }

  // Cycles with no start; the fake units keep finishing what they hold.
  void idle(int cycles) {
    RunResult scratch;
    for (int i = 0; i < cycles; ++i) step(scratch);
  }

  void soft_reset() {
    Vctrl& top = bench_.top();
    top.soft_reset_i = 1;
    bench_.tick();
    top.soft_reset_i = 0;
    bench_.settle();
    // The core's soft reset resets the DMAs and the datapath with the control unit.
    ld_ = DmaUnit{};
    st_ = DmaUnit{};
    dp_ = DpUnit{};
  }

  bool units_idle() const { return !ld_.pending && !st_.pending && !dp_.pending; }

 private:
  struct DmaUnit {
    bool pending = false;
    uint64_t due = 0;
    uint32_t err = 0;
    std::size_t record = 0;
    bool valid_seen = false;
    OpRecord held;  // the descriptor while valid && !ready
  };
  struct DpUnit {
    bool pending = false, hang = false;
    uint64_t due = 0;
    std::size_t record = 0;
  };

  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int latency(const FakeUnitOptions& o) {
    return std::uniform_int_distribution<int>(o.lat_min, o.lat_max)(rng_);
  }

  template <typename T>
  static DmaCmd sample_ld(const T& t) {
    DmaCmd d;
    d.addr = t.ld_desc_addr_o;
    d.len = t.ld_desc_len_o;
    d.cnt1 = t.ld_desc_cnt1_o;
    d.cnt2 = t.ld_desc_cnt2_o;
    d.cnt3 = t.ld_desc_cnt3_o;
    d.stride1 = t.ld_desc_stride1_o;
    d.stride2 = t.ld_desc_stride2_o;
    d.stride3 = t.ld_desc_stride3_o;
    d.sp_addr = t.ld_desc_sp_addr_o;
    d.dst = t.ld_dst_o;
    d.bank = t.ld_bank_o;
    return d;
  }
  template <typename T>
  static DmaCmd sample_st(const T& t) {
    DmaCmd d;
    d.addr = t.st_desc_addr_o;
    d.len = t.st_desc_len_o;
    d.cnt1 = t.st_desc_cnt1_o;
    d.cnt2 = t.st_desc_cnt2_o;
    d.cnt3 = t.st_desc_cnt3_o;
    d.stride1 = t.st_desc_stride1_o;
    d.stride2 = t.st_desc_stride2_o;
    d.stride3 = t.st_desc_stride3_o;
    d.sp_addr = t.st_desc_sp_addr_o;
    d.dst = 0;
    d.bank = t.st_bank_o;
    return d;
  }
  template <typename T>
  static ComputeCmd sample_job(const T& t) {
    ComputeCmd c;
    c.job = t.cfg_job_o;
    c.in_bank = t.cfg_in_bank_o;
    c.in_base = t.cfg_in_base_o;
    c.in_h = t.cfg_in_h_o;
    c.in_w = t.cfg_in_w_o;
    c.in_groups = t.cfg_in_groups_o;
    c.slot = t.cfg_slot_o;
    c.taps_per_chunk = t.cfg_taps_per_chunk_o;
    c.in_zp = t.cfg_in_zp_o;
    c.in_row_words = t.cfg_in_row_words_o;
    c.kernel_h = t.cfg_kernel_h_o;
    c.kernel_w = t.cfg_kernel_w_o;
    c.stride_h = t.cfg_stride_h_o;
    c.stride_w = t.cfg_stride_w_o;
    c.pad_top = t.cfg_pad_top_o;
    c.pad_left = t.cfg_pad_left_o;
    c.pad_bottom = t.cfg_pad_bottom_o;
    c.pad_right = t.cfg_pad_right_o;
    c.pool_mode = t.cfg_pool_mode_o;
    c.out_w = t.cfg_out_w_o;
    c.pixels = t.cfg_pixels_o;
    c.kchunks = t.cfg_kchunks_o;
    c.ntiles = t.cfg_ntiles_o;
    c.mblock = t.cfg_mblock_o;
    c.mblocks = t.cfg_mblocks_o;
    c.w_bank = t.cfg_w_bank_o;
    c.w_base = t.cfg_w_base_o;
    c.w_words = t.cfg_w_words_o;
    c.out_bank = t.cfg_out_bank_o;
    c.out_base = t.cfg_out_base_o;
    c.out_groups = t.cfg_out_groups_o;
    c.res_bank = t.cfg_res_bank_o;
    c.res_base = t.cfg_res_base_o;
    c.mode = t.cfg_mode_o;
    c.zp = t.cfg_zp_o;
    c.relu = t.cfg_relu_o;
    c.add_zp_a = t.cfg_add_zp_a_o;
    c.add_zp_b = t.cfg_add_zp_b_o;
    c.add_zp_out = t.cfg_add_zp_out_o;
    c.add_mult_a = t.cfg_add_mult_a_o;
    c.add_mult_b = t.cfg_add_mult_b_o;
    c.add_mult_out = t.cfg_add_mult_out_o;
    c.add_shift_a = t.cfg_add_shift_a_o;
    c.add_shift_b = t.cfg_add_shift_b_o;
    c.add_shift_out = t.cfg_add_shift_out_o;
    c.add_relu = t.cfg_add_relu_o;
    return c;
  }

  // One DMA-like unit: takes a descriptor (valid/ready), finishes it some cycles later.
  void dma_inputs(DmaUnit& u, const FakeUnitOptions& o, uint8_t& ready, uint8_t& done, uint8_t& err,
                  uint32_t& err_addr) {
    ready = !u.pending && chance(o.ready);
    done = u.pending && u.due == bench_.cycle();
    err = done ? static_cast<uint8_t>(u.err) : 0;
    err_addr = done && u.err != 0 ? kErrAddrBase + static_cast<uint32_t>(u.record) : 0;
    if (done && u.err != 0) error_cycle = bench_.cycle();
  }

  void dma_handshake(const char* name, DmaUnit& u, std::vector<OpRecord>& recs, bool valid,
                     bool ready, bool done, const DmaCmd& d, uint32_t tag, const FakeUnitOptions& o,
                     std::optional<std::size_t> err_at, uint32_t err_code) {
    if (done) {
      recs[u.record].done_cycle = bench_.cycle();
      recs[u.record].done = true;
      u.pending = false;
      bench_.progress();
    }
    if (valid) {
      OpRecord now;
      now.dma = d;
      now.tag = tag;
      if (!u.valid_seen) {
        now.valid_cycle = bench_.cycle();
        u.held = now;
        u.valid_seen = true;
      } else if (!same(u.held.dma, d) || u.held.tag != tag) {
        ADD_FAILURE() << "[ctrl] " << name << " descriptor changed while valid && !ready at cycle "
                      << bench_.cycle();
      }
      if (ready) {
        OpRecord rec = u.held;
        rec.accept_cycle = bench_.cycle();
        rec.dst = d.dst;
        rec.bank = d.bank;
        u.record = recs.size();
        u.err = (err_at && *err_at == recs.size()) ? err_code : 0;
        recs.push_back(rec);
        u.pending = true;
        u.due = bench_.cycle() + static_cast<uint64_t>(latency(o));
        u.valid_seen = false;
        bench_.progress();
      }
    } else if (u.valid_seen) {
      ADD_FAILURE() << "[ctrl] " << name << " desc_valid dropped before ready at cycle "
                    << bench_.cycle();
      u.valid_seen = false;
    }
  }

  static bool same(const DmaCmd& a, const DmaCmd& b) {
    return a.addr == b.addr && a.len == b.len && a.cnt1 == b.cnt1 && a.cnt2 == b.cnt2 &&
           a.cnt3 == b.cnt3 && a.stride1 == b.stride1 && a.stride2 == b.stride2 &&
           a.stride3 == b.stride3 && a.sp_addr == b.sp_addr && a.dst == b.dst && a.bank == b.bank;
  }

  void step(RunResult& r) {
    Vctrl& top = bench_.top();
    // Slave side of the fetch channels.
    const AxiSlaveOut& so = memory_.outputs();
    top.m_axi_arready_i = so.ar_ready;
    top.m_axi_rvalid_i = so.r_valid;
    top.m_axi_rresp_i = so.r_resp;
    top.m_axi_rlast_i = so.r_last;
    top.m_axi_rid_i = so.r_id;
    for (std::size_t i = 0; i < so.r_data.size(); ++i) {
      set_bits(top.m_axi_rdata_i, static_cast<int>(8 * i), 8, so.r_data[i]);
    }
    // Fake units.
    dma_inputs(ld_, load, top.ld_desc_ready_i, top.ld_done_i, top.ld_err_i, top.ld_err_addr_i);
    dma_inputs(st_, store, top.st_desc_ready_i, top.st_done_i, top.st_err_i, top.st_err_addr_i);
    const bool dp_done = dp_.pending && !dp_.hang && dp_.due == bench_.cycle();
    top.dp_done_i = dp_done;
    top.dp_busy_i = dp_.pending && !dp_done;
    top.mac_active_i = top.busy_o && chance(mac_active);
    top.activity_i = 0;
    top.dp_cfg_err_i = 0;
    bench_.settle();
    top.dp_cfg_err_i = top.cfg_zp_o == cfg_err_zp;  // the datapath's check is combinational
    if (top.dp_cfg_err_i) error_cycle = bench_.cycle();
    bench_.settle();

    // The performance events of this cycle, summed as the register file counts them.
    r.perf_mac += top.ev_mac_o;
    r.perf_busy[0] += top.ev_ld_busy_o;
    r.perf_busy[1] += top.ev_cp_busy_o;
    r.perf_busy[2] += top.ev_st_busy_o;
    r.perf_stall[0] += top.ev_ld_stall_o;
    r.perf_stall[1] += top.ev_cp_stall_o;
    r.perf_stall[2] += top.ev_st_stall_o;

    // Observations of this cycle.
    if (top.busy_o) {
      ++r.seen_busy_cycles;
      if (top.mac_active_i) ++r.seen_mac;
      if (top.ld_desc_valid_o || ld_.pending) ++r.seen_unit_busy[0];
      if (top.dp_start_o || dp_.pending) ++r.seen_unit_busy[1];
      if (top.st_desc_valid_o || st_.pending) ++r.seen_unit_busy[2];
    }
    dma_handshake("load", ld_, loads, top.ld_desc_valid_o, top.ld_desc_ready_i, top.ld_done_i,
                  sample_ld(top), top.ld_desc_tag_o, load, load_error_at, load_error_code);
    dma_handshake("store", st_, stores, top.st_desc_valid_o, top.st_desc_ready_i, top.st_done_i,
                  sample_st(top), top.st_desc_tag_o, store, store_error_at, store_error_code);
    if (dp_done) {
      jobs[dp_.record].done_cycle = bench_.cycle();
      jobs[dp_.record].done = true;
      dp_.pending = false;
      bench_.progress();
    } else if (dp_.pending && !same_job(jobs[dp_.record].job, sample_job(top))) {
      ADD_FAILURE() << "[ctrl] datapath job fields changed during job " << dp_.record
                    << " at cycle " << bench_.cycle();
    }
    if (top.dp_start_o) {
      if (top.dp_busy_i) {
        ADD_FAILURE() << "[ctrl] dp_start_o while the datapath is busy at cycle " << bench_.cycle();
      }
      OpRecord rec;
      rec.job = sample_job(top);
      rec.valid_cycle = rec.accept_cycle = bench_.cycle();
      dp_.record = jobs.size();
      dp_.hang = hang_job_at && *hang_job_at == jobs.size();
      jobs.push_back(rec);
      dp_.pending = true;
      dp_.due = bench_.cycle() + static_cast<uint64_t>(std::max(2, latency(compute)));
      bench_.progress();
    }
    if (top.done_o) {
      r.done = true;
      r.done_cycle = bench_.cycle();
      r.err = top.err_code_o;
      r.err_cmd = top.err_cmd_o;
      r.err_addr = top.err_addr_o;
      r.cmd_count = top.cmd_count_o;
    }

    // The fetch channels' handshakes.
    AxiMasterOut mo;
    mo.ar = {top.m_axi_arvalid_o != 0,      top.m_axi_araddr_o,
             uint32_t{top.m_axi_arlen_o},   uint32_t{top.m_axi_arsize_o},
             uint32_t{top.m_axi_arburst_o}, static_cast<uint32_t>(top.m_axi_arid_o)};
    mo.r_ready = top.m_axi_rready_o != 0;
    mo.b_ready = false;
    const uint64_t beats = memory_.stats().r_beats;
    memory_.step(mo);
    if (memory_.stats().r_beats != beats) bench_.progress();
    bench_.tick();
  }

  static bool same_job(const ComputeCmd& a, const ComputeCmd& b) {
    return encode_compute(a, Deps{}) == encode_compute(b, Deps{});
  }

  VerilatedBench<Vctrl>& bench_;
  AxiMemory& memory_;
  std::mt19937_64 rng_;
  DmaUnit ld_, st_;
  DpUnit dp_;
};

}  // namespace npu::tb::ctrl
