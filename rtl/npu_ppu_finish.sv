// Output stage of a requantization: (sh + ru) + zero point, optional ReLU, clamp to int8.
//
// ReLU clamps at the zero point (real 0), i.e. it zeroes a negative sh + ru. Testing sh alone
// is enough: the one case where the signs differ, sh = -1 with ru = 1, sums to 0, which gives
// the zero point either way. So the stage has one 33-bit adder instead of two in series; the
// add is exact, because a wrapping add would be wrong and the clamp needs the true sum.
`default_nettype none

module npu_ppu_finish (
  input  logic        clk_i,
  input  logic [31:0] sh_i,    // signed
  input  logic        ru_i,    // carry-in: the value is sh_i + ru_i
  input  logic [7:0]  zp_i,    // signed output zero point
  input  logic        relu_i,
  output logic [7:0]  y_o      // signed int8, one cycle later
);
  logic [32:0] sum;
  logic [7:0]  clamped;
  assign sum = {sh_i[31], sh_i} + {{25{zp_i[7]}}, zp_i} + {32'd0, ru_i};
  // In range iff bits 32..7 are all equal (sign extension of an int8).
  assign clamped = (&sum[32:7]) || !(|sum[32:7]) ? sum[7:0] : (sum[32] ? 8'h80 : 8'h7f);

  always_ff @(posedge clk_i) y_o <= (relu_i && sh_i[31]) ? zp_i : clamped;
endmodule

`default_nettype wire
