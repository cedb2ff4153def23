// Accumulator scratchpad: two banks of Depth words x Cols int32. Adds the array's partial
// sums across K-chunks (the first chunk of a tile set writes, later chunks read-modify-write)
// and, once a bank holds the final sums of one (M-block, N-tile), drains it to the
// post-processing unit while the array fills the other bank.
//
// Input: the array's output stream, one pixel per beat, in_last_i on a tile's last pixel.
// The tile order is the im2col's (M-block > N-tile > K-chunk > pixel), so counting tiles
// tells which K-chunk and N-tile a beat belongs to; the pixel's word is its index within the
// tile (M-block sizes never exceed Depth). A beat of a tile set's first chunk waits while its
// bank is still full (being drained): that stall is the only backpressure on the array.
// The RMW read and its write are two cycles apart (read, register the old word, add and
// write), so the SRAM macro's access time and the 32-bit add never share a cycle; a read
// issued while one of the two previous beats' writes of the same word is still ahead of it
// (short M-blocks, e.g. a 1-pixel FC layer) takes the newer value by forwarding.
//
// Drain: one word per cycle, with the channel group (N-tile) and the output activation word
// address cfg_out_base + pixel * cfg_out_groups + N-tile as sideband, banks in fill order.
// With cfg_res_en_i, every drained word also reads the residual word at the same offset from
// cfg_res_base_i (same cycle, so both arrive together and share the FIFO entry).
// busy_o falls when the job's last bank is drained (all words handed to out_*).
`default_nettype none

module npu_accum #(
  parameter int Cols = 16,
  parameter int Depth = 512,     // words per bank
  parameter int OutAW = 13,      // output activation word address
  parameter int GrpW = 8,
  parameter int KcW = 12,        // K-chunks < 2^KcW
  parameter int PixW = 20,
  localparam int Lanes8 = Cols * 8,
  localparam int BlkW = $clog2(Depth + 1),
  localparam int BankAW = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                start_i,      // taken while !busy_o
  output logic                busy_o,
  input  logic [KcW-1:0]      cfg_kchunks_i,
  input  logic [GrpW-1:0]     cfg_ntiles_i,
  input  logic [PixW-1:0]     cfg_pixels_i,
  input  logic [OutAW-1:0]    cfg_out_base_i,
  input  logic [GrpW-1:0]     cfg_out_groups_i,
  input  logic                cfg_res_en_i,     // read a residual word with every drained word
  input  logic [OutAW-1:0]    cfg_res_base_i,   // residual tensor, same layout as the output
  // Partial sums from the array.
  input  logic                in_valid_i,
  output logic                in_ready_o,
  input  logic [Cols*32-1:0]  in_data_i,
  input  logic                in_last_i,
  // Final sums to the post-processing unit.
  output logic                out_valid_o,
  input  logic                out_ready_i,
  output logic [Cols*32-1:0]  out_data_o,
  output logic [GrpW-1:0]     out_group_o,
  output logic [OutAW-1:0]    out_addr_o,
  output logic [Lanes8-1:0]   out_res_o,    // residual word of the same pixel and channels
  output logic                stall_o,      // a beat waits for a bank still being drained
  // Residual read port (activation bank, 1-cycle latency, never busy while this unit runs).
  output logic                res_rd_en_o,
  output logic [OutAW-1:0]    res_rd_addr_o,
  input  logic [Lanes8-1:0]   res_rd_data_i
);

  localparam int FifoDepth = 4;
  localparam int CntW = $clog2(FifoDepth + 1);
  localparam int W = Cols * 32;

  logic busy_q;

  // ---------------------------------------------------------------- fill side
  logic [KcW-1:0]  kc_q;
  logic [GrpW-1:0] nt_q;
  logic [BlkW-1:0] pix_q;
  logic [PixW-1:0] m0_q;
  logic            wbank_q;
  logic [1:0]      full_q;
  logic            accept, first_chunk, last_chunk;

  assign first_chunk = kc_q == '0;
  assign last_chunk  = kc_q == cfg_kchunks_i - 1'b1;

  // Stage B: the beat accepted last cycle, its old word arriving from the bank.
  // Stage C: the beat, its old word registered, the sum written back.
  logic              s1_valid_q, s1_add_q, s1_bank_q, s1_fin_q, s1_final_q;
  logic              s2f_valid_q, s2f_add_q, s2f_bank_q, s2f_fin_q, s2f_final_q;
  logic [BankAW-1:0] s1_addr_q, s2f_addr_q;
  logic [W-1:0]      s1_data_q, s2f_data_q, s2f_old_q;
  logic [GrpW-1:0]   s1_nt_q, s2f_nt_q;
  logic [PixW-1:0]   s1_m0_q, s2f_m0_q;
  logic [BlkW-1:0]   s1_cnt_q, s2f_cnt_q;
  // The writes of the previous two cycles (lw0 the newer), for forwarding: the bank read of
  // the beat in stage C was issued before either of them reached the bank.
  logic              lw0_valid_q, lw0_bank_q, lw1_valid_q, lw1_bank_q;
  logic [BankAW-1:0] lw0_addr_q, lw1_addr_q;
  logic [W-1:0]      lw0_data_q, lw1_data_q;

  // The fill side sees a bank as full from the cycle its last word is in stage C: with
  // one-beat tile sets (an FC layer with one K-chunk) the next tile set for that bank can
  // arrive in the very cycle the write happens, before full_q is set.
  logic fill_full;
  assign fill_full   = full_q[wbank_q] || (s2f_valid_q && s2f_fin_q && s2f_bank_q == wbank_q);
  assign in_ready_o  = busy_q && !(first_chunk && fill_full);
  assign accept      = in_valid_i && in_ready_o;
  assign stall_o     = busy_q && in_valid_i && !in_ready_o;

  logic [W-1:0] rdata [2];
  logic [W-1:0] old, sum;
  logic         fwd0, fwd1;
  assign fwd0 = lw0_valid_q && lw0_bank_q == s2f_bank_q && lw0_addr_q == s2f_addr_q;
  assign fwd1 = lw1_valid_q && lw1_bank_q == s2f_bank_q && lw1_addr_q == s2f_addr_q;
  always_comb begin
    old = fwd0 ? lw0_data_q : fwd1 ? lw1_data_q : s2f_old_q;
    for (int c = 0; c < Cols; c++) begin
      sum[c*32 +: 32] = s2f_add_q ? old[c*32 +: 32] + s2f_data_q[c*32 +: 32]
                                  : s2f_data_q[c*32 +: 32];
    end
  end

  always_ff @(posedge clk_i) begin
    s1_add_q    <= !first_chunk;
    s1_bank_q   <= wbank_q;
    s1_fin_q    <= in_last_i && last_chunk;
    s1_final_q  <= (nt_q == cfg_ntiles_i - 1'b1)
                && (m0_q + PixW'(pix_q) + PixW'(1) == cfg_pixels_i);
    s1_addr_q   <= BankAW'(pix_q);
    s1_data_q   <= in_data_i;
    s1_nt_q     <= nt_q;
    s1_m0_q     <= m0_q;
    s1_cnt_q    <= pix_q + 1'b1;
    s2f_add_q   <= s1_add_q;
    s2f_bank_q  <= s1_bank_q;
    s2f_fin_q   <= s1_fin_q;
    s2f_final_q <= s1_final_q;
    s2f_addr_q  <= s1_addr_q;
    s2f_data_q  <= s1_data_q;
    s2f_old_q   <= rdata[s1_bank_q];
    s2f_nt_q    <= s1_nt_q;
    s2f_m0_q    <= s1_m0_q;
    s2f_cnt_q   <= s1_cnt_q;
    lw0_bank_q  <= s2f_bank_q;
    lw0_addr_q  <= s2f_addr_q;
    lw0_data_q  <= sum;
    lw1_bank_q  <= lw0_bank_q;
    lw1_addr_q  <= lw0_addr_q;
    lw1_data_q  <= lw0_data_q;
  end

  // ---------------------------------------------------------------- drain side
  logic              rbank_q, d_active_q, d_final_q, all_read_q;
  logic [BlkW-1:0]   d_idx_q, d_cnt_q;
  logic [OutAW-1:0]  d_addr_q, r_addr_q;
  logic [GrpW-1:0]   d_nt_q;
  logic [GrpW-1:0]   req_nt_q [2];
  logic [OutAW-1:0]  req_off_q [2];  // the bank's word offset in the output (m0 * groups + nt)
  logic [BlkW-1:0]   req_cnt_q [2];
  logic [1:0]        req_final_q;
  logic              s2_valid_q, s2_bank_q;
  logic [OutAW-1:0]  s2_addr_q;
  logic [GrpW-1:0]   s2_nt_q;
  logic [CntW-1:0]   fifo_count;
  logic              d_fire, d_last, d_start;

  assign d_start = busy_q && !d_active_q && full_q[rbank_q];
  assign d_fire  = d_active_q && ((32'(fifo_count) + 32'(s2_valid_q)) < FifoDepth);
  assign d_last  = d_idx_q == d_cnt_q - 1'b1;
  assign res_rd_en_o = d_fire && cfg_res_en_i;
  assign res_rd_addr_o = r_addr_q;

  // The bank's word offset in the output is computed when its last word is written (stage C),
  // so the drain start only adds the base: the multiply there was the 8x8 chip's worst path.
  logic [OutAW-1:0] d_off;
  assign d_off = req_off_q[rbank_q];

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q <= 1'b0;
      kc_q <= '0;
      nt_q <= '0;
      pix_q <= '0;
      m0_q <= '0;
      wbank_q <= 1'b0;
      full_q <= '0;
      s1_valid_q <= 1'b0;
      s2f_valid_q <= 1'b0;
      lw0_valid_q <= 1'b0;
      lw1_valid_q <= 1'b0;
      rbank_q <= 1'b0;
      d_active_q <= 1'b0;
      all_read_q <= 1'b0;
      s2_valid_q <= 1'b0;
    end else begin
      s1_valid_q <= accept;
      s2f_valid_q <= s1_valid_q;
      lw0_valid_q <= s2f_valid_q;
      lw1_valid_q <= lw0_valid_q;
      s2_valid_q <= d_fire;
      if (!busy_q) begin
        busy_q <= start_i;
        kc_q <= '0;
        nt_q <= '0;
        pix_q <= '0;
        m0_q <= '0;
        wbank_q <= 1'b0;
        rbank_q <= 1'b0;
        all_read_q <= 1'b0;
      end else if (all_read_q && !s2_valid_q && fifo_count == '0) begin
        busy_q <= 1'b0;
      end
      if (accept) begin
        if (!in_last_i) begin
          pix_q <= pix_q + 1'b1;
        end else begin
          pix_q <= '0;
          if (!last_chunk) begin
            kc_q <= kc_q + 1'b1;
          end else begin
            kc_q <= '0;
            wbank_q <= !wbank_q;
            if (nt_q != cfg_ntiles_i - 1'b1) begin
              nt_q <= nt_q + 1'b1;
            end else begin
              nt_q <= '0;
              m0_q <= m0_q + PixW'(pix_q) + PixW'(1);
            end
          end
        end
      end
      // A bank becomes full when its last word is written (stage C), so the drain never
      // reads a word before its final write; it is free once its last word has been read.
      for (int b = 0; b < 2; b++) begin
        if (s2f_valid_q && s2f_fin_q && s2f_bank_q == 1'(b)) begin
          full_q[b] <= 1'b1;
        end else if (d_fire && d_last && rbank_q == 1'(b)) begin
          full_q[b] <= 1'b0;
        end
      end
      if (d_start) begin
        d_active_q <= 1'b1;
      end else if (d_fire && d_last) begin
        d_active_q <= 1'b0;
        rbank_q <= !rbank_q;
        if (d_final_q) all_read_q <= 1'b1;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (s2f_valid_q && s2f_fin_q) begin
      req_nt_q[s2f_bank_q]    <= s2f_nt_q;
      req_off_q[s2f_bank_q]   <= OutAW'(s2f_m0_q * PixW'(cfg_out_groups_i)) + OutAW'(s2f_nt_q);
      req_cnt_q[s2f_bank_q]   <= s2f_cnt_q;
      req_final_q[s2f_bank_q] <= s2f_final_q;
    end
    if (d_start) begin
      d_idx_q   <= '0;
      d_cnt_q   <= req_cnt_q[rbank_q];
      d_nt_q    <= req_nt_q[rbank_q];
      d_final_q <= req_final_q[rbank_q];
      d_addr_q  <= cfg_out_base_i + d_off;
      r_addr_q  <= cfg_res_base_i + d_off;
    end else if (d_fire) begin
      d_idx_q  <= d_idx_q + 1'b1;
      d_addr_q <= d_addr_q + OutAW'(cfg_out_groups_i);
      r_addr_q <= r_addr_q + OutAW'(cfg_out_groups_i);
    end
    s2_bank_q <= rbank_q;
    s2_addr_q <= d_addr_q;
    s2_nt_q   <= d_nt_q;
  end

  // ---------------------------------------------------------------- banks
  for (genvar b = 0; b < 2; b++) begin : g_bank
    logic rd_fill, rd_drain;
    assign rd_fill  = accept && !first_chunk && wbank_q == 1'(b);
    assign rd_drain = d_fire && rbank_q == 1'(b);
    npu_sram #(.Width(W), .Depth(Depth)) u_sram (
      .clk_i,
      .wr_en_i   (s2f_valid_q && s2f_bank_q == 1'(b)),
      .wr_addr_i (s2f_addr_q),
      .wr_data_i (sum),
      .rd_en_i   (rd_fill || rd_drain),
      .rd_addr_i (rd_drain ? BankAW'(d_idx_q) : BankAW'(pix_q)),
      .rd_data_o (rdata[b])
    );
  end

  npu_fifo #(.Width(W + Lanes8 + GrpW + OutAW), .Depth(FifoDepth)) u_fifo (
    .clk_i,
    .rst_ni,
    .in_valid_i (s2_valid_q),
    /* verilator lint_off PINCONNECTEMPTY */
    .in_ready_o (),  // never full: reads are issued against its free slots
    /* verilator lint_on PINCONNECTEMPTY */
    .in_data_i  ({rdata[s2_bank_q], res_rd_data_i, s2_nt_q, s2_addr_q}),
    .out_valid_o,
    .out_ready_i,
    .out_data_o ({out_data_o, out_res_o, out_group_o, out_addr_o}),
    .count_o    (fifo_count)
  );

  assign busy_o = busy_q;

`ifndef SYNTHESIS
  // Protocol (rtl/README.md, Assertions): the array's sums in, words out.
  npu_assert_stream #(.Width(Cols * 32 + 1), .Name("npu_accum in")) u_assert_in (
    .clk_i, .rst_ni, .valid_i (in_valid_i), .ready_i (in_ready_o), .data_i ({in_data_i, in_last_i})
  );
  npu_assert_stream #(.Width(Cols * 32 + OutAW + Lanes8), .Name("npu_accum out")) u_assert_out (
    .clk_i, .rst_ni, .valid_i (out_valid_o), .ready_i (out_ready_i), .data_i ({out_data_o, out_addr_o, out_res_o})
  );
`endif

endmodule

`default_nettype wire
