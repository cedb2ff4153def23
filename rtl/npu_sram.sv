// Behavioural 1R1W synchronous memory: one write port, one read port with a registered read
// (data valid the cycle after rd_en_i), no reset of the contents.
//
// Every scratchpad bank of the datapath (activation, weight, accumulator) is one instance, so
// that a later flow can replace this one module by SRAM macros: Yosys maps it to a $mem cell
// (memory_bram / memory_libmap). A read and a write of the same word in the same cycle return
// the OLD word (read-before-write, as most 1R1W macros); the accumulator forwards around it.
// rd_data_o holds its value while rd_en_i is low.
`default_nettype none

module npu_sram #(
  parameter int Width = 128,
  parameter int Depth = 256,
  localparam int AddrW = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic             clk_i,
  input  logic             wr_en_i,
  input  logic [AddrW-1:0] wr_addr_i,
  input  logic [Width-1:0] wr_data_i,
  input  logic             rd_en_i,
  input  logic [AddrW-1:0] rd_addr_i,
  output logic [Width-1:0] rd_data_o
);

  logic [Width-1:0] mem_q [Depth];

  always_ff @(posedge clk_i) begin
    if (wr_en_i) mem_q[wr_addr_i] <= wr_data_i;
  end

  always_ff @(posedge clk_i) begin
    if (rd_en_i) rd_data_o <= mem_q[rd_addr_i];
  end

endmodule

`default_nettype wire
