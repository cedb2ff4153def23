// Weight-stationary processing element of npu_systolic_array.
//
// The activation enters from the left and leaves to the right one cycle later; the int32
// partial sum enters from above and leaves downwards with a_q * w_act_q added. The PE keeps
// two weights: w_act_q feeds the multiplier, w_sh_q is the shadow register that the next
// tile's weights shift through (down the column) while the current tile computes. first_i
// marks the first activation of a new tile: on the edge that loads that activation into a_q,
// the shadow weight is copied into w_act_q, so the new tile's first MAC already sees its own
// weight and the previous tile's last MAC (one cycle earlier) still saw the old one. The
// marker travels with the data, so every PE swaps exactly between the two tiles.
//
// Every operand of the multiply-add is a flop (a_q, w_act_q, and the psum_q of the PE above),
// so the MAC is the only logic on the PE's register-to-register path; the swap and shift
// controls only drive register enables. en_i is the array's global stall: when low, nothing
// in the PE changes. Data registers have no reset (their contents only matter once a tile's
// weights and data have been loaded); the swap marker has one, so that no garbage swap can
// happen after reset.
`default_nettype none

module npu_pe (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        en_i,       // global stall: hold every register when low
  // Activation, flowing left to right.
  input  logic [7:0]  a_i,
  input  logic        first_i,    // a_i is the first activation of a new tile
  output logic [7:0]  a_o,
  output logic        first_o,
  // Shadow-weight chain, flowing top to bottom.
  input  logic        w_shift_i,  // load w_i into the shadow register
  input  logic [7:0]  w_i,
  output logic [7:0]  w_o,
  // Partial sums, flowing top to bottom.
  input  logic [31:0] psum_i,
  output logic [31:0] psum_o
);

  logic signed [7:0]  a_q;
  logic signed [7:0]  w_act_q;
  logic        [7:0]  w_sh_q;
  logic               first_q;
  logic        [31:0] psum_q;

  // int8 x int8 fits int16 exactly (-128 * -128 = 16384); the sum is int32.
  logic signed [15:0] prod;
  assign prod = a_q * w_act_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      first_q <= 1'b0;
    end else if (en_i) begin
      first_q <= first_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (en_i) begin
      a_q    <= a_i;
      psum_q <= psum_i + {{16{prod[15]}}, prod};
      if (first_i) begin
        w_act_q <= w_sh_q;
      end
      if (w_shift_i) begin
        w_sh_q <= w_i;
      end
    end
  end

  assign a_o     = a_q;
  assign first_o = first_q;
  assign w_o     = w_sh_q;
  assign psum_o  = psum_q;

endmodule

`default_nettype wire
