// Icarus testbench for npu_systolic_array: replays the vectors exported by the Verilator
// bench (ArrayTest.ExportIcarusVectors, tb/array/array_scenario.h for the file format) with
// its own random valid gaps and backpressure, compares every output beat and prints PASS or
// FAIL. Two simulators, one answer.
//   vvp sim.vvp +vectors=<dir> [+seed=<n>]
`default_nettype none

module array_tb #(
  parameter int Rows     = 4,
  parameter int Cols     = 4,
  parameter int MaxBeats = 4096
);

  logic clk_i = 1'b0;
  logic rst_ni = 1'b0;
  always #5 clk_i = ~clk_i;

  logic               w_valid_i, w_ready_o;
  logic [Cols*8-1:0]  w_data_i;
  logic               a_valid_i, a_ready_o, a_first_i, a_last_i;
  logic [Rows*8-1:0]  a_data_i;
  logic               o_valid_o, o_ready_i, o_last_o;
  logic [Cols*32-1:0] o_data_o;

  npu_systolic_array #(.Rows(Rows), .Cols(Cols)) dut (.*);

  logic [31:0]        counts [0:2];
  logic [Cols*8-1:0]  wmem   [0:MaxBeats-1];
  logic [Rows*8+1:0]  amem   [0:MaxBeats-1];  // {last, first, data}
  logic [Cols*32:0]   emem   [0:MaxBeats-1];  // {last, data}

  // xorshift32: the same stream on every simulator, unlike $random's implementation details.
  logic [31:0] rng;
  function automatic logic [31:0] xorshift(input logic [31:0] x);
    logic [31:0] y;
    y = x ^ (x << 13);
    y = y ^ (y >> 17);
    return y ^ (y << 5);
  endfunction
  // True with probability percent / 100.
  function automatic logic chance(input logic [31:0] r, input int percent);
    return (r % 100) < percent;
  endfunction

  string dir;
  int seed;
  int wi, ai, oi, errors, cycles, idle;
  logic w_fire, a_fire, o_fire;

  initial begin
    if (!$value$plusargs("vectors=%s", dir)) begin
      $display("ERROR array_tb: +vectors=<dir> is required");
      $finish;
    end
    if (!$value$plusargs("seed=%d", seed)) seed = 1;
    rng = 32'(seed) | 32'h1;
    $readmemh({dir, "/counts.memh"}, counts);
    if (counts[0] > MaxBeats || counts[1] > MaxBeats || counts[2] > MaxBeats) begin
      $display("ERROR array_tb: more than MaxBeats=%0d vectors in %s", MaxBeats, dir);
      $finish;
    end
    $readmemh({dir, "/weights.memh"}, wmem);
    $readmemh({dir, "/acts.memh"}, amem);
    $readmemh({dir, "/expected.memh"}, emem);
    $display("array_tb %0dx%0d: %0d weight beats, %0d vectors from %s (seed %0d)",
             Rows, Cols, counts[0], counts[1], dir, seed);

    w_valid_i = 1'b0;
    a_valid_i = 1'b0;
    o_ready_i = 1'b1;
    w_data_i  = '0;
    a_data_i  = '0;
    a_first_i = 1'b0;
    a_last_i  = 1'b0;
    wi = 0; ai = 0; oi = 0; errors = 0; cycles = 0; idle = 0;
    w_fire = 1'b0; a_fire = 1'b0; o_fire = 1'b0;
    repeat (4) @(posedge clk_i);
    @(negedge clk_i);
    rst_ni = 1'b1;

    // Inputs change after the falling edge; handshakes are decided once they have settled,
    // the design takes them at the next rising edge (the Verilator bench does the same).
    while (oi < counts[2]) begin
      @(negedge clk_i);
      // A beat taken at the last rising edge is gone; inputs only change here, away from
      // the rising edge, so the design never races the testbench.
      if (w_fire) w_valid_i = 1'b0;
      if (a_fire) a_valid_i = 1'b0;
      rng = xorshift(rng);
      if (!w_valid_i && wi < counts[0] && !chance(rng, 20)) begin
        w_valid_i = 1'b1;
        w_data_i  = wmem[wi];
      end
      rng = xorshift(rng);
      if (!a_valid_i && ai < counts[1] && !chance(rng, 20)) begin
        a_valid_i = 1'b1;
        {a_last_i, a_first_i, a_data_i} = amem[ai];
      end
      rng = xorshift(rng);
      o_ready_i = !chance(rng, 30);
      #1;
      w_fire = w_valid_i && w_ready_o;
      a_fire = a_valid_i && a_ready_o;
      o_fire = o_valid_o && o_ready_i;
      if (w_fire) wi++;
      if (a_fire) ai++;
      if (o_fire) begin
        for (int c = 0; c < Cols; c++) begin
          if (o_data_o[c*32 +: 32] !== emem[oi][c*32 +: 32]) begin
            errors++;
            if (errors <= 10) begin
              $display("FAIL array_tb: output %0d column %0d: expected %0d, actual %0d", oi, c,
                       $signed(emem[oi][c*32 +: 32]), $signed(o_data_o[c*32 +: 32]));
            end
          end
        end
        if (o_last_o !== emem[oi][Cols*32]) begin
          errors++;
          $display("FAIL array_tb: output %0d: o_last_o expected %0b, actual %0b", oi,
                   emem[oi][Cols*32], o_last_o);
        end
        oi++;
      end
      idle = (w_fire || a_fire || o_fire) ? 0 : idle + 1;
      if (idle > 10000) begin
        $display("FAIL array_tb: watchdog, no progress for 10000 cycles at cycle %0d", cycles);
        $finish;
      end
      @(posedge clk_i);
      cycles++;
    end

    // Nothing more may come out.
    o_ready_i = 1'b1;
    repeat (2 * (Rows + Cols) + 8) begin
      @(negedge clk_i);
      if (o_valid_o) begin
        errors++;
        $display("FAIL array_tb: extra output beat after the last expected one");
      end
    end
    if (errors == 0) begin
      $display("PASS array_tb %0dx%0d: %0d outputs match in %0d cycles", Rows, Cols, oi, cycles);
    end else begin
      $display("FAIL array_tb %0dx%0d: %0d mismatches", Rows, Cols, errors);
    end
    $finish;
  end

endmodule

`default_nettype wire
