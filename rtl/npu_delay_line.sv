// Fixed delay of Depth enabled cycles (a shift register with a common enable).
//
// The systolic array uses it for its skew and de-skew triangles and its control pipeline:
// every stage advances only with the array's global enable, so a stall freezes the whole
// wavefront and relative timing is preserved. Depth = 0 is a wire, which keeps the generate
// loops of the callers uniform (row 0 and the last column need no delay). Data lines don't
// need a reset (Reset = 0 saves the reset muxes); control lines set Reset = 1 so no stale
// valid or marker bits survive a reset.
`default_nettype none

module npu_delay_line #(
  parameter int Width = 8,
  parameter int Depth = 1,
  parameter bit Reset = 1'b0
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             en_i,
  input  logic [Width-1:0] d_i,
  output logic [Width-1:0] q_o
);

  if (Depth == 0) begin : g_wire
    assign q_o = d_i;
    // Clock and reset are unused without stages.
    logic unused;
    assign unused = ^{clk_i, rst_ni, en_i};
  end else begin : g_stages
    logic [Depth*Width-1:0] stage_q;
    logic [Depth*Width-1:0] stage_d;

    if (Depth == 1) begin : g_one
      assign stage_d = d_i;
    end else begin : g_many
      assign stage_d = {stage_q[(Depth-1)*Width-1:0], d_i};
    end

    if (Reset) begin : g_reset
      always_ff @(posedge clk_i) begin
        if (!rst_ni) begin
          stage_q <= '0;
        end else if (en_i) begin
          stage_q <= stage_d;
        end
      end
    end else begin : g_no_reset
      always_ff @(posedge clk_i) begin
        if (en_i) begin
          stage_q <= stage_d;
        end
      end
      logic unused;
      assign unused = rst_ni;
    end

    assign q_o = stage_q[Depth*Width-1 -: Width];
  end

endmodule

`default_nettype wire
