// Pooling unit: max pool, average pool and global average pool over an NHWC int8 tensor in the
// activation scratchpad, Lanes channels (one scratchpad word) in parallel.
//
// Structure (docs/pool.md has the full description and the numerics argument):
//   npu_pool_agen  walks the windows and emits one tap per cycle (address + pad/first/last);
//   real taps become scratchpad read requests, every tap (real or padding) also enters a tag
//   FIFO, responses enter a response FIFO of the same depth. A tap is only issued while the tag
//   FIFO has room, so at most Depth reads are in flight or buffered and the response FIFO can
//   never overflow: rsp_ready_o is high whenever a response can arrive, so a fixed-latency SRAM
//   may ignore it, and any read latency works (1 tap/cycle while latency + 2 <= Depth).
//   The reducer pairs the tag FIFO head with the response FIFO head (padding needs no response)
//   and keeps a per-lane running max or sum (AccW bits: |sum| <= 128 * 2^MaxTapsLog2) and the
//   tap count d of the window (padding included: avg pool always divides by kh*kw, global by
//   H*W), so no divisor has to be configured.
//   S1 holds a finished window while the reducer starts the next one; npu_pool_div divides
//   (avg: exact restoring division, 8 cycles per vector) or passes the max through.
// Outputs leave in raster order: output word k = (oy * OW + ox) * groups + g (dense NHWC), with
// out_last_o on the final word; the consumer derives write addresses from that order.
`default_nettype none

module npu_pool #(
  parameter int Lanes       = 16,
  parameter int AddrW       = 16,
  parameter int DimW        = 10,
  parameter int GrpW        = 8,
  parameter int MaxTapsLog2 = 12,  // largest window (kh*kw, or H*W for global) is 2^MaxTapsLog2
  parameter int Depth       = 4,   // tag/response slots; full speed for latency <= Depth-2
  localparam int AccW       = MaxTapsLog2 + 8,
  localparam int TapW       = MaxTapsLog2 + 1
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  // Job handshake: start_i is taken while idle_o; done_o pulses once after the last output.
  input  logic                     start_i,
  output logic                     idle_o,
  output logic                     done_o,
  // Per-job configuration, stable from start until done.
  input  logic [1:0]               cfg_mode_i,        // 0 max, 1 avg, 2 global avg, 3 = avg
  input  logic [DimW-1:0]          cfg_in_h_i,
  input  logic [DimW-1:0]          cfg_in_w_i,
  input  logic [GrpW-1:0]          cfg_groups_i,      // channel groups = C / Lanes (>= 1)
  input  logic [AddrW-1:0]         cfg_in_base_i,     // word address of (0, 0, group 0)
  input  logic [AddrW-1:0]         cfg_pix_stride_i,  // words between horizontal neighbours
  input  logic [AddrW-1:0]         cfg_row_stride_i,  // words between vertical neighbours
  input  logic [2:0]               cfg_kernel_h_i,    // 1..7 (ignored for global)
  input  logic [2:0]               cfg_kernel_w_i,
  input  logic [2:0]               cfg_stride_h_i,    // 1..4 (up to 7 works)
  input  logic [2:0]               cfg_stride_w_i,
  input  logic [2:0]               cfg_pad_top_i,
  input  logic [2:0]               cfg_pad_left_i,
  input  logic [2:0]               cfg_pad_bottom_i,
  input  logic [2:0]               cfg_pad_right_i,
  input  logic [7:0]               cfg_in_zp_i,       // int8 input zero point (avg padding)
  // Scratchpad read stream (responses in request order, any latency).
  output logic                     req_valid_o,
  input  logic                     req_ready_i,
  output logic [AddrW-1:0]         req_addr_o,
  input  logic                     rsp_valid_i,
  output logic                     rsp_ready_o,
  input  logic [Lanes*8-1:0]       rsp_data_i,
  // Output stream: one int8 Lanes-vector per output pixel and channel group, raster order.
  output logic                     out_valid_o,
  input  logic                     out_ready_i,
  output logic [Lanes*8-1:0]       out_data_o,
  output logic                     out_last_o
);

  localparam int CntW = $clog2(Depth) + 1;

  logic is_max;
  assign is_max = cfg_mode_i == 2'd0;

  // ---------------------------------------------------------------- job control
  logic busy_q, done_q, start;
  assign start  = start_i && !busy_q;
  assign idle_o = !busy_q;
  assign done_o = done_q;

  // ---------------------------------------------------------------- address generation
  logic             tap_valid, tap_ready, tap_pad, tap_first, tap_last, tap_end;
  logic [AddrW-1:0] tap_addr;
  logic             tag_in_ready;

  npu_pool_agen #(
    .AddrW(AddrW),
    .DimW (DimW),
    .GrpW (GrpW)
  ) u_agen (
    .clk_i,
    .rst_ni,
    .start_i         (start),
    /* verilator lint_off PINCONNECTEMPTY */
    // The unit's own busy flag also covers the finishing pipeline; the generator's is unused.
    .busy_o          (),
    /* verilator lint_on PINCONNECTEMPTY */
    .cfg_global_i    (cfg_mode_i == 2'd2),
    .cfg_in_h_i,
    .cfg_in_w_i,
    .cfg_groups_i,
    .cfg_in_base_i,
    .cfg_pix_stride_i,
    .cfg_row_stride_i,
    .cfg_kernel_h_i,
    .cfg_kernel_w_i,
    .cfg_stride_h_i,
    .cfg_stride_w_i,
    .cfg_pad_top_i,
    .cfg_pad_left_i,
    .cfg_pad_bottom_i,
    .cfg_pad_right_i,
    .tap_valid_o     (tap_valid),
    .tap_ready_i     (tap_ready),
    .tap_addr_o      (tap_addr),
    .tap_pad_o       (tap_pad),
    .tap_first_o     (tap_first),
    .tap_last_o      (tap_last),
    .tap_end_o       (tap_end)
  );

  // A real tap needs both a tag slot and the read port; a padded tap only a tag slot. The read
  // request depends on the (internal) tag FIFO state only, never on req_ready_i, and stays up
  // until taken because nothing else fills the tag FIFO.
  assign req_valid_o = tap_valid && !tap_pad && tag_in_ready;
  assign req_addr_o  = tap_addr;
  assign tap_ready   = tag_in_ready && (tap_pad || req_ready_i);

  // ---------------------------------------------------------------- tag and response FIFOs
  logic             tag_valid, tag_pop;
  logic [3:0]       tag;
  logic             tag_pad, tag_first, tag_last, tag_end;
  logic             dat_valid, dat_pop;
  logic [Lanes*8-1:0] dat;

  npu_fifo #(
    .Width(4),
    .Depth(Depth)
  ) u_tag_fifo (
    .clk_i,
    .rst_ni,
    .in_valid_i (tap_valid && tap_ready),
    .in_ready_o (tag_in_ready),
    .in_data_i  ({tap_pad, tap_first, tap_last, tap_end}),
    .out_valid_o(tag_valid),
    .out_ready_i(tag_pop),
    .out_data_o (tag),
    /* verilator lint_off PINCONNECTEMPTY */
    // Occupancy of the tag FIFO is not needed: its in_ready_o is the issue credit.
    .count_o    ()
    /* verilator lint_on PINCONNECTEMPTY */
  );
  assign {tag_pad, tag_first, tag_last, tag_end} = tag;

  /* verilator lint_off UNUSEDSIGNAL */
  // Kept for waveforms (responses waiting for the reducer); no logic needs it.
  logic [CntW-1:0] rsp_count;
  /* verilator lint_on UNUSEDSIGNAL */

  npu_fifo #(
    .Width(Lanes * 8),
    .Depth(Depth)
  ) u_rsp_fifo (
    .clk_i,
    .rst_ni,
    .in_valid_i (rsp_valid_i),
    .in_ready_o (rsp_ready_o),
    .in_data_i  (rsp_data_i),
    .out_valid_o(dat_valid),
    .out_ready_i(dat_pop),
    .out_data_o (dat),
    .count_o    (rsp_count)
  );

  // ---------------------------------------------------------------- reducer
  logic                   take, s1_ready, s1_valid_q, s1_end_q;
  logic [Lanes*AccW-1:0]  acc_q, acc_d, s1_sum_q;
  logic [TapW-1:0]        cnt_q, cnt_d, s1_div_q;
  logic signed [AccW-1:0] pad_value;

  assign pad_value = is_max ? AccW'(-128) : AccW'($signed(cfg_in_zp_i));
  assign take      = tag_valid && (tag_pad || dat_valid) && (!tag_last || s1_ready);
  assign tag_pop   = take;
  assign dat_pop   = take && !tag_pad;
  assign cnt_d     = tag_first ? TapW'(1) : cnt_q + TapW'(1);

  for (genvar l = 0; l < Lanes; l++) begin : g_reduce
    logic signed [AccW-1:0] v, a;
    assign v = tag_pad ? pad_value : AccW'($signed(dat[l*8 +: 8]));
    assign a = $signed(acc_q[l*AccW +: AccW]);
    assign acc_d[l*AccW +: AccW] = tag_first ? v : is_max ? ((v > a) ? v : a) : a + v;
  end

  logic s1_take;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q     <= 1'b0;
      done_q     <= 1'b0;
      acc_q      <= '0;
      cnt_q      <= '0;
      s1_valid_q <= 1'b0;
      s1_end_q   <= 1'b0;
      s1_sum_q   <= '0;
      s1_div_q   <= '0;
    end else begin
      done_q <= out_valid_o && out_ready_i && out_last_o;
      if (start) busy_q <= 1'b1;
      else if (out_valid_o && out_ready_i && out_last_o) busy_q <= 1'b0;

      if (take && !tag_last) begin
        acc_q <= acc_d;
        cnt_q <= cnt_d;
      end
      if (take && tag_last) begin
        s1_valid_q <= 1'b1;
        s1_end_q   <= tag_end;
        s1_sum_q   <= acc_d;
        s1_div_q   <= cnt_d;
      end else if (s1_take) begin
        s1_valid_q <= 1'b0;
      end
    end
  end

  // ---------------------------------------------------------------- division / output
  logic s1_div_ready;
  assign s1_take  = s1_valid_q && s1_div_ready;
  assign s1_ready = !s1_valid_q || s1_div_ready;

  npu_pool_div #(
    .Lanes(Lanes),
    .AccW (AccW),
    .TapW (TapW)
  ) u_div (
    .clk_i,
    .rst_ni,
    .bypass_i   (is_max),
    .in_valid_i (s1_valid_q),
    .in_ready_o (s1_div_ready),
    .in_sum_i   (s1_sum_q),
    .in_div_i   (s1_div_q),
    .in_last_i  (s1_end_q),
    .out_valid_o,
    .out_ready_i,
    .out_data_o,
    .out_last_o
  );

`ifndef SYNTHESIS
  // Protocol (rtl/README.md, Assertions): reads out, responses in, outputs out.
  npu_assert_stream #(.Width(AddrW), .Name("npu_pool req")) u_assert_req (
    .clk_i, .rst_ni, .valid_i (req_valid_o), .ready_i (req_ready_i), .data_i (req_addr_o)
  );
  npu_assert_stream #(.Width(Lanes * 8), .Name("npu_pool rsp")) u_assert_rsp (
    .clk_i, .rst_ni, .valid_i (rsp_valid_i), .ready_i (rsp_ready_o), .data_i (rsp_data_i)
  );
  npu_assert_stream #(.Width(Lanes * 8 + 1), .Name("npu_pool out")) u_assert_out (
    .clk_i, .rst_ni, .valid_i (out_valid_o), .ready_i (out_ready_i), .data_i ({out_data_o, out_last_o})
  );
`endif

endmodule

`default_nettype wire
