// Host access to the FPGA build over a UART byte stream: register reads/writes through an
// AXI4-Lite master (the accelerator's register file) and memory word reads/writes through
// the on-chip RAM's host port. One frame at a time; every frame gets a reply, so a host
// knows when it is done. Little-endian multi-byte fields; docs/fpga.md has the protocol:
//   'w' (0x77) addr[4] data[4]  -> resp[1]          register write (BRESP)
//   'r' (0x72) addr[4]          -> data[4] resp[1]  register read (RDATA, RRESP)
//   'W' (0x57) addr[4] data[B]  -> 0x00             memory word write, B = DataW / 8 bytes
//   'R' (0x52) addr[4]          -> data[B]          memory word read
// Memory addresses are byte addresses (the low log2(B) bits are ignored), as the
// accelerator's DMA sees them. Any other first byte is dropped, so a host can resynchronise
// by sending nothing for a frame time and starting over.
`default_nettype none

module npu_fpga_uart_bridge #(
  parameter int DataW = 32,   // memory word, >= 32
  parameter int RegAW = 12,
  parameter int MemAW = 15,   // word address bits of the RAM
  localparam int Bytes = DataW / 8,
  localparam int Lsb = $clog2(Bytes),
  localparam int CntW = $clog2(Bytes + 2)
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  // UART bytes.
  input  logic              rx_valid_i,
  input  logic [7:0]        rx_data_i,
  output logic              tx_valid_o,
  input  logic              tx_ready_i,
  output logic [7:0]        tx_data_o,
  // AXI4-Lite master.
  output logic [RegAW-1:0]  m_axil_awaddr_o,
  output logic              m_axil_awvalid_o,
  input  logic              m_axil_awready_i,
  output logic [31:0]       m_axil_wdata_o,
  output logic [3:0]        m_axil_wstrb_o,
  output logic              m_axil_wvalid_o,
  input  logic              m_axil_wready_i,
  input  logic [1:0]        m_axil_bresp_i,
  input  logic              m_axil_bvalid_i,
  output logic              m_axil_bready_o,
  output logic [RegAW-1:0]  m_axil_araddr_o,
  output logic              m_axil_arvalid_o,
  input  logic              m_axil_arready_i,
  input  logic [31:0]       m_axil_rdata_i,
  input  logic [1:0]        m_axil_rresp_i,
  input  logic              m_axil_rvalid_i,
  output logic              m_axil_rready_o,
  // Memory host port (npu_fpga_axi_ram).
  output logic              mem_req_o,
  output logic              mem_we_o,
  output logic [MemAW-1:0]  mem_addr_o,
  output logic [DataW-1:0]  mem_wdata_o,
  input  logic              mem_ack_i,
  input  logic [DataW-1:0]  mem_rdata_i
);
  localparam logic [7:0] CmdRegWr = 8'h77, CmdRegRd = 8'h72, CmdMemWr = 8'h57,
                         CmdMemRd = 8'h52;
  typedef enum logic [2:0] {Cmd, Addr, Data, Exec, Reply} state_e;
  state_e state_q;

  logic [7:0]          cmd_q;
  logic [31:0]         addr_q;
  logic [DataW-1:0]    data_q;   // received bytes shift in from the top
  logic [CntW-1:0]     cnt_q;    // bytes received / still to send
  logic                aw_done_q, w_done_q, ar_done_q;
  logic [DataW+7:0]    reply_q;  // sent from the bottom byte

  logic is_reg;
  assign is_reg = cmd_q == CmdRegWr || cmd_q == CmdRegRd;

  assign m_axil_awaddr_o  = addr_q[RegAW-1:0];
  assign m_axil_araddr_o  = addr_q[RegAW-1:0];
  assign m_axil_wdata_o   = data_q[DataW-1 -: 32];
  assign m_axil_wstrb_o   = 4'hF;
  assign m_axil_awvalid_o = state_q == Exec && cmd_q == CmdRegWr && !aw_done_q;
  assign m_axil_wvalid_o  = state_q == Exec && cmd_q == CmdRegWr && !w_done_q;
  assign m_axil_bready_o  = state_q == Exec && cmd_q == CmdRegWr;
  assign m_axil_arvalid_o = state_q == Exec && cmd_q == CmdRegRd && !ar_done_q;
  assign m_axil_rready_o  = state_q == Exec && cmd_q == CmdRegRd;

  assign mem_req_o   = state_q == Exec && !is_reg;
  assign mem_we_o    = cmd_q == CmdMemWr;
  assign mem_addr_o  = addr_q[Lsb +: MemAW];
  assign mem_wdata_o = data_q;

  assign tx_valid_o = state_q == Reply;
  assign tx_data_o  = reply_q[7:0];

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q   <= Cmd;
      cmd_q     <= '0;
      addr_q    <= '0;
      data_q    <= '0;
      cnt_q     <= '0;
      aw_done_q <= 1'b0;
      w_done_q  <= 1'b0;
      ar_done_q <= 1'b0;
      reply_q   <= '0;
    end else begin
      case (state_q)
        Cmd: begin
          if (rx_valid_i && (rx_data_i == CmdRegWr || rx_data_i == CmdRegRd
                             || rx_data_i == CmdMemWr || rx_data_i == CmdMemRd)) begin
            cmd_q   <= rx_data_i;
            cnt_q   <= '0;
            state_q <= Addr;
          end
        end
        Addr: begin
          if (rx_valid_i) begin
            addr_q <= {rx_data_i, addr_q[31:8]};
            cnt_q  <= cnt_q + 1'b1;
            if (cnt_q == CntW'(3)) begin
              cnt_q   <= '0;
              state_q <= (cmd_q == CmdRegWr || cmd_q == CmdMemWr) ? Data : Exec;
            end
          end
        end
        Data: begin
          if (rx_valid_i) begin
            data_q <= {rx_data_i, data_q[DataW-1:8]};
            cnt_q  <= cnt_q + 1'b1;
            if (cnt_q == ((cmd_q == CmdRegWr) ? CntW'(3) : CntW'(Bytes - 1))) state_q <= Exec;
          end
        end
        Exec: begin
          if (m_axil_awvalid_o && m_axil_awready_i) aw_done_q <= 1'b1;
          if (m_axil_wvalid_o && m_axil_wready_i) w_done_q <= 1'b1;
          if (m_axil_arvalid_o && m_axil_arready_i) ar_done_q <= 1'b1;
          if (cmd_q == CmdRegWr && m_axil_bvalid_i) begin
            reply_q <= (DataW+8)'(m_axil_bresp_i);
            cnt_q   <= CntW'(1);
            state_q <= Reply;
          end else if (cmd_q == CmdRegRd && m_axil_rvalid_i) begin
            reply_q <= (DataW+8)'({6'd0, m_axil_rresp_i, m_axil_rdata_i});
            cnt_q   <= CntW'(5);
            state_q <= Reply;
          end else if (!is_reg && mem_ack_i) begin
            reply_q <= (cmd_q == CmdMemRd) ? {8'd0, mem_rdata_i} : '0;
            cnt_q   <= (cmd_q == CmdMemRd) ? CntW'(Bytes) : CntW'(1);
            state_q <= Reply;
          end
        end
        Reply: begin
          if (tx_ready_i) begin
            reply_q <= {8'd0, reply_q[DataW+7:8]};
            cnt_q   <= cnt_q - 1'b1;
            if (cnt_q == CntW'(1)) begin
              state_q   <= Cmd;
              aw_done_q <= 1'b0;
              w_done_q  <= 1'b0;
              ar_done_q <= 1'b0;
            end
          end
        end
        default: state_q <= Cmd;
      endcase
    end
  end
endmodule

`default_nettype wire
