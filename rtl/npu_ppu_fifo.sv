// Output queue of the post-processing unit: a plain circular buffer, first-word fall-through.
//
// It has no full flag because it needs none: npu_ppu.sv only admits a beat when a slot is
// reserved for it (credit counting), so a push never meets a full queue. The head is read
// straight from the storage flops, so out_valid/out_data depend on state only.
`default_nettype none

module npu_ppu_fifo #(
  parameter int Depth = 22,
  parameter int Width = 8,
  localparam int PtrW = $clog2(Depth)
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             push_i,
  input  logic [Width-1:0] data_i,
  output logic             valid_o,
  input  logic             ready_i,
  output logic [Width-1:0] data_o
);
  logic [Width-1:0] mem_q [Depth];
  logic [PtrW-1:0]  wr_q, rd_q;
  logic [PtrW:0]    fill_q;
  logic             pop;

  assign valid_o = fill_q != '0;
  assign pop = valid_o && ready_i;
  assign data_o = mem_q[rd_q];

  logic [PtrW-1:0] wr_next, rd_next;
  assign wr_next = (wr_q == PtrW'(Depth - 1)) ? '0 : wr_q + 1'b1;
  assign rd_next = (rd_q == PtrW'(Depth - 1)) ? '0 : rd_q + 1'b1;

  always_ff @(posedge clk_i) begin
    if (push_i) mem_q[wr_q] <= data_i;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      wr_q <= '0;
      rd_q <= '0;
      fill_q <= '0;
    end else begin
      if (push_i) wr_q <= wr_next;
      if (pop) rd_q <= rd_next;
      if (push_i && !pop) fill_q <= fill_q + 1'b1;
      else if (pop && !push_i) fill_q <= fill_q - 1'b1;
    end
  end
endmodule

`default_nettype wire
