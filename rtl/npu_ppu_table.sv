// Per-channel parameter table of the post-processing unit: {shift, multiplier, bias}.
//
// One bank per lane, so a whole channel group (Lanes consecutive channels, channel
// c = group * Lanes + lane) is read in one cycle while the loader writes one channel per
// cycle: channel c lives in bank c % Lanes, row c / Lanes. The read is registered like a
// synchronous SRAM, so each bank can become a 1R1W macro without changing the pipeline.
// A write and a read of the same row in the same cycle return the old or the new entry
// (undefined here, as for most SRAMs): the loader must not rewrite rows still to be read.
`default_nettype none

module npu_ppu_table #(
  parameter int Lanes = 16,
  parameter int Groups = 64,
  parameter int EntryW = 70,
  localparam int LaneW = $clog2(Lanes),
  localparam int GroupW = (Groups > 1) ? $clog2(Groups) : 1
) (
  input  logic                    clk_i,
  input  logic                    wr_en_i,
  input  logic [LaneW-1:0]        wr_lane_i,
  input  logic [GroupW-1:0]       wr_group_i,
  input  logic [EntryW-1:0]       wr_entry_i,
  input  logic [GroupW-1:0]       rd_group_i,
  output logic [Lanes*EntryW-1:0] rd_entries_o  // one cycle after rd_group_i
);
  for (genvar l = 0; l < Lanes; l++) begin : g_bank
    logic [EntryW-1:0] mem_q [Groups];
    always_ff @(posedge clk_i) begin
      if (wr_en_i && wr_lane_i == LaneW'(l)) mem_q[wr_group_i] <= wr_entry_i;
      rd_entries_o[l*EntryW +: EntryW] <= mem_q[rd_group_i];
    end
  end
endmodule

`default_nettype wire
