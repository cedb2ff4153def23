// The Verilator device for one Verilated npu_top class (included only by the generated
// per-config model files, which also include the model's header).
//
// One cycle = the slave's outputs and the AXI4-Lite inputs onto the model, an eval with the
// clock low (combinational settle, and the falling edge), the handshakes sampled, an eval with
// the clock high (the rising edge): two evals per cycle, no allocation.
#pragma once

#include <verilated.h>
#include <verilated_fst_c.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "sw/config/clock_period.h"
#include "sw/runtime/axi_slave_memory.h"
#include "sw/runtime/device.h"
#include "sw/runtime/device_params.h"
#include "sw/runtime/sparse_memory.h"
#include "sw/runtime/verilator_options.h"

namespace npu::runtime {

namespace port {
// Bytes of a port of any width (IData / QData / VlWide), lane 0 first.
template <typename P>
void put(P& port, const uint8_t* bytes, int n) {
  if constexpr (std::is_integral_v<P>) {
    P v = 0;
    std::memcpy(&v, bytes, static_cast<std::size_t>(n));  // little-endian host
    port = v;
  } else {
    for (int i = 0; i < n / 4; ++i) {
      uint32_t w;
      std::memcpy(&w, bytes + 4 * i, 4);
      port[i] = w;
    }
  }
}
template <typename P>
void get(const P& port, uint8_t* bytes, int n) {
  if constexpr (std::is_integral_v<P>) {
    std::memcpy(bytes, &port, static_cast<std::size_t>(n));
  } else {
    for (int i = 0; i < n / 4; ++i) {
      const uint32_t w = port[i];
      std::memcpy(bytes + 4 * i, &w, 4);
    }
  }
}
}  // namespace port

template <typename Model>
class VerilatorDeviceT final : public Device {
 public:
  VerilatorDeviceT(const DeviceParams& p, const VerilatorOptions& options)
      : params_(p),
        options_(options),
        context_(std::make_unique<VerilatedContext>()),
        slave_(dram_, p.bus_bytes(), options.memory) {
    if (p.bus_bytes() > kMaxBusBytes || p.bus_bytes() % 4 != 0) {
      throw DeviceError("verilator device '" + p.name + "': bus of " +
                        std::to_string(p.bus_bytes()) + " bytes not supported");
    }
    if (!options.trace.path.empty()) context_->traceEverOn(true);
    top_ = std::make_unique<Model>(context_.get(), "TOP");
    if (!options.trace.path.empty()) {
      period_ps_ = trace_period_ps(options.trace.clock_mhz);
      trace_ = std::make_unique<VerilatedFstC>();
      trace_->set_time_unit(config::kTraceTimeResolution);
      trace_->set_time_resolution(config::kTraceTimeResolution);
      top_->trace(trace_.get(), 99);
      trace_->open(options.trace.path.c_str());
    }
    Model& t = *top_;
    t.clk_i = 0;
    t.rst_ni = 0;
    t.s_axil_awvalid_i = 0;
    t.s_axil_wvalid_i = 0;
    t.s_axil_arvalid_i = 0;
    t.s_axil_bready_i = 0;
    t.s_axil_rready_i = 0;
    t.s_axil_wstrb_i = 0xf;
    for (int i = 0; i < 4; ++i) cycle_once();
    t.rst_ni = 1;
    cycle_once();
  }

  ~VerilatorDeviceT() override {
    top_->final();
    if (trace_) trace_->close();
  }

  std::string backend_name() const override { return "verilator:" + params_.name; }

  bool set_trace_window(uint64_t first_cycle, uint64_t last_cycle) override {
    if (!trace_) return false;
    options_.trace.first_cycle = first_cycle;
    options_.trace.last_cycle = last_cycle;
    return true;
  }

  uint32_t read_reg(uint32_t offset) override {
    Model& t = *top_;
    t.s_axil_araddr_i = offset;
    t.s_axil_arvalid_i = 1;
    t.s_axil_rready_i = 1;
    bool ar_done = false;
    for (uint64_t n = 0; n < options_.axil_timeout_cycles; ++n) {
      settle();
      const bool ar_hs = !ar_done && t.s_axil_arready_o;
      const bool r_hs = t.s_axil_rvalid_o != 0;
      const uint32_t data = t.s_axil_rdata_o;
      edge();
      if (ar_hs) {
        ar_done = true;
        t.s_axil_arvalid_i = 0;
      }
      if (r_hs) {
        t.s_axil_rready_i = 0;
        return data;
      }
    }
    throw DeviceError(backend_name() + ": register read of offset " + std::to_string(offset) +
                      " not answered in " + std::to_string(options_.axil_timeout_cycles) +
                      " cycles");
  }

  void write_reg(uint32_t offset, uint32_t value) override {
    Model& t = *top_;
    t.s_axil_awaddr_i = offset;
    t.s_axil_awvalid_i = 1;
    t.s_axil_wdata_i = value;
    t.s_axil_wstrb_i = 0xf;
    t.s_axil_wvalid_i = 1;
    t.s_axil_bready_i = 1;
    for (uint64_t n = 0; n < options_.axil_timeout_cycles; ++n) {
      settle();
      const bool aw_hs = t.s_axil_awvalid_i && t.s_axil_awready_o;
      const bool w_hs = t.s_axil_wvalid_i && t.s_axil_wready_o;
      const bool b_hs = t.s_axil_bvalid_o != 0;
      edge();
      if (aw_hs) t.s_axil_awvalid_i = 0;
      if (w_hs) t.s_axil_wvalid_i = 0;
      if (b_hs) {
        t.s_axil_bready_i = 0;
        return;
      }
    }
    throw DeviceError(backend_name() + ": register write of offset " + std::to_string(offset) +
                      " not answered in " + std::to_string(options_.axil_timeout_cycles) +
                      " cycles");
  }

  void write_memory(uint64_t addr, const std::vector<uint8_t>& bytes) override {
    dram_.write(addr, bytes.data(), bytes.size());
  }

  std::vector<uint8_t> read_memory(uint64_t addr, std::size_t size) override {
    std::vector<uint8_t> out(size);
    dram_.read(addr, out.data(), size);
    return out;
  }

  bool wait_for_interrupt(uint64_t max_cycles) override {
    Model& t = *top_;
    for (uint64_t n = 0; n < max_cycles && !t.irq_o; ++n) cycle_once();
    return t.irq_o != 0;
  }

  uint64_t cycle() const override { return cycle_; }

 private:
  void cycle_once() {
    settle();
    edge();
  }

  // Clock low: the slave's outputs of this cycle in, combinational logic settled.
  void settle() {
    Model& t = *top_;
    const AxiSlaveOut& o = slave_.outputs();
    t.m_axi_arready_i = o.ar_ready;
    t.m_axi_awready_i = o.aw_ready;
    t.m_axi_wready_i = o.w_ready;
    t.m_axi_rvalid_i = o.r_valid;
    if (o.r_valid) port::put(t.m_axi_rdata_i, o.r_data.data(), params_.bus_bytes());
    t.m_axi_rresp_i = o.r_resp;
    t.m_axi_rlast_i = o.r_last;
    t.m_axi_rid_i = o.r_id;
    t.m_axi_bvalid_i = o.b_valid;
    t.m_axi_bresp_i = o.b_resp;
    t.m_axi_bid_i = o.b_id;
    t.clk_i = 0;
    t.eval();
    dump();
  }

  // The handshakes of this cycle, then the rising edge.
  void edge() {
    Model& t = *top_;
    AxiSlaveIn& in = in_;
    in.ar_valid = t.m_axi_arvalid_o;
    in.ar_addr = t.m_axi_araddr_o;
    in.ar_len = t.m_axi_arlen_o;
    in.ar_size = t.m_axi_arsize_o;
    in.ar_id = t.m_axi_arid_o;
    in.r_ready = t.m_axi_rready_o;
    in.aw_valid = t.m_axi_awvalid_o;
    in.aw_addr = t.m_axi_awaddr_o;
    in.aw_len = t.m_axi_awlen_o;
    in.aw_size = t.m_axi_awsize_o;
    in.aw_id = t.m_axi_awid_o;
    in.w_valid = t.m_axi_wvalid_o;
    if (in.w_valid) {
      in.w_last = t.m_axi_wlast_o;
      in.w_strb = static_cast<uint64_t>(t.m_axi_wstrb_o);
      port::get(t.m_axi_wdata_o, in.w_data.data(), params_.bus_bytes());
    }
    in.b_ready = t.m_axi_bready_o;
    slave_.step(in);
    t.clk_i = 1;
    t.eval();
    ++cycle_;
    dump();
  }

  static uint64_t trace_period_ps(double clock_mhz) {
    try {
      return config::clock_period_ps(clock_mhz);
    } catch (const std::invalid_argument& e) {
      throw DeviceError(std::string("verilator device: trace: ") + e.what());
    }
  }

  // One dump at clock low (settle), one after the rising edge (edge): each advances half a
  // period, so rising edge n is at n periods (settle and edge always come in pairs).
  void dump() {
    if (!trace_) return;
    low_phase_ = !low_phase_;
    context_->timeInc(low_phase_ ? period_ps_ / 2 : period_ps_ - period_ps_ / 2);
    if (cycle_ >= options_.trace.first_cycle && cycle_ <= options_.trace.last_cycle) {
      trace_->dump(context_->time());
    } else if (cycle_ > options_.trace.last_cycle) {
      trace_->close();
      trace_.reset();
    }
  }

  DeviceParams params_;
  VerilatorOptions options_;
  SparseMemory dram_;
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Model> top_;
  std::unique_ptr<VerilatedFstC> trace_;
  uint64_t period_ps_ = 0;  // trace time per cycle
  bool low_phase_ = false;  // the last dump was the clock-low one
  AxiSlaveMemory slave_;
  AxiSlaveIn in_;
  uint64_t cycle_ = 0;
};

}  // namespace npu::runtime
