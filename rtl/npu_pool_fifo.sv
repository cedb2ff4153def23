// Pooling unit: small synchronous FIFO (valid/ready on both sides, registered storage).
//
// Used twice inside npu_pool: for the per-tap tags and for the scratchpad read responses. The
// storage is a register array (the depths are 2..8 entries), read combinationally at the head so
// that a pop and the next push can happen in the same cycle; there is no fall-through path from
// input to output, which keeps every handshake of the unit registered (no ready/valid loops
// through the FIFO). Depth must be a power of two so the pointers wrap for free.
`default_nettype none

module npu_pool_fifo #(
  parameter int Width = 8,
  parameter int Depth = 4
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic                    in_valid_i,
  output logic                    in_ready_o,
  input  logic [Width-1:0]        in_data_i,
  output logic                    out_valid_o,
  input  logic                    out_ready_i,
  output logic [Width-1:0]        out_data_o,
  output logic [$clog2(Depth):0]  count_o
);

  localparam int PtrW = $clog2(Depth);
  localparam logic [PtrW:0] Full = Depth[PtrW:0];

  logic [Width-1:0] mem_q [0:Depth-1];
  logic [PtrW-1:0]  wr_ptr_q, rd_ptr_q;
  logic [PtrW:0]    count_q;
  logic             push, pop;

  assign in_ready_o  = count_q != Full;
  assign out_valid_o = count_q != '0;
  assign out_data_o  = mem_q[rd_ptr_q];
  assign count_o     = count_q;
  assign push        = in_valid_i && in_ready_o;
  assign pop         = out_valid_o && out_ready_i;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      wr_ptr_q <= '0;
      rd_ptr_q <= '0;
      count_q  <= '0;
    end else begin
      if (push) wr_ptr_q <= wr_ptr_q + 1'b1;
      if (pop) rd_ptr_q <= rd_ptr_q + 1'b1;
      if (push && !pop) count_q <= count_q + 1'b1;
      else if (pop && !push) count_q <= count_q - 1'b1;
    end
  end

  // Storage needs no reset: nothing reads an entry before it was written (count_q guards it).
  always_ff @(posedge clk_i) begin
    if (push) mem_q[wr_ptr_q] <= in_data_i;
  end

endmodule

`default_nettype wire
