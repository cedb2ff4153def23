// Cycle-level AXI4-Lite master for benches of any Verilated model with s_axil_* ports
// (awaddr/awvalid/awready, wdata/wstrb/wvalid/wready, bresp/bvalid/bready, araddr/arvalid/
// arready, rdata/rresp/rvalid/rready). Transactions are issued in order per channel, with a
// random gap before every AW, W and AR and random BREADY/RREADY, so AW may lead or trail its W
// and several transactions are in flight back to back. It checks that BVALID/RVALID and their
// payload stay stable until taken, and that no response arrives without a request.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <random>
#include <vector>

#include "tb/common/verilated_bench.h"

namespace npu::tb {

inline constexpr uint32_t kAxiOkay = 0, kAxiSlvErr = 2, kAxiDecErr = 3;

struct AxiLiteOptions {
  int max_gap = 3;      // random idle cycles (0..max_gap) before each AW, W and AR
  double bready = 0.7;  // probability BREADY is high in a cycle
  double rready = 0.7;
  int aw_extra_delay = 0;  // fixed extra cycles before every AW (forces W before AW)
  int w_extra_delay = 0;   // same for W (forces AW before W)
};

struct AxiLiteTxn {
  bool write = false;
  uint32_t addr = 0;
  uint32_t data = 0;  // write data; read data once done
  uint8_t strb = 0xF;
  uint32_t resp = 0;          // filled in
  uint64_t accept_cycle = 0;  // AR handshake (reads) or the later of AW/W (writes)
  bool done = false;
};

template <typename Top>
class AxiLiteMaster {
 public:
  AxiLiteMaster(VerilatedBench<Top>& bench, uint64_t seed, AxiLiteOptions options = {})
      : bench_(bench), options_(options), rng_(seed) {}

  AxiLiteOptions& options() { return options_; }
  // Called every cycle after the master has set its inputs and before settle(): the test
  // drives the model's other inputs and samples registered outputs there.
  void set_on_cycle(std::function<void(Top&)> hook) { on_cycle_ = std::move(hook); }

  // Runs the transactions (writes and reads may be mixed: channels are independent, so only
  // the order among writes and among reads is defined) until every response has arrived.
  void run(std::vector<AxiLiteTxn>& txns) {
    std::deque<AxiLiteTxn*> aw, w, ar, b, r;
    for (auto& t : txns) {
      t.done = false;
      if (t.write) {
        aw.push_back(&t);
        w.push_back(&t);
        b.push_back(&t);
      } else {
        ar.push_back(&t);
        r.push_back(&t);
      }
    }
    int aw_gap = draw_gap() + options_.aw_extra_delay, w_gap = draw_gap() + options_.w_extra_delay;
    int ar_gap = draw_gap();
    std::vector<uint64_t> aw_cycle(txns.size()), w_cycle(txns.size());
    std::bernoulli_distribution bready(options_.bready), rready(options_.rready);
    bool b_pending = false, r_pending = false;
    uint32_t b_last = 0, r_last_data = 0, r_last_resp = 0;
    while (!b.empty() || !r.empty()) {
      Top& top = bench_.top();
      const bool awv = !aw.empty() && aw_gap <= 0 && aw.front() != nullptr;
      const bool wv = !w.empty() && w_gap <= 0;
      const bool arv = !ar.empty() && ar_gap <= 0;
      top.s_axil_awvalid_i = awv;
      top.s_axil_awaddr_i = awv ? aw.front()->addr : 0;
      top.s_axil_wvalid_i = wv;
      top.s_axil_wdata_i = wv ? w.front()->data : 0;
      top.s_axil_wstrb_i = wv ? w.front()->strb : 0;
      top.s_axil_arvalid_i = arv;
      top.s_axil_araddr_i = arv ? ar.front()->addr : 0;
      const bool br = bready(rng_), rr = rready(rng_);
      top.s_axil_bready_i = br;
      top.s_axil_rready_i = rr;
      if (on_cycle_) on_cycle_(top);
      bench_.settle();
      const uint64_t now = bench_.cycle();
      // Response stability: once valid, a response stays, unchanged, until taken.
      if (b_pending && (!top.s_axil_bvalid_o || top.s_axil_bresp_o != b_last)) {
        ADD_FAILURE() << "[axil] BVALID/BRESP changed before BREADY at cycle " << now;
      }
      if (r_pending && (!top.s_axil_rvalid_o || top.s_axil_rdata_o != r_last_data ||
                        top.s_axil_rresp_o != r_last_resp)) {
        ADD_FAILURE() << "[axil] RVALID/RDATA/RRESP changed before RREADY at cycle " << now;
      }
      if (awv && top.s_axil_awready_o) {
        aw_cycle[index(txns, aw.front())] = now;
        aw.pop_front();
        aw_gap = draw_gap() + options_.aw_extra_delay;
        bench_.progress();
      } else if (!awv) {
        --aw_gap;
      }
      if (wv && top.s_axil_wready_o) {
        w_cycle[index(txns, w.front())] = now;
        w.pop_front();
        w_gap = draw_gap() + options_.w_extra_delay;
        bench_.progress();
      } else if (!wv) {
        --w_gap;
      }
      if (arv && top.s_axil_arready_o) {
        ar.front()->accept_cycle = now;
        ar.pop_front();
        ar_gap = draw_gap();
        bench_.progress();
      } else if (!arv) {
        --ar_gap;
      }
      b_pending = top.s_axil_bvalid_o && !br;
      b_last = top.s_axil_bresp_o;
      if (top.s_axil_bvalid_o && br) {
        if (b.empty() || !was_sent(b.front(), aw, w)) {
          ADD_FAILURE() << "[axil] B response without a complete write at cycle " << now;
        } else {
          AxiLiteTxn* t = b.front();
          b.pop_front();
          t->resp = top.s_axil_bresp_o;
          const std::size_t i = index(txns, t);
          t->accept_cycle = std::max(aw_cycle[i], w_cycle[i]);
          t->done = true;
        }
        bench_.progress();
      }
      r_pending = top.s_axil_rvalid_o && !rr;
      r_last_data = top.s_axil_rdata_o;
      r_last_resp = top.s_axil_rresp_o;
      if (top.s_axil_rvalid_o && rr) {
        if (r.empty() || std::find(ar.begin(), ar.end(), r.front()) != ar.end()) {
          ADD_FAILURE() << "[axil] R response without a read request at cycle " << now;
        } else {
          AxiLiteTxn* t = r.front();
          r.pop_front();
          t->data = top.s_axil_rdata_o;
          t->resp = top.s_axil_rresp_o;
          t->done = true;
        }
        bench_.progress();
      }
      bench_.tick();
    }
    Top& top = bench_.top();
    top.s_axil_awvalid_i = 0;
    top.s_axil_wvalid_i = 0;
    top.s_axil_arvalid_i = 0;
  }

  uint32_t write(uint32_t addr, uint32_t data, uint8_t strb = 0xF) {
    std::vector<AxiLiteTxn> t(1);
    t[0].write = true;
    t[0].addr = addr;
    t[0].data = data;
    t[0].strb = strb;
    run(t);
    return t[0].resp;
  }

  // Returns the data; the response goes to *resp (a failure is added if it is not OKAY and
  // resp is null).
  uint32_t read(uint32_t addr, uint32_t* resp = nullptr, uint64_t* accept_cycle = nullptr) {
    std::vector<AxiLiteTxn> t(1);
    t[0].addr = addr;
    run(t);
    if (resp) {
      *resp = t[0].resp;
    } else if (t[0].resp != kAxiOkay) {
      ADD_FAILURE() << "[axil] read of 0x" << std::hex << addr << " answered " << t[0].resp;
    }
    if (accept_cycle) *accept_cycle = t[0].accept_cycle;
    return t[0].data;
  }

  // Idle cycles (the hook still runs).
  void idle(int cycles) {
    Top& top = bench_.top();
    for (int i = 0; i < cycles; ++i) {
      top.s_axil_awvalid_i = 0;
      top.s_axil_wvalid_i = 0;
      top.s_axil_arvalid_i = 0;
      top.s_axil_bready_i = 1;
      top.s_axil_rready_i = 1;
      if (on_cycle_) on_cycle_(top);
      bench_.settle();
      if (top.s_axil_bvalid_o || top.s_axil_rvalid_o) {
        ADD_FAILURE() << "[axil] response while idle at cycle " << bench_.cycle();
      }
      bench_.progress();
      bench_.tick();
    }
  }

 private:
  int draw_gap() { return std::uniform_int_distribution<int>(0, options_.max_gap)(rng_); }
  static std::size_t index(const std::vector<AxiLiteTxn>& txns, const AxiLiteTxn* t) {
    return static_cast<std::size_t>(t - txns.data());
  }
  static bool was_sent(const AxiLiteTxn* t, const std::deque<AxiLiteTxn*>& aw,
                       const std::deque<AxiLiteTxn*>& w) {
    return std::find(aw.begin(), aw.end(), t) == aw.end() &&
           std::find(w.begin(), w.end(), t) == w.end();
  }

  VerilatedBench<Top>& bench_;
  AxiLiteOptions options_;
  std::mt19937_64 rng_;
  std::function<void(Top&)> on_cycle_;
};

}  // namespace npu::tb
