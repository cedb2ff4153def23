// Icarus bench of npu_pool: runs one vector set exported from the golden model by
// npu_pool_export (+vectors=<dir>/<case>) and prints PASS or FAIL. The same cases run in the
// C++ bench too (PoolL*.ExportedCases), so the two simulators must give one answer.
//
// The scratchpad here is the simplest legal one: a fixed-latency SRAM pipe that ignores
// rsp_ready_o (the unit promises to be ready for every response it asked for; the bench checks
// that promise), plus pseudo-random req_ready / out_ready.
`timescale 1ns / 1ps
`default_nettype none

module pool_tb;
  parameter int Lanes    = 8;
  parameter int AddrW    = 16;
  parameter int Latency  = 3;     // SRAM read latency in cycles (>= 1)
  parameter int MaxWords = 4096;  // largest expected output
  parameter int Timeout  = 5000;  // cycles without any handshake before FAIL

  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  // Vectors: cfg = 16 configuration values in port order, output word count, output width,
  // scratchpad image word count.
  logic [31:0]        cfg [0:18];
  logic [Lanes*8-1:0] mem [0:(1<<AddrW)-1];
  logic [Lanes*8-1:0] expected [0:MaxWords-1];

  logic               start, idle, done;
  logic               req_valid, req_ready, rsp_valid, rsp_ready;
  logic [AddrW-1:0]   req_addr;
  logic [Lanes*8-1:0] rsp_data, out_data;
  logic               out_valid, out_ready, out_last;

  npu_pool #(
    .Lanes(Lanes),
    .AddrW(AddrW)
  ) dut (
    .clk_i           (clk),
    .rst_ni          (rst_n),
    .start_i         (start),
    .idle_o          (idle),
    .done_o          (done),
    .cfg_mode_i      (cfg[0][1:0]),
    .cfg_in_h_i      (cfg[1][9:0]),
    .cfg_in_w_i      (cfg[2][9:0]),
    .cfg_groups_i    (cfg[3][7:0]),
    .cfg_in_base_i   (cfg[4][AddrW-1:0]),
    .cfg_pix_stride_i(cfg[5][AddrW-1:0]),
    .cfg_row_stride_i(cfg[6][AddrW-1:0]),
    .cfg_kernel_h_i  (cfg[7][2:0]),
    .cfg_kernel_w_i  (cfg[8][2:0]),
    .cfg_stride_h_i  (cfg[9][2:0]),
    .cfg_stride_w_i  (cfg[10][2:0]),
    .cfg_pad_top_i   (cfg[11][2:0]),
    .cfg_pad_left_i  (cfg[12][2:0]),
    .cfg_pad_bottom_i(cfg[13][2:0]),
    .cfg_pad_right_i (cfg[14][2:0]),
    .cfg_in_zp_i     (cfg[15][7:0]),
    .req_valid_o     (req_valid),
    .req_ready_i     (req_ready),
    .req_addr_o      (req_addr),
    .rsp_valid_i     (rsp_valid),
    .rsp_ready_o     (rsp_ready),
    .rsp_data_i      (rsp_data),
    .out_valid_o     (out_valid),
    .out_ready_i     (out_ready),
    .out_data_o      (out_data),
    .out_last_o      (out_last)
  );

  // Fixed-latency SRAM: a request taken at edge t is answered during cycle t + Latency.
  logic [Latency-1:0] pipe_valid;
  logic [AddrW-1:0]   pipe_addr [0:Latency-1];
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      pipe_valid <= '0;
    end else begin
      pipe_valid[0] <= req_valid && req_ready;
      pipe_addr[0]  <= req_addr;
      for (int i = 1; i < Latency; i++) begin
        pipe_valid[i] <= pipe_valid[i-1];
        pipe_addr[i]  <= pipe_addr[i-1];
      end
    end
  end
  assign rsp_valid = pipe_valid[Latency-1];
  assign rsp_data  = mem[pipe_addr[Latency-1]];

  // Back-pressure on the request and output streams, 1 cycle in 4 on average.
  always_ff @(posedge clk) begin
    req_ready <= ($urandom % 4) != 0;
    out_ready <= ($urandom % 4) != 0;
  end

  int words, errors, idle_cycles, cycles, groups, out_w;

  // Checker (plain always: it prints, which synthesizable always_ff must not).
  always @(posedge clk) begin
    if (rst_n) begin
      cycles      <= cycles + 1;
      idle_cycles <= idle_cycles + 1;
      if ((req_valid && req_ready) || rsp_valid || (out_valid && out_ready)) idle_cycles <= 0;
      if (rsp_valid && !rsp_ready) begin
        $display("FAIL npu_pool: rsp_ready_o low while a response was due (cycle %0d)", cycles);
        errors <= errors + 1;
      end
      if (out_valid && out_ready) begin
        for (int l = 0; l < Lanes; l++) begin
          if (out_data[l*8 +: 8] !== expected[words][l*8 +: 8]) begin
            $display({"FAIL npu_pool mismatch: word %0d, y %0d, x %0d, channel %0d: ",
                      "expected %0d, actual %0d"},
                     words, words / groups / out_w, (words / groups) % out_w,
                     (words % groups) * Lanes + l, $signed(expected[words][l*8 +: 8]),
                     $signed(out_data[l*8 +: 8]));
            errors <= errors + 1;
          end
        end
        if (out_last != (words == cfg[16] - 1)) begin
          $display("FAIL npu_pool: out_last_o = %0d on word %0d of %0d", out_last, words, cfg[16]);
          errors <= errors + 1;
        end
        words <= words + 1;
      end
    end
  end

  initial begin
    string prefix;
    logic  finished;
    words       = 0;
    errors      = 0;
    idle_cycles = 0;
    cycles      = 0;
    start       = 1'b0;
    if (!$value$plusargs("vectors=%s", prefix)) begin
      $display("FAIL npu_pool: no +vectors=<dir>/<case> given");
      $finish;
    end
    $readmemh({prefix, "_cfg.hex"}, cfg);
    if (^cfg[18] === 1'bx || cfg[16] > MaxWords || cfg[18] > (1 << AddrW)) begin
      $display("FAIL npu_pool: %s_cfg.hex missing or bad", prefix);
      $finish;
    end
    // Words outside the image stay X: reading one would show up as a mismatch.
    $readmemh({prefix, "_mem.hex"}, mem, 0, cfg[18] - 1);
    $readmemh({prefix, "_exp.hex"}, expected, 0, cfg[16] - 1);
    groups = cfg[3];
    out_w  = cfg[17];
    if ($test$plusargs("trace")) begin
      $dumpfile({prefix, ".vcd"});
      $dumpvars(0, pool_tb);
    end
    repeat (4) @(posedge clk);
    rst_n <= 1'b1;
    @(posedge clk);
    if (!idle) begin
      $display("FAIL npu_pool: not idle after reset");
      $finish;
    end
    start <= 1'b1;
    @(posedge clk);
    start <= 1'b0;
    while (!done && idle_cycles < Timeout) @(posedge clk);
    finished = done;
    @(posedge clk);
    if (!finished) begin
      $display("FAIL npu_pool: watchdog, no progress for %0d cycles at cycle %0d (%0d/%0d words)",
               Timeout, cycles, words, cfg[16]);
    end else if (words != cfg[16]) begin
      $display("FAIL npu_pool: %0d output words, expected %0d", words, cfg[16]);
    end else if (errors != 0) begin
      $display("FAIL npu_pool: %0d errors", errors);
    end else begin
      $display("PASS npu_pool %s: %0d words match golden, %0d cycles, lanes %0d, latency %0d",
               prefix, words, cycles, Lanes, Latency);
    end
    $finish;
  end

endmodule

`default_nettype wire
