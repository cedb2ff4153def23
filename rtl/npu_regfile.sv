// AXI4-Lite register file of the NPU (docs/registers.md). The map itself (offsets, fields,
// reset values, access types, error codes) lives in rtl/csr/npu_regs.yaml and reaches this
// file only through the generated npu_regs_pkg; the tb/regs bench reads every register
// against the generated C++ table, so the RTL and the description cannot drift silently.
//
// Bus: AW and W are each held in a one-entry register (so either may come first); a write is
// performed when both are held and the B slot is free; one read is answered per AR, from the
// state of the handshake cycle. All AXI outputs are registers. Unmapped addresses and writes
// to registers without a writable bit answer SLVERR and change nothing.
//
// Control: CONTROL.START is checked here (queue size 0, misaligned or out-of-range base) so a
// bad value becomes ERROR_CODE = ILLEGAL_REG plus DONE and the interrupt, never a job that
// hangs; a good START is a one-cycle start_o. The command processor reports the end of a job
// (done_i) and the first error (err_valid_i with code/info/addr). irq_o is
// OR(IRQ_STATUS & IRQ_ENABLE) of registers.
//
// Counters: 64-bit, incremented by per-cycle event inputs (not by sampling the units'
// own counters, which restart per job). A _LO read latches the counter's upper half into a
// per-counter shadow that the _HI read returns, so a LO-then-HI read is one value.
`default_nettype none

module npu_regfile #(
  parameter int Rows     = 16,  // HW_CONFIG, from configs/*.yaml
  parameter int Cols     = 16,
  parameter int AxiBytes = 8,
  parameter int AddrW    = 32,  // AXI master address width: CMDQ_BASE must fit (12..64)
  parameter int BytesW   = 16,  // width of the per-cycle DMA byte increments
  localparam int RegAW   = npu_regs_pkg::AddrW
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  // ------------------------------------------------------------ AXI4-Lite slave
  // Bits 1:0 of both addresses are unused: registers are words, the byte lanes are WSTRB's.
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [RegAW-1:0]  s_axil_awaddr_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic              s_axil_awvalid_i,
  output logic              s_axil_awready_o,
  input  logic [31:0]       s_axil_wdata_i,
  input  logic [3:0]        s_axil_wstrb_i,
  input  logic              s_axil_wvalid_i,
  output logic              s_axil_wready_o,
  output logic [1:0]        s_axil_bresp_o,
  output logic              s_axil_bvalid_o,
  input  logic              s_axil_bready_i,
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [RegAW-1:0]  s_axil_araddr_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic              s_axil_arvalid_i,
  output logic              s_axil_arready_o,
  output logic [31:0]       s_axil_rdata_o,
  output logic [1:0]        s_axil_rresp_o,
  output logic              s_axil_rvalid_o,
  input  logic              s_axil_rready_i,

  // ------------------------------------------------------------ command processor
  output logic              start_o,       // one cycle: run CMDQ_SIZE commands at CMDQ_BASE
  output logic              soft_reset_o,  // one cycle: abort and reset the job state
  output logic [63:0]       cmdq_base_o,
  output logic [15:0]       cmdq_size_o,
  input  logic              busy_i,        // a job is running
  input  logic              done_i,        // one cycle: the job ended (also after an error)
  input  logic              err_valid_i,   // one cycle: an error (the first of a job sticks)
  input  logic [7:0]        err_code_i,    // npu_regs_pkg::Err*
  input  logic [31:0]       err_info_i,    // failing command index
  input  logic [31:0]       err_addr_i,    // failing bus address
  output logic              irq_o,

  // ------------------------------------------------------------ counter events, per cycle
  input  logic              ev_mac_i,          // the array takes an activation vector
  input  logic              ev_ld_busy_i,      // load DMA busy
  input  logic              ev_ld_stall_i,     // load DMA waiting on AXI
  input  logic              ev_st_busy_i,
  input  logic              ev_st_stall_i,
  input  logic              ev_compute_busy_i,
  input  logic              ev_compute_stall_i,
  input  logic              ev_ppu_busy_i,
  input  logic              ev_ppu_stall_i,
  input  logic              ev_pool_busy_i,
  input  logic              ev_pool_stall_i,
  input  logic [BytesW-1:0] dma_rd_bytes_i,    // bytes read this cycle
  input  logic [BytesW-1:0] dma_wr_bytes_i     // bytes written this cycle
);

  localparam int NumCnt = npu_regs_pkg::NumCounters;
  localparam logic [1:0] RespOkay = 2'b00;
  localparam logic [1:0] RespSlvErr = 2'b10;

  // ---------------------------------------------------------------- registers
  logic [31:0] irq_enable_q, irq_status_q, base_lo_q, base_hi_q, size_q, perf_ctrl_q;
  logic        start_q, soft_reset_q, done_q;
  logic [7:0]  err_code_q;
  logic [31:0] err_info_q, err_addr_q;
  logic [63:0] cnt_q [NumCnt];
  logic [31:0] shadow_q [NumCnt];

  // ---------------------------------------------------------------- write channel
  logic             aw_full_q, w_full_q, bvalid_q;
  logic [RegAW-1:2] awaddr_q;
  logic [31:0]      wdata_q;
  logic [3:0]       wstrb_q;
  logic [1:0]       bresp_q;
  logic             wr_en;       // the held write is performed this cycle
  logic [31:0]      wr_bits;     // written ones in strobed bytes
  logic [31:0]      wr_keep;     // strobed bytes
  logic             wr_writable;
  logic [RegAW-1:0] wr_addr;

  assign s_axil_awready_o = !aw_full_q;
  assign s_axil_wready_o  = !w_full_q;
  assign s_axil_bvalid_o  = bvalid_q;
  assign s_axil_bresp_o   = bresp_q;
  assign wr_en   = aw_full_q && w_full_q && !bvalid_q;
  // Word addresses by concatenation: Yosys 0.23 mis-evaluates `a & ~W'(3)` (the cast's
  // complement keeps only bits 1:0).
  assign wr_addr = {awaddr_q, 2'b00};
  assign wr_keep = {{8{wstrb_q[3]}}, {8{wstrb_q[2]}}, {8{wstrb_q[1]}}, {8{wstrb_q[0]}}};
  assign wr_bits = wdata_q & wr_keep;

  // Only registers with a writable bit accept writes: unmapped and read-only addresses both
  // answer SLVERR and change nothing, so no separate "mapped" decode is needed here.
  always_comb begin
    case (wr_addr)
      npu_regs_pkg::ControlAddr, npu_regs_pkg::IrqEnableAddr, npu_regs_pkg::IrqStatusAddr,
      npu_regs_pkg::CmdqBaseLoAddr, npu_regs_pkg::CmdqBaseHiAddr, npu_regs_pkg::CmdqSizeAddr,
      npu_regs_pkg::PerfCtrlAddr: wr_writable = 1'b1;
      default:                    wr_writable = 1'b0;
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      aw_full_q <= 1'b0;
      w_full_q  <= 1'b0;
      bvalid_q  <= 1'b0;
      bresp_q   <= RespOkay;
      awaddr_q  <= '0;
      wdata_q   <= '0;
      wstrb_q   <= '0;
    end else begin
      if (s_axil_awvalid_i && !aw_full_q) begin
        aw_full_q <= 1'b1;
        awaddr_q  <= s_axil_awaddr_i[RegAW-1:2];
      end
      if (s_axil_wvalid_i && !w_full_q) begin
        w_full_q <= 1'b1;
        wdata_q  <= s_axil_wdata_i;
        wstrb_q  <= s_axil_wstrb_i;
      end
      if (wr_en) begin
        aw_full_q <= 1'b0;
        w_full_q  <= 1'b0;
        bvalid_q  <= 1'b1;
        bresp_q   <= wr_writable ? RespOkay : RespSlvErr;
      end else if (bvalid_q && s_axil_bready_i) begin
        bvalid_q <= 1'b0;
      end
    end
  end

  // One-hot write strobes per register (only for writable registers).
  logic wr_control, wr_irq_enable, wr_irq_status, wr_base_lo, wr_base_hi, wr_size, wr_perf;
  always_comb begin
    wr_control    = 1'b0;
    wr_irq_enable = 1'b0;
    wr_irq_status = 1'b0;
    wr_base_lo    = 1'b0;
    wr_base_hi    = 1'b0;
    wr_size       = 1'b0;
    wr_perf       = 1'b0;
    if (wr_en && wr_writable) begin
      case (wr_addr)
        npu_regs_pkg::ControlAddr:    wr_control    = 1'b1;
        npu_regs_pkg::IrqEnableAddr:  wr_irq_enable = 1'b1;
        npu_regs_pkg::IrqStatusAddr:  wr_irq_status = 1'b1;
        npu_regs_pkg::CmdqBaseLoAddr: wr_base_lo    = 1'b1;
        npu_regs_pkg::CmdqBaseHiAddr: wr_base_hi    = 1'b1;
        npu_regs_pkg::CmdqSizeAddr:   wr_size       = 1'b1;
        npu_regs_pkg::PerfCtrlAddr:   wr_perf       = 1'b1;
        default: ;
      endcase
    end
  end

  // RW update: strobed bytes of the writable bits take the written value.
  function automatic logic [31:0] rw_update(logic [31:0] old, logic [31:0] mask,
                                            logic [31:0] data, logic [31:0] keep);
    rw_update = (old & ~(mask & keep)) | (data & mask & keep);
  endfunction

  // ---------------------------------------------------------------- start checks and control
  localparam int CtlStart     = npu_regs_pkg::ControlStartLsb;
  localparam int CtlSoftReset = npu_regs_pkg::ControlSoftResetLsb;
  logic start_req, soft_reset_req, busy_now, start_ok, start_busy, start_bad;
  logic base_misaligned, base_out_of_range, base_hi_bad;
  logic [31:0] bad_reg;
  logic [63:0] base;

  assign base           = {base_hi_q, base_lo_q};
  assign start_req      = wr_control && wr_bits[CtlStart];
  assign soft_reset_req = wr_control && wr_bits[CtlSoftReset];
  assign busy_now       = busy_i || start_q;
  assign base_misaligned = (base_lo_q % npu_regs_pkg::CmdqAlignBytes) != 0;
  if (AddrW >= 64) begin : g_wide_addr
    assign base_out_of_range = 1'b0;
    assign base_hi_bad = 1'b0;
  end else begin : g_addr
    assign base_out_of_range = (base >> AddrW) != 64'd0;
    assign base_hi_bad = (base_hi_q >> (AddrW > 32 ? AddrW - 32 : 0)) != 32'd0;
  end
  // Soft reset wins over a START written with it; a START while busy is refused (the running
  // job continues and the error is reported).
  assign start_busy = start_req && !soft_reset_req && busy_now;
  assign start_bad  = start_req && !soft_reset_req && !busy_now &&
                      (size_q == 32'd0 || base_misaligned || base_out_of_range);
  assign start_ok   = start_req && !soft_reset_req && !busy_now && !start_bad;
  always_comb begin
    if (size_q == 32'd0) bad_reg = 32'(npu_regs_pkg::CmdqSizeAddr);
    else if (base_misaligned) bad_reg = 32'(npu_regs_pkg::CmdqBaseLoAddr);
    else if (base_hi_bad) bad_reg = 32'(npu_regs_pkg::CmdqBaseHiAddr);
    else bad_reg = 32'(npu_regs_pkg::CmdqBaseLoAddr);
  end

  // Error recording: a new job (good or bad START) starts from no error; the first error
  // after that sticks until the next START or SOFT_RESET.
  logic       new_job, err_set, done_set;
  logic [7:0] err_code_d;
  assign new_job = start_ok || start_bad;
  always_comb begin
    err_set    = 1'b0;
    err_code_d = err_code_q;
    if (soft_reset_req) begin
      err_code_d = npu_regs_pkg::ErrNone;
    end else if (start_bad) begin
      err_set    = 1'b1;
      err_code_d = npu_regs_pkg::ErrIllegalReg;
    end else if (start_ok) begin
      err_code_d = npu_regs_pkg::ErrNone;
    end else if (err_code_q == npu_regs_pkg::ErrNone) begin
      if (start_busy) begin
        err_set    = 1'b1;
        err_code_d = npu_regs_pkg::ErrStartBusy;
      end else if (err_valid_i && err_code_i != npu_regs_pkg::ErrNone) begin
        err_set    = 1'b1;
        err_code_d = err_code_i;
      end
    end
  end
  assign done_set = !soft_reset_req && (start_bad || (done_i && !start_ok));

  localparam logic [31:0] IrqDone  = 32'(1) << npu_regs_pkg::IrqStatusDoneLsb;
  localparam logic [31:0] IrqError = 32'(1) << npu_regs_pkg::IrqStatusErrorLsb;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      start_q      <= 1'b0;
      soft_reset_q <= 1'b0;
      done_q       <= 1'b0;
      err_code_q   <= npu_regs_pkg::ErrNone;
      err_info_q   <= '0;
      err_addr_q   <= '0;
      irq_enable_q <= npu_regs_pkg::IrqEnableReset;
      irq_status_q <= npu_regs_pkg::IrqStatusReset;
      base_lo_q    <= npu_regs_pkg::CmdqBaseLoReset;
      base_hi_q    <= npu_regs_pkg::CmdqBaseHiReset;
      size_q       <= npu_regs_pkg::CmdqSizeReset;
      perf_ctrl_q  <= npu_regs_pkg::PerfCtrlReset;
    end else begin
      start_q      <= start_ok;
      soft_reset_q <= soft_reset_req;
      err_code_q   <= err_code_d;
      if (soft_reset_req || start_ok) begin
        err_info_q <= '0;
        err_addr_q <= '0;
      end else if (start_bad) begin
        err_info_q <= bad_reg;
        err_addr_q <= base_lo_q;
      end else if (err_set) begin
        err_info_q <= start_busy ? 32'd0 : err_info_i;
        err_addr_q <= start_busy ? 32'd0 : err_addr_i;
      end
      if (soft_reset_req || new_job) done_q <= 1'b0;
      if (done_set) done_q <= 1'b1;
      // W1C: a cause raised in the same cycle as its clear stays set.
      if (soft_reset_req) begin
        irq_status_q <= '0;
      end else begin
        irq_status_q <= (irq_status_q & ~(wr_irq_status ? wr_bits & npu_regs_pkg::IrqStatusW1cMask
                                                        : 32'd0))
                        | (done_set ? IrqDone : 32'd0) | (err_set ? IrqError : 32'd0);
      end
      if (wr_irq_enable) begin
        irq_enable_q <= rw_update(irq_enable_q, npu_regs_pkg::IrqEnableRwMask, wdata_q, wr_keep);
      end
      if (wr_base_lo) begin
        base_lo_q <= rw_update(base_lo_q, npu_regs_pkg::CmdqBaseLoRwMask, wdata_q, wr_keep);
      end
      if (wr_base_hi) begin
        base_hi_q <= rw_update(base_hi_q, npu_regs_pkg::CmdqBaseHiRwMask, wdata_q, wr_keep);
      end
      if (wr_size) size_q <= rw_update(size_q, npu_regs_pkg::CmdqSizeRwMask, wdata_q, wr_keep);
      if (wr_perf) begin
        perf_ctrl_q <= rw_update(perf_ctrl_q, npu_regs_pkg::PerfCtrlRwMask, wdata_q, wr_keep);
      end
    end
  end

  assign start_o      = start_q;
  assign soft_reset_o = soft_reset_q;
  assign cmdq_base_o  = base;
  assign cmdq_size_o  = size_q[15:0];
  assign irq_o        = |(irq_status_q & irq_enable_q);

  // ---------------------------------------------------------------- counters
  logic              cnt_clear, cnt_freeze;
  logic [BytesW-1:0] inc [NumCnt];
  assign cnt_clear  = (wr_perf && wr_bits[npu_regs_pkg::PerfCtrlClearLsb])
                      || (start_ok && perf_ctrl_q[npu_regs_pkg::PerfCtrlClearOnStartLsb]);
  assign cnt_freeze = perf_ctrl_q[npu_regs_pkg::PerfCtrlFreezeLsb];
  assign inc[npu_regs_pkg::CntCycles]       = BytesW'(1);
  assign inc[npu_regs_pkg::CntMacActive]    = BytesW'(ev_mac_i);
  assign inc[npu_regs_pkg::CntDmaLdBusy]    = BytesW'(ev_ld_busy_i);
  assign inc[npu_regs_pkg::CntDmaLdStall]   = BytesW'(ev_ld_stall_i);
  assign inc[npu_regs_pkg::CntDmaStBusy]    = BytesW'(ev_st_busy_i);
  assign inc[npu_regs_pkg::CntDmaStStall]   = BytesW'(ev_st_stall_i);
  assign inc[npu_regs_pkg::CntComputeBusy]  = BytesW'(ev_compute_busy_i);
  assign inc[npu_regs_pkg::CntComputeStall] = BytesW'(ev_compute_stall_i);
  assign inc[npu_regs_pkg::CntPpuBusy]      = BytesW'(ev_ppu_busy_i);
  assign inc[npu_regs_pkg::CntPpuStall]     = BytesW'(ev_ppu_stall_i);
  assign inc[npu_regs_pkg::CntPoolBusy]     = BytesW'(ev_pool_busy_i);
  assign inc[npu_regs_pkg::CntPoolStall]    = BytesW'(ev_pool_stall_i);
  assign inc[npu_regs_pkg::CntDmaRdBytes]   = dma_rd_bytes_i;
  assign inc[npu_regs_pkg::CntDmaWrBytes]   = dma_wr_bytes_i;

  // ---------------------------------------------------------------- read channel
  logic        rvalid_q;
  logic [31:0] rdata_q, rdata_d;
  logic [1:0]  rresp_q, rresp_d;
  logic        ar_take;
  logic [NumCnt-1:0] rd_lo_hit, rd_hi_hit;
  logic [RegAW-1:0]  raddr;
  logic [NumCnt*32-1:0] cnt_val;
  logic [31:0]       cnt_rdata;

  assign s_axil_arready_o = !rvalid_q;
  assign s_axil_rvalid_o  = rvalid_q;
  assign s_axil_rdata_o   = rdata_q;
  assign s_axil_rresp_o   = rresp_q;
  assign ar_take = s_axil_arvalid_i && !rvalid_q;
  assign raddr   = {s_axil_araddr_i[RegAW-1:2], 2'b00};

  for (genvar i = 0; i < NumCnt; i++) begin : g_cnt
    logic [RegAW-1:0] lo_addr;
    assign lo_addr = npu_regs_pkg::CntLoAddrs[i*RegAW +: RegAW];
    assign rd_lo_hit[i] = raddr == lo_addr;
    assign rd_hi_hit[i] = raddr == {lo_addr[RegAW-1:3], 3'b100};
    always_ff @(posedge clk_i) begin
      if (!rst_ni || cnt_clear) cnt_q[i] <= '0;
      else if (!cnt_freeze) cnt_q[i] <= cnt_q[i] + 64'(inc[i]);
    end
    always_ff @(posedge clk_i) begin
      if (!rst_ni) shadow_q[i] <= '0;
      else if (ar_take && rd_lo_hit[i]) shadow_q[i] <= cnt_q[i][63:32];
    end
`ifndef SYNTHESIS
    always @(posedge clk_i) begin
      if (rst_ni && !cnt_clear && !cnt_freeze) begin
        assert (cnt_q[i] <= ~64'(inc[i])) else $error("%m: npu_regfile: counter %0d wraps", i);
      end
    end
`endif
    // Read data of this counter's halves (0 unless addressed; at most one counter hits).
    assign cnt_val[i*32 +: 32] = (rd_lo_hit[i] ? cnt_q[i][31:0] : 32'd0)
                               | (rd_hi_hit[i] ? shadow_q[i] : 32'd0);
  end
  always_comb begin
    cnt_rdata = '0;
    for (int i = 0; i < NumCnt; i++) cnt_rdata = cnt_rdata | cnt_val[i*32 +: 32];
  end

  localparam logic [31:0] HwConfig =
      (32'(Rows) << npu_regs_pkg::HwConfigRowsLsb) |
      (32'(Cols) << npu_regs_pkg::HwConfigColsLsb) |
      (32'(AxiBytes) << npu_regs_pkg::HwConfigAxiBytesLsb);

  logic [31:0] status;
  assign status = (32'(busy_now) << npu_regs_pkg::StatusBusyLsb)
                | (32'(done_q) << npu_regs_pkg::StatusDoneLsb)
                | (32'(err_code_q != npu_regs_pkg::ErrNone) << npu_regs_pkg::StatusErrorLsb);

  always_comb begin
    rdata_d = '0;
    rresp_d = RespOkay;
    case (raddr)
      npu_regs_pkg::IdAddr:         rdata_d = npu_regs_pkg::IdReset;
      npu_regs_pkg::HwConfigAddr:   rdata_d = HwConfig;
      npu_regs_pkg::ControlAddr:    rdata_d = '0;
      npu_regs_pkg::StatusAddr:     rdata_d = status;
      npu_regs_pkg::ErrorCodeAddr:  rdata_d = 32'(err_code_q);
      npu_regs_pkg::ErrorInfoAddr:  rdata_d = err_info_q;
      npu_regs_pkg::ErrorAddrAddr:  rdata_d = err_addr_q;
      npu_regs_pkg::IrqEnableAddr:  rdata_d = irq_enable_q;
      npu_regs_pkg::IrqStatusAddr:  rdata_d = irq_status_q;
      npu_regs_pkg::CmdqBaseLoAddr: rdata_d = base_lo_q;
      npu_regs_pkg::CmdqBaseHiAddr: rdata_d = base_hi_q;
      npu_regs_pkg::CmdqSizeAddr:   rdata_d = size_q;
      npu_regs_pkg::PerfCtrlAddr:   rdata_d = perf_ctrl_q & ~npu_regs_pkg::PerfCtrlW1pMask;
      default: begin
        rdata_d = cnt_rdata;
        rresp_d = |{rd_lo_hit, rd_hi_hit} ? RespOkay : RespSlvErr;
      end
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      rvalid_q <= 1'b0;
      rdata_q  <= '0;
      rresp_q  <= RespOkay;
    end else if (ar_take) begin
      rvalid_q <= 1'b1;
      rdata_q  <= rdata_d;
      rresp_q  <= rresp_d;
    end else if (rvalid_q && s_axil_rready_i) begin
      rvalid_q <= 1'b0;
    end
  end

  // ---------------------------------------------------------------- checks
  // Parameter rules (rtl/README.md, Parameter checks).
  if (AddrW < 12 || AddrW > 64) begin : g_bad_addr_w
`ifdef __ICARUS__
    initial $fatal(1, "npu_regfile: parameter AddrW (%0d) must be 12..64", AddrW);
`else
    $error("npu_regfile: parameter AddrW must be 12..64");
`endif
  end

`ifndef SYNTHESIS
  // Protocol (rtl/README.md, Assertions): the five AXI4-Lite channels.
  npu_assert_stream #(.Width(RegAW), .Name("npu_regfile AXI-Lite AW")) u_assert_aw (
    .clk_i, .rst_ni, .valid_i (s_axil_awvalid_i), .ready_i (s_axil_awready_o),
    .data_i (s_axil_awaddr_i)
  );
  npu_assert_stream #(.Width(36), .Name("npu_regfile AXI-Lite W")) u_assert_w (
    .clk_i, .rst_ni, .valid_i (s_axil_wvalid_i), .ready_i (s_axil_wready_o),
    .data_i ({s_axil_wdata_i, s_axil_wstrb_i})
  );
  npu_assert_stream #(.Width(2), .Name("npu_regfile AXI-Lite B")) u_assert_b (
    .clk_i, .rst_ni, .valid_i (s_axil_bvalid_o), .ready_i (s_axil_bready_i),
    .data_i (s_axil_bresp_o)
  );
  npu_assert_stream #(.Width(RegAW), .Name("npu_regfile AXI-Lite AR")) u_assert_ar (
    .clk_i, .rst_ni, .valid_i (s_axil_arvalid_i), .ready_i (s_axil_arready_o),
    .data_i (s_axil_araddr_i)
  );
  npu_assert_stream #(.Width(34), .Name("npu_regfile AXI-Lite R")) u_assert_r (
    .clk_i, .rst_ni, .valid_i (s_axil_rvalid_o), .ready_i (s_axil_rready_i),
    .data_i ({s_axil_rdata_o, s_axil_rresp_o})
  );
`endif

endmodule

`default_nettype wire
