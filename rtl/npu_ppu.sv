// Post-processing unit: int32 accumulators of Lanes consecutive output channels of one pixel
// in, the int8 outputs of the same channels out, one vector per cycle. Per channel:
//   a = clamp8(ReLU?(MBQM(acc + bias[c], M[c], shift[c])) + zp)             (requantize)
//   y = clamp8(ReLU?(MBQM(MBQM(a-zp_a << 20, Ma, sa) + MBQM(b-zp_b << 20, Mb, sb),
//                         Mo, so)) + zp_o)                          (fused residual add)
// bit-exact with golden Requantizer::apply and AddParams::apply (docs/ppu.md).
//
// Modes (cfg_mode_i): 0 conv (y = a; the residual stream is not used), 1 conv + residual add,
// 2 add only (acc_data_i lane bits 7:0 carry input a; bias, table and conv zp are unused),
// 3 reserved (reported on cfg_err_o, runs as 0).
//
// The pipeline (npu_ppu_lane.sv, Latency stages) never stalls. Backpressure is handled by
// credits: a beat is admitted only while the output queue has a slot for every beat in
// flight plus it, so out_ready_i reaches neither the datapath flops (no enable muxes on
// thousands of bits, no high-fanout stall net) nor acc_ready_o combinationally. A queue of
// Latency + 2 entries sustains one beat per cycle; the price is that queue (8 bits per
// lane and entry), far less than enables on every stage.
//
// Serial = 1 (the FPGA build, docs/fpga.md) keeps one lane instead of Lanes: a beat is
// accepted every Lanes cycles and its channels go through the one lane on consecutive cycles,
// the table is a single channel-deep RAM (one EBR-friendly bank instead of Lanes). Same
// arithmetic (the same npu_ppu_lane), so the same bytes; the latency grows by Lanes cycles,
// and a table row may be rewritten only once no beat still in the unit's first Lanes cycles
// reads it. Serial = 0 is the unit described above, unchanged.
//
// Configuration (cfg_*) must not change from the cycle the first beat of a layer is accepted
// until idle_o is back: it is registered once and then used at every stage. The table
// (prm_*) may be written at any time for rows that no beat still to be accepted will read:
// a row is read in the cycle its beat is accepted.
`default_nettype none

module npu_ppu #(
  parameter int Lanes = 16,         // output channels per beat (array columns)
  parameter int MaxChannels = 1024, // table depth: output channels of the widest layer
  parameter int UserW = 1,          // sideband carried from acc_user_i to out_user_o
  parameter bit Serial = 1'b0,      // one time-multiplexed lane (Lanes >= 2)
  localparam int ChanW = $clog2(MaxChannels),
  localparam int Groups = MaxChannels / Lanes,
  localparam int GroupW = (Groups > 1) ? $clog2(Groups) : 1
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,

  // Per-layer configuration.
  input  logic [1:0]           cfg_mode_i,
  input  logic [7:0]           cfg_zp_i,            // conv output zero point
  input  logic                 cfg_relu_i,          // conv ReLU
  input  logic [7:0]           cfg_add_zp_a_i,      // golden AddParams fields
  input  logic [7:0]           cfg_add_zp_b_i,
  input  logic [7:0]           cfg_add_zp_out_i,
  input  logic [31:0]          cfg_add_mult_a_i,
  input  logic [31:0]          cfg_add_mult_b_i,
  input  logic [31:0]          cfg_add_mult_out_i,
  input  logic [5:0]           cfg_add_shift_a_i,   // -31..0
  input  logic [5:0]           cfg_add_shift_b_i,   // -31..0
  input  logic [5:0]           cfg_add_shift_out_i, // -31..30
  input  logic                 cfg_add_relu_i,
  output logic                 cfg_err_o,           // reserved mode or shift out of range

  // Parameter table writes, one channel per beat.
  input  logic                 prm_valid_i,
  output logic                 prm_ready_o,
  input  logic [ChanW-1:0]     prm_chan_i,
  input  logic [31:0]          prm_bias_i,          // bias - zp_in * sum_k w[c][k]
  input  logic [31:0]          prm_mult_i,
  input  logic [5:0]           prm_shift_i,         // -31..30

  // Accumulators (bias not included) of channels acc_group_i * Lanes + (0..Lanes-1).
  input  logic                 acc_valid_i,
  output logic                 acc_ready_o,
  input  logic [Lanes*32-1:0]  acc_data_i,
  input  logic [GroupW-1:0]    acc_group_i,
  input  logic [UserW-1:0]     acc_user_i,

  // Residual (shortcut) tensor, same pixel and channel order; modes 1 and 2 only.
  input  logic                 res_valid_i,
  output logic                 res_ready_o,
  input  logic [Lanes*8-1:0]   res_data_i,

  output logic                 out_valid_o,
  input  logic                 out_ready_i,
  output logic [Lanes*8-1:0]   out_data_o,
  output logic [UserW-1:0]     out_user_o,

  output logic                 idle_o               // nothing in flight or queued
);
  localparam int Latency = 21;
  // Output queue: a slot per beat that can be in flight (Serial: one enters every Lanes cycles).
  localparam int Depth = Serial ? Latency / Lanes + 3 : Latency + 2;
  localparam int EntryW = 70;
  localparam int CountW = $clog2(Depth + 1);
  localparam logic [1:0] ModeConvAdd = 2'd1, ModeAdd = 2'd2, ModeReserved = 2'd3;  // 0: conv

  // ---------------------------------------------------------------- configuration
  logic add_on;  // the layer has an add, and so a residual stream
  assign add_on = (cfg_mode_i == ModeConvAdd) || (cfg_mode_i == ModeAdd);

  // Legal shifts: -31..30 (6'b100000 = -32 and 6'b011111 = 31 are not); the input rescales
  // only shift right, as golden AddParams::make builds them (their factors are <= 1/2).
  logic right_a_ok, right_b_ok, shift_out_ok;
  assign right_a_ok = cfg_add_shift_a_i[5] ? cfg_add_shift_a_i != 6'b100000
                                           : cfg_add_shift_a_i == 6'd0;
  assign right_b_ok = cfg_add_shift_b_i[5] ? cfg_add_shift_b_i != 6'b100000
                                           : cfg_add_shift_b_i == 6'd0;
  assign shift_out_ok = cfg_add_shift_out_i != 6'b100000 && cfg_add_shift_out_i != 6'b011111;
  assign cfg_err_o = (cfg_mode_i == ModeReserved)
      || (add_on && !(right_a_ok && right_b_ok && shift_out_ok));

  // Effective values: the conv stages become an identity for add-only layers, the add
  // stages one for conv-only layers (exact, see npu_ppu_lane.sv and docs/ppu.md).
  logic        bypass_q, conv_relu_q, relu_o_q;
  logic [7:0]  conv_zp_q, zp_a_q, zp_b_q, zp_o_q;
  logic [31:0] mult_a_q, mult_b_q, mult_o_q;
  logic [4:0]  right_a_q, right_b_q;
  logic [5:0]  shift_o_q;
  logic [4:0]  neg_a, neg_b;  // -shift for shift in -31..0; negation mod 32 needs 5 bits
  assign neg_a = 5'd0 - cfg_add_shift_a_i[4:0];
  assign neg_b = 5'd0 - cfg_add_shift_b_i[4:0];
  always_ff @(posedge clk_i) begin
    bypass_q <= cfg_mode_i == ModeAdd;
    conv_zp_q <= (cfg_mode_i == ModeAdd) ? 8'd0 : cfg_zp_i;
    conv_relu_q <= (cfg_mode_i == ModeAdd) ? 1'b0 : cfg_relu_i;
    zp_a_q <= add_on ? cfg_add_zp_a_i : 8'd0;
    zp_b_q <= add_on ? cfg_add_zp_b_i : 8'd0;
    mult_a_q <= add_on ? cfg_add_mult_a_i : 32'h4000_0000;  // a * 2^19 exactly
    mult_b_q <= add_on ? cfg_add_mult_b_i : 32'd0;          // b * 0
    right_a_q <= (add_on && cfg_add_shift_a_i[5]) ? neg_a : 5'd0;
    right_b_q <= (add_on && cfg_add_shift_b_i[5]) ? neg_b : 5'd0;
    mult_o_q <= add_on ? cfg_add_mult_out_i : 32'h4000_0000;
    shift_o_q <= add_on ? cfg_add_shift_out_i : 6'b101110;  // -18: a * 2^19 -> a
    zp_o_q <= add_on ? cfg_add_zp_out_i : 8'd0;
    relu_o_q <= add_on ? cfg_add_relu_i : 1'b0;
  end

  // ---------------------------------------------------------------- admission (credits)
  logic [CountW-1:0] count_q;
  logic              space, accept, out_pop;
  logic              lane_free;  // Serial: the lane takes the held beat's channels one a cycle
  assign space = count_q < CountW'(Depth) && lane_free;
  assign acc_ready_o = space && (!add_on || res_valid_i);
  assign res_ready_o = space && add_on && acc_valid_i;
  assign accept = acc_valid_i && acc_ready_o;
  assign out_pop = out_valid_o && out_ready_i;
  assign idle_o = count_q == '0;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      count_q <= '0;
    end else if (accept != out_pop) begin
      count_q <= accept ? count_q + 1'b1 : count_q - 1'b1;
    end
  end

  logic               feed;     // a beat (Serial: one channel of it) enters the lane(s)
  logic [UserW-1:0]   feed_user;
  logic [Latency-1:0] valid_q;  // valid_q[i]: a beat sits in stage i + 1
  logic [UserW-1:0]   user_q [Latency];
  always_ff @(posedge clk_i) begin
    if (!rst_ni) valid_q <= '0;
    else valid_q <= {valid_q[Latency-2:0], feed};
  end
  always_ff @(posedge clk_i) begin
    user_q[0] <= feed_user;
    for (int i = 1; i < Latency; i++) user_q[i] <= user_q[i-1];
  end

  // ---------------------------------------------------------------- table, lanes, queue
  assign prm_ready_o = 1'b1;
  if (!Serial) begin : g_parallel
    assign lane_free = 1'b1;
    assign feed = accept;
    assign feed_user = acc_user_i;

    logic [Lanes*EntryW-1:0] entries;
    npu_ppu_table #(.Lanes(Lanes), .Groups(Groups), .EntryW(EntryW)) u_table (
      .clk_i,
      .wr_en_i     (prm_valid_i),
      .wr_lane_i   (prm_chan_i[$clog2(Lanes)-1:0]),
      .wr_group_i  (GroupW'(prm_chan_i >> $clog2(Lanes))),
      .wr_entry_i  ({prm_shift_i, prm_mult_i, prm_bias_i}),
      .rd_group_i  (acc_group_i),
      .rd_entries_o(entries)
    );

    // ---------------------------------------------------------------- lanes
    logic [Lanes*8-1:0] y;
    for (genvar l = 0; l < Lanes; l++) begin : g_lane
      logic [EntryW-1:0] entry;
      assign entry = entries[l*EntryW +: EntryW];
      npu_ppu_lane u_lane (
        .clk_i,
        .acc_i        (acc_data_i[l*32 +: 32]),
        .b_i          (add_on ? res_data_i[l*8 +: 8] : 8'd0),
        .bias_i       (entry[31:0]),
        .mult_i       (entry[63:32]),
        .shift_i      (entry[69:64]),
        .conv_bypass_i(bypass_q),
        .conv_zp_i    (conv_zp_q),
        .conv_relu_i  (conv_relu_q),
        .zp_a_i       (zp_a_q),
        .zp_b_i       (zp_b_q),
        .mult_a_i     (mult_a_q),
        .mult_b_i     (mult_b_q),
        .right_a_i    (right_a_q),
        .right_b_i    (right_b_q),
        .mult_o_i     (mult_o_q),
        .shift_o_i    (shift_o_q),
        .zp_o_i       (zp_o_q),
        .relu_o_i     (relu_o_q),
        .y_o          (y[l*8 +: 8])
      );
    end

    // ---------------------------------------------------------------- output queue
    // The shared npu_fifo (Depth 23 wraps its pointers with a compare, as before). The admission
    // credits above guarantee a free slot for every beat leaving the pipeline, so its full flag
    // and fill level are not needed; the head is still read straight from the storage flops.
    npu_fifo #(.Depth(Depth), .Width(Lanes * 8 + UserW)) u_fifo (
      .clk_i,
      .rst_ni,
      .in_valid_i (valid_q[Latency-1]),
      /* verilator lint_off PINCONNECTEMPTY */
      .in_ready_o (),
      /* verilator lint_on PINCONNECTEMPTY */
      .in_data_i  ({user_q[Latency-1], y}),
      .out_valid_o,
      .out_ready_i,
      .out_data_o ({out_user_o, out_data_o}),
      /* verilator lint_off PINCONNECTEMPTY */
      .count_o    ()
      /* verilator lint_on PINCONNECTEMPTY */
    );
  end else begin : g_serial
    localparam int LaneW = $clog2(Lanes);
    logic              busy_q;  // channels of the held beat still to enter the lane
    logic [LaneW-1:0]  lane_q;  // the channel entering this cycle
    logic [Lanes*32-1:0] acc_q;
    logic [Lanes*8-1:0]  res_q;
    logic [GroupW-1:0] group_q;
    logic [UserW-1:0]  hold_user_q;
    logic              last;
    // The last channel's cycle frees the hold registers for the next beat.
    assign lane_free = !busy_q || lane_q == LaneW'(Lanes - 1);
    assign last = busy_q && lane_q == LaneW'(Lanes - 1);
    assign feed = busy_q;
    assign feed_user = hold_user_q;

    always_ff @(posedge clk_i) begin
      if (!rst_ni) begin
        busy_q <= 1'b0;
        lane_q <= '0;
      end else if (accept) begin
        busy_q <= 1'b1;
        lane_q <= '0;
      end else if (busy_q) begin
        busy_q <= !last;
        lane_q <= lane_q + 1'b1;
      end
    end
    always_ff @(posedge clk_i) begin
      if (accept) begin
        acc_q <= acc_data_i;
        res_q <= add_on ? res_data_i : '0;
        group_q <= acc_group_i;
        hold_user_q <= acc_user_i;
      end
    end

    // One bank: channel c at row c, read in the cycle c enters the lane (registered, as the
    // lane expects its entry one cycle after the accumulator).
    logic [EntryW-1:0] entry;
    npu_sram #(.Width(EntryW), .Depth(MaxChannels)) u_table (
      .clk_i,
      .wr_en_i  (prm_valid_i),
      .wr_addr_i(prm_chan_i),
      .wr_data_i({prm_shift_i, prm_mult_i, prm_bias_i}),
      .rd_en_i  (busy_q),
      .rd_addr_i(ChanW'({group_q, lane_q})),
      .rd_data_o(entry)
    );

    logic [7:0] y1;
    npu_ppu_lane u_lane (
      .clk_i,
      .acc_i        (acc_q[32*lane_q +: 32]),
      .b_i          (res_q[8*lane_q +: 8]),
      .bias_i       (entry[31:0]),
      .mult_i       (entry[63:32]),
      .shift_i      (entry[69:64]),
      .conv_bypass_i(bypass_q),
      .conv_zp_i    (conv_zp_q),
      .conv_relu_i  (conv_relu_q),
      .zp_a_i       (zp_a_q),
      .zp_b_i       (zp_b_q),
      .mult_a_i     (mult_a_q),
      .mult_b_i     (mult_b_q),
      .right_a_i    (right_a_q),
      .right_b_i    (right_b_q),
      .mult_o_i     (mult_o_q),
      .shift_o_i    (shift_o_q),
      .zp_o_i       (zp_o_q),
      .relu_o_i     (relu_o_q),
      .y_o          (y1)
    );

    // Channels leave the lane in order; the beat is queued with its last one.
    logic [Latency-1:0] last_q;
    logic [(Lanes-1)*8-1:0] y_q;  // the beat's earlier channels, channel 0 at the bottom
    logic [Lanes*8-1:0]     y_all;
    assign y_all = {y1, y_q};
    always_ff @(posedge clk_i) begin
      if (!rst_ni) last_q <= '0;
      else last_q <= {last_q[Latency-2:0], last};
    end
    always_ff @(posedge clk_i) begin
      if (valid_q[Latency-1]) y_q <= y_all[Lanes*8-1:8];
    end

    npu_fifo #(.Depth(Depth), .Width(Lanes * 8 + UserW)) u_fifo (
      .clk_i,
      .rst_ni,
      .in_valid_i (valid_q[Latency-1] && last_q[Latency-1]),
      /* verilator lint_off PINCONNECTEMPTY */
      .in_ready_o (),
      /* verilator lint_on PINCONNECTEMPTY */
      .in_data_i  ({user_q[Latency-1], y_all}),
      .out_valid_o,
      .out_ready_i,
      .out_data_o ({out_user_o, out_data_o}),
      /* verilator lint_off PINCONNECTEMPTY */
      .count_o    ()
      /* verilator lint_on PINCONNECTEMPTY */
    );
  end
  // ---------------------------------------------------------------- checks
  // Parameter rules (rtl/README.md, Parameter checks).
  if (MaxChannels < 1 || (MaxChannels & (MaxChannels - 1)) != 0 || MaxChannels < Lanes) begin : g_bad_max_channels
`ifdef __ICARUS__
    initial $fatal(1, "npu_ppu: parameter MaxChannels (%0d) must be a power of two >= Lanes", MaxChannels);
`else
    $error("npu_ppu: parameter MaxChannels must be a power of two >= Lanes");
`endif
  end
  if (Serial && Lanes < 2) begin : g_bad_serial
`ifdef __ICARUS__
    initial $fatal(1, "npu_ppu: parameter Serial needs Lanes >= 2 (Lanes %0d)", Lanes);
`else
    $error("npu_ppu: parameter Serial needs Lanes >= 2");
`endif
  end

`ifndef SYNTHESIS
  // Protocol (rtl/README.md, Assertions): accumulators in, outputs out.
  npu_assert_stream #(.Width(Lanes * 32 + UserW), .Name("npu_ppu acc")) u_assert_acc (
    .clk_i, .rst_ni, .valid_i (acc_valid_i), .ready_i (acc_ready_o), .data_i ({acc_data_i, acc_user_i})
  );
  npu_assert_stream #(.Width(Lanes * 8 + UserW), .Name("npu_ppu out")) u_assert_out (
    .clk_i, .rst_ni, .valid_i (out_valid_o), .ready_i (out_ready_i), .data_i ({out_data_o, out_user_o})
  );
`endif

endmodule

`default_nettype wire
