// NPU top level: the AXI4-Lite register file (npu_regfile) in front of the accelerator core
// (npu_core: command processor, load / store DMAs, datapath), one AXI4 master and irq_o.
// A driver sees only this: it writes tensors and a command stream into memory, programs the
// queue registers, starts, and waits for the interrupt.
//
// Why the glue looks like this:
// * Error codes cross unchanged: the register map's enumeration (rtl/csr/npu_regs.yaml) uses
//   the core's numbering, so ERROR_CODE is err_code_o zero-extended. The core holds its first
//   error until the next START / soft reset; err_valid_i is the cycle that code appears. Not
//   the held level: the register file clears its copy when START / SOFT_RESET is written and
//   pulses the core one cycle later, so a level would record the old error again.
// * STATUS.BUSY is busy_o OR done_o: the core's done pulse comes in the first cycle busy_o is
//   low and the register file's DONE bit rises one cycle later, so without the OR a driver
//   polling STATUS could see neither BUSY nor DONE for one cycle.
// * Counters: the register file counts per-cycle events into 64-bit counters that survive
//   jobs; the core exports those events (busy / stall of the three engines, MAC-active, DMA
//   bytes) and keeps no totals of its own. The load / store stall events are the DMAs' own
//   (busy cycles waiting on the AXI side); COMPUTE_STALL is the compute engine's dependency
//   (token) wait. PPU and pooling busy / stall are per-cycle levels from the datapath.
// * There is no hardware-config package yet, so the sizes are plain parameters (configs/*.yaml
//   values passed with -G).
`default_nettype none

module npu_top #(
  parameter int Rows           = 16,
  parameter int ActDepth       = 8192,
  parameter int WgtDepth       = 4096,
  parameter int AccDepth       = 512,
  parameter int PpuMaxChannels = 1024,
  parameter bit PpuSerial      = 1'b0,  // PPU with one time-multiplexed lane (FPGA build)
  parameter int AddrW          = 32,
  parameter int IdW            = 4,
  parameter int WatchdogCycles = 1 << 20,
  localparam int DataW         = Rows * 8,
  localparam int Bytes         = DataW / 8,
  localparam int RegAW         = npu_regs_pkg::AddrW
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // AXI4-Lite slave (registers).
  input  logic [RegAW-1:0]   s_axil_awaddr_i,
  input  logic               s_axil_awvalid_i,
  output logic               s_axil_awready_o,
  input  logic [31:0]        s_axil_wdata_i,
  input  logic [3:0]         s_axil_wstrb_i,
  input  logic               s_axil_wvalid_i,
  output logic               s_axil_wready_o,
  output logic [1:0]         s_axil_bresp_o,
  output logic               s_axil_bvalid_o,
  input  logic               s_axil_bready_i,
  input  logic [RegAW-1:0]   s_axil_araddr_i,
  input  logic               s_axil_arvalid_i,
  output logic               s_axil_arready_o,
  output logic [31:0]        s_axil_rdata_o,
  output logic [1:0]         s_axil_rresp_o,
  output logic               s_axil_rvalid_o,
  input  logic               s_axil_rready_i,
  // Interrupt (level): OR(IRQ_STATUS & IRQ_ENABLE).
  output logic               irq_o,
  // AXI4 master (memory).
  output logic [IdW-1:0]     m_axi_awid_o,
  output logic [AddrW-1:0]   m_axi_awaddr_o,
  output logic [7:0]         m_axi_awlen_o,
  output logic [2:0]         m_axi_awsize_o,
  output logic [1:0]         m_axi_awburst_o,
  output logic               m_axi_awvalid_o,
  input  logic               m_axi_awready_i,
  output logic [DataW-1:0]   m_axi_wdata_o,
  output logic [Bytes-1:0]   m_axi_wstrb_o,
  output logic               m_axi_wlast_o,
  output logic               m_axi_wvalid_o,
  input  logic               m_axi_wready_i,
  input  logic [IdW-1:0]     m_axi_bid_i,
  input  logic [1:0]         m_axi_bresp_i,
  input  logic               m_axi_bvalid_i,
  output logic               m_axi_bready_o,
  output logic [IdW-1:0]     m_axi_arid_o,
  output logic [AddrW-1:0]   m_axi_araddr_o,
  output logic [7:0]         m_axi_arlen_o,
  output logic [2:0]         m_axi_arsize_o,
  output logic [1:0]         m_axi_arburst_o,
  output logic               m_axi_arvalid_o,
  input  logic               m_axi_arready_i,
  input  logic [IdW-1:0]     m_axi_rid_i,
  input  logic [DataW-1:0]   m_axi_rdata_i,
  input  logic [1:0]         m_axi_rresp_i,
  input  logic               m_axi_rlast_i,
  input  logic               m_axi_rvalid_i,
  output logic               m_axi_rready_o
);

  localparam int IdxW   = 26;  // npu_core's command index width
  localparam int BytesW = 24;  // npu_core's DMA row length width (per-cycle byte events)

  // ---------------------------------------------------------------- register file <-> core
  logic             start, soft_reset, busy, done;
  logic             ppu_busy, ppu_stall, pool_busy, pool_stall;
  logic [15:0]      cmdq_size;
  logic [3:0]       err_code;
  logic [IdxW-1:0]  err_cmd;
  logic [AddrW-1:0] err_addr;
  logic [31:0]      err_addr_32;

  /* verilator lint_off UNUSEDSIGNAL */
  // The core takes AddrW bits of the 64-bit base; the register file refuses a START whose
  // base has bits beyond AddrW set, so the dropped bits are always 0.
  logic [63:0]      cmdq_base;
  /* verilator lint_on UNUSEDSIGNAL */

  if (AddrW >= 32) begin : g_err_addr_wide
    // ERROR_ADDR is 32 bits wide.
    /* verilator lint_off UNUSEDSIGNAL */
    logic [AddrW-1:0] err_addr_full;
    /* verilator lint_on UNUSEDSIGNAL */
    assign err_addr_full = err_addr;
    assign err_addr_32 = err_addr_full[31:0];
  end else begin : g_err_addr_narrow
    assign err_addr_32 = 32'(err_addr);
  end

  logic [3:0] err_code_q;
  logic       err_new;
  assign err_new = (err_code != 4'd0) && (err_code_q == 4'd0);

  // Core events of this cycle.
  logic              ev_mac, ev_ld_busy, ev_ld_stall, ev_cp_busy, ev_cp_stall;
  logic              ev_st_busy, ev_st_stall;
  logic [BytesW-1:0] ev_rd_bytes, ev_wr_bytes;

  npu_regfile #(
    .Rows    (Rows),
    .Cols    (Rows),
    .AxiBytes(Bytes),
    .AddrW   (AddrW),
    .BytesW  (BytesW)
  ) u_regfile (
    .clk_i,
    .rst_ni,
    .s_axil_awaddr_i,
    .s_axil_awvalid_i,
    .s_axil_awready_o,
    .s_axil_wdata_i,
    .s_axil_wstrb_i,
    .s_axil_wvalid_i,
    .s_axil_wready_o,
    .s_axil_bresp_o,
    .s_axil_bvalid_o,
    .s_axil_bready_i,
    .s_axil_araddr_i,
    .s_axil_arvalid_i,
    .s_axil_arready_o,
    .s_axil_rdata_o,
    .s_axil_rresp_o,
    .s_axil_rvalid_o,
    .s_axil_rready_i,
    .start_o           (start),
    .soft_reset_o      (soft_reset),
    .cmdq_base_o       (cmdq_base),
    .cmdq_size_o       (cmdq_size),
    .busy_i            (busy || done),
    .done_i            (done),
    .err_valid_i       (err_new),
    .err_code_i        (8'(err_code)),
    .err_info_i        (32'(err_cmd)),
    .err_addr_i        (err_addr_32),
    .irq_o,
    .ev_mac_i          (ev_mac),
    .ev_ld_busy_i      (ev_ld_busy),
    .ev_ld_stall_i     (ev_ld_stall),
    .ev_st_busy_i      (ev_st_busy),
    .ev_st_stall_i     (ev_st_stall),
    .ev_compute_busy_i (ev_cp_busy),
    .ev_compute_stall_i(ev_cp_stall),
    .ev_ppu_busy_i     (ppu_busy),
    .ev_ppu_stall_i    (ppu_stall),
    .ev_pool_busy_i    (pool_busy),
    .ev_pool_stall_i   (pool_stall),
    .dma_rd_bytes_i    (ev_rd_bytes),
    .dma_wr_bytes_i    (ev_wr_bytes)
  );

  npu_core #(
    .Rows          (Rows),
    .ActDepth      (ActDepth),
    .WgtDepth      (WgtDepth),
    .AccDepth      (AccDepth),
    .PpuMaxChannels(PpuMaxChannels),
    .PpuSerial     (PpuSerial),
    .AddrW         (AddrW),
    .IdW           (IdW),
    .WatchdogCycles(WatchdogCycles)
  ) u_core (
    .clk_i,
    .rst_ni,
    .start_i          (start),
    .soft_reset_i     (soft_reset),
    .queue_base_i     (cmdq_base[AddrW-1:0]),
    .queue_size_i     (32'(cmdq_size)),
    .busy_o           (busy),
    .done_o           (done),
    .err_code_o       (err_code),
    .err_cmd_o        (err_cmd),
    .err_addr_o       (err_addr),
    .ev_mac_o         (ev_mac),
    .ev_ld_busy_o     (ev_ld_busy),
    .ev_ld_stall_o    (ev_ld_stall),
    .ev_cp_busy_o     (ev_cp_busy),
    .ev_cp_stall_o    (ev_cp_stall),
    .ev_st_busy_o     (ev_st_busy),
    .ev_st_stall_o    (ev_st_stall),
    .ev_rd_bytes_o    (ev_rd_bytes),
    .ev_wr_bytes_o    (ev_wr_bytes),
    .ppu_busy_o       (ppu_busy),
    .ppu_stall_o      (ppu_stall),
    .pool_busy_o      (pool_busy),
    .pool_stall_o     (pool_stall),
    .m_axi_awid_o,
    .m_axi_awaddr_o,
    .m_axi_awlen_o,
    .m_axi_awsize_o,
    .m_axi_awburst_o,
    .m_axi_awvalid_o,
    .m_axi_awready_i,
    .m_axi_wdata_o,
    .m_axi_wstrb_o,
    .m_axi_wlast_o,
    .m_axi_wvalid_o,
    .m_axi_wready_i,
    .m_axi_bid_i,
    .m_axi_bresp_i,
    .m_axi_bvalid_i,
    .m_axi_bready_o,
    .m_axi_arid_o,
    .m_axi_araddr_o,
    .m_axi_arlen_o,
    .m_axi_arsize_o,
    .m_axi_arburst_o,
    .m_axi_arvalid_o,
    .m_axi_arready_i,
    .m_axi_rid_i,
    .m_axi_rdata_i,
    .m_axi_rresp_i,
    .m_axi_rlast_i,
    .m_axi_rvalid_i,
    .m_axi_rready_o
  );

  // ---------------------------------------------------------------- first error of a run
  always_ff @(posedge clk_i) begin
    if (!rst_ni) err_code_q <= '0;
    else err_code_q <= err_code;
  end

  // ---------------------------------------------------------------- checks
  // Parameter rules (rtl/README.md, Parameter checks). The bus word is Rows * 8 bits by
  // construction (DataW); it must be an AXI data width the command fetch takes (32..512).
  if (Rows < 4 || Rows > 64 || (Rows & (Rows - 1)) != 0) begin : g_bad_rows
`ifdef __ICARUS__
    initial $fatal(1, "npu_top: parameter Rows (%0d) must be a power of two, 4..64", Rows);
`else
    $error("npu_top: parameter Rows must be a power of two, 4..64");
`endif
  end

`ifndef SYNTHESIS
  // Protocol (rtl/README.md, Assertions): the five AXI4 channels of the memory master, and
  // a known interrupt line (the AXI4-Lite channels are the register file's).
  always @(posedge clk_i) begin
    if (rst_ni) assert (!$isunknown(irq_o)) else $error("%m: npu_top: irq_o unknown out of reset");
  end
  npu_assert_stream #(.Width(IdW + AddrW + 8 + 3 + 2), .Name("npu_top AXI AW")) u_assert_aw (
    .clk_i, .rst_ni, .valid_i (m_axi_awvalid_o), .ready_i (m_axi_awready_i),
    .data_i ({m_axi_awid_o, m_axi_awaddr_o, m_axi_awlen_o, m_axi_awsize_o, m_axi_awburst_o})
  );
  npu_assert_stream #(.Width(DataW + Bytes + 1), .Name("npu_top AXI W")) u_assert_w (
    .clk_i, .rst_ni, .valid_i (m_axi_wvalid_o), .ready_i (m_axi_wready_i),
    .data_i ({m_axi_wdata_o, m_axi_wstrb_o, m_axi_wlast_o})
  );
  npu_assert_stream #(.Width(IdW + 2), .Name("npu_top AXI B")) u_assert_b (
    .clk_i, .rst_ni, .valid_i (m_axi_bvalid_i), .ready_i (m_axi_bready_o),
    .data_i ({m_axi_bid_i, m_axi_bresp_i})
  );
  npu_assert_stream #(.Width(IdW + AddrW + 8 + 3 + 2), .Name("npu_top AXI AR")) u_assert_ar (
    .clk_i, .rst_ni, .valid_i (m_axi_arvalid_o), .ready_i (m_axi_arready_i),
    .data_i ({m_axi_arid_o, m_axi_araddr_o, m_axi_arlen_o, m_axi_arsize_o, m_axi_arburst_o})
  );
  npu_assert_stream #(.Width(IdW + DataW + 2 + 1), .Name("npu_top AXI R")) u_assert_r (
    .clk_i, .rst_ni, .valid_i (m_axi_rvalid_i), .ready_i (m_axi_rready_o),
    .data_i ({m_axi_rid_i, m_axi_rdata_i, m_axi_rresp_i, m_axi_rlast_i})
  );
`endif

endmodule

`default_nettype wire
