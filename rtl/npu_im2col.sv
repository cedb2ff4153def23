// Implicit im2col: walks a conv layer's loop nest and streams the array's activation
// K-chunks (one Rows-lane vector per output pixel and K-chunk) from the NHWC activation
// scratchpad, with a_first/a_last marking each tile. Nothing is copied or expanded in memory.
//
// Loop order (outermost first; docs/architecture.md, "Datapath"):
//   M-block (cfg_mblock output pixels, one accumulator bank)
//     N-tile (Rows output channels; the activations do not depend on it, they are re-read)
//       K-chunk = (tap block, channel group g)      tap block outer, g inner
//         pixel of the M-block (raster order)       one vector per pixel = one array beat
//           tap of the tap block (packed small-C layers only: several reads per vector)
// Activation word (y, x, g) = cfg_in_base + (y * W + x) * G + g holds channels
// g * Rows + 0 .. Rows - 1 of pixel (y, x), lane r in bits [8r +: 8].
//
// Lane map. A K-chunk holds P = cfg_taps_per_chunk taps of S = cfg_slot channels each:
// lane l = p * S + c takes channel g * Rows + c of tap (tap block start + p); lanes l >= P * S
// are unused (0). Layers with C >= Rows use S = Rows, P = 1: one (tap, group) per chunk, one
// read per vector, one vector per cycle. Small-C layers (C < Rows, G = 1) use S = C,
// P = floor(Rows / C): P reads per vector, but ceil(kh*kw / P) chunks instead of kh*kw
// mostly-empty ones (C = 3, 3x3, Rows = 16: 2 chunks of 9 reads, not 9 chunks of 1).
// Padding taps (outside the input) read nothing and give cfg_in_zp_i in their lanes.
//
// All address arithmetic is incremental (adds of per-job strides computed at start), so the
// per-cycle path is one add and two compares per axis, whatever the kernel.
// cfg_* must stay stable from start_i until busy_o falls.
`default_nettype none

module npu_im2col #(
  parameter int Rows = 16,
  parameter int AddrW = 13,   // activation bank word address
  parameter int DimW = 10,    // H, W, OH, OW < 2^DimW
  parameter int GrpW = 8,     // channel groups, N-tiles < 2^GrpW
  parameter int BlkW = 10,    // M-block size <= 2^BlkW - 1
  parameter int PixW = 20,    // output pixels (OH * OW) < 2^PixW
  localparam int LaneW = (Rows > 1) ? $clog2(Rows) : 1,
  localparam int SlotW = $clog2(Rows + 1)
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                start_i,       // taken while !busy_o
  output logic                busy_o,        // vectors still to be issued
  // Job configuration.
  input  logic [AddrW-1:0]    cfg_in_base_i,
  input  logic [DimW-1:0]     cfg_in_h_i,
  input  logic [DimW-1:0]     cfg_in_w_i,
  input  logic [GrpW-1:0]     cfg_in_groups_i,     // G = ceil(C / Rows)
  input  logic [SlotW-1:0]    cfg_slot_i,          // S = min(C, Rows)
  input  logic [SlotW-1:0]    cfg_taps_per_chunk_i,// P = Rows / S (1 when C >= Rows)
  input  logic [7:0]          cfg_in_zp_i,
  input  logic [2:0]          cfg_kernel_h_i,      // 1..7
  input  logic [2:0]          cfg_kernel_w_i,
  input  logic [2:0]          cfg_stride_h_i,      // 1..7
  input  logic [2:0]          cfg_stride_w_i,
  input  logic [2:0]          cfg_pad_top_i,       // 0..7 (bottom/right follow from OH, OW)
  input  logic [2:0]          cfg_pad_left_i,
  input  logic [DimW-1:0]     cfg_out_w_i,
  input  logic [PixW-1:0]     cfg_pixels_i,        // OH * OW
  input  logic [GrpW-1:0]     cfg_ntiles_i,        // ceil(out channels / Cols)
  input  logic [BlkW-1:0]     cfg_mblock_i,        // pixels per M-block, 1..accumulator depth
  // Activation bank read port (1-cycle latency, never busy while this unit runs).
  output logic                rd_en_o,
  output logic [AddrW-1:0]    rd_addr_o,
  input  logic [Rows*8-1:0]   rd_data_i,
  // K-chunk vectors to the array.
  output logic                out_valid_o,
  input  logic                out_ready_i,
  output logic [Rows*8-1:0]   out_data_o,
  output logic                out_first_o,
  output logic                out_last_o
);

  localparam int FifoDepth = 4;
  localparam int CntW = $clog2(FifoDepth + 1);
  localparam int SW = 32;  // signed address arithmetic (padding taps may point outside)
  localparam int CW = DimW + 4;  // signed coordinates

  // ---------------------------------------------------------------- per-job constants
  logic signed [SW-1:0] g_q, wg_q, swg_q, shwg_q;
  logic signed [CW-1:0] sh_q, sw_q, pl_q, h_q, w_q;
  logic [2:0]           kh1_q, kw1_q;   // kernel size - 1
  logic [DimW-1:0]      ow1_q;
  logic [GrpW-1:0]      g1_q, nt1_q;
  logic [SlotW-1:0]     p1_q;
  logic [PixW-1:0]      pixels_q;
  logic [BlkW-1:0]      mblock_q;
  logic [7:0]           zp_q;
  logic [LaneW-1:0]     lane_c_q [Rows];  // channel within the tap's slot
  logic [SlotW:0]       lane_p_q [Rows];  // tap within the chunk; >= P: unused lane

  // The start cycle registers G and W * G; the setup cycle after it (setup_q) derives the
  // stride products and the first row address from those registers, so no multiply chain runs
  // from the configuration inputs into the loop state (it missed 200 MHz in OSU018).
  logic signed [SW-1:0] g_w, wg_w, row0_w;
  assign g_w    = SW'(cfg_in_groups_i);
  assign wg_w   = SW'(cfg_in_w_i) * g_w;
  assign row0_w = SW'(cfg_in_base_i) - (SW'(cfg_pad_top_i) * wg_q + SW'(cfg_pad_left_i) * g_q);

  // Lane map from S, a short chain of increments (per job, registered at start).
  logic [LaneW-1:0] lane_c_w [Rows];
  logic [SlotW:0]   lane_p_w [Rows];
  always_comb begin
    for (int l = 0; l < Rows; l++) begin
      if (l == 0) begin
        lane_c_w[l] = '0;
        lane_p_w[l] = '0;
      end else if ({1'b0, lane_c_w[l-1]} == SlotW'(cfg_slot_i - SlotW'(1))) begin
        lane_c_w[l] = '0;
        lane_p_w[l] = lane_p_w[l-1] + 1'b1;
      end else begin
        lane_c_w[l] = lane_c_w[l-1] + 1'b1;
        lane_p_w[l] = lane_p_w[l-1];
      end
    end
  end

  // ---------------------------------------------------------------- loop state
  logic                 busy_q, setup_q;
  // M-block start (pixel state to restart from) and size.
  logic [PixW-1:0]      m0_q;
  logic [BlkW-1:0]      cnt1_q;  // pixels in the block - 1
  logic [DimW-1:0]      b_ox_q;
  logic signed [CW-1:0] b_py_q, b_px_q;
  logic signed [SW-1:0] b_row_q, b_pix_q;
  // Current pixel.
  logic [BlkW-1:0]      pix_q;
  logic [DimW-1:0]      ox_q;
  logic signed [CW-1:0] py_q, px_q;
  logic signed [SW-1:0] row_q, pix_addr_q;
  // N-tile, channel group, chunk start tap.
  logic [GrpW-1:0]      nt_q, grp_q;
  logic [2:0]           c_ky_q, c_kx_q;
  logic signed [SW-1:0] c_toff_q, c_trow_q;
  // Current tap.
  logic [SlotW-1:0]     p_q;
  logic [2:0]           ky_q, kx_q;
  logic signed [SW-1:0] toff_q, trow_q;

  // Advanced tap and pixel (what the next tap / pixel would be).
  logic [2:0]           a_ky, a_kx;
  logic signed [SW-1:0] a_toff, a_trow;
  always_comb begin
    if (kx_q == kw1_q) begin
      a_kx = '0;
      a_ky = ky_q + 3'd1;
      a_trow = trow_q + wg_q;
      a_toff = trow_q + wg_q;
    end else begin
      a_kx = kx_q + 3'd1;
      a_ky = ky_q;
      a_trow = trow_q;
      a_toff = toff_q + g_q;
    end
  end
  logic [DimW-1:0]      a_ox;
  logic signed [CW-1:0] a_py, a_px;
  logic signed [SW-1:0] a_row, a_pix;
  always_comb begin
    if (ox_q == ow1_q) begin
      a_ox = '0;
      a_py = py_q + sh_q;
      a_px = -pl_q;
      a_row = row_q + shwg_q;
      a_pix = row_q + shwg_q;
    end else begin
      a_ox = ox_q + 1'b1;
      a_py = py_q;
      a_px = px_q + sw_q;
      a_row = row_q;
      a_pix = pix_addr_q + swg_q;
    end
  end

  // ---------------------------------------------------------------- issue
  logic               s1_valid_q, s1_pad_q, s1_end_q, s1_first_q, s1_last_q;
  logic [SlotW-1:0]   s1_p_q;
  logic [CntW-1:0]    fifo_count;
  logic               credit, fire, last_tap, chunk_end, last_pix, tile_end, block_end, job_end;
  logic signed [CW-1:0] iy, ix;
  // Only the low AddrW bits address the bank; the rest matter for padding taps alone, which
  // read nothing.
  /* verilator lint_off UNUSEDSIGNAL */
  logic signed [SW-1:0] addr;
  /* verilator lint_on UNUSEDSIGNAL */
  logic               pad;

  assign credit = (32'(fifo_count) + 32'(s1_valid_q && s1_end_q)) < FifoDepth;
  assign fire = busy_q && !setup_q && credit;
  assign iy = py_q + CW'(ky_q);
  assign ix = px_q + CW'(kx_q);
  assign pad = (iy < 0) || (iy >= h_q) || (ix < 0) || (ix >= w_q);
  assign addr = pix_addr_q + toff_q + SW'(grp_q);
  assign rd_en_o = fire && !pad;
  assign rd_addr_o = AddrW'(addr);
  assign busy_o = busy_q;

  assign last_tap  = (ky_q == kh1_q) && (kx_q == kw1_q);
  assign chunk_end = (p_q == p1_q) || last_tap;
  assign last_pix  = pix_q == cnt1_q;
  assign tile_end  = chunk_end && last_pix;
  assign block_end = tile_end && (grp_q == g1_q) && last_tap && (nt_q == nt1_q);
  assign job_end   = block_end && (m0_q + PixW'(cnt1_q) + PixW'(1) == pixels_q);

  logic [PixW-1:0] rem;  // pixels after this block
  assign rem = pixels_q - m0_q - PixW'(cnt1_q) - PixW'(1);

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q  <= 1'b0;
      setup_q <= 1'b0;
    end else if (!busy_q) begin
      busy_q  <= start_i;
      setup_q <= start_i;
    end else begin
      setup_q <= 1'b0;
      if (fire && job_end) busy_q <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!busy_q && start_i) begin
      g_q    <= g_w;
      wg_q   <= wg_w;
      sh_q   <= CW'(cfg_stride_h_i);
      sw_q   <= CW'(cfg_stride_w_i);
      pl_q   <= CW'(cfg_pad_left_i);
      h_q    <= CW'(cfg_in_h_i);
      w_q    <= CW'(cfg_in_w_i);
      kh1_q  <= cfg_kernel_h_i - 3'd1;
      kw1_q  <= cfg_kernel_w_i - 3'd1;
      ow1_q  <= cfg_out_w_i - 1'b1;
      g1_q   <= cfg_in_groups_i - 1'b1;
      nt1_q  <= cfg_ntiles_i - 1'b1;
      p1_q   <= cfg_taps_per_chunk_i - 1'b1;
      pixels_q <= cfg_pixels_i;
      mblock_q <= cfg_mblock_i;
      zp_q   <= cfg_in_zp_i;
      for (int l = 0; l < Rows; l++) begin
        lane_c_q[l] <= lane_c_w[l];
        lane_p_q[l] <= lane_p_w[l];
      end
      // First block, first tile, first tap.
      m0_q    <= '0;
      cnt1_q  <= (cfg_pixels_i < PixW'(cfg_mblock_i)) ? BlkW'(cfg_pixels_i - 1'b1)
                                                      : cfg_mblock_i - 1'b1;
      b_ox_q  <= '0;
      b_py_q  <= -(CW'(cfg_pad_top_i));
      b_px_q  <= -(CW'(cfg_pad_left_i));
      pix_q   <= '0;
      ox_q    <= '0;
      py_q    <= -(CW'(cfg_pad_top_i));
      px_q    <= -(CW'(cfg_pad_left_i));
      nt_q    <= '0;
      grp_q   <= '0;
      c_ky_q  <= '0;
      c_kx_q  <= '0;
      c_toff_q <= '0;
      c_trow_q <= '0;
      p_q     <= '0;
      ky_q    <= '0;
      kx_q    <= '0;
      toff_q  <= '0;
      trow_q  <= '0;
    end else if (setup_q) begin
      swg_q      <= SW'(sw_q) * g_q;
      shwg_q     <= SW'(sh_q) * wg_q;
      b_row_q    <= row0_w;
      b_pix_q    <= row0_w;
      row_q      <= row0_w;
      pix_addr_q <= row0_w;
    end else if (fire) begin
      if (!chunk_end) begin
        // Next tap of the same vector.
        p_q <= p_q + 1'b1;
        {ky_q, kx_q, toff_q, trow_q} <= {a_ky, a_kx, a_toff, a_trow};
      end else begin
        p_q <= '0;
        if (!last_pix) begin
          // Next pixel, same chunk.
          {ky_q, kx_q, toff_q, trow_q} <= {c_ky_q, c_kx_q, c_toff_q, c_trow_q};
          pix_q <= pix_q + 1'b1;
          {ox_q, py_q, px_q, row_q, pix_addr_q} <= {a_ox, a_py, a_px, a_row, a_pix};
        end else begin
          // Tile done: next chunk (group first, then tap block), N-tile or M-block.
          pix_q <= '0;
          {ox_q, py_q, px_q, row_q, pix_addr_q} <= {b_ox_q, b_py_q, b_px_q, b_row_q, b_pix_q};
          if (grp_q != g1_q) begin
            grp_q <= grp_q + 1'b1;
            {ky_q, kx_q, toff_q, trow_q} <= {c_ky_q, c_kx_q, c_toff_q, c_trow_q};
          end else begin
            grp_q <= '0;
            if (!last_tap) begin
              {ky_q, kx_q, toff_q, trow_q} <= {a_ky, a_kx, a_toff, a_trow};
              {c_ky_q, c_kx_q, c_toff_q, c_trow_q} <= {a_ky, a_kx, a_toff, a_trow};
            end else begin
              {ky_q, kx_q, toff_q, trow_q} <= '0;
              {c_ky_q, c_kx_q, c_toff_q, c_trow_q} <= '0;
              if (nt_q != nt1_q) begin
                nt_q <= nt_q + 1'b1;
              end else begin
                nt_q <= '0;
                m0_q <= m0_q + PixW'(cnt1_q) + PixW'(1);
                cnt1_q <= (rem < PixW'(mblock_q)) ? BlkW'(rem - 1'b1) : mblock_q - 1'b1;
                {ox_q, py_q, px_q, row_q, pix_addr_q} <= {a_ox, a_py, a_px, a_row, a_pix};
                {b_ox_q, b_py_q, b_px_q, b_row_q, b_pix_q} <= {a_ox, a_py, a_px, a_row, a_pix};
              end
            end
          end
        end
      end
    end
  end

  // ---------------------------------------------------------------- response and assembly
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
    end else begin
      s1_valid_q <= fire;
    end
  end
  always_ff @(posedge clk_i) begin
    s1_pad_q   <= pad;
    s1_p_q     <= p_q;
    s1_end_q   <= chunk_end;
    s1_first_q <= pix_q == '0;  // sampled with the vector's last tap
    s1_last_q  <= last_pix;
  end

  logic [Rows*8-1:0] asm_q, asm_d;
  always_comb begin
    for (int l = 0; l < Rows; l++) begin
      if (lane_p_q[l] == {1'b0, s1_p_q}) begin
        asm_d[l*8 +: 8] = s1_pad_q ? zp_q : rd_data_i[32'(lane_c_q[l])*8 +: 8];
      end else begin
        asm_d[l*8 +: 8] = asm_q[l*8 +: 8];
      end
    end
  end
  always_ff @(posedge clk_i) begin
    if (!busy_q && start_i) begin
      asm_q <= '0;  // unused lanes stay 0
    end else if (s1_valid_q) begin
      asm_q <= asm_d;
    end
  end

  npu_fifo #(.Width(Rows * 8 + 2), .Depth(FifoDepth)) u_fifo (
    .clk_i,
    .rst_ni,
    .in_valid_i (s1_valid_q && s1_end_q),
    /* verilator lint_off PINCONNECTEMPTY */
    .in_ready_o (),  // never full: reads are issued against its free slots
    /* verilator lint_on PINCONNECTEMPTY */
    .in_data_i  ({s1_first_q, s1_last_q, asm_d}),
    .out_valid_o,
    .out_ready_i,
    .out_data_o ({out_first_o, out_last_o, out_data_o}),
    .count_o    (fifo_count)
  );

endmodule

`default_nettype wire
