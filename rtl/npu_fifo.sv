// Small synchronous FIFO shared by every block: valid/ready on both sides, storage in
// registers, the head read combinationally from them, and the fill level.
//
// There is no fall-through path from in_* to out_* (a word written in a cycle is visible at the
// output from the next one) and in_ready_o / out_valid_o depend on the fill register only, so
// a FIFO never closes a combinational ready/valid loop between the blocks it joins. Its users
// are credit-managed read pipes (im2col, weight feed, accumulator drain and the pool unit's
// tag/response queues issue a read only while count_o leaves room for its answer) and the
// PPU's output queue (admission by credits); they may leave in_ready_o open. Entries need no
// reset: count_q guards every read. A power-of-two Depth lets the pointers wrap for free;
// any other Depth (the PPU's Latency + 2) wraps them with a compare.
`default_nettype none

module npu_fifo #(
  parameter int Width = 8,
  parameter int Depth = 4,  // >= 1
  localparam int PtrW = (Depth > 1) ? $clog2(Depth) : 1,
  localparam int CntW = $clog2(Depth + 1)
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             in_valid_i,
  output logic             in_ready_o,
  input  logic [Width-1:0] in_data_i,
  output logic             out_valid_o,
  input  logic             out_ready_i,
  output logic [Width-1:0] out_data_o,
  output logic [CntW-1:0]  count_o
);

  localparam bit Pow2 = (Depth > 1) && ((Depth & (Depth - 1)) == 0);

  // Parameter rules (rtl/README.md, Parameter checks).
  if (Depth < 1) begin : g_bad_depth
`ifdef __ICARUS__
    initial $fatal(1, "npu_fifo: parameter Depth (%0d) must be >= 1", Depth);
`else
    $error("npu_fifo: parameter Depth must be >= 1");
`endif
  end

  logic [Width-1:0] mem_q [Depth];
  logic [PtrW-1:0]  wptr_q, rptr_q, wptr_next, rptr_next;
  logic [CntW-1:0]  count_q;
  logic             push, pop;

  assign in_ready_o  = count_q != CntW'(Depth);
  assign out_valid_o = count_q != '0;
  assign out_data_o  = mem_q[rptr_q];
  assign count_o     = count_q;
  assign push = in_valid_i && in_ready_o;
  assign pop  = out_valid_o && out_ready_i;

  if (Pow2) begin : g_wrap_free
    assign wptr_next = wptr_q + PtrW'(1);
    assign rptr_next = rptr_q + PtrW'(1);
  end else begin : g_wrap_cmp
    assign wptr_next = (wptr_q == PtrW'(Depth - 1)) ? '0 : wptr_q + PtrW'(1);
    assign rptr_next = (rptr_q == PtrW'(Depth - 1)) ? '0 : rptr_q + PtrW'(1);
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      wptr_q  <= '0;
      rptr_q  <= '0;
      count_q <= '0;
    end else begin
      if (push) wptr_q <= wptr_next;
      if (pop) rptr_q <= rptr_next;
      if (push != pop) count_q <= push ? count_q + CntW'(1) : count_q - CntW'(1);
    end
  end

  always_ff @(posedge clk_i) begin
    if (push) mem_q[wptr_q] <= in_data_i;
  end

`ifndef SYNTHESIS
  // push and pop are handshakes, so only a writer that ignores in_ready_o (it issues against
  // free slots) can push a full FIFO: it then drops its valid, or changes the word, while
  // in_ready_o is low, and the input check trips.
  npu_assert_stream #(.Width(Width), .Name("npu_fifo in (pushed while full?)")) u_assert_in (
    .clk_i, .rst_ni, .valid_i (in_valid_i), .ready_i (in_ready_o), .data_i (in_data_i)
  );
`endif

endmodule

`default_nettype wire
