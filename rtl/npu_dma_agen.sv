// DMA engine: walks a strided descriptor row by row and cuts every row into AXI INCR bursts.
//
// A row is cfg_len_i contiguous bytes at base + i1*stride1 + i2*stride2 + i3*stride3 (i1
// innermost). Bursts are full-width (AxSIZE = log2 of the bus bytes) and start at the row's
// address rounded down to the bus width, so byte granularity costs only the realignment in
// the read/write paths. A burst ends at the row's end, at MaxBurst beats or at the next 4 KiB
// boundary, whichever comes first. The row base addresses are kept per loop level and advanced
// by additions only (no multipliers). One burst per cycle leaves the output register.
`default_nettype none

module npu_dma_agen #(
  parameter int AddrW    = 32,
  parameter int DataW    = 64,
  parameter int LenW     = 24,
  parameter int CntW     = 16,
  parameter int MaxBurst = 256,  // beats, 1..256
  localparam int OffW    = $clog2(DataW / 8)
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             start_i,   // load the configuration and start walking
  input  logic             abort_i,   // stop at once (after an error); drops the burst register
  input  logic [AddrW-1:0] cfg_addr_i,
  input  logic [LenW-1:0]  cfg_len_i,    // >= 1
  input  logic [CntW-1:0]  cfg_cnt1_i,   // >= 1 each
  input  logic [AddrW-1:0] cfg_stride1_i,
  input  logic [CntW-1:0]  cfg_cnt2_i,
  input  logic [AddrW-1:0] cfg_stride2_i,
  input  logic [CntW-1:0]  cfg_cnt3_i,
  input  logic [AddrW-1:0] cfg_stride3_i,
  output logic             busy_o,
  output logic             bst_valid_o,
  input  logic             bst_ready_i,
  output logic [AddrW-1:0] bst_addr_o,      // aligned to the bus width
  output logic [7:0]       bst_len_o,       // beats - 1 (AxLEN)
  output logic [OffW-1:0]  bst_off_o,       // byte offset of the row start in its first beat
  output logic             bst_row_first_o, // first burst of a row
  output logic             bst_row_last_o,  // last burst of a row
  output logic             bst_last_o       // last burst of the descriptor
);

  localparam int Bytes = DataW / 8;
  localparam logic [AddrW:0] MaxBurstW = (AddrW + 1)'(MaxBurst);

  logic             active_q;
  logic [CntW-1:0]  i1_q, i2_q, i3_q;
  logic [AddrW-1:0] a1_q, a2_q, a3_q, cur_q, end_q;
  logic [OffW-1:0]  off_q;
  logic             first_q;

  logic             v_q, rf_q, rl_q, last_q;
  logic [AddrW-1:0] addr_q;
  logic [7:0]       len_q;
  logic [OffW-1:0]  boff_q;

  // Beats left in the row, beats to the 4 KiB boundary, and the burst they allow.
  logic [AddrW:0] left_bytes, left_beats, page_beats, beats;
  logic           row_done, last_row, load;
  assign left_bytes = {1'b0, end_q - cur_q} + (AddrW + 1)'(Bytes - 1);
  assign left_beats = left_bytes >> OffW;
  assign page_beats = ((AddrW + 1)'(4096) - (AddrW + 1)'(cur_q[11:0])) >> OffW;
  always_comb begin
    beats = left_beats;
    if (page_beats < beats) beats = page_beats;
    if (MaxBurstW < beats) beats = MaxBurstW;
  end
  assign row_done = beats == left_beats;
  assign last_row = (i1_q == cfg_cnt1_i - 1'b1) && (i2_q == cfg_cnt2_i - 1'b1) &&
                    (i3_q == cfg_cnt3_i - 1'b1);
  assign load     = active_q && (!v_q || bst_ready_i);

  // Base of the next row: the innermost level that has not wrapped advances by its stride.
  logic [AddrW-1:0] next_base;
  always_comb begin
    if (i1_q != cfg_cnt1_i - 1'b1) next_base = a1_q + cfg_stride1_i;
    else if (i2_q != cfg_cnt2_i - 1'b1) next_base = a2_q + cfg_stride2_i;
    else next_base = a3_q + cfg_stride3_i;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni || abort_i) begin
      active_q <= 1'b0;
      v_q      <= 1'b0;
    end else if (start_i) begin
      active_q <= 1'b1;
      v_q      <= 1'b0;
    end else begin
      if (load) begin
        v_q <= 1'b1;
        if (row_done && last_row) active_q <= 1'b0;
      end else if (bst_ready_i) begin
        v_q <= 1'b0;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (start_i) begin
      i1_q    <= '0;
      i2_q    <= '0;
      i3_q    <= '0;
      a1_q    <= cfg_addr_i;
      a2_q    <= cfg_addr_i;
      a3_q    <= cfg_addr_i;
      cur_q   <= {cfg_addr_i[AddrW-1:OffW], OffW'(0)};
      end_q   <= cfg_addr_i + AddrW'(cfg_len_i);
      off_q   <= cfg_addr_i[OffW-1:0];
      first_q <= 1'b1;
    end else if (load) begin
      addr_q  <= cur_q;
      len_q   <= 8'(beats - 1'b1);
      boff_q  <= off_q;
      rf_q    <= first_q;
      rl_q    <= row_done;
      last_q  <= row_done && last_row;
      first_q <= 1'b0;
      cur_q   <= cur_q + AddrW'(beats << OffW);
      if (row_done && !last_row) begin
        if (i1_q != cfg_cnt1_i - 1'b1) begin
          i1_q <= i1_q + 1'b1;
          a1_q <= next_base;
        end else if (i2_q != cfg_cnt2_i - 1'b1) begin
          i1_q <= '0;
          i2_q <= i2_q + 1'b1;
          a1_q <= next_base;
          a2_q <= next_base;
        end else begin
          i1_q <= '0;
          i2_q <= '0;
          i3_q <= i3_q + 1'b1;
          a1_q <= next_base;
          a2_q <= next_base;
          a3_q <= next_base;
        end
        cur_q   <= {next_base[AddrW-1:OffW], OffW'(0)};
        end_q   <= next_base + AddrW'(cfg_len_i);
        off_q   <= next_base[OffW-1:0];
        first_q <= 1'b1;
      end
    end
  end

  assign busy_o          = active_q || v_q;
  assign bst_valid_o     = v_q;
  assign bst_addr_o      = addr_q;
  assign bst_len_o       = len_q;
  assign bst_off_o       = boff_q;
  assign bst_row_first_o = rf_q;
  assign bst_row_last_o  = rl_q;
  assign bst_last_o      = last_q;

endmodule

`default_nettype wire
