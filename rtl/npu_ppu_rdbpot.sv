// Rounding right shift (gemmlowp RoundingDivideByPOT), one pipeline stage.
//
// x / 2^exp rounded to nearest, ties away from zero, returned as the arithmetic shift sh_o
// plus a round-up bit ru_o instead of their sum: the consumer folds ru_o into the adder it
// needs anyway (zero point, or the residual sum) as a carry-in, which saves a 32-bit
// incrementer per use. gemmlowp's test "remainder > (mask >> 1) + (x < 0)" reduces to: the
// bit just below the cut is set, and, for negative x, some lower bit is set too.
`default_nettype none

module npu_ppu_rdbpot (
  input  logic        clk_i,
  input  logic [31:0] x_i,    // signed
  input  logic [4:0]  exp_i,  // 0..31
  output logic [31:0] sh_o,   // x >>> exp, signed
  output logic        ru_o    // 1: the rounded result is sh_o + 1
);
  logic [31:0] mask, half, below;
  assign mask = (32'd1 << exp_i) - 32'd1;  // the bits shifted out
  assign below = mask >> 1;                // the bits below the half bit
  assign half = mask ^ below;              // zero when exp_i == 0

  always_ff @(posedge clk_i) begin
    sh_o <= $signed(x_i) >>> exp_i;
    ru_o <= (|(x_i & half)) && (!x_i[31] || (|(x_i & below)));
  end
endmodule

`default_nettype wire
