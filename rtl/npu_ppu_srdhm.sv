// Pipelined rounding high multiply: h = sat32((x * m + 2^(RoundShift-1)) >>> RoundShift).
//
// With XW = 32 and RoundShift = 31 this is gemmlowp's SaturatingRoundingDoublingHighMul:
// its nudge (2^30, or 1 - 2^30 for a negative product) followed by a division truncating
// toward zero equals floor((x * m + 2^30) / 2^31) for every product, so one adder and an
// arithmetic shift suffice; the only result that does not fit int32 is INT32_MIN * INT32_MIN
// (2^31), saturated to INT32_MAX. The residual add feeds (q - zp) << 20 (XW = 9): its 20 zero
// bits cancel against the 2^31, so it uses RoundShift = 11 and a 9 x 32 product instead.
//
// A 32 x 32 product does not fit a 5 ns cycle in 0.18 um, so m is cut into ChunkW-bit
// chunks: stage 1 forms the x-by-chunk partial products (arrays of ChunkW + 1 rows), stage 2
// adds the low and the high half of them (one carry-save tree and adder each), stage 3 adds
// the halves and the rounding constant and shifts. ChunkW = 4 keeps stage 1 of the 32 x 32
// case within 5 ns on OSU 0.18 um cells (8-bit chunks need about 6.2 ns); the 9-bit x of the
// residual add is fast enough with 8-bit chunks and fewer flops. No enables and no reset:
// the caller tracks validity, and a datapath without enable muxes is smaller and faster
// (the PPU never stalls its pipeline, see npu_ppu.sv).
`default_nettype none

module npu_ppu_srdhm #(
  parameter int XW = 32,
  parameter int RoundShift = 31,
  parameter int ChunkW = 4  // 4 or 8
) (
  input  logic          clk_i,
  input  logic [XW-1:0] x_i,   // signed
  input  logic [31:0]   m_i,   // signed
  output logic [31:0]   h_o    // signed, three cycles after x_i / m_i
);
  localparam int NChunks = 32 / ChunkW;
  localparam int HalfN = NChunks / 2;
  localparam int PpW = XW + ChunkW + 1;  // x times a signed (ChunkW + 1)-bit chunk
  localparam int HalfW = XW + 17;        // sum of HalfN shifted products: |.| < 2^(XW+15)
  localparam int PW = XW + 33;           // lo + hi * 2^16, with headroom
  localparam int OW = PW - RoundShift;   // bits left after the shift

  // Stage 1: partial products. The low chunks of m are unsigned, the top one signed.
  logic signed [XW-1:0] x_s;
  logic signed [PpW-1:0] pp_q [NChunks];
  assign x_s = $signed(x_i);
  for (genvar k = 0; k < NChunks; k++) begin : g_pp
    logic signed [ChunkW:0] chunk;
    if (k == NChunks - 1) begin : g_top
      assign chunk = $signed({m_i[31], m_i[k*ChunkW +: ChunkW]});
    end else begin : g_low
      assign chunk = $signed({1'b0, m_i[k*ChunkW +: ChunkW]});
    end
    always_ff @(posedge clk_i) pp_q[k] <= x_s * chunk;
  end

  // Only x = m = INT32_MIN overflows; flagged here so stage 3 need not widen its result.
  logic sat1_q, sat2_q;
  if (XW == 32 && RoundShift == 31) begin : g_sat
    always_ff @(posedge clk_i) sat1_q <= (x_i == 32'h8000_0000) && (m_i == 32'h8000_0000);
  end else begin : g_nosat
    assign sat1_q = 1'b0;
  end
  always_ff @(posedge clk_i) sat2_q <= sat1_q;

  // Stage 2: the two halves, each one multi-operand sum (a carry-save tree in synthesis).
  logic signed [HalfW-1:0] lo_sum, hi_sum;
  always_comb begin
    lo_sum = '0;
    hi_sum = '0;
    for (int k = 0; k < HalfN; k++) begin
      lo_sum = lo_sum + (HalfW'(pp_q[k]) <<< (k * ChunkW));
      hi_sum = hi_sum + (HalfW'(pp_q[HalfN + k]) <<< (k * ChunkW));
    end
  end
  logic signed [HalfW-1:0] lo_q, hi_q;
  always_ff @(posedge clk_i) begin
    lo_q <= lo_sum;
    hi_q <= hi_sum;
  end

  // Stage 3: sum, round, shift, saturate.
  localparam logic signed [PW-1:0] Half = PW'(1) <<< (RoundShift - 1);
  logic signed [PW-1:0] rounded;
  assign rounded = PW'(lo_q) + (PW'(hi_q) <<< 16) + Half;

  logic [31:0] h_d;
  if (OW > 32) begin : g_wide
    // OW = 34 for the 32-bit case: bit 32 of the shifted value is set only by the
    // saturating product, whose result 2^31 would otherwise wrap to INT32_MIN.
    assign h_d = sat2_q ? 32'h7fff_ffff : rounded[RoundShift +: 32];
    /* verilator lint_off UNUSEDSIGNAL */
    // The top bits are sign copies once the saturating case is excluded; the low bits are
    // the discarded fraction.
    logic unused_bits;
    assign unused_bits = ^{rounded[PW-1:RoundShift+32], rounded[RoundShift-1:0]};
    /* verilator lint_on UNUSEDSIGNAL */
  end else begin : g_narrow
    assign h_d = {{(32 - OW){rounded[PW-1]}}, rounded[PW-1:RoundShift]};
    /* verilator lint_off UNUSEDSIGNAL */
    // Discarded fraction bits, and the (never set) saturation flag of narrow products.
    logic unused_bits;
    assign unused_bits = ^{rounded[RoundShift-1:0], sat2_q};
    /* verilator lint_on UNUSEDSIGNAL */
  end
  always_ff @(posedge clk_i) h_o <= h_d;
endmodule

`default_nettype wire
