// Pooling unit: window address generator.
//
// Walks the pooling windows of one job in output raster order, channel group inside pixel,
// window taps row-major inside group:
//   for oy, for ox, for g < groups, for ky < kh, for kx < kw
// and emits one tap per accepted cycle: the scratchpad word address of input pixel
// (iy, ix) = (oy*sh - pad_top + ky, ox*sw - pad_left + kx), group g, whether that position is
// padding (then no read is issued downstream), and whether the tap opens / closes a window or
// ends the job.
//
// Word address of (y, x, g) = base + y*row_stride + x*pix_stride + g (modulo 2^AddrW). Dense NHWC
// input uses pix_stride = groups and row_stride = W*groups; other strides let the input be a
// window of a larger tensor. Every address is kept in a register and updated by additions only
// (no multiplier in the tap loop); padded taps get wrapped "virtual" addresses that are never
// used. The number of output columns/rows is not configured: a row of windows ends when the next
// window would cross W + pad_right (the same count as (W + pl + pr - kw) / sw + 1, without a
// divider). Global average pooling is the window H x W, stride 1, no padding.
`default_nettype none

module npu_pool_agen #(
  parameter int AddrW = 16,
  parameter int DimW  = 10,
  parameter int GrpW  = 8
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  // Job start (accepted only while idle; configuration must be stable until the job ends).
  input  logic             start_i,
  output logic             busy_o,
  input  logic             cfg_global_i,
  input  logic [DimW-1:0]  cfg_in_h_i,
  input  logic [DimW-1:0]  cfg_in_w_i,
  input  logic [GrpW-1:0]  cfg_groups_i,
  input  logic [AddrW-1:0] cfg_in_base_i,
  input  logic [AddrW-1:0] cfg_pix_stride_i,
  input  logic [AddrW-1:0] cfg_row_stride_i,
  input  logic [2:0]       cfg_kernel_h_i,
  input  logic [2:0]       cfg_kernel_w_i,
  input  logic [2:0]       cfg_stride_h_i,
  input  logic [2:0]       cfg_stride_w_i,
  input  logic [2:0]       cfg_pad_top_i,
  input  logic [2:0]       cfg_pad_left_i,
  input  logic [2:0]       cfg_pad_bottom_i,
  input  logic [2:0]       cfg_pad_right_i,
  // Tap stream.
  output logic             tap_valid_o,
  input  logic             tap_ready_i,
  output logic [AddrW-1:0] tap_addr_o,
  output logic             tap_pad_o,
  output logic             tap_first_o,
  output logic             tap_last_o,
  output logic             tap_end_o
);

  // Signed coordinate width: holds -7 .. 2*(2^DimW) + 15 without overflow.
  localparam int SW = DimW + 3;

  logic             busy_q;
  // Per-job values derived from the configuration at start.
  logic [DimW-1:0]  kh_q, kw_q;
  logic [SW-1:0]    sh_q, sw_q;
  logic [SW-1:0]    lim_y_q, lim_x_q;   // H + pad_bottom, W + pad_right
  logic [SW-1:0]    x_start_q;          // -pad_left
  logic [AddrW-1:0] step_x_q, step_y_q; // sw * pix_stride, sh * row_stride
  // Loop state.
  logic [DimW-1:0]  kx_q, ky_q;
  logic [GrpW-1:0]  g_q;
  logic [SW-1:0]    x0_q, y0_q;         // window origin, may be negative
  logic [AddrW-1:0] orow_q;             // (y0, -pad_left, 0)
  logic [AddrW-1:0] opix_q;             // (y0, x0, 0)
  logic [AddrW-1:0] win_q;              // (y0, x0, g)
  logic [AddrW-1:0] trow_q;             // (y0 + ky, x0, g)
  logic [AddrW-1:0] tap_q;              // (y0 + ky, x0 + kx, g)

  // Start values (combinational from the configuration, registered when the job starts).
  logic [DimW-1:0]  kh_s, kw_s;
  logic [2:0]       sh_s, sw_s, pt_s, pl_s, pb_s, pr_s;
  logic [AddrW-1:0] origin_s;

  always_comb begin
    kh_s = cfg_global_i ? cfg_in_h_i : DimW'(cfg_kernel_h_i);
    kw_s = cfg_global_i ? cfg_in_w_i : DimW'(cfg_kernel_w_i);
    sh_s = cfg_global_i ? 3'd1 : cfg_stride_h_i;
    sw_s = cfg_global_i ? 3'd1 : cfg_stride_w_i;
    pt_s = cfg_global_i ? 3'd0 : cfg_pad_top_i;
    pl_s = cfg_global_i ? 3'd0 : cfg_pad_left_i;
    pb_s = cfg_global_i ? 3'd0 : cfg_pad_bottom_i;
    pr_s = cfg_global_i ? 3'd0 : cfg_pad_right_i;
    // A zero kernel or stride would never end a window or a row: treat it as 1.
    if (kh_s == '0) kh_s = DimW'(1);
    if (kw_s == '0) kw_s = DimW'(1);
    if (sh_s == '0) sh_s = 3'd1;
    if (sw_s == '0) sw_s = 3'd1;
    origin_s = cfg_in_base_i - AddrW'(pt_s) * cfg_row_stride_i - AddrW'(pl_s) * cfg_pix_stride_i;
  end

  // Loop conditions of the current tap.
  logic [SW-1:0] ix, iy, next_x0, next_y0;
  logic          last_kx, last_ky, last_g, last_ox, last_oy, pad;

  always_comb begin
    ix      = x0_q + SW'(kx_q);
    iy      = y0_q + SW'(ky_q);
    next_x0 = x0_q + sw_q;
    next_y0 = y0_q + sh_q;
    last_kx = (kx_q + DimW'(1)) >= kw_q;
    last_ky = (ky_q + DimW'(1)) >= kh_q;
    last_g  = ({1'b0, g_q} + 1'b1) >= {1'b0, cfg_groups_i};
    // The next window [next_x0, next_x0 + kw) must stay inside [-pl, W + pr).
    last_ox = $signed(next_x0 + SW'(kw_q)) > $signed(lim_x_q);
    last_oy = $signed(next_y0 + SW'(kh_q)) > $signed(lim_y_q);
    // Unsigned compare: a negative coordinate wraps to a huge value, so one test covers both
    // sides of the input.
    pad     = (ix >= SW'(cfg_in_w_i)) || (iy >= SW'(cfg_in_h_i));
  end

  assign busy_o      = busy_q;
  assign tap_valid_o = busy_q;
  assign tap_addr_o  = tap_q;
  assign tap_pad_o   = pad;
  assign tap_first_o = (kx_q == '0) && (ky_q == '0);
  assign tap_last_o  = last_kx && last_ky;
  assign tap_end_o   = last_kx && last_ky && last_g && last_ox && last_oy;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q    <= 1'b0;
      kh_q      <= '0;
      kw_q      <= '0;
      sh_q      <= '0;
      sw_q      <= '0;
      lim_y_q   <= '0;
      lim_x_q   <= '0;
      x_start_q <= '0;
      step_x_q  <= '0;
      step_y_q  <= '0;
      kx_q      <= '0;
      ky_q      <= '0;
      g_q       <= '0;
      x0_q      <= '0;
      y0_q      <= '0;
      orow_q    <= '0;
      opix_q    <= '0;
      win_q     <= '0;
      trow_q    <= '0;
      tap_q     <= '0;
    end else if (!busy_q) begin
      if (start_i) begin
        busy_q    <= 1'b1;
        kh_q      <= kh_s;
        kw_q      <= kw_s;
        sh_q      <= SW'(sh_s);
        sw_q      <= SW'(sw_s);
        lim_y_q   <= SW'(cfg_in_h_i) + SW'(pb_s);
        lim_x_q   <= SW'(cfg_in_w_i) + SW'(pr_s);
        x_start_q <= SW'(0) - SW'(pl_s);
        step_x_q  <= AddrW'(sw_s) * cfg_pix_stride_i;
        step_y_q  <= AddrW'(sh_s) * cfg_row_stride_i;
        kx_q      <= '0;
        ky_q      <= '0;
        g_q       <= '0;
        x0_q      <= SW'(0) - SW'(pl_s);
        y0_q      <= SW'(0) - SW'(pt_s);
        orow_q    <= origin_s;
        opix_q    <= origin_s;
        win_q     <= origin_s;
        trow_q    <= origin_s;
        tap_q     <= origin_s;
      end
    end else if (tap_ready_i) begin
      if (!last_kx) begin
        kx_q  <= kx_q + DimW'(1);
        tap_q <= tap_q + cfg_pix_stride_i;
      end else if (!last_ky) begin
        kx_q   <= '0;
        ky_q   <= ky_q + DimW'(1);
        trow_q <= trow_q + cfg_row_stride_i;
        tap_q  <= trow_q + cfg_row_stride_i;
      end else begin
        kx_q <= '0;
        ky_q <= '0;
        if (!last_g) begin
          g_q    <= g_q + GrpW'(1);
          win_q  <= win_q + AddrW'(1);
          trow_q <= win_q + AddrW'(1);
          tap_q  <= win_q + AddrW'(1);
        end else begin
          g_q <= '0;
          if (!last_ox) begin
            x0_q   <= next_x0;
            opix_q <= opix_q + step_x_q;
            win_q  <= opix_q + step_x_q;
            trow_q <= opix_q + step_x_q;
            tap_q  <= opix_q + step_x_q;
          end else if (!last_oy) begin
            x0_q   <= x_start_q;
            y0_q   <= next_y0;
            orow_q <= orow_q + step_y_q;
            opix_q <= orow_q + step_y_q;
            win_q  <= orow_q + step_y_q;
            trow_q <= orow_q + step_y_q;
            tap_q  <= orow_q + step_y_q;
          end else begin
            busy_q <= 1'b0;
          end
        end
      end
    end
  end

endmodule

`default_nettype wire
