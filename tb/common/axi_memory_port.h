// Connects an AxiMemory to a Verilated model whose AXI4 master ports have the standard names
// with the project's suffixes: m_axi_arvalid_o, m_axi_arready_i, m_axi_araddr_o, m_axi_arlen_o,
// m_axi_arsize_o, m_axi_arburst_o, m_axi_arid_o, m_axi_rvalid_i, m_axi_rready_o, m_axi_rdata_i,
// m_axi_rresp_i, m_axi_rlast_i, m_axi_rid_i, the same for AW/W/B (m_axi_wdata_o, m_axi_wstrb_o,
// m_axi_wlast_o, m_axi_bresp_i, m_axi_bid_i ...). Any data width works (ports of any width go
// through port_bits.h), so the same bench source serves every parameter set.
//
// Per cycle, with the bench's clock low: drive() (slave outputs -> model), settle the model,
// step() (model outputs -> memory, this cycle's handshakes), then tick the model.
#pragma once

#include <cstdint>
#include <type_traits>

#include "tb/common/axi_memory.h"
#include "tb/common/port_bits.h"

namespace npu::tb {

namespace detail {
template <typename Port>
uint64_t port_u64(const Port& port) {
  if constexpr (std::is_integral_v<Port>) {
    return static_cast<uint64_t>(port);
  } else {
    return static_cast<uint64_t>(get_bits(port, 0, 32)) |
           (static_cast<uint64_t>(get_bits(port, 32, 32)) << 32);
  }
}
}  // namespace detail

template <typename Top>
class AxiMemoryPort {
 public:
  AxiMemoryPort(Top& top, AxiMemory& memory) : top_(top), memory_(memory) {}

  // The slave's outputs of this cycle onto the model's inputs.
  void drive() {
    const AxiSlaveOut& o = memory_.outputs();
    top_.m_axi_arready_i = o.ar_ready;
    top_.m_axi_awready_i = o.aw_ready;
    top_.m_axi_wready_i = o.w_ready;
    top_.m_axi_rvalid_i = o.r_valid;
    for (std::size_t i = 0; i < o.r_data.size(); ++i) {
      set_bits(top_.m_axi_rdata_i, static_cast<int>(8 * i), 8, o.r_data[i]);
    }
    top_.m_axi_rresp_i = o.r_resp;
    top_.m_axi_rlast_i = o.r_last;
    top_.m_axi_rid_i = o.r_id;
    top_.m_axi_bvalid_i = o.b_valid;
    top_.m_axi_bresp_i = o.b_resp;
    top_.m_axi_bid_i = o.b_id;
  }

  // The model's outputs as the memory sees them (after the model has settled).
  AxiMasterOut sample() const {
    AxiMasterOut in;
    in.ar = {top_.m_axi_arvalid_o != 0,      detail::port_u64(top_.m_axi_araddr_o),
             uint32_t{top_.m_axi_arlen_o},   uint32_t{top_.m_axi_arsize_o},
             uint32_t{top_.m_axi_arburst_o}, static_cast<uint32_t>(top_.m_axi_arid_o)};
    in.aw = {top_.m_axi_awvalid_o != 0,      detail::port_u64(top_.m_axi_awaddr_o),
             uint32_t{top_.m_axi_awlen_o},   uint32_t{top_.m_axi_awsize_o},
             uint32_t{top_.m_axi_awburst_o}, static_cast<uint32_t>(top_.m_axi_awid_o)};
    const int bytes = memory_.config().data_bytes;
    in.w_valid = top_.m_axi_wvalid_o != 0;
    in.w_data.resize(static_cast<std::size_t>(bytes));
    in.w_strb.resize(static_cast<std::size_t>(bytes));
    for (int i = 0; i < bytes; ++i) {
      in.w_data[static_cast<std::size_t>(i)] =
          static_cast<uint8_t>(get_bits(top_.m_axi_wdata_o, 8 * i, 8));
      in.w_strb[static_cast<std::size_t>(i)] =
          static_cast<uint8_t>(get_bits(top_.m_axi_wstrb_o, i, 1));
    }
    in.w_last = top_.m_axi_wlast_o != 0;
    in.r_ready = top_.m_axi_rready_o != 0;
    in.b_ready = top_.m_axi_bready_o != 0;
    return in;
  }

  // This cycle's handshakes; returns what the master drove, for the bench's own bookkeeping.
  AxiMasterOut step() {
    AxiMasterOut in = sample();
    memory_.step(in);
    return in;
  }

 private:
  Top& top_;
  AxiMemory& memory_;
};

}  // namespace npu::tb
