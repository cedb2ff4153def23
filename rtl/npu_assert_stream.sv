// Simulation-only protocol checker of one valid/ready stream (or AXI channel), instantiated by
// the blocks under `ifndef SYNTHESIS` (rtl/README.md, Assertions). Out of reset, every cycle:
//   * valid and ready are known (0 or 1), and the payload is known while valid is high;
//   * once valid is high and ready low, valid stays high and the payload stays the same until
//     the cycle ready is high (AXI4 A3.2.1; the FIFO writers that issue against free slots
//     break this exactly when they push a full FIFO: the word offered is lost).
// A failure is an $error naming the instance path (%m) and the stream; Verilator (--assert)
// stops at the first one, Icarus prints every one as "ERROR: ...". The unknown-value checks
// only mean something in a 4-state simulator (Icarus): Verilator has no X.
// Yosys defines SYNTHESIS and sees an empty module (no instance of it is ever elaborated).
`default_nettype none

module npu_assert_stream #(
  parameter int Width = 1,
  parameter     Name  = "stream"  // shown in the message, e.g. "AR" or "desc in"
) (
  input logic             clk_i,
  input logic             rst_ni,
  input logic             valid_i,
  input logic             ready_i,
  input logic [Width-1:0] data_i
);

`ifndef SYNTHESIS
  logic             held_q;  // valid without ready last cycle: this cycle must repeat it
  logic [Width-1:0] data_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      held_q <= 1'b0;
    end else begin
      held_q <= valid_i && !ready_i;
    end
    data_q <= data_i;
  end

  // (Separate $isunknown calls: Icarus 11 misreads one over a concatenation of 1-bit signals.)
  always @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!$isunknown(valid_i) && !$isunknown(ready_i))
        else $error("%m: %0s: valid or ready unknown out of reset", Name);
      assert (!valid_i || !$isunknown(data_i))
        else $error("%m: %0s: payload unknown while valid", Name);
      assert (!held_q || valid_i)
        else $error("%m: %0s: valid dropped before ready", Name);
      assert (!held_q || !valid_i || data_i == data_q)
        else $error("%m: %0s: payload changed before ready", Name);
    end
  end
`else
  // Synthesis: nothing to check.
`endif

endmodule

`default_nettype wire
