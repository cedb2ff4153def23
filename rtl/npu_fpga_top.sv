// FPGA build of the accelerator for the iCEBreaker board (Lattice iCE40 UP5K, 12 MHz clock):
// npu_top with its memory on chip and a UART host port (docs/fpga.md).
//
//   UART RX/TX (FTDI channel B) -> npu_fpga_uart_bridge -+-> AXI4-Lite -> npu_top registers
//                                                        +-> host port -> npu_fpga_axi_ram
//   npu_top AXI4 master ----------------------------------------------> npu_fpga_axi_ram
//
// The host (or the Verilator bench) writes tensors, PPU records and the command stream into
// the RAM, programs the queue registers, starts, polls STATUS (or watches the red LED, the
// interrupt), and reads the results back: the same driver sequence as on an SoC.
// Reset: a power-on counter, and rst_ni (the user button BTN_N) while pressed.
// LEDs (active low): green blinks while the clock runs, red is the interrupt line.
`default_nettype none

module npu_fpga_top #(
  parameter int Rows           = 4,
  parameter int ActDepth       = 256,
  parameter int WgtDepth       = 256,
  parameter int AccDepth       = 64,
  parameter int PpuMaxChannels = 16,
  parameter bit PpuSerial      = 1'b1,
  parameter int MemDepth       = 32768,  // words of Rows bytes: 128 KiB at Rows = 4 (4 SPRAMs)
  parameter int ClksPerBit     = 104,    // 12 MHz / 115200 baud
  parameter int BlinkLog2      = 23,     // green LED period: 2^BlinkLog2 clocks
  localparam int DataW         = Rows * 8,
  localparam int AddrW         = 32,
  localparam int IdW           = 4
) (
  input  logic clk_i,
  input  logic rst_ni,        // user button BTN_N (active low)
  input  logic uart_rx_i,
  output logic uart_tx_o,
  output logic led_red_no,
  output logic led_green_no
);
  localparam int RegAW = npu_regs_pkg::AddrW;
  localparam int MemAW = $clog2(MemDepth);

  // ---------------------------------------------------------------- reset
  // iCE40 flops power up as their initial value; 15 cycles of reset after configuration.
  logic [3:0] por_q = 4'd0;
  logic       rst_nq = 1'b0;
  always_ff @(posedge clk_i) begin
    if (por_q != 4'hF) por_q <= por_q + 1'b1;
    rst_nq <= (por_q == 4'hF) && rst_ni;
  end

  // ---------------------------------------------------------------- UART
  logic       rx_valid, tx_valid, tx_ready;
  logic [7:0] rx_data, tx_data;
  npu_uart_rx #(.ClksPerBit(ClksPerBit)) u_rx (
    .clk_i,
    .rst_ni (rst_nq),
    .rx_i   (uart_rx_i),
    .valid_o(rx_valid),
    .data_o (rx_data)
  );
  npu_uart_tx #(.ClksPerBit(ClksPerBit)) u_tx (
    .clk_i,
    .rst_ni (rst_nq),
    .valid_i(tx_valid),
    .ready_o(tx_ready),
    .data_i (tx_data),
    .tx_o   (uart_tx_o)
  );

  // ---------------------------------------------------------------- bridge
  logic [RegAW-1:0] axil_awaddr, axil_araddr;
  logic             axil_awvalid, axil_awready, axil_wvalid, axil_wready;
  logic [31:0]      axil_wdata, axil_rdata;
  logic [3:0]       axil_wstrb;
  logic [1:0]       axil_bresp, axil_rresp;
  logic             axil_bvalid, axil_bready, axil_arvalid, axil_arready;
  logic             axil_rvalid, axil_rready;
  logic             mem_req, mem_we, mem_ack;
  logic [MemAW-1:0] mem_addr;
  logic [DataW-1:0] mem_wdata, mem_rdata;

  npu_fpga_uart_bridge #(.DataW(DataW), .RegAW(RegAW), .MemAW(MemAW)) u_bridge (
    .clk_i,
    .rst_ni          (rst_nq),
    .rx_valid_i      (rx_valid),
    .rx_data_i       (rx_data),
    .tx_valid_o      (tx_valid),
    .tx_ready_i      (tx_ready),
    .tx_data_o       (tx_data),
    .m_axil_awaddr_o (axil_awaddr),
    .m_axil_awvalid_o(axil_awvalid),
    .m_axil_awready_i(axil_awready),
    .m_axil_wdata_o  (axil_wdata),
    .m_axil_wstrb_o  (axil_wstrb),
    .m_axil_wvalid_o (axil_wvalid),
    .m_axil_wready_i (axil_wready),
    .m_axil_bresp_i  (axil_bresp),
    .m_axil_bvalid_i (axil_bvalid),
    .m_axil_bready_o (axil_bready),
    .m_axil_araddr_o (axil_araddr),
    .m_axil_arvalid_o(axil_arvalid),
    .m_axil_arready_i(axil_arready),
    .m_axil_rdata_i  (axil_rdata),
    .m_axil_rresp_i  (axil_rresp),
    .m_axil_rvalid_i (axil_rvalid),
    .m_axil_rready_o (axil_rready),
    .mem_req_o       (mem_req),
    .mem_we_o        (mem_we),
    .mem_addr_o      (mem_addr),
    .mem_wdata_o     (mem_wdata),
    .mem_ack_i       (mem_ack),
    .mem_rdata_i     (mem_rdata)
  );

  // ---------------------------------------------------------------- accelerator
  logic [IdW-1:0]   awid, bid, arid, rid;
  logic [AddrW-1:0] awaddr, araddr;
  logic [7:0]       awlen, arlen;
  logic [2:0]       awsize, arsize;
  logic [1:0]       awburst, arburst, bresp, rresp;
  logic             awvalid, awready, wlast, wvalid, wready, bvalid, bready;
  logic             arvalid, arready, rlast, rvalid, rready;
  logic [DataW-1:0] wdata, rdata;
  logic [Rows-1:0]  wstrb;
  logic             irq;

  npu_top #(
    .Rows          (Rows),
    .ActDepth      (ActDepth),
    .WgtDepth      (WgtDepth),
    .AccDepth      (AccDepth),
    .PpuMaxChannels(PpuMaxChannels),
    .PpuSerial     (PpuSerial),
    .AddrW         (AddrW),
    .IdW           (IdW)
  ) u_npu (
    .clk_i,
    .rst_ni          (rst_nq),
    .s_axil_awaddr_i (axil_awaddr),
    .s_axil_awvalid_i(axil_awvalid),
    .s_axil_awready_o(axil_awready),
    .s_axil_wdata_i  (axil_wdata),
    .s_axil_wstrb_i  (axil_wstrb),
    .s_axil_wvalid_i (axil_wvalid),
    .s_axil_wready_o (axil_wready),
    .s_axil_bresp_o  (axil_bresp),
    .s_axil_bvalid_o (axil_bvalid),
    .s_axil_bready_i (axil_bready),
    .s_axil_araddr_i (axil_araddr),
    .s_axil_arvalid_i(axil_arvalid),
    .s_axil_arready_o(axil_arready),
    .s_axil_rdata_o  (axil_rdata),
    .s_axil_rresp_o  (axil_rresp),
    .s_axil_rvalid_o (axil_rvalid),
    .s_axil_rready_i (axil_rready),
    .irq_o           (irq),
    .m_axi_awid_o    (awid),
    .m_axi_awaddr_o  (awaddr),
    .m_axi_awlen_o   (awlen),
    .m_axi_awsize_o  (awsize),
    .m_axi_awburst_o (awburst),
    .m_axi_awvalid_o (awvalid),
    .m_axi_awready_i (awready),
    .m_axi_wdata_o   (wdata),
    .m_axi_wstrb_o   (wstrb),
    .m_axi_wlast_o   (wlast),
    .m_axi_wvalid_o  (wvalid),
    .m_axi_wready_i  (wready),
    .m_axi_bid_i     (bid),
    .m_axi_bresp_i   (bresp),
    .m_axi_bvalid_i  (bvalid),
    .m_axi_bready_o  (bready),
    .m_axi_arid_o    (arid),
    .m_axi_araddr_o  (araddr),
    .m_axi_arlen_o   (arlen),
    .m_axi_arsize_o  (arsize),
    .m_axi_arburst_o (arburst),
    .m_axi_arvalid_o (arvalid),
    .m_axi_arready_i (arready),
    .m_axi_rid_i     (rid),
    .m_axi_rdata_i   (rdata),
    .m_axi_rresp_i   (rresp),
    .m_axi_rlast_i   (rlast),
    .m_axi_rvalid_i  (rvalid),
    .m_axi_rready_o  (rready)
  );

  // ---------------------------------------------------------------- memory
  npu_fpga_axi_ram #(.DataW(DataW), .Depth(MemDepth), .AddrW(AddrW), .IdW(IdW)) u_ram (
    .clk_i,
    .rst_ni         (rst_nq),
    .s_axi_awid_i   (awid),
    .s_axi_awaddr_i (awaddr),
    .s_axi_awlen_i  (awlen),
    .s_axi_awsize_i (awsize),
    .s_axi_awburst_i(awburst),
    .s_axi_awvalid_i(awvalid),
    .s_axi_awready_o(awready),
    .s_axi_wdata_i  (wdata),
    .s_axi_wstrb_i  (wstrb),
    .s_axi_wlast_i  (wlast),
    .s_axi_wvalid_i (wvalid),
    .s_axi_wready_o (wready),
    .s_axi_bid_o    (bid),
    .s_axi_bresp_o  (bresp),
    .s_axi_bvalid_o (bvalid),
    .s_axi_bready_i (bready),
    .s_axi_arid_i   (arid),
    .s_axi_araddr_i (araddr),
    .s_axi_arlen_i  (arlen),
    .s_axi_arsize_i (arsize),
    .s_axi_arburst_i(arburst),
    .s_axi_arvalid_i(arvalid),
    .s_axi_arready_o(arready),
    .s_axi_rid_o    (rid),
    .s_axi_rdata_o  (rdata),
    .s_axi_rresp_o  (rresp),
    .s_axi_rlast_o  (rlast),
    .s_axi_rvalid_o (rvalid),
    .s_axi_rready_i (rready),
    .host_req_i     (mem_req),
    .host_we_i      (mem_we),
    .host_addr_i    (mem_addr),
    .host_wdata_i   (mem_wdata),
    .host_ack_o     (mem_ack),
    .host_rdata_o   (mem_rdata)
  );

  // ---------------------------------------------------------------- LEDs
  logic [BlinkLog2-1:0] blink_q;
  always_ff @(posedge clk_i) begin
    if (!rst_nq) blink_q <= '0;
    else blink_q <= blink_q + 1'b1;
  end
  assign led_green_no = !blink_q[BlinkLog2-1];
  assign led_red_no   = !irq;
endmodule

`default_nettype wire
