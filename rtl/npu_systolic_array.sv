// Weight-stationary int8 systolic array: Rows reduction lanes x Cols output channels.
//
// Why weight-stationary, and the full timing argument: docs/architecture.md, "Systolic array".
// In short: row r holds element r of an im2col K-chunk, column c holds output channel c. A
// tile is a Rows x Cols block of weights; while it sits in the PEs' active registers, one
// pixel's K-chunk (Rows int8) enters per cycle and, Rows + Cols + 1 cycles later, that pixel's
// Cols int32 partial sums leave in one beat. The next tile's weights meanwhile shift down the
// columns into the shadow registers, and a swap marker that travels with the next tile's first
// activation switches each PE over exactly when that activation reaches it, so tiles stream
// back to back: a tile of M >= Rows vectors costs M cycles; a shorter one costs Rows (the
// weight load is the bottleneck then).
//
// Streams (valid/ready; data held stable while valid && !ready):
//   w_*  One weight row per beat, Rows beats per tile, BOTTOM ROW FIRST: beat j carries tile
//        row Rows-1-j (K element Rows-1-j of the chunk); w_data_i[c*8 +: 8] is column c.
//        Beats of the next tile are accepted once the current tile's first vector has been
//        accepted (the shadow registers are then free, top row first); one beat can wait in
//        an input register before that. w_ready_o is a register output.
//   a_*  One K-chunk per beat, a_data_i[r*8 +: 8] is row r. a_first_i marks the first vector
//        of a tile: that vector is accepted only once all Rows beats of its tile's weights
//        have been accepted (a_ready_o is low otherwise, so a_ready_o depends combinationally
//        on a_first_i, never on a_valid_i). The first vector after reset must have a_first_i.
//        a_last_i is carried through to o_last_o.
//   o_*  One pixel's partial sums per beat, o_data_o[c*32 +: 32] is column c; o_last_o marks
//        the tile's last vector. o_valid_o and o_data_o are register outputs.
// Backpressure: everything inside advances on one global enable, the ready output of a
// two-entry output buffer, so a stalled consumer freezes the whole array without dropping or
// duplicating anything: a_ready_o drops, and the weight input takes at most one more beat
// (into its input register). o_ready_i reaches no enable combinationally.
`default_nettype none

module npu_systolic_array #(
  parameter int Rows = 16,
  parameter int Cols = 16
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // Weight rows of the next tile.
  input  logic               w_valid_i,
  output logic               w_ready_o,
  input  logic [Cols*8-1:0]  w_data_i,
  // Activation K-chunks, one output pixel per beat.
  input  logic               a_valid_i,
  output logic               a_ready_o,
  input  logic [Rows*8-1:0]  a_data_i,
  input  logic               a_first_i,
  input  logic               a_last_i,
  // Partial sums, one output pixel per beat.
  output logic               o_valid_o,
  input  logic               o_ready_i,
  output logic [Cols*32-1:0] o_data_o,
  output logic               o_last_o
);

  localparam int CntW = (Rows > 1) ? $clog2(Rows) : 1;
  // Pipeline depth from an accepted vector to its aligned partial sums at the output buffer:
  // Rows + Cols - 1 skew, PE and de-skew stages for the last column, plus the PE's own stage.
  localparam int Latency = Rows + Cols;

  logic en;  // global enable: the output buffer can take whatever the pipeline delivers

  // ---------------------------------------------------------------------------------------
  // Tile handshake: shadow weights and the swap.
  // ---------------------------------------------------------------------------------------
  logic            shadow_full_q;  // all Rows beats of the next tile are in the shadow chain
  logic [CntW-1:0] wcnt_q;         // beats of the tile being loaded so far
  logic            wbuf_valid_q;   // one beat parked while the shadow registers are busy
  logic [Cols*8-1:0] wbuf_data_q;

  logic              a_fire, first_fire;
  logic              wsrc_valid, w_take, w_last_beat;
  logic [Cols*8-1:0] wsrc_data;

  assign a_ready_o  = en && (shadow_full_q || !a_first_i);
  assign a_fire     = a_valid_i && a_ready_o;
  assign first_fire = a_fire && a_first_i;

  // The parked beat goes first; a new beat bypasses the register when it is empty.
  assign w_ready_o  = !wbuf_valid_q;
  assign wsrc_valid = wbuf_valid_q || w_valid_i;
  assign wsrc_data  = wbuf_valid_q ? wbuf_data_q : w_data_i;
  // The shadow chain takes a beat when it holds no unconsumed tile, or in the very cycle the
  // unconsumed tile's first vector is accepted: that vector swaps PE(r, c) on the same edge
  // that beat r reaches it at the earliest, and a swap reads the shadow before the shift
  // overwrites it (docs/architecture.md derives this).
  assign w_take      = en && wsrc_valid && (!shadow_full_q || first_fire);
  assign w_last_beat = wcnt_q == CntW'(Rows - 1);

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      shadow_full_q <= 1'b0;
      wcnt_q        <= '0;
      wbuf_valid_q  <= 1'b0;
    end else begin
      shadow_full_q <= (shadow_full_q && !first_fire) || (w_take && w_last_beat);
      if (w_take) begin
        wcnt_q <= w_last_beat ? '0 : wcnt_q + CntW'(1);
      end
      if (wbuf_valid_q) begin
        wbuf_valid_q <= !w_take;
      end else begin
        wbuf_valid_q <= w_valid_i && !w_take;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!wbuf_valid_q && w_valid_i && !w_take) begin
      wbuf_data_q <= w_data_i;
    end
  end

  // ---------------------------------------------------------------------------------------
  // Edge skews. Column c sees a weight beat c cycles after column 0 and row r sees a vector
  // r cycles after row 0, so the swap wavefront (which moves one PE per cycle right and
  // down) and the weight load (top row first in every column) never overtake each other.
  // ---------------------------------------------------------------------------------------
  // Weight control: {beat valid, beat index}, one stage per column.
  logic [Cols*(CntW+1)-1:0] wctl;
  assign wctl[CntW:0] = {w_take, wcnt_q};
  for (genvar c = 1; c < Cols; c++) begin : g_wctl
    npu_delay_line #(.Width(CntW + 1), .Depth(1), .Reset(1'b1)) u_stage (
      .clk_i, .rst_ni, .en_i(en),
      .d_i(wctl[(c-1)*(CntW+1) +: CntW+1]),
      .q_o(wctl[c*(CntW+1) +: CntW+1])
    );
  end

  // Swap marker: one stage per row.
  logic [Rows-1:0] first_row;
  assign first_row[0] = first_fire;
  for (genvar r = 1; r < Rows; r++) begin : g_first
    npu_delay_line #(.Width(1), .Depth(1), .Reset(1'b1)) u_stage (
      .clk_i, .rst_ni, .en_i(en), .d_i(first_row[r-1]), .q_o(first_row[r])
    );
  end

  // Inter-PE nets, horizontal (Rows x (Cols+1)) and vertical ((Rows+1) x Cols), as unpacked
  // arrays of per-PE values: as packed vectors, driven slice by slice, Verilator rebuilt each
  // whole vector in every evaluation (wide copies and concatenations, quadratic in the width;
  // psum alone is 8704 bits at 16x16), which made npu_top at 16x16 simulate 4x slower.
  logic [7:0]  a_h     [Rows*(Cols+1)];
  logic        first_h [Rows*(Cols+1)];
  logic [7:0]  w_v     [(Rows+1)*Cols];
  logic [31:0] psum_v  [(Rows+1)*Cols];
  logic        w_shift [Rows*Cols];

  for (genvar r = 0; r < Rows; r++) begin : g_a_skew
    npu_delay_line #(.Width(8), .Depth(r)) u_skew (
      .clk_i, .rst_ni, .en_i(en),
      .d_i(a_data_i[r*8 +: 8]),
      .q_o(a_h[r*(Cols+1)])
    );
    assign first_h[r*(Cols+1)] = first_row[r];
  end

  for (genvar c = 0; c < Cols; c++) begin : g_w_skew
    npu_delay_line #(.Width(8), .Depth(c)) u_skew (
      .clk_i, .rst_ni, .en_i(en),
      .d_i(wsrc_data[c*8 +: 8]),
      .q_o(w_v[c])
    );
    assign psum_v[c] = '0;

    // Beat j of a tile shifts rows 0..j of the column: row r starts shifting with beat r,
    // i.e. after its own swap, and after beat Rows-1 row r holds beat Rows-1-r.
    logic            beat_valid;
    logic [CntW-1:0] beat_idx;
    assign {beat_valid, beat_idx} = wctl[c*(CntW+1) +: CntW+1];
    for (genvar r = 0; r < Rows; r++) begin : g_shift
      if (r == 0) begin : g_top
        assign w_shift[c] = beat_valid;
      end else begin : g_below
        assign w_shift[r*Cols + c] = beat_valid && (32'(beat_idx) >= r);
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // PE grid.
  // ---------------------------------------------------------------------------------------
  for (genvar r = 0; r < Rows; r++) begin : g_row
    for (genvar c = 0; c < Cols; c++) begin : g_col
      npu_pe u_pe (
        .clk_i,
        .rst_ni,
        .en_i     (en),
        .a_i      (a_h[r*(Cols+1)+c]),
        .first_i  (first_h[r*(Cols+1)+c]),
        .a_o      (a_h[r*(Cols+1)+c+1]),
        .first_o  (first_h[r*(Cols+1)+c+1]),
        .w_shift_i(w_shift[r*Cols+c]),
        .w_i      (w_v[r*Cols+c]),
        .w_o      (w_v[(r+1)*Cols+c]),
        .psum_i   (psum_v[r*Cols+c]),
        .psum_o   (psum_v[(r+1)*Cols+c])
      );
    end
  end

  // The right edge's activations and markers and the bottom row's shadow weights have no
  // consumer: the array ends there.
  logic [Rows*9-1:0] right_edge;
  for (genvar r = 0; r < Rows; r++) begin : g_right_edge
    assign right_edge[r*9 +: 9] = {first_h[r*(Cols+1)+Cols], a_h[r*(Cols+1)+Cols]};
  end
  logic [Cols*8-1:0] w_bottom;
  for (genvar c = 0; c < Cols; c++) begin : g_w_bottom
    assign w_bottom[c*8 +: 8] = w_v[Rows*Cols+c];
  end
  logic unused_edges;
  assign unused_edges = ^{right_edge, w_bottom};

  // ---------------------------------------------------------------------------------------
  // De-skew and output. Column c's sum leaves the bottom row c cycles after column 0's;
  // delaying it Cols-1-c more cycles aligns the whole pixel.
  // ---------------------------------------------------------------------------------------
  logic [Cols*32-1:0] sums;
  for (genvar c = 0; c < Cols; c++) begin : g_deskew
    npu_delay_line #(.Width(32), .Depth(Cols - 1 - c)) u_deskew (
      .clk_i, .rst_ni, .en_i(en),
      .d_i(psum_v[Rows*Cols+c]),
      .q_o(sums[c*32 +: 32])
    );
  end

  logic sums_valid, sums_last;
  npu_delay_line #(.Width(2), .Depth(Latency), .Reset(1'b1)) u_ctl (
    .clk_i, .rst_ni, .en_i(en),
    .d_i({a_fire, a_fire && a_last_i}),
    .q_o({sums_valid, sums_last})
  );

  npu_skid_buffer #(.Width(Cols*32 + 1)) u_out (
    .clk_i,
    .rst_ni,
    .valid_i(sums_valid),
    .ready_o(en),
    .data_i ({sums_last, sums}),
    .valid_o(o_valid_o),
    .ready_i(o_ready_i),
    .data_o ({o_last_o, o_data_o})
  );

`ifndef SYNTHESIS
  // Protocol (rtl/README.md, Assertions): weights and activations in (the output is the
  // skid buffer's, checked by its consumer).
  npu_assert_stream #(.Width(Cols * 8), .Name("npu_systolic_array w")) u_assert_w (
    .clk_i, .rst_ni, .valid_i (w_valid_i), .ready_i (w_ready_o), .data_i (w_data_i)
  );
  npu_assert_stream #(.Width(Rows * 8 + 1), .Name("npu_systolic_array a")) u_assert_a (
    .clk_i, .rst_ni, .valid_i (a_valid_i), .ready_i (a_ready_o), .data_i ({a_data_i, a_last_i})
  );
`endif

endmodule

`default_nettype wire
