// Command processor: fetches a stream of fixed 64-byte commands from DRAM with its own small
// AXI4 read master, checks and decodes them, and dispatches them in order to three engines
// (load, compute, store: npu_ctrl_engine) that run concurrently and synchronise through
// VTA-style dependency tokens, so the load of tile i+1, the compute of tile i and the store of
// tile i-1 overlap (docs/control.md: command format, token rules, error codes).
//
// The load engine drives a descriptor port for a DMA that only reads DRAM, the store engine one
// for a DMA that only writes it (two npu_dma instances in the core: loads and stores never
// wait for each other's descriptors), the compute engine the job port of npu_datapath. The
// fetcher has its own AR/R channels with its own ID; the core merges them with the load DMA's.
//
// Errors (bad queue, bus error on fetch, illegal command, DMA error, job configuration, token
// overflow, dependency deadlock, watchdog) are recorded once (the first wins, with the index
// of the command), stop the fetch and keep the engines from starting anything new; operations
// already issued run to their done (nothing is left outstanding on the bus), then done_o
// pulses with err_code_o set. A deadlock is detected exactly: every engine is empty or waits
// for a token and the fetcher cannot deliver anything new. Only the watchdog (no progress at
// all for WatchdogCycles) ends a run without draining: something below us hangs, and a soft
// reset of the whole core is the way out.
`default_nettype none

module npu_ctrl #(
  parameter int DataW          = 64,     // AXI data width of the command fetch (32..512)
  parameter int AddrW          = 32,
  parameter int IdW            = 4,
  parameter int AxiId          = 1,      // the fetcher's ARID (the load DMA uses another)
  parameter int QueueDepth     = 2,      // commands queued per engine
  parameter int TokW           = 8,      // dependency token counters (overflow is an error)
  parameter int WatchdogCycles = 1 << 20,
  // DMA descriptor widths (npu_dma).
  parameter int SpAddrW        = 16,
  parameter int LenW           = 24,
  parameter int CntW           = 16,
  parameter int TagW           = 8,
  // Datapath job field widths and limits (npu_datapath).
  parameter int Rows           = 16,
  parameter int ActDepth       = 8192,
  parameter int WgtDepth       = 4096,
  parameter int AccDepth       = 512,
  parameter int DimW           = 10,
  parameter int GrpW           = 8,
  parameter int KcW            = 12,
  parameter int PixW           = 20,
  parameter int PassW          = 12,
  localparam int ActAW         = $clog2(ActDepth),
  localparam int WgtAW         = $clog2(WgtDepth),
  localparam int BlkW          = $clog2(AccDepth + 1),
  localparam int SlotW         = $clog2(Rows + 1),
  localparam int Bytes         = DataW / 8,
  localparam int Beats         = 64 / Bytes,
  localparam int CmdW          = 512,
  localparam int IdxW          = 26,
  localparam int ErrW          = npu_cmd_pkg::CtrlErrW
) (
  input  logic               clk_i,
  input  logic               rst_ni,

  // ------------------------------------------------------------ registers
  input  logic               start_i,        // pulse; ignored while busy
  input  logic               soft_reset_i,   // pulse: back to idle, queues and tokens cleared
  input  logic [AddrW-1:0]   queue_base_i,   // byte address, 64-byte aligned
  input  logic [31:0]        queue_size_i,   // commands, >= 1 (the last one should be END)
  output logic               busy_o,
  output logic               done_o,         // pulse at the end of a run (ok or error)
  output logic [ErrW-1:0]    err_code_o,     // held until the next start
  output logic [IdxW-1:0]    err_cmd_o,      // index of the command that caused it
  output logic [AddrW-1:0]   err_addr_o,     // DMA bus errors: the failing burst's address
  output logic [IdxW-1:0]    cmd_count_o,    // commands dispatched in this run
  input  logic               mac_active_i,   // datapath: the array takes a vector
  input  logic               activity_i,     // any data beat below us (watchdog)
  // Per-cycle events of a run (busy_o high) for the performance counters.
  output logic               ev_mac_o,       // mac_active_i
  output logic               ev_ld_busy_o,   // an engine has an operation ...
  output logic               ev_ld_stall_o,  // ... and waits for a dependency token
  output logic               ev_cp_busy_o,
  output logic               ev_cp_stall_o,
  output logic               ev_st_busy_o,
  output logic               ev_st_stall_o,

  // ------------------------------------------------------------ command fetch (AXI4 AR/R)
  output logic [IdW-1:0]     m_axi_arid_o,
  output logic [AddrW-1:0]   m_axi_araddr_o,
  output logic [7:0]         m_axi_arlen_o,
  output logic [2:0]         m_axi_arsize_o,
  output logic [1:0]         m_axi_arburst_o,
  output logic               m_axi_arvalid_o,
  input  logic               m_axi_arready_i,
  /* verilator lint_off UNUSEDSIGNAL */
  // One ID, one burst at a time and our own beat count: RID and RLAST carry nothing new.
  input  logic [IdW-1:0]     m_axi_rid_i,
  input  logic               m_axi_rlast_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [DataW-1:0]   m_axi_rdata_i,
  input  logic [1:0]         m_axi_rresp_i,
  input  logic               m_axi_rvalid_i,
  output logic               m_axi_rready_o,

  // ------------------------------------------------------------ load DMA (DRAM -> chip)
  output logic               ld_desc_valid_o,
  input  logic               ld_desc_ready_i,
  output logic [TagW-1:0]    ld_desc_tag_o,
  output logic [AddrW-1:0]   ld_desc_addr_o,
  output logic [LenW-1:0]    ld_desc_len_o,
  output logic [CntW-1:0]    ld_desc_cnt1_o,
  output logic [AddrW-1:0]   ld_desc_stride1_o,
  output logic [CntW-1:0]    ld_desc_cnt2_o,
  output logic [AddrW-1:0]   ld_desc_stride2_o,
  output logic [CntW-1:0]    ld_desc_cnt3_o,
  output logic [AddrW-1:0]   ld_desc_stride3_o,
  output logic [SpAddrW-1:0] ld_desc_sp_addr_o,
  output logic [1:0]         ld_dst_o,       // 0 activations, 1 weights, 2 PPU parameters
  output logic               ld_bank_o,      // stable from valid to done
  input  logic               ld_done_i,
  input  logic [3:0]         ld_err_i,       // npu_dma status_err_o, with ld_done_i
  input  logic [AddrW-1:0]   ld_err_addr_i,  // npu_dma status_err_addr_o

  // ------------------------------------------------------------ store DMA (chip -> DRAM)
  output logic               st_desc_valid_o,
  input  logic               st_desc_ready_i,
  output logic [TagW-1:0]    st_desc_tag_o,
  output logic [AddrW-1:0]   st_desc_addr_o,
  output logic [LenW-1:0]    st_desc_len_o,
  output logic [CntW-1:0]    st_desc_cnt1_o,
  output logic [AddrW-1:0]   st_desc_stride1_o,
  output logic [CntW-1:0]    st_desc_cnt2_o,
  output logic [AddrW-1:0]   st_desc_stride2_o,
  output logic [CntW-1:0]    st_desc_cnt3_o,
  output logic [AddrW-1:0]   st_desc_stride3_o,
  output logic [SpAddrW-1:0] st_desc_sp_addr_o,
  output logic               st_bank_o,
  input  logic               st_done_i,
  input  logic [3:0]         st_err_i,
  input  logic [AddrW-1:0]   st_err_addr_i,

  // ------------------------------------------------------------ datapath job
  output logic               dp_start_o,
  input  logic               dp_busy_i,
  input  logic               dp_done_i,
  input  logic               dp_cfg_err_i,
  output logic               cfg_job_o,
  output logic               cfg_in_bank_o,
  output logic [ActAW-1:0]   cfg_in_base_o,
  output logic [DimW-1:0]    cfg_in_h_o,
  output logic [DimW-1:0]    cfg_in_w_o,
  output logic [GrpW-1:0]    cfg_in_groups_o,
  output logic [SlotW-1:0]   cfg_slot_o,
  output logic [SlotW-1:0]   cfg_taps_per_chunk_o,
  output logic [7:0]         cfg_in_zp_o,
  output logic [ActAW-1:0]   cfg_in_row_words_o,
  output logic [2:0]         cfg_kernel_h_o,
  output logic [2:0]         cfg_kernel_w_o,
  output logic [2:0]         cfg_stride_h_o,
  output logic [2:0]         cfg_stride_w_o,
  output logic [2:0]         cfg_pad_top_o,
  output logic [2:0]         cfg_pad_left_o,
  output logic [2:0]         cfg_pad_bottom_o,
  output logic [2:0]         cfg_pad_right_o,
  output logic [1:0]         cfg_pool_mode_o,
  output logic [DimW-1:0]    cfg_out_w_o,
  output logic [PixW-1:0]    cfg_pixels_o,
  output logic [KcW-1:0]     cfg_kchunks_o,
  output logic [GrpW-1:0]    cfg_ntiles_o,
  output logic [BlkW-1:0]    cfg_mblock_o,
  output logic [PassW-1:0]   cfg_mblocks_o,
  output logic               cfg_w_bank_o,
  output logic [WgtAW-1:0]   cfg_w_base_o,
  output logic [WgtAW:0]     cfg_w_words_o,
  output logic               cfg_out_bank_o,
  output logic [ActAW-1:0]   cfg_out_base_o,
  output logic [GrpW-1:0]    cfg_out_groups_o,
  output logic               cfg_res_bank_o,
  output logic [ActAW-1:0]   cfg_res_base_o,
  output logic [1:0]         cfg_mode_o,
  output logic [7:0]         cfg_zp_o,
  output logic               cfg_relu_o,
  output logic [7:0]         cfg_add_zp_a_o,
  output logic [7:0]         cfg_add_zp_b_o,
  output logic [7:0]         cfg_add_zp_out_o,
  output logic [31:0]        cfg_add_mult_a_o,
  output logic [31:0]        cfg_add_mult_b_o,
  output logic [31:0]        cfg_add_mult_out_o,
  output logic [5:0]         cfg_add_shift_a_o,
  output logic [5:0]         cfg_add_shift_b_o,
  output logic [5:0]         cfg_add_shift_out_o,
  output logic               cfg_add_relu_o
);

  // ---------------------------------------------------------------- encodings (npu_cmd_pkg)
  // Opcodes, engines, error codes and the command's layouts (one packed struct per layout,
  // the whole command) come from rtl/csr/npu_cmd.yaml through the generated npu_cmd_pkg.
  localparam logic [ErrW-1:0] ErrNone = npu_cmd_pkg::ErrNone;
  // The fetched command (dc, cp, sy) and each engine's head command (lc, sc, cc) seen through
  // their layouts. Icarus 11 crashes on a package-qualified struct type and needs a local
  // alias; Yosys 0.23 loses the members of such an alias and needs the package type.
  /* verilator lint_off UNUSEDSIGNAL */
  // Each view holds fields of other opcodes' layouts (and reserved bits): each use reads some.
`ifdef __ICARUS__
  typedef npu_cmd_pkg::cmd_dma_t     cmd_dma_t;
  typedef npu_cmd_pkg::cmd_compute_t cmd_compute_t;
  typedef npu_cmd_pkg::cmd_sync_t    cmd_sync_t;
  cmd_dma_t     dc, lc, sc;
  cmd_compute_t cp, cc;
  cmd_sync_t    sy;
`else
  npu_cmd_pkg::cmd_dma_t     dc, lc, sc;
  npu_cmd_pkg::cmd_compute_t cp, cc;
  npu_cmd_pkg::cmd_sync_t    sy;
`endif
  /* verilator lint_on UNUSEDSIGNAL */

  // ---------------------------------------------------------------- run state, soft reset
  logic rst_n;
  assign rst_n = rst_ni && !soft_reset_i;

  logic            busy_q, done_q, start, finish;
  logic [AddrW-1:0] base_q;
  logic [31:0]     size_q;
  logic [ErrW-1:0] err_q;
  logic [IdxW-1:0] err_idx_q;
  logic [AddrW-1:0] err_addr_q, err_addr_d;
  logic            stop, err_set, wd_fire;
  logic [ErrW-1:0] err_code_d;
  logic [IdxW-1:0] err_idx_d;

  assign start        = start_i && !busy_q;
  assign stop         = err_q != ErrNone;
  assign busy_o       = busy_q;
  assign done_o       = done_q;
  assign err_code_o   = err_q;
  assign err_cmd_o    = err_idx_q;
  assign err_addr_o   = err_addr_q;

  // ---------------------------------------------------------------- fetch
  typedef enum logic [2:0] {FIdle, FNext, FAr, FR, FDispatch, FEnd, FStop} fstate_e;
  fstate_e         fs_q, fs_d;
  logic [IdxW-1:0] idx_q;
  logic [CmdW-1:0] cmd_q;
  logic [$clog2(Beats+1)-1:0] beat_q;
  logic [1:0]      rresp_q;            // first non-OKAY response of the burst
  logic            ar_hs, r_hs, past_end;
  logic [ErrW-1:0] dec_err;
  logic [1:0]      dec_target;         // 0 load, 1 compute, 2 store
  logic            dec_end;
  logic [2:0]      q_valid, q_ready;
  logic            dispatch;

  assign m_axi_arid_o    = IdW'(AxiId);
  assign m_axi_araddr_o  = base_q + AddrW'({idx_q, 6'b0});
  assign m_axi_arlen_o   = 8'(Beats - 1);
  assign m_axi_arsize_o  = 3'($clog2(Bytes));
  assign m_axi_arburst_o = 2'b01;
  assign m_axi_arvalid_o = fs_q == FAr;
  assign m_axi_rready_o  = fs_q == FR;
  assign ar_hs    = m_axi_arvalid_o && m_axi_arready_i;
  assign r_hs     = m_axi_rvalid_i && m_axi_rready_o;
  assign past_end = 32'(idx_q) >= size_q;

  for (genvar q = 0; q < 3; q++) begin : g_qvalid
    assign q_valid[q] = fs_q == FDispatch && !stop && dec_err == ErrNone && !dec_end &&
                        dec_target == 2'(q);
  end
  assign dispatch = |(q_valid & q_ready);

  logic fetch_bad;  // (Icarus 11: no bit selects inside always_comb)
  assign fetch_bad = rresp_q[1] || m_axi_rresp_i[1];

  always_comb begin
    fs_d = fs_q;
    case (fs_q)
      FIdle:     ;
      FNext:     if (stop || past_end) fs_d = FStop;
                 else fs_d = FAr;
      FAr:       if (ar_hs) fs_d = FR;
      FR:        if (r_hs && beat_q == $bits(beat_q)'(Beats - 1)) begin
                   if (fetch_bad) fs_d = FStop;
                   else fs_d = FDispatch;
                 end
      FDispatch: if (stop || dec_err != ErrNone) fs_d = FStop;
                 else if (dec_end) fs_d = FEnd;
                 else if (dispatch) fs_d = FNext;
      default:   ;
    endcase
    if (start) fs_d = FNext;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_n) begin
      fs_q    <= FIdle;
      idx_q   <= '0;
      beat_q  <= '0;
      rresp_q <= 2'b00;
    end else begin
      fs_q <= fs_d;
      if (start) idx_q <= '0;
      else if (dispatch) idx_q <= idx_q + IdxW'(1);
      if (ar_hs) begin
        beat_q  <= '0;
        rresp_q <= 2'b00;
      end else if (r_hs) begin
        beat_q <= beat_q + 1'b1;
        if (!rresp_q[1]) rresp_q <= m_axi_rresp_i;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (r_hs) cmd_q[beat_q*DataW +: DataW] <= m_axi_rdata_i;
  end

  // ---------------------------------------------------------------- decode and checks
  // The fetched command seen through each layout (only the fields of its opcode count).
  assign dc = cmd_q;
  assign cp = cmd_q;
  assign sy = cmd_q;

  logic [npu_cmd_pkg::OpcodeW-1:0] opc;
  assign opc = dc.opcode;

  // Field checks. A field "fits" when its command field has no bits above the port width.
  logic dma_bad_bank_ld, dma_bad_bank_st, dma_zero, dma_wide;
  logic cp_bad_bank, cp_bad_geom, cp_bad_common, cp_bad_conv, cp_bad_pool, cp_is_pool;
  assign dma_bad_bank_ld = dc.dst > 4'd2 || dc.bank > 4'd1 || (dc.dst == 4'd2 && dc.bank != 4'd0);
  assign dma_bad_bank_st = dc.dst != 4'd0 || dc.bank > 4'd1;
  assign dma_zero = dc.len == 32'd0 || dc.cnt1 == 16'd0 || dc.cnt2 == 16'd0 || dc.cnt3 == 16'd0;
  assign dma_wide = (dc.len >> LenW) != 32'd0 || (dc.sp_addr >> SpAddrW) != 32'd0 ||
                    (32'(dc.cnt1) >> CntW) != 32'd0 || (32'(dc.cnt2) >> CntW) != 32'd0 ||
                    (32'(dc.cnt3) >> CntW) != 32'd0;

  assign cp_bad_bank = cp.in_bank > 4'd1 || cp.w_bank > 4'd1 || cp.out_bank > 4'd1 ||
                       cp.res_bank > 4'd1;
  // Geometry nibbles hold 3-bit values; kernel and stride are 1..7.
  assign cp_bad_geom = cp.kernel_h == 4'd0 || cp.kernel_h > 4'd7 || cp.kernel_w == 4'd0 ||
                       cp.kernel_w > 4'd7 || cp.stride_h == 4'd0 || cp.stride_h > 4'd7 ||
                       cp.stride_w == 4'd0 || cp.stride_w > 4'd7 || cp.pad_top > 4'd7 ||
                       cp.pad_left > 4'd7 || cp.pad_bottom > 4'd7 || cp.pad_right > 4'd7;
  assign cp_bad_common = cp.in_h == 16'd0 || cp.in_w == 16'd0 || cp.in_groups == 8'd0 ||
                         (32'(cp.in_h) >> DimW) != 32'd0 || (32'(cp.in_w) >> DimW) != 32'd0 ||
                         (32'(cp.in_groups) >> GrpW) != 32'd0 ||
                         (32'(cp.in_base) >> ActAW) != 32'd0 ||
                         (32'(cp.in_row_words) >> ActAW) != 32'd0 ||
                         (32'(cp.out_base) >> ActAW) != 32'd0;
  assign cp_bad_pool = cp.pool_mode == 2'd3;
  assign cp_is_pool  = cp.job;
  assign cp_bad_conv = cp.slot == 8'd0 || 32'(cp.slot) > 32'(Rows) ||
                       cp.taps_per_chunk == 8'd0 || 32'(cp.taps_per_chunk) > 32'(Rows) ||
                       cp.ntiles == 8'd0 || (32'(cp.ntiles) >> GrpW) != 32'd0 ||
                       (32'(cp.out_groups) >> GrpW) != 32'd0 ||
                       cp.out_w == 16'd0 || (32'(cp.out_w) >> DimW) != 32'd0 ||
                       cp.kchunks == 16'd0 || (32'(cp.kchunks) >> KcW) != 32'd0 ||
                       cp.pixels == 32'd0 || (cp.pixels >> PixW) != 32'd0 ||
                       cp.mblock == 16'd0 || 32'(cp.mblock) > 32'(AccDepth) ||
                       cp.mblocks == 16'd0 || (32'(cp.mblocks) >> PassW) != 32'd0 ||
                       (32'(cp.w_base) >> WgtAW) != 32'd0 ||
                       cp.w_words == 16'd0 || (32'(cp.w_words) >> (WgtAW + 1)) != 32'd0 ||
                       cp.mode > 2'd1 || (cp.mode == 2'd1 && cp.res_bank == cp.in_bank) ||
                       (32'(cp.res_base) >> ActAW) != 32'd0 ||
                       cp.add_shift_a > 8'd63 || cp.add_shift_b > 8'd63 ||
                       cp.add_shift_out > 8'd63;

  logic [1:0] sync_q;  // SYNC: the target queue (Icarus 11: no bit selects in always_comb)
  logic       sync_bad;
  assign sync_q   = sy.engine[1:0];
  assign sync_bad = sy.engine > 4'd2;
  logic bad_flags;
  // A load has no previous stage, a store no next one: those flags are illegal.
  assign bad_flags = (dec_target == npu_cmd_pkg::EngineLoad && (dc.pop_prev || dc.push_prev)) ||
                     (dec_target == npu_cmd_pkg::EngineStore && (dc.pop_next || dc.push_next));

  always_comb begin
    dec_err    = ErrNone;
    dec_end    = 1'b0;
    dec_target = npu_cmd_pkg::EngineLoad;
    case (opc)
      npu_cmd_pkg::OpcodeLoad: begin
        dec_target = npu_cmd_pkg::EngineLoad;
        if (dma_bad_bank_ld) dec_err = npu_cmd_pkg::ErrBadBank;
        else if (dma_zero) dec_err = npu_cmd_pkg::ErrZeroSize;
        else if (dma_wide) dec_err = npu_cmd_pkg::ErrBadField;
      end
      npu_cmd_pkg::OpcodeCompute: begin
        dec_target = npu_cmd_pkg::EngineCompute;
        if (cp_bad_bank) dec_err = npu_cmd_pkg::ErrBadBank;
        else if (cp_bad_geom || cp_bad_common) dec_err = npu_cmd_pkg::ErrBadField;
        else if (cp_is_pool ? cp_bad_pool : cp_bad_conv) dec_err = npu_cmd_pkg::ErrBadField;
      end
      npu_cmd_pkg::OpcodeStore: begin
        dec_target = npu_cmd_pkg::EngineStore;
        if (dma_bad_bank_st) dec_err = npu_cmd_pkg::ErrBadBank;
        else if (dma_zero) dec_err = npu_cmd_pkg::ErrZeroSize;
        else if (dma_wide) dec_err = npu_cmd_pkg::ErrBadField;
      end
      npu_cmd_pkg::OpcodeSync: begin
        dec_target = sync_q;
        if (sync_bad) dec_err = npu_cmd_pkg::ErrBadField;
      end
      npu_cmd_pkg::OpcodeEnd:   dec_end = 1'b1;
      default: dec_err = npu_cmd_pkg::ErrBadOpcode;
    endcase
    if (dec_err == ErrNone && !dec_end && bad_flags) dec_err = npu_cmd_pkg::ErrBadField;
  end

  // ---------------------------------------------------------------- engines and tokens
  // Token counters: l2c (load -> compute), c2l (compute -> load: a buffer is free again),
  // c2s (compute -> store), s2c (store -> compute).
  logic [TokW-1:0] l2c_q, c2l_q, c2s_q, s2c_q;
  logic [2:0] take_prev, take_next, prev_avail, next_avail;
  /* verilator lint_off UNUSEDSIGNAL */
  // A load has no previous stage and a store no next one: decode rejects those flags.
  logic [2:0] give_prev, give_next;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [2:0] op_valid, op_ready, op_done, e_busy, e_stall, e_empty;
  logic [CmdW-1:0] op_cmd [3];
  logic [IdxW-1:0] op_idx [3];
  logic [3:0] tok_ovf;

  assign prev_avail = {c2s_q != '0, l2c_q != '0, 1'b0};
  assign next_avail = {1'b0, s2c_q != '0, c2l_q != '0};

  for (genvar e = 0; e < 3; e++) begin : g_engine
    npu_ctrl_engine #(.CmdW(CmdW), .IdxW(IdxW), .Depth(QueueDepth)) u_engine (
      .clk_i,
      .rst_ni       (rst_n),
      .clear_i      (start),
      .stop_i       (stop),
      .in_valid_i   (q_valid[e]),
      .in_ready_o   (q_ready[e]),
      .in_cmd_i     (cmd_q),
      .in_idx_i     (idx_q),
      .prev_avail_i (prev_avail[e]),
      .next_avail_i (next_avail[e]),
      .take_prev_o  (take_prev[e]),
      .take_next_o  (take_next[e]),
      .give_prev_o  (give_prev[e]),
      .give_next_o  (give_next[e]),
      .op_cmd_o     (op_cmd[e]),
      .op_idx_o     (op_idx[e]),
      .op_valid_o   (op_valid[e]),
      .op_ready_i   (op_ready[e]),
      .op_done_i    (op_done[e]),
      .busy_o       (e_busy[e]),
      .stall_o      (e_stall[e]),
      .empty_o      (e_empty[e])
    );
  end

  // A counter overflows when it is full, given a token and none is taken in the same cycle.
  assign tok_ovf[0] = &l2c_q && give_next[0] && !take_prev[1];
  assign tok_ovf[1] = &c2l_q && give_prev[1] && !take_next[0];
  assign tok_ovf[2] = &c2s_q && give_next[1] && !take_prev[2];
  assign tok_ovf[3] = &s2c_q && give_prev[2] && !take_next[1];

  always_ff @(posedge clk_i) begin
    if (!rst_n || start) begin
      l2c_q <= '0;
      c2l_q <= '0;
      c2s_q <= '0;
      s2c_q <= '0;
    end else begin
      l2c_q <= l2c_q + TokW'(give_next[0]) - TokW'(take_prev[1]);
      c2l_q <= c2l_q + TokW'(give_prev[1]) - TokW'(take_next[0]);
      c2s_q <= c2s_q + TokW'(give_next[1]) - TokW'(take_prev[2]);
      s2c_q <= s2c_q + TokW'(give_prev[2]) - TokW'(take_next[1]);
    end
  end

  // ---------------------------------------------------------------- load / store ports
  // Each engine's head command: a port reads only the fields of its opcode.
  assign lc = op_cmd[0];
  assign sc = op_cmd[2];
  assign cc = op_cmd[1];

  assign ld_desc_valid_o   = op_valid[0];
  assign op_ready[0]       = ld_desc_ready_i;
  assign op_done[0]        = ld_done_i;
  assign ld_desc_tag_o     = TagW'(op_idx[0]);
  assign ld_desc_addr_o    = AddrW'(lc.addr);
  assign ld_desc_len_o     = LenW'(lc.len);
  assign ld_desc_cnt1_o    = CntW'(lc.cnt1);
  assign ld_desc_cnt2_o    = CntW'(lc.cnt2);
  assign ld_desc_cnt3_o    = CntW'(lc.cnt3);
  assign ld_desc_stride1_o = AddrW'(lc.stride1);
  assign ld_desc_stride2_o = AddrW'(lc.stride2);
  assign ld_desc_stride3_o = AddrW'(lc.stride3);
  assign ld_desc_sp_addr_o = SpAddrW'(lc.sp_addr);
  assign ld_dst_o          = lc.dst[1:0];
  assign ld_bank_o         = lc.bank[0];

  assign st_desc_valid_o   = op_valid[2];
  assign op_ready[2]       = st_desc_ready_i;
  assign op_done[2]        = st_done_i;
  assign st_desc_tag_o     = TagW'(op_idx[2]);
  assign st_desc_addr_o    = AddrW'(sc.addr);
  assign st_desc_len_o     = LenW'(sc.len);
  assign st_desc_cnt1_o    = CntW'(sc.cnt1);
  assign st_desc_cnt2_o    = CntW'(sc.cnt2);
  assign st_desc_cnt3_o    = CntW'(sc.cnt3);
  assign st_desc_stride1_o = AddrW'(sc.stride1);
  assign st_desc_stride2_o = AddrW'(sc.stride2);
  assign st_desc_stride3_o = AddrW'(sc.stride3);
  assign st_desc_sp_addr_o = SpAddrW'(sc.sp_addr);
  assign st_bank_o         = sc.bank[0];

  // ---------------------------------------------------------------- datapath job port
  // A job the datapath calls ill-formed (cfg_err) is not started: the engine is released by
  // a done of our own the next cycle, and the error stops the run.
  logic cfg_abort_q;
  assign dp_start_o  = op_valid[1] && !dp_busy_i && !dp_cfg_err_i;
  assign op_ready[1] = dp_cfg_err_i || !dp_busy_i;
  assign op_done[1]  = dp_done_i || cfg_abort_q;

  always_ff @(posedge clk_i) begin
    if (!rst_n) cfg_abort_q <= 1'b0;
    else cfg_abort_q <= op_valid[1] && dp_cfg_err_i;
  end

  assign cfg_job_o            = cc.job;
  assign cfg_relu_o           = cc.relu;
  assign cfg_mode_o           = cc.mode;
  assign cfg_pool_mode_o      = cc.pool_mode;
  assign cfg_add_relu_o       = cc.add_relu;
  assign cfg_in_bank_o        = cc.in_bank[0];
  assign cfg_w_bank_o         = cc.w_bank[0];
  assign cfg_out_bank_o       = cc.out_bank[0];
  assign cfg_res_bank_o       = cc.res_bank[0];
  assign cfg_in_zp_o          = cc.in_zp;
  assign cfg_zp_o             = cc.zp;
  assign cfg_in_h_o           = DimW'(cc.in_h);
  assign cfg_in_w_o           = DimW'(cc.in_w);
  assign cfg_in_base_o        = ActAW'(cc.in_base);
  assign cfg_in_row_words_o   = ActAW'(cc.in_row_words);
  assign cfg_kernel_h_o       = cc.kernel_h[2:0];
  assign cfg_kernel_w_o       = cc.kernel_w[2:0];
  assign cfg_stride_h_o       = cc.stride_h[2:0];
  assign cfg_stride_w_o       = cc.stride_w[2:0];
  assign cfg_pad_top_o        = cc.pad_top[2:0];
  assign cfg_pad_left_o       = cc.pad_left[2:0];
  assign cfg_pad_bottom_o     = cc.pad_bottom[2:0];
  assign cfg_pad_right_o      = cc.pad_right[2:0];
  assign cfg_slot_o           = SlotW'(cc.slot);
  assign cfg_taps_per_chunk_o = SlotW'(cc.taps_per_chunk);
  assign cfg_out_groups_o     = GrpW'(cc.out_groups);
  assign cfg_ntiles_o         = GrpW'(cc.ntiles);
  assign cfg_out_w_o          = DimW'(cc.out_w);
  assign cfg_kchunks_o        = KcW'(cc.kchunks);
  assign cfg_pixels_o         = PixW'(cc.pixels);
  assign cfg_mblock_o         = BlkW'(cc.mblock);
  assign cfg_mblocks_o        = PassW'(cc.mblocks);
  assign cfg_w_base_o         = WgtAW'(cc.w_base);
  assign cfg_w_words_o        = (WgtAW + 1)'(cc.w_words);
  assign cfg_out_base_o       = ActAW'(cc.out_base);
  assign cfg_res_base_o       = ActAW'(cc.res_base);
  assign cfg_add_zp_a_o       = cc.add_zp_a;
  assign cfg_add_zp_b_o       = cc.add_zp_b;
  assign cfg_add_zp_out_o     = cc.add_zp_out;
  assign cfg_in_groups_o      = GrpW'(cc.in_groups);
  assign cfg_add_mult_a_o     = cc.add_mult_a;
  assign cfg_add_mult_b_o     = cc.add_mult_b;
  assign cfg_add_mult_out_o   = cc.add_mult_out;
  assign cfg_add_shift_a_o    = cc.add_shift_a[5:0];
  assign cfg_add_shift_b_o    = cc.add_shift_b[5:0];
  assign cfg_add_shift_out_o  = cc.add_shift_out[5:0];

  // ---------------------------------------------------------------- errors, end of run
  logic fetch_stuck, deadlock, progress;
  logic [IdxW-1:0] ld_idx, cp_idx, st_idx;  // (Icarus: no array selects in always_comb)
  assign ld_idx = op_idx[0];
  assign cp_idx = op_idx[1];
  assign st_idx = op_idx[2];
  logic [$clog2(WatchdogCycles+1)-1:0] wd_q;

  // Nothing can change any more: the fetcher has ended or waits for a full queue, and every
  // engine is empty or waits for a token (which only an engine completing could give).
  assign fetch_stuck = fs_q == FEnd || (fs_q == FDispatch && dec_err == ErrNone && !dec_end &&
                                        !dispatch);
  assign deadlock = busy_q && !stop && fetch_stuck && &(e_empty | e_stall) && |e_stall;
  assign progress = start || ar_hs || r_hs || dispatch || |op_done || |(op_valid & op_ready) ||
                    |take_prev || |take_next || activity_i;
  assign wd_fire  = busy_q && !progress && wd_q == $bits(wd_q)'(WatchdogCycles - 1);

  // The first error of a run wins; in one cycle, the fetcher's before the engines'.
  // (Bit selects stay outside the always_comb: Icarus 11 does not support them there.)
  logic queue_bad, fetch_err, fetch_dec, ld_fail, st_fail, cp_fail, ovf_ld, ovf_cp, ovf_st;
  assign queue_bad = queue_base_i[5:0] != 6'd0 || queue_size_i == 32'd0 ||
                     (queue_size_i >> IdxW) != 32'd0;
  assign fetch_err = fs_q == FR && r_hs && beat_q == $bits(beat_q)'(Beats - 1) &&
                     (rresp_q[1] || m_axi_rresp_i[1]);
  assign fetch_dec = rresp_q[1] ? rresp_q[0] : m_axi_rresp_i[0];
  assign ld_fail   = ld_done_i && e_busy[0] && ld_err_i != 4'd0;
  assign st_fail   = st_done_i && e_busy[2] && st_err_i != 4'd0;
  assign cp_fail   = op_valid[1] && dp_cfg_err_i;
  assign ovf_ld    = tok_ovf[0];
  assign ovf_cp    = tok_ovf[1] || tok_ovf[2];
  assign ovf_st    = tok_ovf[3];

  always_comb begin
    err_set    = 1'b0;
    err_code_d = ErrNone;
    err_idx_d  = idx_q;
    err_addr_d = '0;
    if (start) begin
      if (queue_bad) begin
        err_set    = 1'b1;
        err_code_d = npu_cmd_pkg::ErrBadQueue;
        err_idx_d  = '0;
      end
    end else if (busy_q && !stop) begin
      if (fs_q == FNext && past_end) begin
        err_set = 1'b1; err_code_d = npu_cmd_pkg::ErrBadQueue;
      end else if (fetch_err) begin
        err_set = 1'b1; err_code_d = fetch_dec ? npu_cmd_pkg::ErrFetchDecerr : npu_cmd_pkg::ErrFetchSlverr;
      end else if (fs_q == FDispatch && dec_err != ErrNone) begin
        err_set = 1'b1; err_code_d = dec_err;
      end else if (ld_fail) begin
        err_set = 1'b1; err_code_d = ld_err_i; err_idx_d = ld_idx; err_addr_d = ld_err_addr_i;
      end else if (st_fail) begin
        err_set = 1'b1; err_code_d = st_err_i; err_idx_d = st_idx; err_addr_d = st_err_addr_i;
      end else if (cp_fail) begin
        err_set = 1'b1; err_code_d = npu_cmd_pkg::ErrJobConfig; err_idx_d = cp_idx;
      end else if (ovf_ld) begin
        err_set = 1'b1; err_code_d = npu_cmd_pkg::ErrTokenOverflow; err_idx_d = ld_idx;
      end else if (ovf_cp) begin
        err_set = 1'b1; err_code_d = npu_cmd_pkg::ErrTokenOverflow; err_idx_d = cp_idx;
      end else if (ovf_st) begin
        err_set = 1'b1; err_code_d = npu_cmd_pkg::ErrTokenOverflow; err_idx_d = st_idx;
      end else if (deadlock) begin
        err_set = 1'b1; err_code_d = npu_cmd_pkg::ErrDeadlock;
      end else if (wd_fire) begin
        err_set = 1'b1; err_code_d = npu_cmd_pkg::ErrWatchdog;
      end
    end
  end

  // Normal end: END fetched and every engine empty. After an error: the fetcher stopped and
  // no operation outstanding (queued commands are dropped). Watchdog: at once.
  assign finish = busy_q && !start &&
                  ((fs_q == FEnd && &e_empty && !stop) ||
                   (stop && (fs_q == FStop || fs_q == FEnd) && !(|e_busy)) ||
                   (stop && err_q == npu_cmd_pkg::ErrWatchdog));

  always_ff @(posedge clk_i) begin
    if (!rst_n) begin
      busy_q    <= 1'b0;
      done_q    <= 1'b0;
      err_q     <= ErrNone;
      err_idx_q <= '0;
      err_addr_q <= '0;
      base_q    <= '0;
      size_q    <= '0;
      wd_q      <= '0;
    end else begin
      done_q <= finish;
      if (start) begin
        busy_q <= 1'b1;
        base_q <= queue_base_i;
        size_q <= queue_size_i;
        err_q  <= ErrNone;
      end else if (finish) begin
        busy_q <= 1'b0;
      end
      if (err_set) begin
        err_q      <= err_code_d;
        err_idx_q  <= err_idx_d;
        err_addr_q <= err_addr_d;
      end else if (start) begin
        err_idx_q  <= '0;
        err_addr_q <= '0;
      end
      if (progress || !busy_q) wd_q <= '0;
      else if (!wd_fire) wd_q <= wd_q + 1'b1;
    end
  end

  // A bad queue at start is an error with nothing to drain: end the run next cycle.
  // (fs_q goes to FNext, which stops at once because stop is then set.)

  // ---------------------------------------------------------------- performance events
  assign ev_mac_o      = busy_q && mac_active_i;
  assign ev_ld_busy_o  = busy_q && e_busy[0];
  assign ev_ld_stall_o = busy_q && e_stall[0];
  assign ev_cp_busy_o  = busy_q && e_busy[1];
  assign ev_cp_stall_o = busy_q && e_stall[1];
  assign ev_st_busy_o  = busy_q && e_busy[2];
  assign ev_st_stall_o = busy_q && e_stall[2];
  assign cmd_count_o   = idx_q;

  // ---------------------------------------------------------------- checks
  // Parameter rules (rtl/README.md, Parameter checks).
  if (DataW < 32 || DataW > 512 || (DataW & (DataW - 1)) != 0) begin : g_bad_data_w
`ifdef __ICARUS__
    initial $fatal(1, "npu_ctrl: parameter DataW (%0d) must be a power of two, 32..512", DataW);
`else
    $error("npu_ctrl: parameter DataW must be a power of two, 32..512");
`endif
  end

`ifndef SYNTHESIS
  // Protocol (rtl/README.md, Assertions): the fetch channels and both descriptor ports (the
  // DMAs check them again at their inputs in the core).
  npu_assert_stream #(.Width(IdW + AddrW + 8 + 3 + 2), .Name("npu_ctrl fetch AR")) u_assert_ar (
    .clk_i, .rst_ni (rst_n), .valid_i (m_axi_arvalid_o), .ready_i (m_axi_arready_i),
    .data_i ({m_axi_arid_o, m_axi_araddr_o, m_axi_arlen_o, m_axi_arsize_o, m_axi_arburst_o})
  );
  npu_assert_stream #(.Width(IdW + DataW + 2 + 1), .Name("npu_ctrl fetch R")) u_assert_r (
    .clk_i, .rst_ni (rst_n), .valid_i (m_axi_rvalid_i), .ready_i (m_axi_rready_o),
    .data_i ({m_axi_rid_i, m_axi_rdata_i, m_axi_rresp_i, m_axi_rlast_i})
  );
  npu_assert_stream #(.Width(TagW + 4 * AddrW + LenW + 3 * CntW + SpAddrW + 2 + 1),
                      .Name("npu_ctrl ld_desc")) u_assert_ld_desc (
    .clk_i, .rst_ni (rst_n), .valid_i (ld_desc_valid_o), .ready_i (ld_desc_ready_i),
    .data_i ({ld_desc_tag_o, ld_desc_addr_o, ld_desc_len_o, ld_desc_cnt1_o, ld_desc_stride1_o,
              ld_desc_cnt2_o, ld_desc_stride2_o, ld_desc_cnt3_o, ld_desc_stride3_o,
              ld_desc_sp_addr_o, ld_dst_o, ld_bank_o})
  );
  npu_assert_stream #(.Width(TagW + 4 * AddrW + LenW + 3 * CntW + SpAddrW + 1),
                      .Name("npu_ctrl st_desc")) u_assert_st_desc (
    .clk_i, .rst_ni (rst_n), .valid_i (st_desc_valid_o), .ready_i (st_desc_ready_i),
    .data_i ({st_desc_tag_o, st_desc_addr_o, st_desc_len_o, st_desc_cnt1_o, st_desc_stride1_o,
              st_desc_cnt2_o, st_desc_stride2_o, st_desc_cnt3_o, st_desc_stride3_o,
              st_desc_sp_addr_o, st_bank_o})
  );
`endif

endmodule

`default_nettype wire
