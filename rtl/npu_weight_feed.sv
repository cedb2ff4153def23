// Weight feed: streams a layer's weight words from the weight scratchpad to the array's
// weight port, cfg_passes times (once per M-block).
//
// The weight scratchpad holds the tiles in exactly the order the array consumes them (N-tile
// outer, K-chunk inner, each tile Rows words bottom row first: docs/architecture.md), so the
// feed is one address counter: words cfg_base .. cfg_base + cfg_words - 1, repeated. The array
// decides when a beat may enter its shadow registers; the FIFO here keeps the 1-cycle SRAM
// read pipe full in front of it, so consecutive tiles see no bubble from the feed.
`default_nettype none

module npu_weight_feed #(
  parameter int Cols = 16,
  parameter int AddrW = 12,   // weight bank word address
  parameter int PassW = 12    // M-blocks per job < 2^PassW
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               start_i,   // taken while !busy_o
  output logic               busy_o,    // words still to be read
  input  logic [AddrW-1:0]   cfg_base_i,
  input  logic [AddrW:0]     cfg_words_i,   // N-tiles * K-chunks * Rows, >= 1
  input  logic [PassW-1:0]   cfg_passes_i,  // M-blocks, >= 1
  output logic               rd_en_o,
  output logic [AddrW-1:0]   rd_addr_o,
  input  logic [Cols*8-1:0]  rd_data_i,
  output logic               out_valid_o,
  input  logic               out_ready_i,
  output logic [Cols*8-1:0]  out_data_o
);

  localparam int FifoDepth = 4;
  localparam int CntW = $clog2(FifoDepth + 1);

  logic             busy_q, s1_valid_q, fire, pass_end;
  logic [AddrW:0]   word_q;
  logic [PassW-1:0] pass_q;
  logic [CntW-1:0]  fifo_count;

  assign fire = busy_q && ((32'(fifo_count) + 32'(s1_valid_q)) < FifoDepth);
  assign pass_end = word_q == cfg_words_i - 1'b1;
  assign rd_en_o = fire;
  assign rd_addr_o = cfg_base_i + AddrW'(word_q);
  assign busy_o = busy_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q <= 1'b0;
      s1_valid_q <= 1'b0;
      word_q <= '0;
      pass_q <= '0;
    end else begin
      s1_valid_q <= fire;
      if (!busy_q) begin
        busy_q <= start_i;
        word_q <= '0;
        pass_q <= '0;
      end else if (fire) begin
        word_q <= pass_end ? '0 : word_q + 1'b1;
        if (pass_end) begin
          pass_q <= pass_q + 1'b1;
          if (pass_q == cfg_passes_i - 1'b1) busy_q <= 1'b0;
        end
      end
    end
  end

  npu_fifo #(.Width(Cols * 8), .Depth(FifoDepth)) u_fifo (
    .clk_i,
    .rst_ni,
    .in_valid_i (s1_valid_q),
    /* verilator lint_off PINCONNECTEMPTY */
    .in_ready_o (),  // never full: reads are issued against its free slots
    /* verilator lint_on PINCONNECTEMPTY */
    .in_data_i  (rd_data_i),
    .out_valid_o,
    .out_ready_i,
    .out_data_o,
    .count_o    (fifo_count)
  );

endmodule

`default_nettype wire
