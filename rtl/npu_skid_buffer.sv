// Two-entry valid/ready register slice: both valid_o/data_o and ready_o come from flops.
//
// The systolic array puts it on its output so that the consumer's o_ready_i never reaches
// the array's global enable combinationally: the enable is this buffer's ready_o, a register,
// and the skid entry absorbs the one beat that is already in flight when the consumer stops.
// Full throughput (one beat per cycle) while the consumer is ready.
`default_nettype none

module npu_skid_buffer #(
  parameter int Width = 32
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             valid_i,
  output logic             ready_o,
  input  logic [Width-1:0] data_i,
  output logic             valid_o,
  input  logic             ready_i,
  output logic [Width-1:0] data_o
);

  logic             out_valid_q;
  logic [Width-1:0] out_data_q;
  logic             skid_valid_q;
  logic [Width-1:0] skid_data_q;

  logic out_free;  // the output register is empty or being read this cycle
  assign out_free = !out_valid_q || ready_i;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      out_valid_q  <= 1'b0;
      skid_valid_q <= 1'b0;
    end else if (out_free) begin
      // ready_o == !skid_valid_q, so no input is accepted while the skid entry is full.
      out_valid_q  <= skid_valid_q || valid_i;
      skid_valid_q <= 1'b0;
    end else if (valid_i && !skid_valid_q) begin
      skid_valid_q <= 1'b1;
    end
  end

  always_ff @(posedge clk_i) begin
    if (out_free) begin
      out_data_q <= skid_valid_q ? skid_data_q : data_i;
    end else if (valid_i && !skid_valid_q) begin
      skid_data_q <= data_i;
    end
  end

  assign ready_o = !skid_valid_q;
  assign valid_o = out_valid_q;
  assign data_o  = out_data_q;

`ifndef SYNTHESIS
  npu_assert_stream #(.Width(Width), .Name("npu_skid_buffer in")) u_assert_in (
    .clk_i, .rst_ni, .valid_i, .ready_i (ready_o), .data_i
  );
`endif

endmodule

`default_nettype wire
