// DMA engine, write direction (on-chip -> DRAM): reads on-chip words, realigns them into W
// beats with byte strobes and issues the bursts of npu_dma_agen on AW.
//
// On-chip reads use the request/response style of npu_pool: a request is issued only while
// the response FIFO has a free slot counting the requests in flight, so any read latency works
// and rsp_ready_o never has to drop (1 word/cycle while latency + 2 <= RspDepth). Each row
// starts at a new on-chip word, the same layout the read direction produces. A row at byte
// offset off builds beat j from two words: ({word j, word j-1} >> 8*(Bytes-off)), strobes
// cover exactly the row's bytes, so unaligned starts and ends write nothing else. Each AW
// leaves its W bookkeeping and its address (for the B response) in FIFOs of MaxOutstanding
// entries, which bounds the writes in flight. After an error (abort_i) no new AW is issued,
// the W beats still owed for issued bursts go out with zero strobes, outstanding on-chip
// responses are drained and every B is collected.
`default_nettype none

module npu_dma_wr #(
  parameter int AddrW          = 32,
  parameter int DataW          = 64,
  parameter int LenW           = 24,
  parameter int CntW           = 16,
  parameter int SpAddrW        = 16,
  parameter int MaxOutstanding = 8,
  parameter int RspDepth       = 8,
  localparam int OffW          = $clog2(DataW / 8),
  localparam int Bytes         = DataW / 8,
  localparam int WordsW        = LenW - OffW + 1
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               start_i,
  input  logic               abort_i,
  input  logic [LenW-1:0]    cfg_len_i,
  input  logic [WordsW-1:0]  cfg_words_i,  // on-chip words per row, ceil(len / Bytes)
  input  logic [CntW-1:0]    cfg_cnt1_i,
  input  logic [CntW-1:0]    cfg_cnt2_i,
  input  logic [CntW-1:0]    cfg_cnt3_i,
  input  logic [SpAddrW-1:0] cfg_sp_addr_i,
  input  logic               bst_valid_i,
  output logic               bst_ready_o,
  input  logic [AddrW-1:0]   bst_addr_i,
  input  logic [7:0]         bst_len_i,
  input  logic [OffW-1:0]    bst_off_i,
  input  logic               bst_row_first_i,
  input  logic               bst_row_last_i,
  // AXI4 write channels (ID, size and burst type are the parent's).
  output logic               aw_valid_o,
  input  logic               aw_ready_i,
  output logic [AddrW-1:0]   aw_addr_o,
  output logic [7:0]         aw_len_o,
  output logic               w_valid_o,
  input  logic               w_ready_i,
  output logic [DataW-1:0]   w_data_o,
  output logic [Bytes-1:0]   w_strb_o,
  output logic               w_last_o,
  input  logic               b_valid_i,
  output logic               b_ready_o,
  input  logic [1:0]         b_resp_i,
  // On-chip read stream: requests, then responses in request order.
  output logic               req_valid_o,
  input  logic               req_ready_i,
  output logic [SpAddrW-1:0] req_addr_o,
  input  logic               rsp_valid_i,
  output logic               rsp_ready_o,
  input  logic [DataW-1:0]   rsp_data_i,
  // Status towards the parent.
  output logic               err_o,        // a B response with SLVERR/DECERR
  output logic               err_dec_o,    // DECERR (else SLVERR)
  output logic [AddrW-1:0]   err_addr_o,   // address of that burst
  output logic               row_done_o,   // the last W beat of a row was issued
  output logic               w_fire_o,
  output logic               b_pending_o,  // bursts issued and not yet answered on B
  output logic               idle_o
);

  localparam int WInfoW = 8 + OffW + 2;
  localparam int CrW    = $clog2(RspDepth) + 1;
  localparam logic [CrW-1:0] Credits = RspDepth[CrW-1:0];

  // ---------------------------------------------------------------- on-chip read requests
  logic               req_active_q;
  logic [WordsW-1:0]  wc_q;
  logic [CntW-1:0]    i1_q, i2_q, i3_q;
  logic [SpAddrW-1:0] req_addr_q;
  logic [CrW-1:0]     cnt_q;  // requests in flight + responses buffered
  logic               req_fire, rsp_pop, rsp_valid, rsp_in_ready;
  logic [DataW-1:0]   rsp_head;

  assign req_valid_o = req_active_q && cnt_q != Credits;
  assign req_addr_o  = req_addr_q;
  assign req_fire    = req_valid_o && req_ready_i;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      req_active_q <= 1'b0;
    end else if (start_i) begin
      req_active_q <= 1'b1;
    end else if (abort_i && !(req_valid_o && !req_ready_i)) begin
      req_active_q <= 1'b0;  // never drop a request that is waiting for its ready
    end else if (req_fire && wc_q == WordsW'(1) && i1_q == cfg_cnt1_i - 1'b1 &&
                 i2_q == cfg_cnt2_i - 1'b1 && i3_q == cfg_cnt3_i - 1'b1) begin
      req_active_q <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (start_i) begin
      wc_q       <= cfg_words_i;
      i1_q       <= '0;
      i2_q       <= '0;
      i3_q       <= '0;
      req_addr_q <= cfg_sp_addr_i;
    end else if (req_fire) begin
      req_addr_q <= req_addr_q + 1'b1;
      if (wc_q != WordsW'(1)) begin
        wc_q <= wc_q - 1'b1;
      end else begin
        wc_q <= cfg_words_i;
        if (i1_q != cfg_cnt1_i - 1'b1) begin
          i1_q <= i1_q + 1'b1;
        end else begin
          i1_q <= '0;
          if (i2_q != cfg_cnt2_i - 1'b1) begin
            i2_q <= i2_q + 1'b1;
          end else begin
            i2_q <= '0;
            i3_q <= i3_q + 1'b1;
          end
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      cnt_q <= '0;
    end else if (req_fire && !rsp_pop) begin
      cnt_q <= cnt_q + 1'b1;
    end else if (rsp_pop && !req_fire) begin
      cnt_q <= cnt_q - 1'b1;
    end
  end

  /* verilator lint_off PINCONNECTEMPTY */
  // The credit counter, not the FIFO's count, limits the requests.
  npu_fifo #(
    .Width(DataW),
    .Depth(RspDepth)
  ) u_rsp (
    .clk_i,
    .rst_ni,
    .in_valid_i (rsp_valid_i),
    .in_ready_o (rsp_in_ready),
    .in_data_i  (rsp_data_i),
    .out_valid_o(rsp_valid),
    .out_ready_i(rsp_pop),
    .out_data_o (rsp_head),
    .count_o    ()
  );
  /* verilator lint_on PINCONNECTEMPTY */
  assign rsp_ready_o = rsp_in_ready;

  // ---------------------------------------------------------------- AW issue
  logic             aw_valid_q, winfo_ready, binfo_ready, load;
  logic [AddrW-1:0] aw_addr_q;
  logic [7:0]       aw_len_q;
  assign load = bst_valid_i && (!aw_valid_q || aw_ready_i) && winfo_ready && binfo_ready &&
                !abort_i;
  assign bst_ready_o = load;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      aw_valid_q <= 1'b0;
    end else if (load) begin
      aw_valid_q <= 1'b1;
    end else if (aw_ready_i) begin
      aw_valid_q <= 1'b0;
    end
  end
  always_ff @(posedge clk_i) begin
    if (load) begin
      aw_addr_q <= bst_addr_i;
      aw_len_q  <= bst_len_i;
    end
  end
  assign aw_valid_o = aw_valid_q;
  assign aw_addr_o  = aw_addr_q;
  assign aw_len_o   = aw_len_q;

  logic              winfo_valid, winfo_pop, binfo_valid, binfo_pop;
  logic [WInfoW-1:0] winfo;
  logic [7:0]        h_len;
  logic [OffW-1:0]   h_off;
  logic              h_rf, h_rl;
  logic [AddrW-1:0]  b_addr;
  /* verilator lint_off PINCONNECTEMPTY */
  npu_fifo #(
    .Width(WInfoW),
    .Depth(MaxOutstanding)
  ) u_winfo (
    .clk_i,
    .rst_ni,
    .in_valid_i (load),
    .in_ready_o (winfo_ready),
    .in_data_i  ({bst_len_i, bst_off_i, bst_row_first_i, bst_row_last_i}),
    .out_valid_o(winfo_valid),
    .out_ready_i(winfo_pop),
    .out_data_o (winfo),
    .count_o    ()
  );
  npu_fifo #(
    .Width(AddrW),
    .Depth(MaxOutstanding)
  ) u_binfo (
    .clk_i,
    .rst_ni,
    .in_valid_i (load),
    .in_ready_o (binfo_ready),
    .in_data_i  (bst_addr_i),
    .out_valid_o(binfo_valid),
    .out_ready_i(binfo_pop),
    .out_data_o (b_addr),
    .count_o    ()
  );
  /* verilator lint_on PINCONNECTEMPTY */
  assign {h_len, h_off, h_rf, h_rl} = winfo;

  // ---------------------------------------------------------------- W beats
  logic [7:0]        beat_q;
  logic [OffW-1:0]   off_q;
  logic [WordsW-1:0] wleft_q;
  logic [DataW-1:0]  hold_q;
  logic              w_valid_q, w_last_q;
  logic [DataW-1:0]  w_data_q;
  logic [Bytes-1:0]  w_strb_q;

  logic              rf_beat, rl_beat, burst_end, need_word, w_load;
  logic [OffW-1:0]   off;
  logic [WordsW-1:0] wl_now;
  logic [DataW-1:0]  cur;
  logic [OffW:0]     shift;
  logic [OffW:0]     hi;  // lanes below hi belong to the row in its last beat
  logic [Bytes-1:0]  strb;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [2*DataW-1:0] pair;  // only the low half of the shifted pair is a beat
  logic [LenW-1:0]    end_off;  // only the low OffW bits matter
  /* verilator lint_on UNUSEDSIGNAL */

  assign rf_beat   = h_rf && beat_q == 8'd0;
  assign burst_end = beat_q == h_len;
  assign rl_beat   = h_rl && burst_end;
  assign off       = rf_beat ? h_off : off_q;
  assign wl_now    = rf_beat ? cfg_words_i : wleft_q;
  assign need_word = wl_now != '0;
  assign w_load    = winfo_valid && (!w_valid_q || w_ready_i) &&
                     (abort_i || !need_word || rsp_valid);
  assign winfo_pop = w_load && burst_end;
  assign rsp_pop   = abort_i ? rsp_valid : (w_load && need_word);
  assign cur       = need_word ? rsp_head : '0;
  assign shift     = (OffW + 1)'(Bytes) - (OffW + 1)'(off);
  assign pair      = {cur, hold_q} >> {shift, 3'b000};
  assign end_off   = LenW'(off) + cfg_len_i - 1'b1;
  assign hi        = (OffW + 1)'(end_off[OffW-1:0]) + 1'b1;

  always_comb begin
    for (int b = 0; b < Bytes; b++) begin
      strb[b] = !abort_i;
      if (rf_beat && (OffW + 1)'(b) < (OffW + 1)'(off)) strb[b] = 1'b0;
      if (rl_beat && (OffW + 1)'(b) >= hi) strb[b] = 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni || start_i) begin
      beat_q <= '0;
    end else if (w_load) begin
      beat_q <= burst_end ? 8'd0 : beat_q + 1'b1;
    end
  end
  always_ff @(posedge clk_i) begin
    if (w_load) begin
      if (rf_beat) off_q <= h_off;
      wleft_q <= need_word ? wl_now - 1'b1 : wl_now;
      hold_q  <= cur;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      w_valid_q <= 1'b0;
    end else if (w_load) begin
      w_valid_q <= 1'b1;
    end else if (w_ready_i) begin
      w_valid_q <= 1'b0;
    end
  end
  always_ff @(posedge clk_i) begin
    if (w_load) begin
      w_data_q <= pair[DataW-1:0];
      w_strb_q <= strb;
      w_last_q <= burst_end;
    end
  end
  assign w_valid_o = w_valid_q;
  assign w_data_o  = w_data_q;
  assign w_strb_o  = w_strb_q;
  assign w_last_o  = w_last_q;

  // ---------------------------------------------------------------- B responses
  assign b_ready_o  = binfo_valid;
  assign binfo_pop  = b_valid_i && binfo_valid;
  assign err_o      = binfo_pop && b_resp_i[1];
  assign err_dec_o  = b_resp_i[0];
  assign err_addr_o = b_addr;

  assign row_done_o  = w_load && rl_beat && !abort_i;
  assign w_fire_o    = w_valid_q && w_ready_i;
  assign b_pending_o = binfo_valid;
  assign idle_o      = !aw_valid_q && !winfo_valid && !binfo_valid && !w_valid_q &&
                       !req_active_q && cnt_q == '0;

endmodule

`default_nettype wire
