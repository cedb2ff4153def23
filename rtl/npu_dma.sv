// DMA engine: one AXI4 master that moves a multi-dimensional strided DRAM region to or from
// the on-chip buffers, one descriptor at a time.
//
// A descriptor is base address, an innermost contiguous row of len bytes (any byte alignment)
// and three outer loops (count + byte stride each, strides wrap modulo 2^AddrW so they may be
// negative): enough for an NHWC tile (row = W_tile * C bytes, loops over H, and over channel or
// batch blocks). On chip, rows are packed one after the other, each starting at a new word
// (docs/dma.md). npu_dma_agen cuts rows into INCR bursts (full bus width, <= MaxBurst beats,
// never across 4 KiB); npu_dma_rd / npu_dma_wr run the AXI channels and realign bytes. Every
// transaction uses ID AxiId, so responses return in order and no reorder buffer is needed; up
// to MaxOutstanding bursts per direction are in flight, enough for one beat per cycle at a
// memory latency of about MaxOutstanding * burst length cycles.
//
// Status: done_o pulses once per accepted descriptor (also for a rejected one) with
// status_tag_o / status_err_o / status_err_addr_o, which hold until the next descriptor. The
// first error wins; after a bus error no new burst is issued, every R beat and B response still
// owed is collected (W beats still owed go out with zero strobes), then the engine returns to
// idle: it never hangs on an error.
`default_nettype none

module npu_dma #(
  parameter int DataW          = 64,
  parameter int AddrW          = 32,
  parameter int IdW            = 4,
  parameter int AxiId          = 0,
  parameter int MaxBurst       = 256,  // beats per burst, 1..256
  parameter int MaxOutstanding = 8,    // bursts in flight per direction (power of two)
  parameter int RspDepth       = 8,    // on-chip read response slots (power of two)
  parameter int SpAddrW        = 16,
  parameter int LenW           = 24,
  parameter int CntW           = 16,
  parameter int TagW           = 8,
  localparam int Bytes         = DataW / 8,
  localparam int OffW          = $clog2(Bytes)
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // Descriptor stream, taken while idle.
  input  logic               desc_valid_i,
  output logic               desc_ready_o,
  input  logic               desc_write_i,    // 0: DRAM -> on-chip, 1: on-chip -> DRAM
  input  logic [TagW-1:0]    desc_tag_i,      // echoed in the status
  input  logic [AddrW-1:0]   desc_addr_i,     // byte address of the first row
  input  logic [LenW-1:0]    desc_len_i,      // bytes per row, >= 1
  input  logic [CntW-1:0]    desc_cnt1_i,     // innermost loop count, >= 1
  input  logic [AddrW-1:0]   desc_stride1_i,  // byte stride
  input  logic [CntW-1:0]    desc_cnt2_i,
  input  logic [AddrW-1:0]   desc_stride2_i,
  input  logic [CntW-1:0]    desc_cnt3_i,     // outermost
  input  logic [AddrW-1:0]   desc_stride3_i,
  input  logic [SpAddrW-1:0] desc_sp_addr_i,  // on-chip word address of the first row
  // Status.
  output logic               busy_o,
  output logic               done_o,
  output logic [TagW-1:0]    status_tag_o,
  output logic [3:0]         status_err_o,      // docs/dma.md: 0 ok, 1 zero size, 2..5 bus
  output logic [AddrW-1:0]   status_err_addr_o, // burst address of the failing response
  // Per-cycle events for the performance counters (the register file counts them; busy_o is
  // the busy event).
  output logic               ev_stall_o,      // busy, no R / W beat, waiting on the AXI side
  output logic [LenW-1:0]    ev_rd_bytes_o,   // bytes of the rows read completely this cycle
  output logic [LenW-1:0]    ev_wr_bytes_o,   // bytes of the rows written completely this cycle
  // On-chip write stream (read direction).
  output logic               sp_wr_valid_o,
  input  logic               sp_wr_ready_i,
  output logic [SpAddrW-1:0] sp_wr_addr_o,
  output logic [DataW-1:0]   sp_wr_data_o,
  output logic [Bytes-1:0]   sp_wr_strb_o,
  // On-chip read stream (write direction): requests, responses in request order.
  output logic               sp_req_valid_o,
  input  logic               sp_req_ready_i,
  output logic [SpAddrW-1:0] sp_req_addr_o,
  input  logic               sp_rsp_valid_i,
  output logic               sp_rsp_ready_o,
  input  logic [DataW-1:0]   sp_rsp_data_i,
  // AXI4 master.
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
  /* verilator lint_off UNUSEDSIGNAL */
  // One ID is used and the beat counts are our own, so BID, RID and RLAST carry nothing new.
  input  logic [IdW-1:0]     m_axi_bid_i,
  input  logic [IdW-1:0]     m_axi_rid_i,
  input  logic               m_axi_rlast_i,
  /* verilator lint_on UNUSEDSIGNAL */
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
  input  logic [DataW-1:0]   m_axi_rdata_i,
  input  logic [1:0]         m_axi_rresp_i,
  input  logic               m_axi_rvalid_i,
  output logic               m_axi_rready_o
);

  localparam int WordsW = LenW - OffW + 1;

  // Error codes (docs/dma.md).
  localparam logic [3:0] ErrNone      = 4'd0;
  localparam logic [3:0] ErrZeroSize  = 4'd1;
  localparam logic [3:0] ErrRdSlvErr  = 4'd2;
  localparam logic [3:0] ErrRdDecErr  = 4'd3;
  localparam logic [3:0] ErrWrSlvErr  = 4'd4;
  localparam logic [3:0] ErrWrDecErr  = 4'd5;

  // ---------------------------------------------------------------- descriptor and status
  logic               busy_q, start_q, done_q, write_q;
  logic [TagW-1:0]    tag_q;
  logic [AddrW-1:0]   addr_q, stride1_q, stride2_q, stride3_q, err_addr_q;
  logic [LenW-1:0]    len_q;
  logic [CntW-1:0]    cnt1_q, cnt2_q, cnt3_q;
  logic [SpAddrW-1:0] sp_addr_q;
  // On-chip words per row, taken with the descriptor: the write path's per-beat control
  // (need_word -> w_load -> row_done) would otherwise start with a LenW-bit addition.
  logic [WordsW-1:0]  words_q;
  logic [3:0]         err_q;
  logic               accept, zero, abort, finished;
  logic               agen_busy, rd_idle, wr_idle, rd_err, wr_err;
  logic               rd_err_dec, wr_err_dec;
  logic [AddrW-1:0]   rd_err_addr, wr_err_addr;

  assign desc_ready_o = !busy_q && !done_q;
  assign accept       = desc_valid_i && desc_ready_o;
  assign zero         = desc_len_i == '0 || desc_cnt1_i == '0 || desc_cnt2_i == '0 ||
                        desc_cnt3_i == '0;
  assign abort        = err_q != ErrNone;
  assign finished     = busy_q && !start_q && !agen_busy && rd_idle && wr_idle;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q  <= 1'b0;
      start_q <= 1'b0;
      done_q  <= 1'b0;
      err_q   <= ErrNone;
      tag_q   <= '0;
    end else begin
      start_q <= accept && !zero;
      done_q  <= finished || (accept && zero);
      if (accept) begin
        busy_q <= !zero;
        tag_q  <= desc_tag_i;
        err_q  <= zero ? ErrZeroSize : ErrNone;
      end else begin
        if (finished) busy_q <= 1'b0;
        if (busy_q && !abort && rd_err) err_q <= rd_err_dec ? ErrRdDecErr : ErrRdSlvErr;
        else if (busy_q && !abort && wr_err) err_q <= wr_err_dec ? ErrWrDecErr : ErrWrSlvErr;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (accept) begin
      write_q    <= desc_write_i;
      addr_q     <= desc_addr_i;
      len_q      <= desc_len_i;
      cnt1_q     <= desc_cnt1_i;
      stride1_q  <= desc_stride1_i;
      cnt2_q     <= desc_cnt2_i;
      stride2_q  <= desc_stride2_i;
      cnt3_q     <= desc_cnt3_i;
      stride3_q  <= desc_stride3_i;
      sp_addr_q  <= desc_sp_addr_i;
      words_q    <= WordsW'((desc_len_i + LenW'(Bytes - 1)) >> OffW);
      err_addr_q <= '0;
    end else if (busy_q && !abort && rd_err) begin
      err_addr_q <= rd_err_addr;
    end else if (busy_q && !abort && wr_err) begin
      err_addr_q <= wr_err_addr;
    end
  end

  assign busy_o            = busy_q;
  assign done_o            = done_q;
  assign status_tag_o      = tag_q;
  assign status_err_o      = err_q;
  assign status_err_addr_o = err_addr_q;

  // ---------------------------------------------------------------- bursts
  logic             bst_valid, bst_ready, rd_bst_ready, wr_bst_ready;
  logic             bst_row_first, bst_row_last;
  logic [AddrW-1:0] bst_addr;
  logic [7:0]       bst_len;
  logic [OffW-1:0]  bst_off;

  /* verilator lint_off PINCONNECTEMPTY */
  // The last-burst flag is not needed: completion is "generator idle and both paths idle".
  npu_dma_agen #(
    .AddrW   (AddrW),
    .DataW   (DataW),
    .LenW    (LenW),
    .CntW    (CntW),
    .MaxBurst(MaxBurst)
  ) u_agen (
    .clk_i,
    .rst_ni,
    .start_i        (start_q),
    .abort_i        (abort),
    .cfg_addr_i     (addr_q),
    .cfg_len_i      (len_q),
    .cfg_cnt1_i     (cnt1_q),
    .cfg_stride1_i  (stride1_q),
    .cfg_cnt2_i     (cnt2_q),
    .cfg_stride2_i  (stride2_q),
    .cfg_cnt3_i     (cnt3_q),
    .cfg_stride3_i  (stride3_q),
    .busy_o         (agen_busy),
    .bst_valid_o    (bst_valid),
    .bst_ready_i    (bst_ready),
    .bst_addr_o     (bst_addr),
    .bst_len_o      (bst_len),
    .bst_off_o      (bst_off),
    .bst_row_first_o(bst_row_first),
    .bst_row_last_o (bst_row_last),
    .bst_last_o     ()
  );
  /* verilator lint_on PINCONNECTEMPTY */
  assign bst_ready = write_q ? wr_bst_ready : rd_bst_ready;

  // ---------------------------------------------------------------- read path
  logic rd_row_done, r_fire, r_pending;
  npu_dma_rd #(
    .AddrW         (AddrW),
    .DataW         (DataW),
    .LenW          (LenW),
    .SpAddrW       (SpAddrW),
    .MaxOutstanding(MaxOutstanding)
  ) u_rd (
    .clk_i,
    .rst_ni,
    .start_i        (start_q && !write_q),
    .abort_i        (abort),
    .cfg_len_i      (len_q),
    .cfg_sp_addr_i  (sp_addr_q),
    .bst_valid_i    (bst_valid && !write_q),
    .bst_ready_o    (rd_bst_ready),
    .bst_addr_i     (bst_addr),
    .bst_len_i      (bst_len),
    .bst_off_i      (bst_off),
    .bst_row_first_i(bst_row_first),
    .bst_row_last_i (bst_row_last),
    .ar_valid_o     (m_axi_arvalid_o),
    .ar_ready_i     (m_axi_arready_i),
    .ar_addr_o      (m_axi_araddr_o),
    .ar_len_o       (m_axi_arlen_o),
    .r_valid_i      (m_axi_rvalid_i),
    .r_ready_o      (m_axi_rready_o),
    .r_data_i       (m_axi_rdata_i),
    .r_resp_i       (m_axi_rresp_i),
    .wr_valid_o     (sp_wr_valid_o),
    .wr_ready_i     (sp_wr_ready_i),
    .wr_addr_o      (sp_wr_addr_o),
    .wr_data_o      (sp_wr_data_o),
    .wr_strb_o      (sp_wr_strb_o),
    .err_o          (rd_err),
    .err_dec_o      (rd_err_dec),
    .err_addr_o     (rd_err_addr),
    .row_done_o     (rd_row_done),
    .r_fire_o       (r_fire),
    .pending_o      (r_pending),
    .idle_o         (rd_idle)
  );

  // ---------------------------------------------------------------- write path
  logic              wr_row_done, w_fire, b_pending;

  npu_dma_wr #(
    .AddrW         (AddrW),
    .DataW         (DataW),
    .LenW          (LenW),
    .CntW          (CntW),
    .SpAddrW       (SpAddrW),
    .MaxOutstanding(MaxOutstanding),
    .RspDepth      (RspDepth)
  ) u_wr (
    .clk_i,
    .rst_ni,
    .start_i        (start_q && write_q),
    .abort_i        (abort),
    .cfg_len_i      (len_q),
    .cfg_words_i    (words_q),
    .cfg_cnt1_i     (cnt1_q),
    .cfg_cnt2_i     (cnt2_q),
    .cfg_cnt3_i     (cnt3_q),
    .cfg_sp_addr_i  (sp_addr_q),
    .bst_valid_i    (bst_valid && write_q),
    .bst_ready_o    (wr_bst_ready),
    .bst_addr_i     (bst_addr),
    .bst_len_i      (bst_len),
    .bst_off_i      (bst_off),
    .bst_row_first_i(bst_row_first),
    .bst_row_last_i (bst_row_last),
    .aw_valid_o     (m_axi_awvalid_o),
    .aw_ready_i     (m_axi_awready_i),
    .aw_addr_o      (m_axi_awaddr_o),
    .aw_len_o       (m_axi_awlen_o),
    .w_valid_o      (m_axi_wvalid_o),
    .w_ready_i      (m_axi_wready_i),
    .w_data_o       (m_axi_wdata_o),
    .w_strb_o       (m_axi_wstrb_o),
    .w_last_o       (m_axi_wlast_o),
    .b_valid_i      (m_axi_bvalid_i),
    .b_ready_o      (m_axi_bready_o),
    .b_resp_i       (m_axi_bresp_i),
    .req_valid_o    (sp_req_valid_o),
    .req_ready_i    (sp_req_ready_i),
    .req_addr_o     (sp_req_addr_o),
    .rsp_valid_i    (sp_rsp_valid_i),
    .rsp_ready_o    (sp_rsp_ready_o),
    .rsp_data_i     (sp_rsp_data_i),
    .err_o          (wr_err),
    .err_dec_o      (wr_err_dec),
    .err_addr_o     (wr_err_addr),
    .row_done_o     (wr_row_done),
    .w_fire_o       (w_fire),
    .b_pending_o    (b_pending),
    .idle_o         (wr_idle)
  );

  // Constant AXI attributes: one ID, full-width beats, INCR.
  assign m_axi_awid_o    = IdW'(AxiId);
  assign m_axi_arid_o    = IdW'(AxiId);
  assign m_axi_awsize_o  = 3'(OffW);
  assign m_axi_arsize_o  = 3'(OffW);
  assign m_axi_awburst_o = 2'b01;
  assign m_axi_arburst_o = 2'b01;

  // ---------------------------------------------------------------- performance events
  // Stall: a busy cycle without an R or W beat in which the engine waits on the AXI side (an
  // address or W beat not taken, or a read / write response still owed by the slave).
  assign ev_stall_o = busy_q && !r_fire && !w_fire &&
                      ((m_axi_arvalid_o && !m_axi_arready_i) ||
                       (m_axi_awvalid_o && !m_axi_awready_i) ||
                       (m_axi_wvalid_o && !m_axi_wready_i) || (r_pending && !m_axi_rvalid_i) ||
                       (b_pending && !m_axi_wvalid_o && !m_axi_bvalid_i));
  assign ev_rd_bytes_o = rd_row_done ? len_q : '0;
  assign ev_wr_bytes_o = wr_row_done ? len_q : '0;

  // ---------------------------------------------------------------- checks
  // Parameter rules (rtl/README.md, Parameter checks).
  if (DataW < 8 || DataW > 1024 || (DataW & (DataW - 1)) != 0) begin : g_bad_data_w
`ifdef __ICARUS__
    initial $fatal(1, "npu_dma: parameter DataW (%0d) must be a power of two, 8..1024", DataW);
`else
    $error("npu_dma: parameter DataW must be a power of two, 8..1024");
`endif
  end
  if (MaxBurst < 1 || MaxBurst > 256) begin : g_bad_max_burst
`ifdef __ICARUS__
    initial $fatal(1, "npu_dma: parameter MaxBurst (%0d) must be 1..256", MaxBurst);
`else
    $error("npu_dma: parameter MaxBurst must be 1..256");
`endif
  end
  if (MaxOutstanding < 1 || (MaxOutstanding & (MaxOutstanding - 1)) != 0 ||
      RspDepth < 1 || (RspDepth & (RspDepth - 1)) != 0) begin : g_bad_depths
`ifdef __ICARUS__
    initial $fatal(1, "npu_dma: parameters MaxOutstanding (%0d), RspDepth (%0d) must be powers of two",
                   MaxOutstanding, RspDepth);
`else
    $error("npu_dma: parameters MaxOutstanding and RspDepth must be powers of two");
`endif
  end

`ifndef SYNTHESIS
  // Protocol (rtl/README.md, Assertions): every stream in and out, every AXI channel.
  npu_assert_stream #(.Width(1 + TagW + 4 * AddrW + LenW + 3 * CntW + SpAddrW),
                      .Name("npu_dma desc")) u_assert_desc (
    .clk_i, .rst_ni, .valid_i (desc_valid_i), .ready_i (desc_ready_o),
    .data_i ({desc_write_i, desc_tag_i, desc_addr_i, desc_len_i, desc_cnt1_i, desc_stride1_i,
              desc_cnt2_i, desc_stride2_i, desc_cnt3_i, desc_stride3_i, desc_sp_addr_i})
  );
  npu_assert_stream #(.Width(SpAddrW + DataW + Bytes), .Name("npu_dma sp_wr")) u_assert_sp_wr (
    .clk_i, .rst_ni, .valid_i (sp_wr_valid_o), .ready_i (sp_wr_ready_i),
    .data_i ({sp_wr_addr_o, sp_wr_data_o, sp_wr_strb_o})
  );
  npu_assert_stream #(.Width(SpAddrW), .Name("npu_dma sp_req")) u_assert_sp_req (
    .clk_i, .rst_ni, .valid_i (sp_req_valid_o), .ready_i (sp_req_ready_i),
    .data_i (sp_req_addr_o)
  );
  npu_assert_stream #(.Width(DataW), .Name("npu_dma sp_rsp")) u_assert_sp_rsp (
    .clk_i, .rst_ni, .valid_i (sp_rsp_valid_i), .ready_i (sp_rsp_ready_o),
    .data_i (sp_rsp_data_i)
  );
  npu_assert_stream #(.Width(IdW + AddrW + 8 + 3 + 2), .Name("npu_dma AXI AW")) u_assert_aw (
    .clk_i, .rst_ni, .valid_i (m_axi_awvalid_o), .ready_i (m_axi_awready_i),
    .data_i ({m_axi_awid_o, m_axi_awaddr_o, m_axi_awlen_o, m_axi_awsize_o, m_axi_awburst_o})
  );
  npu_assert_stream #(.Width(DataW + Bytes + 1), .Name("npu_dma AXI W")) u_assert_w (
    .clk_i, .rst_ni, .valid_i (m_axi_wvalid_o), .ready_i (m_axi_wready_i),
    .data_i ({m_axi_wdata_o, m_axi_wstrb_o, m_axi_wlast_o})
  );
  npu_assert_stream #(.Width(IdW + 2), .Name("npu_dma AXI B")) u_assert_b (
    .clk_i, .rst_ni, .valid_i (m_axi_bvalid_i), .ready_i (m_axi_bready_o),
    .data_i ({m_axi_bid_i, m_axi_bresp_i})
  );
  npu_assert_stream #(.Width(IdW + AddrW + 8 + 3 + 2), .Name("npu_dma AXI AR")) u_assert_ar (
    .clk_i, .rst_ni, .valid_i (m_axi_arvalid_o), .ready_i (m_axi_arready_i),
    .data_i ({m_axi_arid_o, m_axi_araddr_o, m_axi_arlen_o, m_axi_arsize_o, m_axi_arburst_o})
  );
  npu_assert_stream #(.Width(IdW + DataW + 2 + 1), .Name("npu_dma AXI R")) u_assert_r (
    .clk_i, .rst_ni, .valid_i (m_axi_rvalid_i), .ready_i (m_axi_rready_o),
    .data_i ({m_axi_rid_i, m_axi_rdata_i, m_axi_rresp_i, m_axi_rlast_i})
  );
`endif

endmodule

`default_nettype wire
