// Pipelined MultiplyByQuantizedMultiplier (TFLite): x * m * 2^(shift - 31), 5 stages.
//
// Stage 1 applies a positive shift as a saturating left shift, stages 2-4 the rounding
// doubling high multiply (npu_ppu_srdhm), stage 5 a non-positive shift as a rounding right
// shift (npu_ppu_rdbpot). The result is left as sh_o + ru_o for the consumer's adder.
// PipeParams = 1 carries m and shift along with x (per-channel values read per beat);
// PipeParams = 0 uses them straight from the inputs, which then must be static (per-layer
// configuration), saving the delay flops.
`default_nettype none

module npu_ppu_mbqm #(
  parameter bit PipeParams = 1'b1
) (
  input  logic        clk_i,
  input  logic [31:0] x_i,      // signed
  input  logic [31:0] m_i,      // signed Q31 multiplier
  input  logic [5:0]  shift_i,  // signed, -31..30
  output logic [31:0] sh_o,     // signed, five cycles after x_i
  output logic        ru_o
);
  logic       left_shift;
  logic [4:0] left, right;
  assign left_shift = !shift_i[5] && (shift_i != 6'd0);
  assign left = left_shift ? shift_i[4:0] : 5'd0;
  // -shift for shift in [-31, 0]: 0..31, and negation mod 32 needs only the low 5 bits.
  logic [4:0] neg_shift;
  assign neg_shift = 5'd0 - shift_i[4:0];
  assign right = left_shift ? 5'd0 : neg_shift;

  // Stage 1: saturating left shift. x << left fits iff x's top left + 1 bits are all equal,
  // i.e. x >>> (31 - left) is 0 or -1.
  logic [31:0] top, xs_d, xs_q;
  assign top = $signed(x_i) >>> (5'd31 - left);
  assign xs_d = (top == 32'd0 || top == 32'hffff_ffff) ? x_i << left
              : (x_i[31] ? 32'h8000_0000 : 32'h7fff_ffff);
  always_ff @(posedge clk_i) xs_q <= xs_d;

  logic [31:0] m1;
  logic [4:0]  right4;
  if (PipeParams) begin : g_pipe
    logic [31:0] m1_q;
    logic [4:0]  right_q [4];
    always_ff @(posedge clk_i) begin
      m1_q <= m_i;
      right_q[0] <= right;
      for (int i = 1; i < 4; i++) right_q[i] <= right_q[i-1];
    end
    assign m1 = m1_q;
    assign right4 = right_q[3];
  end else begin : g_static
    assign m1 = m_i;
    assign right4 = right;
  end

  // Stages 2-4.
  logic [31:0] h;
  npu_ppu_srdhm #(.XW(32), .RoundShift(31), .ChunkW(4)) u_srdhm (
    .clk_i,
    .x_i (xs_q),
    .m_i (m1),
    .h_o (h)
  );

  // Stage 5.
  npu_ppu_rdbpot u_rdbpot (
    .clk_i,
    .x_i  (h),
    .exp_i(right4),
    .sh_o,
    .ru_o
  );
endmodule

`default_nettype wire
