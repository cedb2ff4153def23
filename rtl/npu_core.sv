// Accelerator core: the command processor (npu_ctrl), a load DMA and a store DMA (two npu_dma
// instances) and the compute datapath (npu_datapath), behind one AXI4 master. Registers are
// plain ports (start, soft reset, queue base / size, status, counters) for the register file.
//
// Bus: the load DMA only reads and the store DMA only writes, so AW/W/B belong to the store
// DMA and AR/R are shared by the load DMA (ID 0) and the command fetcher (ID 1): AR is
// arbitrated (fetcher first, a granted request is held until taken), R is routed by RID.
// On chip: the bus word is one scratchpad word (DataW = Rows * 8), so DMA words map 1:1 to
// activation and weight words. The load DMA writes the activation bank, the weight bank or
// the PPU parameter table, as the LOAD command's destination says (ld_dst); a PPU record is 16
// bytes (bias, multiplier, shift) gathered from 128 / DataW words. The store DMA reads the
// activation bank named by the STORE command. Both wait (ready low) while the running job
// owns that bank, which is what makes the double buffering safe in hardware as well.
`default_nettype none

module npu_core #(
  parameter int Rows           = 16,
  parameter int ActDepth       = 8192,
  parameter int WgtDepth       = 4096,
  parameter int AccDepth       = 512,
  parameter int PpuMaxChannels = 1024,
  parameter bit PpuSerial      = 1'b0,  // PPU with one time-multiplexed lane (FPGA build)
  parameter int AddrW          = 32,
  parameter int IdW            = 4,
  parameter int WatchdogCycles = 1 << 20,
  localparam int DataW         = Rows * 8,
  localparam int Bytes         = DataW / 8,
  localparam int ActAW         = $clog2(ActDepth),
  localparam int WgtAW         = $clog2(WgtDepth),
  localparam int ChanW         = $clog2(PpuMaxChannels),
  localparam int RecWords      = (DataW >= 128) ? 1 : 128 / DataW,  // bus words per PPU record
  localparam int RecW          = (RecWords > 1) ? $clog2(RecWords) : 1,
  localparam int IdxW          = 26,
  localparam int LenW          = 24   // DMA row length (bytes)
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // Registers.
  input  logic               start_i,
  input  logic               soft_reset_i,
  input  logic [AddrW-1:0]   queue_base_i,
  input  logic [31:0]        queue_size_i,
  output logic               busy_o,
  output logic               done_o,
  output logic [npu_cmd_pkg::CtrlErrW-1:0] err_code_o,  // npu_cmd_pkg::Err* (npu_ctrl's codes)
  output logic [IdxW-1:0]    err_cmd_o,
  output logic [AddrW-1:0]   err_addr_o,
  // Per-cycle events of a run for the register file's counters (docs/registers.md).
  output logic               ev_mac_o,       // the array takes an activation vector
  output logic               ev_ld_busy_o,   // the load engine has an operation
  output logic               ev_ld_stall_o,  // the load DMA waits on the AXI side
  output logic               ev_cp_busy_o,   // the compute engine has an operation
  output logic               ev_cp_stall_o,  // ... and waits for a dependency token
  output logic               ev_st_busy_o,   // the store engine has an operation
  output logic               ev_st_stall_o,  // the store DMA waits on the AXI side
  output logic [LenW-1:0]    ev_rd_bytes_o,  // bytes of the DRAM rows read completely
  output logic [LenW-1:0]    ev_wr_bytes_o,  // bytes of the DRAM rows written completely
  // Per-cycle PPU and pooling activity (npu_datapath): busy, and busy without progress.
  output logic               ppu_busy_o,
  output logic               ppu_stall_o,
  output logic               pool_busy_o,
  output logic               pool_stall_o,
  // AXI4 master.
  output logic [IdW-1:0]     m_axi_awid_o,
  output logic [AddrW-1:0]   m_axi_awaddr_o,
  output logic [7:0]         m_axi_awlen_o,
  output logic [2:0]         m_axi_awsize_o,
  output logic [1:0]         m_axi_awburst_o,
  output logic               m_axi_awvalid_o,
  input  logic               m_axi_awready_i,
  output logic [DataW-1:0]   m_axi_wdata_o,
  output logic [Bytes-1:0]   m_axi_wstrb_o,
  output logic               m_axi_wlast_o,
  output logic               m_axi_wvalid_o,
  input  logic               m_axi_wready_i,
  input  logic [IdW-1:0]     m_axi_bid_i,
  input  logic [1:0]         m_axi_bresp_i,
  input  logic               m_axi_bvalid_i,
  output logic               m_axi_bready_o,
  output logic [IdW-1:0]     m_axi_arid_o,
  output logic [AddrW-1:0]   m_axi_araddr_o,
  output logic [7:0]         m_axi_arlen_o,
  output logic [2:0]         m_axi_arsize_o,
  output logic [1:0]         m_axi_arburst_o,
  output logic               m_axi_arvalid_o,
  input  logic               m_axi_arready_i,
  input  logic [IdW-1:0]     m_axi_rid_i,
  input  logic [DataW-1:0]   m_axi_rdata_i,
  input  logic [1:0]         m_axi_rresp_i,
  input  logic               m_axi_rlast_i,
  input  logic               m_axi_rvalid_i,
  output logic               m_axi_rready_o
);

  localparam int FetchId = 1;  // ARID of the command fetcher
  localparam int LoadId  = 0;  // ARID of the load DMA (AR is shared with the fetcher)
  localparam int StoreId = 0;  // AWID of the store DMA (alone on AW / W / B)
  localparam int SpAddrW = 16;
  localparam int CntW    = 16;
  localparam int TagW    = 8;

  logic rst_n;
  assign rst_n = rst_ni && !soft_reset_i;  // a soft reset resets everything below the registers

  // ---------------------------------------------------------------- signals
  // Control <-> DMAs.
  logic               ld_valid, ld_ready, ld_done, st_valid, st_ready, st_done;
  logic [TagW-1:0]    ld_tag, st_tag;
  logic [AddrW-1:0]   ld_addr, ld_s1, ld_s2, ld_s3, st_addr, st_s1, st_s2, st_s3;
  logic [LenW-1:0]    ld_len, st_len;
  logic [CntW-1:0]    ld_c1, ld_c2, ld_c3, st_c1, st_c2, st_c3;
  logic [SpAddrW-1:0] ld_sp, st_sp;
  logic [1:0]         ld_dst;
  logic               ld_bank, st_bank;
  logic [3:0]         ld_err, st_err;
  logic [AddrW-1:0]   ld_err_addr, st_err_addr;
  // Fetcher / load DMA AR and R.
  logic [IdW-1:0]     f_arid, l_arid;
  logic [AddrW-1:0]   f_araddr, l_araddr;
  logic [7:0]         f_arlen, l_arlen;
  logic [2:0]         f_arsize, l_arsize;
  logic [1:0]         f_arburst, l_arburst;
  logic               f_arvalid, l_arvalid, f_arready, l_arready, f_rready, l_rready;
  logic               r_to_fetch;
  // Load DMA on-chip writes, store DMA on-chip reads.
  logic               ld_wr_valid, ld_wr_ready;
  /* verilator lint_off UNUSEDSIGNAL */
  // Word addresses wrap at the bank (and the PPU table) size.
  logic [SpAddrW-1:0] ld_wr_addr;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [DataW-1:0]   ld_wr_data;
  logic               st_req_valid, st_req_ready, st_rsp_valid;
  /* verilator lint_off UNUSEDSIGNAL */
  // Fixed-latency reads: the DMA's response ready is high whenever it issues. Addresses
  // beyond the bank wrap (the driver keeps transfers inside a bank).
  logic               st_rsp_ready;
  logic [SpAddrW-1:0] st_req_addr;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [DataW-1:0]   st_rsp_data;
  // Datapath job.
  logic               dp_start, dp_busy, dp_done, dp_cfg_err;
  logic               cfg_job, cfg_in_bank, cfg_w_bank, cfg_out_bank, cfg_res_bank, cfg_relu;
  logic               cfg_add_relu;
  logic [ActAW-1:0]   cfg_in_base, cfg_in_row_words, cfg_out_base, cfg_res_base;
  logic [9:0]         cfg_in_h, cfg_in_w, cfg_out_w;
  logic [7:0]         cfg_in_groups, cfg_ntiles, cfg_out_groups;
  logic [$clog2(Rows+1)-1:0] cfg_slot, cfg_taps;
  logic [7:0]         cfg_in_zp, cfg_zp, cfg_add_zp_a, cfg_add_zp_b, cfg_add_zp_out;
  logic [2:0]         cfg_kh, cfg_kw, cfg_sh, cfg_sw, cfg_pt, cfg_pl, cfg_pb, cfg_pr;
  logic [1:0]         cfg_pool_mode, cfg_mode;
  logic [19:0]        cfg_pixels;
  logic [11:0]        cfg_kchunks, cfg_mblocks;
  logic [$clog2(AccDepth+1)-1:0] cfg_mblock;
  logic [WgtAW-1:0]   cfg_w_base;
  logic [WgtAW:0]     cfg_w_words;
  logic [31:0]        cfg_add_mult_a, cfg_add_mult_b, cfg_add_mult_out;
  logic [5:0]         cfg_add_shift_a, cfg_add_shift_b, cfg_add_shift_out;
  logic [31:0]        dp_vectors;
  logic [31:0]        vectors_q;
  logic               dp_ev_mac, mac_active, activity;

  // ---------------------------------------------------------------- command processor
  npu_ctrl #(
    .DataW(DataW), .AddrW(AddrW), .IdW(IdW), .AxiId(FetchId), .WatchdogCycles(WatchdogCycles),
    .SpAddrW(SpAddrW), .LenW(LenW), .CntW(CntW), .TagW(TagW),
    .Rows(Rows), .ActDepth(ActDepth), .WgtDepth(WgtDepth), .AccDepth(AccDepth)
  ) u_ctrl (
    .clk_i, .rst_ni,
    .start_i, .soft_reset_i, .queue_base_i, .queue_size_i,
    .busy_o, .done_o, .err_code_o, .err_cmd_o, .err_addr_o,
    /* verilator lint_off PINCONNECTEMPTY */
    // The register file reads the command count only in debug builds.
    .cmd_count_o (),
    /* verilator lint_on PINCONNECTEMPTY */
    .mac_active_i (mac_active), .activity_i (activity),
    .ev_mac_o, .ev_ld_busy_o, .ev_cp_busy_o, .ev_cp_stall_o, .ev_st_busy_o,
    /* verilator lint_off PINCONNECTEMPTY */
    // The load / store stall events are the DMAs' own (waiting on the AXI side); the
    // engines' token waits show in COMPUTE_STALL for compute only.
    .ev_ld_stall_o (), .ev_st_stall_o (),
    /* verilator lint_on PINCONNECTEMPTY */
    .m_axi_arid_o (f_arid), .m_axi_araddr_o (f_araddr), .m_axi_arlen_o (f_arlen),
    .m_axi_arsize_o (f_arsize), .m_axi_arburst_o (f_arburst), .m_axi_arvalid_o (f_arvalid),
    .m_axi_arready_i (f_arready), .m_axi_rid_i, .m_axi_rlast_i, .m_axi_rdata_i,
    .m_axi_rresp_i, .m_axi_rvalid_i (m_axi_rvalid_i && r_to_fetch), .m_axi_rready_o (f_rready),
    .ld_desc_valid_o (ld_valid), .ld_desc_ready_i (ld_ready), .ld_desc_tag_o (ld_tag),
    .ld_desc_addr_o (ld_addr), .ld_desc_len_o (ld_len), .ld_desc_cnt1_o (ld_c1),
    .ld_desc_stride1_o (ld_s1), .ld_desc_cnt2_o (ld_c2), .ld_desc_stride2_o (ld_s2),
    .ld_desc_cnt3_o (ld_c3), .ld_desc_stride3_o (ld_s3), .ld_desc_sp_addr_o (ld_sp),
    .ld_dst_o (ld_dst), .ld_bank_o (ld_bank), .ld_done_i (ld_done), .ld_err_i (ld_err),
    .ld_err_addr_i (ld_err_addr),
    .st_desc_valid_o (st_valid), .st_desc_ready_i (st_ready), .st_desc_tag_o (st_tag),
    .st_desc_addr_o (st_addr), .st_desc_len_o (st_len), .st_desc_cnt1_o (st_c1),
    .st_desc_stride1_o (st_s1), .st_desc_cnt2_o (st_c2), .st_desc_stride2_o (st_s2),
    .st_desc_cnt3_o (st_c3), .st_desc_stride3_o (st_s3), .st_desc_sp_addr_o (st_sp),
    .st_bank_o (st_bank), .st_done_i (st_done), .st_err_i (st_err),
    .st_err_addr_i (st_err_addr),
    .dp_start_o (dp_start), .dp_busy_i (dp_busy), .dp_done_i (dp_done),
    .dp_cfg_err_i (dp_cfg_err),
    .cfg_job_o (cfg_job), .cfg_in_bank_o (cfg_in_bank), .cfg_in_base_o (cfg_in_base),
    .cfg_in_h_o (cfg_in_h), .cfg_in_w_o (cfg_in_w), .cfg_in_groups_o (cfg_in_groups),
    .cfg_slot_o (cfg_slot), .cfg_taps_per_chunk_o (cfg_taps), .cfg_in_zp_o (cfg_in_zp),
    .cfg_in_row_words_o (cfg_in_row_words), .cfg_kernel_h_o (cfg_kh), .cfg_kernel_w_o (cfg_kw),
    .cfg_stride_h_o (cfg_sh), .cfg_stride_w_o (cfg_sw), .cfg_pad_top_o (cfg_pt),
    .cfg_pad_left_o (cfg_pl), .cfg_pad_bottom_o (cfg_pb), .cfg_pad_right_o (cfg_pr),
    .cfg_pool_mode_o (cfg_pool_mode), .cfg_out_w_o (cfg_out_w), .cfg_pixels_o (cfg_pixels),
    .cfg_kchunks_o (cfg_kchunks), .cfg_ntiles_o (cfg_ntiles), .cfg_mblock_o (cfg_mblock),
    .cfg_mblocks_o (cfg_mblocks), .cfg_w_bank_o (cfg_w_bank), .cfg_w_base_o (cfg_w_base),
    .cfg_w_words_o (cfg_w_words), .cfg_out_bank_o (cfg_out_bank),
    .cfg_out_base_o (cfg_out_base), .cfg_out_groups_o (cfg_out_groups),
    .cfg_res_bank_o (cfg_res_bank), .cfg_res_base_o (cfg_res_base), .cfg_mode_o (cfg_mode),
    .cfg_zp_o (cfg_zp), .cfg_relu_o (cfg_relu), .cfg_add_zp_a_o (cfg_add_zp_a),
    .cfg_add_zp_b_o (cfg_add_zp_b), .cfg_add_zp_out_o (cfg_add_zp_out),
    .cfg_add_mult_a_o (cfg_add_mult_a), .cfg_add_mult_b_o (cfg_add_mult_b),
    .cfg_add_mult_out_o (cfg_add_mult_out), .cfg_add_shift_a_o (cfg_add_shift_a),
    .cfg_add_shift_b_o (cfg_add_shift_b), .cfg_add_shift_out_o (cfg_add_shift_out),
    .cfg_add_relu_o (cfg_add_relu)
  );

  // ---------------------------------------------------------------- AR arbitration, R routing
  logic ar_lock_q, ar_owner_q, ar_sel_fetch;
  assign ar_sel_fetch    = ar_lock_q ? ar_owner_q : f_arvalid;
  assign m_axi_arid_o    = ar_sel_fetch ? f_arid : l_arid;
  assign m_axi_araddr_o  = ar_sel_fetch ? f_araddr : l_araddr;
  assign m_axi_arlen_o   = ar_sel_fetch ? f_arlen : l_arlen;
  assign m_axi_arsize_o  = ar_sel_fetch ? f_arsize : l_arsize;
  assign m_axi_arburst_o = ar_sel_fetch ? f_arburst : l_arburst;
  assign m_axi_arvalid_o = ar_sel_fetch ? f_arvalid : l_arvalid;
  assign f_arready       = ar_sel_fetch && m_axi_arready_i;
  assign l_arready       = !ar_sel_fetch && m_axi_arready_i;
  always_ff @(posedge clk_i) begin
    if (!rst_n) begin
      ar_lock_q  <= 1'b0;
      ar_owner_q <= 1'b0;
    end else begin
      // A request offered and not taken keeps its grant (AXI: stable while valid && !ready).
      ar_lock_q  <= m_axi_arvalid_o && !m_axi_arready_i;
      ar_owner_q <= ar_sel_fetch;
    end
  end
  assign r_to_fetch     = m_axi_rid_i == IdW'(FetchId);
  assign m_axi_rready_o = r_to_fetch ? f_rready : l_rready;

  // ---------------------------------------------------------------- load DMA (reads only)
  /* verilator lint_off UNUSEDSIGNAL */
  // The load DMA never gets a write descriptor and the store DMA never a read one: their
  // other direction's ports are tied off or left open, and each one's status tag is ours.
  logic ld_busy, st_busy;
  logic [LenW-1:0]  ld_wr_bytes, st_rd_bytes;
  logic [TagW-1:0]  ld_stag, st_stag;
  logic [IdW-1:0]   l_awid, s_arid;
  logic [AddrW-1:0] l_awaddr, s_araddr;
  logic [7:0]       l_awlen, s_arlen;
  logic [2:0]       l_awsize, s_arsize;
  logic [1:0]       l_awburst, s_arburst;
  logic [DataW-1:0] l_wdata;
  logic [Bytes-1:0] l_wstrb, ld_wr_strb;
  logic             l_wlast, l_wvalid, l_bready, s_rready, l_req_valid;
  logic [SpAddrW-1:0] l_req_addr, s_wr_addr;
  logic [DataW-1:0] s_wr_data;
  logic [Bytes-1:0] s_wr_strb;
  logic             s_wr_valid, l_rsp_ready, l_aw_valid, s_ar_valid;
  /* verilator lint_on UNUSEDSIGNAL */

  npu_dma #(.DataW(DataW), .AddrW(AddrW), .IdW(IdW), .AxiId(LoadId), .SpAddrW(SpAddrW),
            .LenW(LenW), .CntW(CntW), .TagW(TagW)) u_dma_ld (
    .clk_i, .rst_ni (rst_n),
    .desc_valid_i (ld_valid), .desc_ready_o (ld_ready), .desc_write_i (1'b0),
    .desc_tag_i (ld_tag), .desc_addr_i (ld_addr), .desc_len_i (ld_len), .desc_cnt1_i (ld_c1),
    .desc_stride1_i (ld_s1), .desc_cnt2_i (ld_c2), .desc_stride2_i (ld_s2),
    .desc_cnt3_i (ld_c3), .desc_stride3_i (ld_s3), .desc_sp_addr_i (ld_sp),
    .busy_o (ld_busy), .done_o (ld_done), .status_tag_o (ld_stag), .status_err_o (ld_err),
    .status_err_addr_o (ld_err_addr),
    .ev_stall_o (ev_ld_stall_o), .ev_rd_bytes_o, .ev_wr_bytes_o (ld_wr_bytes),
    .sp_wr_valid_o (ld_wr_valid), .sp_wr_ready_i (ld_wr_ready), .sp_wr_addr_o (ld_wr_addr),
    .sp_wr_data_o (ld_wr_data), .sp_wr_strb_o (ld_wr_strb),
    .sp_req_valid_o (l_req_valid), .sp_req_ready_i (1'b0), .sp_req_addr_o (l_req_addr),
    .sp_rsp_valid_i (1'b0), .sp_rsp_ready_o (l_rsp_ready), .sp_rsp_data_i ({DataW{1'b0}}),
    .m_axi_awid_o (l_awid), .m_axi_awaddr_o (l_awaddr), .m_axi_awlen_o (l_awlen),
    .m_axi_awsize_o (l_awsize), .m_axi_awburst_o (l_awburst), .m_axi_awvalid_o (l_aw_valid),
    .m_axi_awready_i (1'b0), .m_axi_wdata_o (l_wdata), .m_axi_wstrb_o (l_wstrb),
    .m_axi_wlast_o (l_wlast), .m_axi_wvalid_o (l_wvalid), .m_axi_wready_i (1'b0),
    .m_axi_bid_i ({IdW{1'b0}}), .m_axi_bresp_i (2'b00), .m_axi_bvalid_i (1'b0),
    .m_axi_bready_o (l_bready),
    .m_axi_arid_o (l_arid), .m_axi_araddr_o (l_araddr), .m_axi_arlen_o (l_arlen),
    .m_axi_arsize_o (l_arsize), .m_axi_arburst_o (l_arburst), .m_axi_arvalid_o (l_arvalid),
    .m_axi_arready_i (l_arready), .m_axi_rid_i, .m_axi_rlast_i, .m_axi_rdata_i,
    .m_axi_rresp_i, .m_axi_rvalid_i (m_axi_rvalid_i && !r_to_fetch),
    .m_axi_rready_o (l_rready)
  );

  // ---------------------------------------------------------------- store DMA (writes only)
  npu_dma #(.DataW(DataW), .AddrW(AddrW), .IdW(IdW), .AxiId(StoreId), .SpAddrW(SpAddrW),
            .LenW(LenW), .CntW(CntW), .TagW(TagW)) u_dma_st (
    .clk_i, .rst_ni (rst_n),
    .desc_valid_i (st_valid), .desc_ready_o (st_ready), .desc_write_i (1'b1),
    .desc_tag_i (st_tag), .desc_addr_i (st_addr), .desc_len_i (st_len), .desc_cnt1_i (st_c1),
    .desc_stride1_i (st_s1), .desc_cnt2_i (st_c2), .desc_stride2_i (st_s2),
    .desc_cnt3_i (st_c3), .desc_stride3_i (st_s3), .desc_sp_addr_i (st_sp),
    .busy_o (st_busy), .done_o (st_done), .status_tag_o (st_stag), .status_err_o (st_err),
    .status_err_addr_o (st_err_addr),
    .ev_stall_o (ev_st_stall_o), .ev_rd_bytes_o (st_rd_bytes), .ev_wr_bytes_o,
    .sp_wr_valid_o (s_wr_valid), .sp_wr_ready_i (1'b0), .sp_wr_addr_o (s_wr_addr),
    .sp_wr_data_o (s_wr_data), .sp_wr_strb_o (s_wr_strb),
    .sp_req_valid_o (st_req_valid), .sp_req_ready_i (st_req_ready), .sp_req_addr_o (st_req_addr),
    .sp_rsp_valid_i (st_rsp_valid), .sp_rsp_ready_o (st_rsp_ready), .sp_rsp_data_i (st_rsp_data),
    .m_axi_awid_o, .m_axi_awaddr_o, .m_axi_awlen_o, .m_axi_awsize_o, .m_axi_awburst_o,
    .m_axi_awvalid_o, .m_axi_awready_i, .m_axi_wdata_o, .m_axi_wstrb_o, .m_axi_wlast_o,
    .m_axi_wvalid_o, .m_axi_wready_i, .m_axi_bid_i, .m_axi_bresp_i, .m_axi_bvalid_i,
    .m_axi_bready_o,
    .m_axi_arid_o (s_arid), .m_axi_araddr_o (s_araddr), .m_axi_arlen_o (s_arlen),
    .m_axi_arsize_o (s_arsize), .m_axi_arburst_o (s_arburst), .m_axi_arvalid_o (s_ar_valid),
    .m_axi_arready_i (1'b0), .m_axi_rid_i ({IdW{1'b0}}), .m_axi_rlast_i (1'b0),
    .m_axi_rdata_i ({DataW{1'b0}}),
    .m_axi_rresp_i (2'b00), .m_axi_rvalid_i (1'b0), .m_axi_rready_o (s_rready)
  );

  // ---------------------------------------------------------------- on-chip steering
  // Load DMA words: activation bank, weight bank, or PPU records of RecWords words.
  logic            act_wr_ready, w_wr_ready, prm_ready, prm_valid, rec_last;
  /* verilator lint_off UNUSEDSIGNAL */
  // A PPU record is bias, multiplier, shift and 7 bytes of padding.
  logic [127:0]    rec_word;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [ChanW-1:0] prm_chan;
  if (RecWords > 1) begin : g_rec
    logic [127-DataW:0] rec_q;  // the record's earlier words
    logic [RecW-1:0]    piece;
    assign piece    = ld_wr_addr[RecW-1:0];
    assign rec_last = piece == RecW'(RecWords - 1);
    assign rec_word = {ld_wr_data, rec_q};
    assign prm_chan = ChanW'(ld_wr_addr >> RecW);
    always_ff @(posedge clk_i) begin
      if (ld_wr_valid && ld_wr_ready && ld_dst == 2'd2 && !rec_last) begin
        rec_q[piece*DataW +: DataW] <= ld_wr_data;
      end
    end
  end else begin : g_rec1
    assign rec_last = 1'b1;
    assign rec_word = ld_wr_data[127:0];
    assign prm_chan = ChanW'(ld_wr_addr);
  end
  assign prm_valid   = ld_wr_valid && ld_dst == 2'd2 && rec_last;
  assign ld_wr_ready = ld_dst == 2'd0 ? act_wr_ready :
                       ld_dst == 2'd1 ? w_wr_ready :
                       rec_last ? prm_ready : 1'b1;

  // Store DMA reads: one activation read port, data the cycle after (fixed latency, so the
  // DMA's response ready, high whenever it issues, is not needed).
  logic act_rd_ready;
  assign st_req_ready = act_rd_ready;

  // ---------------------------------------------------------------- datapath
  npu_datapath #(.Rows(Rows), .Cols(Rows), .ActDepth(ActDepth), .WgtDepth(WgtDepth),
                 .AccDepth(AccDepth), .PpuMaxChannels(PpuMaxChannels),
                 .PpuSerial(PpuSerial)) u_dp (
    .clk_i, .rst_ni (rst_n),
    .start_i (dp_start), .busy_o (dp_busy), .done_o (dp_done),
    .cfg_job_i (cfg_job), .cfg_in_bank_i (cfg_in_bank), .cfg_in_base_i (cfg_in_base),
    .cfg_in_h_i (cfg_in_h), .cfg_in_w_i (cfg_in_w), .cfg_in_groups_i (cfg_in_groups),
    .cfg_slot_i (cfg_slot), .cfg_taps_per_chunk_i (cfg_taps), .cfg_in_zp_i (cfg_in_zp),
    .cfg_in_row_words_i (cfg_in_row_words), .cfg_kernel_h_i (cfg_kh), .cfg_kernel_w_i (cfg_kw),
    .cfg_stride_h_i (cfg_sh), .cfg_stride_w_i (cfg_sw), .cfg_pad_top_i (cfg_pt),
    .cfg_pad_left_i (cfg_pl), .cfg_pad_bottom_i (cfg_pb), .cfg_pad_right_i (cfg_pr),
    .cfg_pool_mode_i (cfg_pool_mode), .cfg_out_w_i (cfg_out_w), .cfg_pixels_i (cfg_pixels),
    .cfg_kchunks_i (cfg_kchunks), .cfg_ntiles_i (cfg_ntiles), .cfg_mblock_i (cfg_mblock),
    .cfg_mblocks_i (cfg_mblocks), .cfg_w_bank_i (cfg_w_bank), .cfg_w_base_i (cfg_w_base),
    .cfg_w_words_i (cfg_w_words), .cfg_out_bank_i (cfg_out_bank),
    .cfg_out_base_i (cfg_out_base), .cfg_out_groups_i (cfg_out_groups),
    .cfg_res_bank_i (cfg_res_bank), .cfg_res_base_i (cfg_res_base), .cfg_mode_i (cfg_mode),
    .cfg_zp_i (cfg_zp), .cfg_relu_i (cfg_relu), .cfg_add_zp_a_i (cfg_add_zp_a),
    .cfg_add_zp_b_i (cfg_add_zp_b), .cfg_add_zp_out_i (cfg_add_zp_out),
    .cfg_add_mult_a_i (cfg_add_mult_a), .cfg_add_mult_b_i (cfg_add_mult_b),
    .cfg_add_mult_out_i (cfg_add_mult_out), .cfg_add_shift_a_i (cfg_add_shift_a),
    .cfg_add_shift_b_i (cfg_add_shift_b), .cfg_add_shift_out_i (cfg_add_shift_out),
    .cfg_add_relu_i (cfg_add_relu), .cfg_err_o (dp_cfg_err),
    .act_wr_valid_i (ld_wr_valid && ld_dst == 2'd0), .act_wr_ready_o (act_wr_ready),
    .act_wr_bank_i (ld_bank), .act_wr_addr_i (ActAW'(ld_wr_addr)), .act_wr_data_i (ld_wr_data),
    .act_rd_valid_i (st_req_valid), .act_rd_ready_o (act_rd_ready), .act_rd_bank_i (st_bank),
    .act_rd_addr_i (ActAW'(st_req_addr)), .act_rd_rvalid_o (st_rsp_valid),
    .act_rd_rdata_o (st_rsp_data),
    .w_wr_valid_i (ld_wr_valid && ld_dst == 2'd1), .w_wr_ready_o (w_wr_ready),
    .w_wr_bank_i (ld_bank), .w_wr_addr_i (WgtAW'(ld_wr_addr)), .w_wr_data_i (ld_wr_data),
    .prm_valid_i (prm_valid), .prm_ready_o (prm_ready), .prm_chan_i (prm_chan),
    .prm_bias_i (rec_word[31:0]), .prm_mult_i (rec_word[63:32]), .prm_shift_i (rec_word[69:64]),
    /* verilator lint_off PINCONNECTEMPTY */
    // The per-job datapath counters are for its own bench; the core counts per run.
    .perf_cycles_o (), .perf_vectors_o (dp_vectors), .perf_acc_stall_o (), .perf_w_wait_o (),
    /* verilator lint_on PINCONNECTEMPTY */
    .ev_mac_o (dp_ev_mac), .ppu_busy_o, .ppu_stall_o, .pool_busy_o, .pool_stall_o
  );

  // MAC-active: a cycle in which the array takes a vector. Watchdog activity: also a cycle
  // after one in which the datapath's vector count moved (array vectors and pool reads).
  always_ff @(posedge clk_i) begin
    if (!rst_n) vectors_q <= '0;
    else vectors_q <= dp_vectors;
  end
  assign mac_active = dp_ev_mac && !cfg_job;
  assign activity   = dp_vectors != vectors_q || (ld_wr_valid && ld_wr_ready) ||
                      (st_req_valid && st_req_ready) || m_axi_rvalid_i || m_axi_bvalid_i ||
                      (m_axi_wvalid_o && m_axi_wready_i);

endmodule

`default_nettype wire
