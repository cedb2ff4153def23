// Single-port RAM with byte enables and a registered read that holds while no read is
// issued: the shape Yosys maps to iCE40 UltraPlus SPRAM (synth_ice40 -spram, 16K x 16 per
// block; 32 KiB x 32 bits = 4 blocks), and that any simulator models as written.
`default_nettype none

module npu_fpga_ram #(
  parameter int Width = 32,
  parameter int Depth = 32768,
  localparam int Bytes = Width / 8,
  localparam int AddrW = $clog2(Depth)
) (
  input  logic             clk_i,
  input  logic             en_i,
  input  logic             we_i,
  input  logic [Bytes-1:0] be_i,
  input  logic [AddrW-1:0] addr_i,
  input  logic [Width-1:0] wdata_i,
  output logic [Width-1:0] rdata_o
);
  logic [Width-1:0] mem_q [Depth];

  always_ff @(posedge clk_i) begin
    if (en_i) begin
      if (we_i) begin
        for (int b = 0; b < Bytes; b++) begin
          if (be_i[b]) mem_q[addr_i][b*8 +: 8] <= wdata_i[b*8 +: 8];
        end
      end else begin
        rdata_o <= mem_q[addr_i];
      end
    end
  end
endmodule

`default_nettype wire
