// DMA engine, read direction (DRAM -> on-chip): issues the bursts of npu_dma_agen on AR,
// realigns the R beats and writes on-chip words.
//
// Every issued burst leaves its bookkeeping (address, length, row offset, row first/last) in a
// FIFO of MaxOutstanding entries: the FIFO is both the outstanding-read limit and the map from
// R beats back to rows. One AXI ID is used, so R data return in AR order (no reordering
// buffer needed). Each row starts a new on-chip word: on-chip word k of a row holds the row
// bytes k*Bytes.. (the last word zero-filled, wr_strb_o marks the row's bytes). A row that
// starts at byte offset off > 0 needs two beats per word ({beat j+1, beat j} >> 8*off), so
// its first beat only fills the hold register; when the row has as many beats as words (its
// tail fits in the last beat), one extra "flush" cycle emits the final word from the hold
// register alone. After an error (abort_i) the R beats of every
// issued burst are still accepted, but nothing more is written on-chip.
`default_nettype none

module npu_dma_rd #(
  parameter int AddrW          = 32,
  parameter int DataW          = 64,
  parameter int LenW           = 24,
  parameter int SpAddrW        = 16,
  parameter int MaxOutstanding = 8,
  localparam int OffW          = $clog2(DataW / 8),
  localparam int Bytes         = DataW / 8
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               start_i,
  input  logic               abort_i,
  input  logic [LenW-1:0]    cfg_len_i,
  input  logic [SpAddrW-1:0] cfg_sp_addr_i,
  // Bursts from the address generator.
  input  logic               bst_valid_i,
  output logic               bst_ready_o,
  input  logic [AddrW-1:0]   bst_addr_i,
  input  logic [7:0]         bst_len_i,
  input  logic [OffW-1:0]    bst_off_i,
  input  logic               bst_row_first_i,
  input  logic               bst_row_last_i,
  // AXI4 read address and data channels (ID, size and burst type are the parent's).
  output logic               ar_valid_o,
  input  logic               ar_ready_i,
  output logic [AddrW-1:0]   ar_addr_o,
  output logic [7:0]         ar_len_o,
  input  logic               r_valid_i,
  output logic               r_ready_o,
  input  logic [DataW-1:0]   r_data_i,
  input  logic [1:0]         r_resp_i,
  // On-chip write stream.
  output logic               wr_valid_o,
  input  logic               wr_ready_i,
  output logic [SpAddrW-1:0] wr_addr_o,
  output logic [DataW-1:0]   wr_data_o,
  output logic [Bytes-1:0]   wr_strb_o,
  // Status towards the parent.
  output logic               err_o,        // an R beat with SLVERR/DECERR (every such beat)
  output logic               err_dec_o,    // DECERR (else SLVERR)
  output logic [AddrW-1:0]   err_addr_o,   // address of the burst it belongs to
  output logic               row_done_o,   // the last beat of a row was accepted
  output logic               r_fire_o,
  output logic               pending_o,    // bursts issued and not fully returned
  output logic               idle_o
);

  localparam int InfoW = AddrW + 8 + OffW + 2;

  // ---------------------------------------------------------------- AR issue
  logic             ar_valid_q;
  logic [AddrW-1:0] ar_addr_q;
  logic [7:0]       ar_len_q;
  logic             info_ready, load;
  assign load        = bst_valid_i && (!ar_valid_q || ar_ready_i) && info_ready && !abort_i;
  assign bst_ready_o = load;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      ar_valid_q <= 1'b0;
    end else if (load) begin
      ar_valid_q <= 1'b1;
    end else if (ar_ready_i) begin
      ar_valid_q <= 1'b0;
    end
  end
  always_ff @(posedge clk_i) begin
    if (load) begin
      ar_addr_q <= bst_addr_i;
      ar_len_q  <= bst_len_i;
    end
  end
  assign ar_valid_o = ar_valid_q;
  assign ar_addr_o  = ar_addr_q;
  assign ar_len_o   = ar_len_q;

  // ---------------------------------------------------------------- outstanding bursts
  logic             info_valid, info_pop;
  logic [InfoW-1:0] info;
  logic [AddrW-1:0] h_addr;
  logic [7:0]       h_len;
  logic [OffW-1:0]  h_off;
  logic             h_rf, h_rl;
  /* verilator lint_off PINCONNECTEMPTY */
  // The count is not needed: in_ready is the outstanding limit.
  npu_fifo #(
    .Width(InfoW),
    .Depth(MaxOutstanding)
  ) u_info (
    .clk_i,
    .rst_ni,
    .in_valid_i (load),
    .in_ready_o (info_ready),
    .in_data_i  ({bst_addr_i, bst_len_i, bst_off_i, bst_row_first_i, bst_row_last_i}),
    .out_valid_o(info_valid),
    .out_ready_i(info_pop),
    .out_data_o (info),
    .count_o    ()
  );
  /* verilator lint_on PINCONNECTEMPTY */
  assign {h_addr, h_len, h_off, h_rf, h_rl} = info;

  // ---------------------------------------------------------------- R realignment
  logic [7:0]       beat_q;
  logic [OffW-1:0]  off_q;
  logic [LenW-1:0]  rem_q;
  logic             flush_q;
  logic [DataW-1:0] hold_q;
  logic             ow_valid_q;
  logic [DataW-1:0] ow_data_q;
  logic [Bytes-1:0] ow_strb_q;
  logic [SpAddrW-1:0] ow_addr_q, sp_ptr_q;

  logic             slot_free, r_fire, rf_beat, rl_beat, burst_end, resp_ok, emit, flush_emit;
  logic [OffW-1:0]  off;
  logic [LenW-1:0]  rem_now, rem_after, take;
  logic [DataW-1:0] shifted, flushed, word;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [2*DataW-1:0] pair;  // only the low half of the shifted pair is a word
  /* verilator lint_on UNUSEDSIGNAL */

  assign slot_free  = !ow_valid_q || wr_ready_i;
  assign r_ready_o  = info_valid && !flush_q && (slot_free || abort_i);
  assign r_fire     = r_valid_i && r_ready_o;
  assign rf_beat    = h_rf && beat_q == 8'd0;
  assign burst_end  = beat_q == h_len;
  assign rl_beat    = h_rl && burst_end;
  assign info_pop   = r_fire && burst_end;
  assign resp_ok    = !r_resp_i[1];
  assign off        = rf_beat ? h_off : off_q;
  assign rem_now    = rf_beat ? cfg_len_i : rem_q;
  assign emit       = r_fire && resp_ok && !abort_i && (off == '0 || !rf_beat);
  assign flush_emit = flush_q && slot_free && !abort_i;
  assign pair       = {r_data_i, hold_q} >> {off, 3'b000};
  assign shifted    = (off == '0) ? r_data_i : pair[DataW-1:0];
  assign flushed    = hold_q >> {off_q, 3'b000};
  assign word       = flush_q ? flushed : shifted;
  assign take       = (rem_now >= LenW'(Bytes)) ? LenW'(Bytes) : rem_now;
  assign rem_after  = emit ? rem_now - take : rem_now;

  // Bytes of the emitted word: the first min(Bytes, remaining) lanes.
  logic [LenW-1:0]  strb_n;
  logic [Bytes-1:0] strb;
  logic [DataW-1:0] mask;
  assign strb_n = flush_q ? rem_q : take;
  always_comb begin
    for (int b = 0; b < Bytes; b++) begin
      strb[b] = LenW'(b) < strb_n;
      mask[b*8 +: 8] = {8{strb[b]}};
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni || start_i) begin
      beat_q  <= '0;
      flush_q <= 1'b0;
    end else begin
      if (r_fire) beat_q <= burst_end ? 8'd0 : beat_q + 1'b1;
      if (flush_q && (slot_free || abort_i)) flush_q <= 1'b0;
      else if (r_fire && rl_beat && resp_ok && !abort_i && rem_after != '0) flush_q <= 1'b1;
    end
  end

  always_ff @(posedge clk_i) begin
    if (r_fire) begin
      hold_q <= r_data_i;
      rem_q  <= rem_after;
      if (rf_beat) off_q <= h_off;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      ow_valid_q <= 1'b0;
    end else if (emit || flush_emit) begin
      ow_valid_q <= 1'b1;
    end else if (wr_ready_i) begin
      ow_valid_q <= 1'b0;
    end
  end
  always_ff @(posedge clk_i) begin
    if (start_i) begin
      sp_ptr_q <= cfg_sp_addr_i;
    end else if (emit || flush_emit) begin
      ow_data_q <= word & mask;
      ow_strb_q <= strb;
      ow_addr_q <= sp_ptr_q;
      sp_ptr_q  <= sp_ptr_q + 1'b1;
    end
  end

  assign wr_valid_o = ow_valid_q;
  assign wr_addr_o  = ow_addr_q;
  assign wr_data_o  = ow_data_q;
  assign wr_strb_o  = ow_strb_q;

  assign err_o      = r_fire && !resp_ok;
  assign err_dec_o  = r_resp_i[0];
  assign err_addr_o = h_addr;
  assign row_done_o = r_fire && rl_beat && resp_ok && !abort_i;
  assign r_fire_o   = r_fire;
  assign pending_o  = info_valid;
  assign idle_o     = !ar_valid_q && !info_valid && !flush_q && !ow_valid_q;

endmodule

`default_nettype wire
