// One output channel of the post-processing unit: a 21-stage pipeline with no stall.
//
// Every beat goes through the same stages in every mode, so the latency is a constant and
// the unit needs only one valid chain (in npu_ppu.sv):
//    1      accumulator and table entry registered (the table read is the stage's flop)
//    2      the table entry registered again: a table macro's access time (docs/synth.md)
//           leaves too little of the cycle for the 32-bit bias add behind it
//    3      x = acc + bias, wrapping int32 (exact for any layer the golden model accepts)
//    4-8    MBQM(x, M[c], shift[c])                      (npu_ppu_mbqm)
//    9      + conv zero point, ReLU, clamp -> a          (npu_ppu_finish)
//   10      da = a - zp_a, db = b - zp_b                 (9 bits each)
//   11-13   (d * M + 2^10) >>> 11 = SRDHM(d << 20, M)    (npu_ppu_srdhm, 9 x 32 products)
//   14      rounding right shifts of both
//   15      sum = a' + b'
//   16-20   MBQM(sum, M_out, shift_out)
//   21      + output zero point, ReLU, clamp -> y
// A layer without residual add runs the add stages as an exact identity, and an add-only
// layer runs stages 3-9 as one (npu_ppu.sv forces the parameters): that costs a few
// multiplexers on per-layer values instead of delay lines as deep as the bypassed stages.
`default_nettype none

module npu_ppu_lane (
  input  logic        clk_i,
  // The beat, in the cycle it is accepted.
  input  logic [31:0] acc_i,
  input  logic [7:0]  b_i,            // residual input, int8
  // This lane's table entry, one cycle after acceptance.
  input  logic [31:0] bias_i,
  input  logic [31:0] mult_i,
  input  logic [5:0]  shift_i,
  // Effective per-layer configuration, static while beats are in flight.
  input  logic        conv_bypass_i,  // a = acc_i[7:0]: add-only layer
  input  logic [7:0]  conv_zp_i,
  input  logic        conv_relu_i,
  input  logic [7:0]  zp_a_i,
  input  logic [7:0]  zp_b_i,
  input  logic [31:0] mult_a_i,
  input  logic [31:0] mult_b_i,
  input  logic [4:0]  right_a_i,      // rounding right shift after the a rescale
  input  logic [4:0]  right_b_i,
  input  logic [31:0] mult_o_i,
  input  logic [5:0]  shift_o_i,
  input  logic [7:0]  zp_o_i,
  input  logic        relu_o_i,
  output logic [7:0]  y_o             // 21 cycles after acceptance
);
  localparam int BDelay = 9;  // b waits for a, which leaves stage 9

  // Stage 1.
  logic [31:0] acc1_q;
  logic [7:0]  b_q [BDelay];
  always_ff @(posedge clk_i) begin
    acc1_q <= acc_i;
    b_q[0] <= b_i;
    for (int i = 1; i < BDelay; i++) b_q[i] <= b_q[i-1];
  end

  // Add-only layers: MBQM(a, 2^30, 1) = SRDHM(2a, 2^30) = a exactly, zero bias.
  logic [31:0] x1, bias1, mult1;
  logic [5:0]  shift1;
  assign x1 = conv_bypass_i ? {{24{acc1_q[7]}}, acc1_q[7:0]} : acc1_q;
  assign bias1 = conv_bypass_i ? 32'd0 : bias_i;
  assign mult1 = conv_bypass_i ? 32'h4000_0000 : mult_i;
  assign shift1 = conv_bypass_i ? 6'd1 : shift_i;

  // Stage 2.
  logic [31:0] x2_q, bias2_q, mult2_q;
  logic [5:0]  shift2_q;
  always_ff @(posedge clk_i) begin
    x2_q <= x1;
    bias2_q <= bias1;
    mult2_q <= mult1;
    shift2_q <= shift1;
  end

  // Stage 3.
  logic [31:0] x3_q, mult3_q;
  logic [5:0]  shift3_q;
  always_ff @(posedge clk_i) begin
    x3_q <= x2_q + bias2_q;
    mult3_q <= mult2_q;
    shift3_q <= shift2_q;
  end

  // Stages 4-8.
  logic [31:0] conv_sh;
  logic        conv_ru;
  npu_ppu_mbqm #(.PipeParams(1'b1)) u_conv_mbqm (
    .clk_i,
    .x_i    (x3_q),
    .m_i    (mult3_q),
    .shift_i(shift3_q),
    .sh_o   (conv_sh),
    .ru_o   (conv_ru)
  );

  // Stage 9.
  logic [7:0] a9;
  npu_ppu_finish u_conv_finish (
    .clk_i,
    .sh_i  (conv_sh),
    .ru_i  (conv_ru),
    .zp_i  (conv_zp_i),
    .relu_i(conv_relu_i),
    .y_o   (a9)
  );

  // Stage 10: |q - zp| <= 255.
  logic [8:0] da10_q, db10_q;
  always_ff @(posedge clk_i) begin
    da10_q <= {a9[7], a9} - {zp_a_i[7], zp_a_i};
    db10_q <= {b_q[BDelay-1][7], b_q[BDelay-1]} - {zp_b_i[7], zp_b_i};
  end

  // Stages 11-13.
  logic [31:0] ha, hb;
  npu_ppu_srdhm #(.XW(9), .RoundShift(11), .ChunkW(8)) u_srdhm_a (
    .clk_i,
    .x_i(da10_q),
    .m_i(mult_a_i),
    .h_o(ha)
  );
  npu_ppu_srdhm #(.XW(9), .RoundShift(11), .ChunkW(8)) u_srdhm_b (
    .clk_i,
    .x_i(db10_q),
    .m_i(mult_b_i),
    .h_o(hb)
  );

  // Stage 14.
  logic [31:0] sha, shb;
  logic        rua, rub;
  npu_ppu_rdbpot u_rdbpot_a (
    .clk_i,
    .x_i  (ha),
    .exp_i(right_a_i),
    .sh_o (sha),
    .ru_o (rua)
  );
  npu_ppu_rdbpot u_rdbpot_b (
    .clk_i,
    .x_i  (hb),
    .exp_i(right_b_i),
    .sh_o (shb),
    .ru_o (rub)
  );

  // Stage 15: |a'|, |b'| <= 255 * 2^20, so the int32 sum cannot wrap.
  logic [31:0] sum15_q;
  always_ff @(posedge clk_i) sum15_q <= sha + shb + {31'd0, rua} + {31'd0, rub};

  // Stages 16-20.
  logic [31:0] out_sh;
  logic        out_ru;
  npu_ppu_mbqm #(.PipeParams(1'b0)) u_out_mbqm (
    .clk_i,
    .x_i    (sum15_q),
    .m_i    (mult_o_i),
    .shift_i(shift_o_i),
    .sh_o   (out_sh),
    .ru_o   (out_ru)
  );

  // Stage 21.
  npu_ppu_finish u_out_finish (
    .clk_i,
    .sh_i  (out_sh),
    .ru_i  (out_ru),
    .zp_i  (zp_o_i),
    .relu_i(relu_o_i),
    .y_o
  );
endmodule

`default_nettype wire
