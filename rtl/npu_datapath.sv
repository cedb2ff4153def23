// Compute datapath: activation, weight and accumulator scratchpads (two banks each), the
// implicit-im2col reader, the weight feed, the systolic array, the accumulator, the
// post-processing unit and the pooling unit. Runs one job from preloaded scratchpads to int8
// outputs written back into an activation bank (docs/architecture.md, "Datapath"): a conv /
// FC layer job (cfg_job_i = 0) or a pooling job (cfg_job_i = 1).
//
//   act bank[in] --npu_im2col--> array a_* ----> npu_accum (RMW, 2 banks) --> npu_ppu --+
//   wgt bank[w]  --npu_weight_feed--> array w_*         residual: act bank[res] --^      |
//   act bank[in] --npu_pool (max / avg / global avg, raster order) ---------------------+
//   act bank[out] <--------------------------------------------------------------------+
//
// The two job types never run at once, so the input bank's read port and the output bank's
// write port are switched by cfg_job_i alone (no arbiter): im2col or the pool unit reads, the
// PPU or the pool unit writes. Pool output words go to consecutive addresses from
// cfg_out_base_i (raster order is the dense NHWC layout).
//
// Job handshake: configure cfg_*, pulse start_i while !busy_o; done_o pulses once when the
// last output word is in the activation bank; cfg_* must stay stable from start to done. The
// derived fields (groups, slot, taps per chunk, chunks, tiles, blocks, word counts, row
// stride) are the control unit's to compute: one multiply-free job for the hardware, formulas
// in the doc.
//
// Scratchpad ports for the bench / DMA: simple writes (and reads of activations) with a ready
// that is low only for the banks the running job uses in that direction: the job's input and
// residual banks' read ports, its output bank's write port, its weight bank. So a DMA can fill
// the other banks while a job runs (double buffering). Reads return data the cycle after.
//
// Requires Rows == Cols: an output word (one N-tile of one pixel) is then exactly one input
// word of the next layer, so outputs need no repacking.
`default_nettype none

module npu_datapath #(
  parameter int Rows = 16,
  parameter int Cols = 16,
  parameter int ActDepth = 8192,       // words of Rows int8 per activation bank
  parameter int WgtDepth = 4096,       // words of Cols int8 per weight bank
  parameter int AccDepth = 512,        // words of Cols int32 per accumulator bank
  parameter int PpuMaxChannels = 1024, // output channels of the widest layer (PPU table)
  parameter bit PpuSerial = 1'b0,      // PPU with one time-multiplexed lane (docs/ppu.md)
  parameter int DimW = 10,
  parameter int GrpW = 8,
  parameter int KcW = 12,
  parameter int PixW = 20,
  parameter int PassW = 12,
  parameter int PoolMaxTapsLog2 = 12,  // largest pool window (kh*kw, or H*W for global)
  localparam int ActAW = $clog2(ActDepth),
  localparam int WgtAW = $clog2(WgtDepth),
  localparam int BlkW = $clog2(AccDepth + 1),
  localparam int SlotW = $clog2(Rows + 1),
  localparam int ChanW = $clog2(PpuMaxChannels),
  localparam int PpuGroupW = $clog2(PpuMaxChannels / Cols)
) (
  input  logic                clk_i,
  input  logic                rst_ni,

  // ------------------------------------------------------------ job
  input  logic                start_i,
  output logic                busy_o,
  output logic                done_o,
  input  logic                cfg_job_i,            // 0 conv / FC, 1 pool
  // Input activations (NHWC, C padded to G words per pixel).
  input  logic                cfg_in_bank_i,
  input  logic [ActAW-1:0]    cfg_in_base_i,
  input  logic [DimW-1:0]     cfg_in_h_i,
  input  logic [DimW-1:0]     cfg_in_w_i,
  input  logic [GrpW-1:0]     cfg_in_groups_i,      // G = ceil(C / Rows)
  input  logic [SlotW-1:0]    cfg_slot_i,           // S = min(C, Rows)
  input  logic [SlotW-1:0]    cfg_taps_per_chunk_i, // P = floor(Rows / S)
  input  logic [7:0]          cfg_in_zp_i,
  input  logic [ActAW-1:0]    cfg_in_row_words_i,   // pool: W * G words per input row
  // Geometry (conv and pool; pool ignores them in global average mode).
  input  logic [2:0]          cfg_kernel_h_i,
  input  logic [2:0]          cfg_kernel_w_i,
  input  logic [2:0]          cfg_stride_h_i,
  input  logic [2:0]          cfg_stride_w_i,
  input  logic [2:0]          cfg_pad_top_i,
  input  logic [2:0]          cfg_pad_left_i,
  input  logic [2:0]          cfg_pad_bottom_i,     // pool only (conv: out size is given)
  input  logic [2:0]          cfg_pad_right_i,      // pool only
  input  logic [1:0]          cfg_pool_mode_i,      // 0 max, 1 avg, 2 global avg, 3 reserved
  input  logic [DimW-1:0]     cfg_out_w_i,
  input  logic [PixW-1:0]     cfg_pixels_i,         // OH * OW
  // Tiling.
  input  logic [KcW-1:0]      cfg_kchunks_i,        // ceil(kh*kw / P) * G
  input  logic [GrpW-1:0]     cfg_ntiles_i,         // ceil(out channels / Cols)
  input  logic [BlkW-1:0]     cfg_mblock_i,         // pixels per M-block, 1..AccDepth
  input  logic [PassW-1:0]    cfg_mblocks_i,        // ceil(pixels / mblock)
  // Weights: tiles in consumption order, cfg_w_words = ntiles * kchunks * Rows words.
  input  logic                cfg_w_bank_i,
  input  logic [WgtAW-1:0]    cfg_w_base_i,
  input  logic [WgtAW:0]      cfg_w_words_i,
  // Output (and residual) activations, NHWC with cfg_out_groups words per pixel.
  input  logic                cfg_out_bank_i,
  input  logic [ActAW-1:0]    cfg_out_base_i,
  input  logic [GrpW-1:0]     cfg_out_groups_i,     // = ntiles
  input  logic                cfg_res_bank_i,       // != cfg_in_bank_i (its read port is busy)
  input  logic [ActAW-1:0]    cfg_res_base_i,
  // Post-processing (npu_ppu's cfg_*, docs/ppu.md); mode 1 also reads the residual.
  input  logic [1:0]          cfg_mode_i,           // 0 conv, 1 conv + residual add
  input  logic [7:0]          cfg_zp_i,
  input  logic                cfg_relu_i,
  input  logic [7:0]          cfg_add_zp_a_i,
  input  logic [7:0]          cfg_add_zp_b_i,
  input  logic [7:0]          cfg_add_zp_out_i,
  input  logic [31:0]         cfg_add_mult_a_i,
  input  logic [31:0]         cfg_add_mult_b_i,
  input  logic [31:0]         cfg_add_mult_out_i,
  input  logic [5:0]          cfg_add_shift_a_i,
  input  logic [5:0]          cfg_add_shift_b_i,
  input  logic [5:0]          cfg_add_shift_out_i,
  input  logic                cfg_add_relu_i,
  output logic                cfg_err_o,

  // ------------------------------------------------------------ scratchpad access
  input  logic                act_wr_valid_i,
  output logic                act_wr_ready_o,
  input  logic                act_wr_bank_i,
  input  logic [ActAW-1:0]    act_wr_addr_i,
  input  logic [Rows*8-1:0]   act_wr_data_i,
  input  logic                act_rd_valid_i,
  output logic                act_rd_ready_o,
  input  logic                act_rd_bank_i,
  input  logic [ActAW-1:0]    act_rd_addr_i,
  output logic                act_rd_rvalid_o,
  output logic [Rows*8-1:0]   act_rd_rdata_o,
  input  logic                w_wr_valid_i,
  output logic                w_wr_ready_o,
  input  logic                w_wr_bank_i,
  input  logic [WgtAW-1:0]    w_wr_addr_i,
  input  logic [Cols*8-1:0]   w_wr_data_i,
  // PPU parameter table (docs/ppu.md: bias with -zp_in * sum(w) folded in, multiplier, shift).
  input  logic                prm_valid_i,
  output logic                prm_ready_o,
  input  logic [ChanW-1:0]    prm_chan_i,
  input  logic [31:0]         prm_bias_i,
  input  logic [31:0]         prm_mult_i,
  input  logic [5:0]          prm_shift_i,

  // ------------------------------------------------------------ performance counters
  output logic [31:0]         perf_cycles_o,        // cycles of the last / current job
  output logic [31:0]         perf_vectors_o,       // K-chunk vectors into the array (conv),
                                                    // activation words read (pool)
  output logic [31:0]         perf_acc_stall_o,     // array output waiting for a drain
  output logic [31:0]         perf_w_wait_o,        // tile start waiting for its weights
  // Per-cycle unit activity for the register file's counters (docs/registers.md).
  output logic                ev_mac_o,             // the array takes a vector (conv job)
  output logic                ppu_busy_o,           // the PPU holds a beat (pipeline / queue)
  output logic                ppu_stall_o,          // ... and no beat enters or leaves it
  output logic                pool_busy_o,          // a pooling job runs in npu_pool
  output logic                pool_stall_o          // ... and it issues no scratchpad read
);

  // ---------------------------------------------------------------- job control
  localparam logic JobPool = 1'b1;
  // The job is taken (busy_o) in the start_i cycle and the units start one cycle later from
  // start_q: start_i comes through the control unit's issue logic, which waits on cfg_err_o,
  // and fanned out straight into every unit's configuration registers it was the chip's
  // longest path (docs/synth.md).
  logic busy_q, start_q, done_q, start, im_busy, wf_busy, acc_busy, ppu_idle, pool_idle, finish;
  logic is_pool, conv_start, pool_start, ppu_cfg_err;
  assign is_pool    = cfg_job_i == JobPool;
  assign start      = start_i && !busy_q;
  assign conv_start = start_q && !is_pool;
  assign pool_start = start_q && is_pool;
  assign finish = busy_q && !start_q && !im_busy && !wf_busy && !acc_busy && ppu_idle
               && pool_idle;
  // The PPU's fields mean nothing to a pool job; the pool unit runs mode 3 as average.
  assign cfg_err_o = is_pool ? cfg_pool_mode_i == 2'd3 : ppu_cfg_err;
  assign busy_o = busy_q;
  assign done_o = done_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q  <= 1'b0;
      start_q <= 1'b0;
      done_q  <= 1'b0;
    end else begin
      start_q <= start;
      done_q  <= finish;
      if (start) busy_q <= 1'b1;
      else if (finish) busy_q <= 1'b0;
    end
  end

  // ---------------------------------------------------------------- activation banks
  logic              im_rd_en, res_rd_en, pool_rd_en;
  logic [ActAW-1:0]  im_rd_addr, res_rd_addr, pool_rd_addr;
  logic [Rows*8-1:0] act_rdata [2];
  logic              ppu_out_valid, pool_out_valid;
  logic [Rows*8-1:0] ppu_out_data, pool_out_data;
  logic [ActAW-1:0]  ppu_out_addr, pool_out_addr_q;
  logic              res_en;
  logic              act_rd_bank_q;
  // The job's own ports of the input and output banks, switched by job type.
  logic              in_rd_en, out_wr_en;
  logic [ActAW-1:0]  in_rd_addr, out_wr_addr;
  logic [Rows*8-1:0] out_wr_data;

  assign res_en      = !is_pool && cfg_mode_i == 2'd1;
  assign in_rd_en    = is_pool ? pool_rd_en : im_rd_en;
  assign in_rd_addr  = is_pool ? pool_rd_addr : im_rd_addr;
  assign out_wr_en   = is_pool ? pool_out_valid : ppu_out_valid;
  assign out_wr_addr = is_pool ? pool_out_addr_q : ppu_out_addr;
  assign out_wr_data = is_pool ? pool_out_data : ppu_out_data;
  assign act_wr_ready_o = !(busy_q && act_wr_bank_i == cfg_out_bank_i);
  assign act_rd_ready_o = !(busy_q && (act_rd_bank_i == cfg_in_bank_i
                                      || (res_en && act_rd_bank_i == cfg_res_bank_i)));

  for (genvar b = 0; b < 2; b++) begin : g_act
    logic job_rd, job_res, job_wr, ext_rd, ext_wr;
    assign job_rd  = busy_q && cfg_in_bank_i == 1'(b);
    assign job_res = busy_q && res_en && cfg_res_bank_i == 1'(b);
    assign job_wr  = busy_q && cfg_out_bank_i == 1'(b);
    assign ext_rd  = act_rd_valid_i && act_rd_ready_o && act_rd_bank_i == 1'(b);
    assign ext_wr  = act_wr_valid_i && act_wr_ready_o && act_wr_bank_i == 1'(b);
    npu_sram #(.Width(Rows * 8), .Depth(ActDepth)) u_sram (
      .clk_i,
      .wr_en_i   (job_wr ? out_wr_en : ext_wr),
      .wr_addr_i (job_wr ? out_wr_addr : act_wr_addr_i),
      .wr_data_i (job_wr ? out_wr_data : act_wr_data_i),
      .rd_en_i   (job_rd ? in_rd_en : job_res ? res_rd_en : ext_rd),
      .rd_addr_i (job_rd ? in_rd_addr : job_res ? res_rd_addr : act_rd_addr_i),
      .rd_data_o (act_rdata[b])
    );
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      act_rd_rvalid_o <= 1'b0;
    end else begin
      act_rd_rvalid_o <= act_rd_valid_i && act_rd_ready_o;
    end
    if (act_rd_valid_i && act_rd_ready_o) act_rd_bank_q <= act_rd_bank_i;
  end
  assign act_rd_rdata_o = act_rdata[act_rd_bank_q];

  // ---------------------------------------------------------------- weight banks
  logic              wf_rd_en;
  logic [WgtAW-1:0]  wf_rd_addr;
  logic [Cols*8-1:0] w_rdata [2];
  // A pool job leaves both weight banks to the DMA.
  assign w_wr_ready_o = !(busy_q && !is_pool && w_wr_bank_i == cfg_w_bank_i);
  for (genvar b = 0; b < 2; b++) begin : g_wgt
    npu_sram #(.Width(Cols * 8), .Depth(WgtDepth)) u_sram (
      .clk_i,
      .wr_en_i   (w_wr_valid_i && w_wr_ready_o && w_wr_bank_i == 1'(b)),
      .wr_addr_i (w_wr_addr_i),
      .wr_data_i (w_wr_data_i),
      .rd_en_i   (wf_rd_en && cfg_w_bank_i == 1'(b)),
      .rd_addr_i (wf_rd_addr),
      .rd_data_o (w_rdata[b])
    );
  end

  // ---------------------------------------------------------------- im2col -> array
  logic              a_valid, a_ready, a_first, a_last;
  logic [Rows*8-1:0] a_data;
  npu_im2col #(
    .Rows(Rows), .AddrW(ActAW), .DimW(DimW), .GrpW(GrpW), .BlkW(BlkW), .PixW(PixW)
  ) u_im2col (
    .clk_i,
    .rst_ni,
    .start_i              (conv_start),
    .busy_o               (im_busy),
    .cfg_in_base_i,
    .cfg_in_h_i,
    .cfg_in_w_i,
    .cfg_in_groups_i,
    .cfg_slot_i,
    .cfg_taps_per_chunk_i,
    .cfg_in_zp_i,
    .cfg_kernel_h_i,
    .cfg_kernel_w_i,
    .cfg_stride_h_i,
    .cfg_stride_w_i,
    .cfg_pad_top_i,
    .cfg_pad_left_i,
    .cfg_out_w_i,
    .cfg_pixels_i,
    .cfg_ntiles_i,
    .cfg_mblock_i,
    .rd_en_o              (im_rd_en),
    .rd_addr_o            (im_rd_addr),
    .rd_data_i            (act_rdata[cfg_in_bank_i]),
    .out_valid_o          (a_valid),
    .out_ready_i          (a_ready),
    .out_data_o           (a_data),
    .out_first_o          (a_first),
    .out_last_o           (a_last)
  );

  logic              w_valid, w_ready;
  logic [Cols*8-1:0] w_data;
  npu_weight_feed #(.Cols(Cols), .AddrW(WgtAW), .PassW(PassW)) u_weight_feed (
    .clk_i,
    .rst_ni,
    .start_i      (conv_start),
    .busy_o       (wf_busy),
    .cfg_base_i   (cfg_w_base_i),
    .cfg_words_i  (cfg_w_words_i),
    .cfg_passes_i (cfg_mblocks_i),
    .rd_en_o      (wf_rd_en),
    .rd_addr_o    (wf_rd_addr),
    .rd_data_i    (w_rdata[cfg_w_bank_i]),
    .out_valid_o  (w_valid),
    .out_ready_i  (w_ready),
    .out_data_o   (w_data)
  );

  logic               o_valid, o_ready, o_last;
  logic [Cols*32-1:0] o_data;
  npu_systolic_array #(.Rows(Rows), .Cols(Cols)) u_array (
    .clk_i,
    .rst_ni,
    .w_valid_i (w_valid),
    .w_ready_o (w_ready),
    .w_data_i  (w_data),
    .a_valid_i (a_valid),
    .a_ready_o (a_ready),
    .a_data_i  (a_data),
    .a_first_i (a_first),
    .a_last_i  (a_last),
    .o_valid_o (o_valid),
    .o_ready_i (o_ready),
    .o_data_o  (o_data),
    .o_last_o  (o_last)
  );

  // ---------------------------------------------------------------- accumulator -> PPU
  logic               acc_valid, acc_ready, acc_stall;
  logic [Cols*32-1:0] acc_data;
  logic [Cols*8-1:0]  acc_res;
  // The PPU table holds PpuMaxChannels / Cols groups; a job never has more N-tiles (the
  // control unit splits wider layers), so the upper N-tile bits are unused when it is small.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [GrpW-1:0]    acc_group;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [ActAW-1:0]   acc_addr;
  npu_accum #(
    .Cols(Cols), .Depth(AccDepth), .OutAW(ActAW), .GrpW(GrpW), .KcW(KcW), .PixW(PixW)
  ) u_accum (
    .clk_i,
    .rst_ni,
    .start_i          (conv_start),
    .busy_o           (acc_busy),
    .cfg_kchunks_i,
    .cfg_ntiles_i,
    .cfg_pixels_i,
    .cfg_out_base_i,
    .cfg_out_groups_i,
    .cfg_res_en_i     (res_en),
    .cfg_res_base_i,
    .in_valid_i       (o_valid),
    .in_ready_o       (o_ready),
    .in_data_i        (o_data),
    .in_last_i        (o_last),
    .out_valid_o      (acc_valid),
    .out_ready_i      (acc_ready),
    .out_data_o       (acc_data),
    .out_group_o      (acc_group),
    .out_addr_o       (acc_addr),
    .out_res_o        (acc_res),
    .stall_o          (acc_stall),
    .res_rd_en_o      (res_rd_en),
    .res_rd_addr_o    (res_rd_addr),
    .res_rd_data_i    (act_rdata[cfg_res_bank_i])
  );

  /* verilator lint_off UNUSEDSIGNAL */
  logic res_ready;  // joined with acc_ready inside the PPU: both come from one FIFO entry
  /* verilator lint_on UNUSEDSIGNAL */
  npu_ppu #(.Lanes(Cols), .MaxChannels(PpuMaxChannels), .UserW(ActAW), .Serial(PpuSerial))
    u_ppu (
    .clk_i,
    .rst_ni,
    .cfg_mode_i,
    .cfg_zp_i,
    .cfg_relu_i,
    .cfg_add_zp_a_i,
    .cfg_add_zp_b_i,
    .cfg_add_zp_out_i,
    .cfg_add_mult_a_i,
    .cfg_add_mult_b_i,
    .cfg_add_mult_out_i,
    .cfg_add_shift_a_i,
    .cfg_add_shift_b_i,
    .cfg_add_shift_out_i,
    .cfg_add_relu_i,
    .cfg_err_o   (ppu_cfg_err),
    .prm_valid_i,
    .prm_ready_o,
    .prm_chan_i,
    .prm_bias_i,
    .prm_mult_i,
    .prm_shift_i,
    .acc_valid_i (acc_valid),
    .acc_ready_o (acc_ready),
    .acc_data_i  (acc_data),
    .acc_group_i (PpuGroupW'(acc_group)),
    .acc_user_i  (acc_addr),
    .res_valid_i (acc_valid && res_en),
    .res_ready_o (res_ready),
    .res_data_i  (acc_res),
    .out_valid_o (ppu_out_valid),
    .out_ready_i (1'b1),  // the output bank's write port is the job's alone
    .out_data_o  (ppu_out_data),
    .out_user_o  (ppu_out_addr),
    .idle_o      (ppu_idle)
  );

  // ---------------------------------------------------------------- pooling
  // npu_pool reads the input bank through its req/rsp stream: the port is the job's alone
  // (req_ready high) and the SRAM answers every read one cycle later. The unit issues a read
  // only when its response FIFO has room for the answer (docs/pool.md), so the fixed-latency
  // pipe may ignore rsp_ready_o. Its raster-order output words are written to consecutive
  // addresses from cfg_out_base_i; the bank's write port is the job's, so out_ready is high.
  logic pool_rsp_valid_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) pool_rsp_valid_q <= 1'b0;
    else pool_rsp_valid_q <= pool_rd_en;
    if (pool_start) pool_out_addr_q <= cfg_out_base_i;
    else if (pool_out_valid) pool_out_addr_q <= pool_out_addr_q + 1'b1;
  end

  npu_pool #(
    .Lanes(Rows), .AddrW(ActAW), .DimW(DimW), .GrpW(GrpW), .MaxTapsLog2(PoolMaxTapsLog2)
  ) u_pool (
    .clk_i,
    .rst_ni,
    .start_i          (pool_start),
    .idle_o           (pool_idle),
    /* verilator lint_off PINCONNECTEMPTY */
    .done_o           (),  // the job's done also waits for the last write (pool_idle)
    /* verilator lint_on PINCONNECTEMPTY */
    .cfg_mode_i       (cfg_pool_mode_i),
    .cfg_in_h_i,
    .cfg_in_w_i,
    .cfg_groups_i     (cfg_in_groups_i),
    .cfg_in_base_i,
    .cfg_pix_stride_i (ActAW'(cfg_in_groups_i)),
    .cfg_row_stride_i (cfg_in_row_words_i),
    .cfg_kernel_h_i,
    .cfg_kernel_w_i,
    .cfg_stride_h_i,
    .cfg_stride_w_i,
    .cfg_pad_top_i,
    .cfg_pad_left_i,
    .cfg_pad_bottom_i,
    .cfg_pad_right_i,
    .cfg_in_zp_i,
    .req_valid_o      (pool_rd_en),
    .req_ready_i      (1'b1),
    .req_addr_o       (pool_rd_addr),
    .rsp_valid_i      (pool_rsp_valid_q),
    /* verilator lint_off PINCONNECTEMPTY */
    .rsp_ready_o      (),  // always high when a response arrives (credit, see above)
    /* verilator lint_on PINCONNECTEMPTY */
    .rsp_data_i       (act_rdata[cfg_in_bank_i]),
    .out_valid_o      (pool_out_valid),
    .out_ready_i      (1'b1),
    .out_data_o       (pool_out_data),
    /* verilator lint_off PINCONNECTEMPTY */
    .out_last_o       ()   // the write address counts words; idle_o ends the job
    /* verilator lint_on PINCONNECTEMPTY */
  );

  // ---------------------------------------------------------------- performance counters
  logic [31:0] cycles_q, vectors_q, acc_stall_q, w_wait_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni || start) begin
      cycles_q <= '0;
      vectors_q <= '0;
      acc_stall_q <= '0;
      w_wait_q <= '0;
    end else if (busy_q) begin
      cycles_q <= cycles_q + 1'b1;
      if ((a_valid && a_ready) || pool_rd_en) vectors_q <= vectors_q + 1'b1;
      if (acc_stall) acc_stall_q <= acc_stall_q + 1'b1;
      if (a_valid && a_first && !a_ready) w_wait_q <= w_wait_q + 1'b1;
    end
  end
  assign ev_mac_o = busy_q && a_valid && a_ready;
  assign perf_cycles_o = cycles_q;
  assign perf_vectors_o = vectors_q;
  assign perf_acc_stall_o = acc_stall_q;
  assign perf_w_wait_o = w_wait_q;
  // The PPU is busy while a beat is in its pipeline or output queue; a stall is a busy cycle
  // without an accumulator beat taken or a result leaving (waiting on the accumulator drain or
  // on credits). The pool unit is busy from its start to its last write; a stall is a busy
  // cycle without a scratchpad read (fill, drain, or reads held back by the divider).
  assign ppu_busy_o   = !ppu_idle;
  assign ppu_stall_o  = !ppu_idle && !(acc_valid && acc_ready) && !ppu_out_valid;
  assign pool_busy_o  = !pool_idle;
  assign pool_stall_o = !pool_idle && !pool_rd_en;

  // ---------------------------------------------------------------- checks
  // Parameter rules (rtl/README.md, Parameter checks).
  if (Rows != Cols) begin : g_bad_cols
`ifdef __ICARUS__
    initial $fatal(1, "npu_datapath: parameters Rows (%0d) and Cols (%0d) must be equal", Rows, Cols);
`else
    $error("npu_datapath: parameters Rows and Cols must be equal");
`endif
  end
  if (ActDepth < 1 || (ActDepth & (ActDepth - 1)) != 0 || ActDepth < 2 || WgtDepth < 1 || (WgtDepth & (WgtDepth - 1)) != 0 || WgtDepth < 2 || AccDepth < 1 || (AccDepth & (AccDepth - 1)) != 0 || AccDepth < 2) begin : g_bad_depths
`ifdef __ICARUS__
    initial $fatal(1, "npu_datapath: parameters ActDepth (%0d), WgtDepth (%0d), AccDepth (%0d) must be powers of two >= 2", ActDepth, WgtDepth, AccDepth);
`else
    $error("npu_datapath: parameters ActDepth, WgtDepth and AccDepth must be powers of two >= 2");
`endif
  end
  if (PpuMaxChannels < 1 || (PpuMaxChannels & (PpuMaxChannels - 1)) != 0 || PpuMaxChannels < 2 * Cols) begin : g_bad_ppu_channels
`ifdef __ICARUS__
    initial $fatal(1, "npu_datapath: parameter PpuMaxChannels (%0d) must be a power of two >= 2 * Cols", PpuMaxChannels);
`else
    $error("npu_datapath: parameter PpuMaxChannels must be a power of two >= 2 * Cols");
`endif
  end

`ifndef SYNTHESIS
  // Protocol (rtl/README.md, Assertions): the scratchpad and parameter ports.
  npu_assert_stream #(.Width(1 + ActAW + Rows * 8), .Name("npu_datapath act_wr")) u_assert_act_wr (
    .clk_i, .rst_ni, .valid_i (act_wr_valid_i), .ready_i (act_wr_ready_o), .data_i ({act_wr_bank_i, act_wr_addr_i, act_wr_data_i})
  );
  npu_assert_stream #(.Width(1 + ActAW), .Name("npu_datapath act_rd")) u_assert_act_rd (
    .clk_i, .rst_ni, .valid_i (act_rd_valid_i), .ready_i (act_rd_ready_o), .data_i ({act_rd_bank_i, act_rd_addr_i})
  );
  npu_assert_stream #(.Width(1 + WgtAW + Cols * 8), .Name("npu_datapath w_wr")) u_assert_w_wr (
    .clk_i, .rst_ni, .valid_i (w_wr_valid_i), .ready_i (w_wr_ready_o), .data_i ({w_wr_bank_i, w_wr_addr_i, w_wr_data_i})
  );
  npu_assert_stream #(.Width(ChanW + 70), .Name("npu_datapath prm")) u_assert_prm (
    .clk_i, .rst_ni, .valid_i (prm_valid_i), .ready_i (prm_ready_o), .data_i ({prm_chan_i, prm_bias_i, prm_mult_i, prm_shift_i})
  );
`endif

endmodule

`default_nettype wire
