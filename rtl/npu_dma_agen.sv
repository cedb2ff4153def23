// DMA engine: walks a strided descriptor row by row and cuts every row into AXI INCR bursts.
//
// A row is cfg_len_i contiguous bytes at base + i1*stride1 + i2*stride2 + i3*stride3 (i1
// innermost). Bursts are full-width (AxSIZE = log2 of the bus bytes) and start at the row's
// address rounded down to the bus width, so byte granularity costs only the realignment in
// the read/write paths. A burst ends at the row's end, at MaxBurst beats or at the next 4 KiB
// boundary, whichever comes first. One burst per cycle leaves the output register.
//
// Two stages keep every 32-bit addition off the burst decision (docs/dma.md, "Address
// generator timing"):
// - the walker holds the base of the next row, computed one row ahead (one adder: the base of
//   the innermost loop level that does not wrap plus its stride; loop positions are down
//   counters with registered "last iteration" flags, so no count comparison sits in front of
//   the adder);
// - the cutter holds the current row as its aligned burst address, the beats left in the row
//   and the beats left to the 4 KiB boundary. The burst decision compares two registered
//   counters with each other and with MaxBurst; the next row is taken from the walker's
//   register, so a row can end in every cycle.
`default_nettype none

module npu_dma_agen #(
  parameter int AddrW    = 32,
  parameter int DataW    = 64,
  parameter int LenW     = 24,
  parameter int CntW     = 16,
  parameter int MaxBurst = 256,  // beats, 1..256
  localparam int OffW    = $clog2(DataW / 8)
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             start_i,   // load the configuration and start walking
  input  logic             abort_i,   // stop at once (after an error); drops the burst register
  input  logic [AddrW-1:0] cfg_addr_i,
  input  logic [LenW-1:0]  cfg_len_i,    // >= 1
  input  logic [CntW-1:0]  cfg_cnt1_i,   // >= 1 each
  input  logic [AddrW-1:0] cfg_stride1_i,
  input  logic [CntW-1:0]  cfg_cnt2_i,
  input  logic [AddrW-1:0] cfg_stride2_i,
  input  logic [CntW-1:0]  cfg_cnt3_i,
  input  logic [AddrW-1:0] cfg_stride3_i,
  output logic             busy_o,
  output logic             bst_valid_o,
  input  logic             bst_ready_i,
  output logic [AddrW-1:0] bst_addr_o,      // aligned to the bus width
  output logic [7:0]       bst_len_o,       // beats - 1 (AxLEN)
  output logic [OffW-1:0]  bst_off_o,       // byte offset of the row start in its first beat
  output logic             bst_row_first_o, // first burst of a row
  output logic             bst_row_last_o,  // last burst of a row
  output logic             bst_last_o       // last burst of the descriptor
);

  localparam int Bytes     = DataW / 8;
  localparam int PageBeats = 4096 / Bytes;
  localparam int PageW     = $clog2(PageBeats + 1);
  localparam int LeftW     = LenW - OffW + 1;  // beats of a row: ceil((off + len) / Bytes)
  localparam int CmpW      = (LeftW > PageW ? LeftW : PageW) + 1;
  localparam int BeatW     = 9;                // 1..MaxBurst

  // ---------------------------------------------------------------- walker (next row)
  logic             nvalid_q;        // nxt_q holds a row (else the cutter's row is the last)
  logic [AddrW-1:0] nxt_q, a2_q, a3_q;  // next row's base; bases of its level-2/3 iterations
  logic [CntW-1:0]  r1_q, r2_q, r3_q;   // iterations left after it per level
  logic             l1_q, l2_q, l3_q;   // r*_q == 0

  // At start the walker steps from row 0 (taken from the configuration) to row 1.
  logic [AddrW-1:0] w_base, w_a2, w_a3, w_stride, w_next;
  logic [CntW-1:0]  w_r1, w_r2, w_r3, cnt1_m1, cnt2_m1, cnt3_m1;
  logic             w_l1, w_l2, w_l3, lvl2, lvl3, take;
  assign cnt1_m1 = cfg_cnt1_i - 1'b1;
  assign cnt2_m1 = cfg_cnt2_i - 1'b1;
  assign cnt3_m1 = cfg_cnt3_i - 1'b1;
  assign w_base  = start_i ? cfg_addr_i : nxt_q;
  assign w_a2    = start_i ? cfg_addr_i : a2_q;
  assign w_a3    = start_i ? cfg_addr_i : a3_q;
  assign w_r1    = start_i ? cnt1_m1 : r1_q;
  assign w_r2    = start_i ? cnt2_m1 : r2_q;
  assign w_r3    = start_i ? cnt3_m1 : r3_q;
  assign w_l1    = start_i ? cfg_cnt1_i == CntW'(1) : l1_q;
  assign w_l2    = start_i ? cfg_cnt2_i == CntW'(1) : l2_q;
  assign w_l3    = start_i ? cfg_cnt3_i == CntW'(1) : l3_q;
  assign lvl2    = w_l1;           // loop 1 wraps: level 2 (or 3) advances
  assign lvl3    = w_l1 && w_l2;   // loops 1 and 2 wrap: level 3 advances
  assign w_stride = lvl3 ? cfg_stride3_i : lvl2 ? cfg_stride2_i : cfg_stride1_i;
  assign w_next   = (lvl3 ? w_a3 : lvl2 ? w_a2 : w_base) + w_stride;

  always_ff @(posedge clk_i) begin
    if (start_i || take) begin
      nxt_q    <= w_next;
      nvalid_q <= !(w_l1 && w_l2 && w_l3);
      r1_q     <= lvl2 ? cnt1_m1 : w_r1 - 1'b1;
      l1_q     <= lvl2 ? cfg_cnt1_i == CntW'(1) : w_r1 == CntW'(1);
      a2_q     <= lvl2 ? w_next : w_a2;
      r2_q     <= lvl3 ? cnt2_m1 : lvl2 ? w_r2 - 1'b1 : w_r2;
      l2_q     <= lvl3 ? cfg_cnt2_i == CntW'(1) : lvl2 ? w_r2 == CntW'(1) : w_l2;
      a3_q     <= lvl3 ? w_next : w_a3;
      r3_q     <= lvl3 ? w_r3 - 1'b1 : w_r3;
      l3_q     <= lvl3 ? w_r3 == CntW'(1) : w_l3;
    end
  end

  // ---------------------------------------------------------------- cutter (current row)
  logic             active_q, first_q;
  logic [AddrW-1:0] cur_q;   // aligned address of the next burst
  logic [LeftW-1:0] left_q;  // beats left in the row
  logic [PageW-1:0] page_q;  // beats left to the 4 KiB boundary, 1..PageBeats
  logic [OffW-1:0]  off_q;

  logic             v_q, rf_q, rl_q, last_q;
  logic [AddrW-1:0] addr_q;
  logic [7:0]       len_q;
  logic [OffW-1:0]  boff_q;

  // A new row (row 0 at start, else the walker's) in the cutter's terms.
  logic [AddrW-1:0] r_base;
  logic [LenW:0]    r_bytes;
  logic [LeftW-1:0] r_left;
  logic [PageW-1:0] r_page;
  assign r_base  = start_i ? cfg_addr_i : nxt_q;
  assign r_bytes = {1'b0, cfg_len_i} + (LenW + 1)'(r_base[OffW-1:0]) + (LenW + 1)'(Bytes - 1);
  assign r_left  = LeftW'(r_bytes >> OffW);
  assign r_page  = PageW'(PageBeats) - PageW'(r_base[11:OffW]);

  // The burst: the rest of the row if it fits under both limits, else the smaller limit.
  logic             row_done, page_cut, load;
  logic [BeatW-1:0] cap, beats;
  assign page_cut = CmpW'(page_q) <= CmpW'(MaxBurst);
  assign cap      = page_cut ? BeatW'(page_q) : BeatW'(MaxBurst);
  assign row_done = CmpW'(left_q) <= CmpW'(page_q) && CmpW'(left_q) <= CmpW'(MaxBurst);
  assign beats    = row_done ? BeatW'(left_q) : cap;
  assign load     = active_q && (!v_q || bst_ready_i);
  assign take     = load && row_done && nvalid_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni || abort_i) begin
      active_q <= 1'b0;
      v_q      <= 1'b0;
    end else if (start_i) begin
      active_q <= 1'b1;
      v_q      <= 1'b0;
    end else begin
      if (load) begin
        v_q <= 1'b1;
        if (row_done && !nvalid_q) active_q <= 1'b0;
      end else if (bst_ready_i) begin
        v_q <= 1'b0;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (start_i || take) begin
      cur_q   <= {r_base[AddrW-1:OffW], OffW'(0)};
      left_q  <= r_left;
      page_q  <= r_page;
      off_q   <= r_base[OffW-1:0];
      first_q <= 1'b1;
    end else if (load) begin
      // On the last row's last burst these values are left unused.
      cur_q   <= cur_q + (AddrW'(cap) << OffW);
      left_q  <= left_q - LeftW'(cap);
      page_q  <= page_cut ? PageW'(PageBeats) : page_q - PageW'(MaxBurst);
      first_q <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (load) begin
      addr_q <= cur_q;
      len_q  <= 8'(beats - 1'b1);
      boff_q <= off_q;
      rf_q   <= first_q;
      rl_q   <= row_done;
      last_q <= row_done && !nvalid_q;
    end
  end

  assign busy_o          = active_q || v_q;
  assign bst_valid_o     = v_q;
  assign bst_addr_o      = addr_q;
  assign bst_len_o       = len_q;
  assign bst_off_o       = boff_q;
  assign bst_row_first_o = rf_q;
  assign bst_row_last_o  = rl_q;
  assign bst_last_o      = last_q;

endmodule

`default_nettype wire
