// On-chip memory of the FPGA build: an AXI4 slave (the accelerator's DRAM port) and a simple
// host port (the UART bridge) sharing one single-port RAM (npu_fpga_ram: SPRAM on iCE40 UP5K).
//
// One burst at a time, INCR addressing (the accelerator's DMA issues INCR only), IDs echoed.
// A read burst streams one beat per cycle while RREADY is high (the RAM's registered read is
// the R register: a new word is read only when the one shown is taken). The host port is
// served between bursts, so it waits at most one burst; it never has to while the
// accelerator is idle. Reads and writes alternate when both wait, so neither DMA starves. Addresses beyond the RAM wrap (Depth is a power of two).
`default_nettype none

module npu_fpga_axi_ram #(
  parameter int DataW = 32,
  parameter int Depth = 32768,  // words of DataW bits
  parameter int AddrW = 32,
  parameter int IdW   = 4,
  localparam int Bytes = DataW / 8,
  localparam int WordAW = $clog2(Depth),
  localparam int Lsb = $clog2(Bytes)
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // AXI4 slave.
  input  logic [IdW-1:0]     s_axi_awid_i,
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [AddrW-1:0]   s_axi_awaddr_i,   // byte address; beyond the RAM it wraps
  input  logic [7:0]         s_axi_awlen_i,    // the burst ends on WLAST
  input  logic [2:0]         s_axi_awsize_i,   // full-width beats only (the DMA's)
  input  logic [1:0]         s_axi_awburst_i,  // INCR only (the DMA's)
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic               s_axi_awvalid_i,
  output logic               s_axi_awready_o,
  input  logic [DataW-1:0]   s_axi_wdata_i,
  input  logic [Bytes-1:0]   s_axi_wstrb_i,
  input  logic               s_axi_wlast_i,
  input  logic               s_axi_wvalid_i,
  output logic               s_axi_wready_o,
  output logic [IdW-1:0]     s_axi_bid_o,
  output logic [1:0]         s_axi_bresp_o,
  output logic               s_axi_bvalid_o,
  input  logic               s_axi_bready_i,
  input  logic [IdW-1:0]     s_axi_arid_i,
  input  logic [7:0]         s_axi_arlen_i,
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [AddrW-1:0]   s_axi_araddr_i,
  input  logic [2:0]         s_axi_arsize_i,
  input  logic [1:0]         s_axi_arburst_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic               s_axi_arvalid_i,
  output logic               s_axi_arready_o,
  output logic [IdW-1:0]     s_axi_rid_o,
  output logic [DataW-1:0]   s_axi_rdata_o,
  output logic [1:0]         s_axi_rresp_o,
  output logic               s_axi_rlast_o,
  output logic               s_axi_rvalid_o,
  input  logic               s_axi_rready_i,
  // Host port: one word per request; read data with ack, one cycle after the grant.
  input  logic               host_req_i,
  input  logic               host_we_i,
  input  logic [WordAW-1:0]  host_addr_i,
  input  logic [DataW-1:0]   host_wdata_i,
  output logic               host_ack_o,
  output logic [DataW-1:0]   host_rdata_o
);
  typedef enum logic [2:0] {Idle, Host, Read, Write, Resp} state_e;
  state_e state_q;

  logic [IdW-1:0]    id_q;
  logic [WordAW-1:0] addr_q;
  logic [7:0]        left_q;   // read beats still to fetch after the one shown
  logic              rvalid_q;

  // RAM port.
  logic              ram_en, ram_we;
  logic [Bytes-1:0]  ram_be;
  logic [WordAW-1:0] ram_addr;
  logic [DataW-1:0]  ram_wdata, ram_rdata;

  logic [WordAW-1:0] ar_word, aw_word;
  assign ar_word = s_axi_araddr_i[Lsb +: WordAW];
  assign aw_word = s_axi_awaddr_i[Lsb +: WordAW];

  logic last_read_q;  // the last burst was a read: a waiting write goes first
  logic host_go, ar_go, aw_go, r_take, r_fetch, w_take;
  assign host_go = state_q == Idle && host_req_i;
  assign ar_go   = state_q == Idle && !host_req_i && s_axi_arvalid_i
                   && !(last_read_q && s_axi_awvalid_i);
  assign aw_go   = state_q == Idle && !host_req_i && s_axi_awvalid_i && !ar_go;
  assign s_axi_arready_o = ar_go;
  assign s_axi_awready_o = aw_go;

  assign r_take  = s_axi_rvalid_o && s_axi_rready_i;
  // Next beat: fetched when the R register is free or being emptied this cycle.
  assign r_fetch = state_q == Read && left_q != 8'd0 && (!rvalid_q || s_axi_rready_i);
  assign s_axi_wready_o = state_q == Write;
  assign w_take = s_axi_wvalid_i && s_axi_wready_o;

  always_comb begin
    ram_en    = 1'b0;
    ram_we    = 1'b0;
    ram_be    = '1;
    ram_addr  = addr_q;
    ram_wdata = s_axi_wdata_i;
    if (host_go) begin
      ram_en    = 1'b1;
      ram_we    = host_we_i;
      ram_addr  = host_addr_i;
      ram_wdata = host_wdata_i;
    end else if (ar_go) begin
      ram_en   = 1'b1;
      ram_addr = ar_word;
    end else if (r_fetch) begin
      ram_en = 1'b1;
    end else if (w_take) begin
      ram_en = 1'b1;
      ram_we = 1'b1;
      ram_be = s_axi_wstrb_i;
    end
  end

  npu_fpga_ram #(.Width(DataW), .Depth(Depth)) u_ram (
    .clk_i,
    .en_i   (ram_en),
    .we_i   (ram_we),
    .be_i   (ram_be),
    .addr_i (ram_addr),
    .wdata_i(ram_wdata),
    .rdata_o(ram_rdata)
  );

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q  <= Idle;
      id_q     <= '0;
      addr_q   <= '0;
      left_q   <= '0;
      rvalid_q <= 1'b0;
      last_read_q <= 1'b0;
    end else begin
      if (ar_go) last_read_q <= 1'b1;
      if (aw_go) last_read_q <= 1'b0;
      case (state_q)
        Idle: begin
          if (host_go) begin
            state_q <= Host;
          end else if (ar_go) begin
            state_q  <= Read;
            id_q     <= s_axi_arid_i;
            addr_q   <= ar_word + 1'b1;
            left_q   <= s_axi_arlen_i;
            rvalid_q <= 1'b1;
          end else if (aw_go) begin
            state_q <= Write;
            id_q    <= s_axi_awid_i;
            addr_q  <= aw_word;
          end
        end
        Host: state_q <= Idle;
        Read: begin
          if (r_fetch) begin
            addr_q   <= addr_q + 1'b1;
            left_q   <= left_q - 1'b1;
            rvalid_q <= 1'b1;
          end else if (r_take) begin
            rvalid_q <= 1'b0;
            if (left_q == 8'd0) state_q <= Idle;
          end
        end
        Write: begin
          if (w_take) begin
            addr_q <= addr_q + 1'b1;
            if (s_axi_wlast_i) state_q <= Resp;
          end
        end
        Resp: if (s_axi_bready_i) state_q <= Idle;
        default: state_q <= Idle;
      endcase
    end
  end

  assign s_axi_rvalid_o = rvalid_q;
  assign s_axi_rdata_o  = ram_rdata;
  assign s_axi_rid_o    = id_q;
  assign s_axi_rresp_o  = 2'b00;
  assign s_axi_rlast_o  = left_q == 8'd0;
  assign s_axi_bvalid_o = state_q == Resp;
  assign s_axi_bid_o    = id_q;
  assign s_axi_bresp_o  = 2'b00;
  assign host_ack_o     = state_q == Host;
  assign host_rdata_o   = ram_rdata;
endmodule

`default_nettype wire
