// Pooling unit: final division of the window sums, rounding half away from zero, to int8.
//
// Computes, for every lane, divide_round_half_away(sum, d) = sign(sum) * floor((|sum| +
// floor(d/2)) / d) with an exact restoring division, all lanes in lock step sharing the divisor.
// A window of d int8 values (or zero points) has |sum| <= 128 d, so the quotient is at most 128
// and 8 quotient bits suffice: one load cycle overlapped with the previous result, then 8
// compare/subtract steps, i.e. one result vector every 8 cycles. That is hidden behind the tap
// walk for every window of 8 or more taps (3x3 average, global average) and costs per lane one
// AccW-bit subtractor instead of the AccW x (AccW+1) multiplier of a reciprocal multiply
// (docs/pool.md compares both). In max mode (bypass_i) the input is already the result and
// passes through in one cycle, so max pooling runs at one window per cycle when k = 1.
`default_nettype none

module npu_pool_div #(
  parameter int Lanes = 16,
  parameter int AccW  = 20,  // sum width; d << 7 and |sum| + d/2 must fit AccW unsigned bits
  parameter int TapW  = 13   // divisor width (1 .. 2^(TapW-1))
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  bypass_i,
  input  logic                  in_valid_i,
  output logic                  in_ready_o,
  input  logic [Lanes*AccW-1:0] in_sum_i,
  input  logic [TapW-1:0]       in_div_i,
  input  logic                  in_last_i,
  output logic                  out_valid_o,
  input  logic                  out_ready_i,
  output logic [Lanes*8-1:0]    out_data_o,
  output logic                  out_last_o
);

  logic                  busy_q, last_q;
  logic [2:0]            step_q;
  logic [AccW-1:0]       dsh_q;     // d << (7 - step)
  logic [Lanes*AccW-1:0] rem_q;
  logic [Lanes*7-1:0]    quo_q;     // quotient bits found so far (the 8th is the last step's)
  logic [Lanes-1:0]      neg_q;
  logic                  out_valid_q, out_last_q;
  logic [Lanes*8-1:0]    out_data_q;

  logic                  out_free, final_step, step, load, pass;
  logic [Lanes*AccW-1:0] rem_load, rem_next;
  logic [Lanes*7-1:0]    quo_next;
  logic [Lanes*8-1:0]    result, bypass_data;
  logic [TapW-2:0]       half;
  logic [Lanes-1:0]      neg_load;

  assign out_free   = !out_valid_q || out_ready_i;
  assign final_step = busy_q && (step_q == 3'd7);
  // The last step writes the output register, so it waits for it; earlier steps never stall.
  assign step       = busy_q && (!final_step || out_free);
  assign in_ready_o = bypass_i ? out_free : (!busy_q || (final_step && out_free));
  assign load       = in_valid_i && in_ready_o && !bypass_i;
  assign pass       = in_valid_i && in_ready_o && bypass_i;
  assign half       = in_div_i[TapW-1:1];

  for (genvar l = 0; l < Lanes; l++) begin : g_lane
    logic signed [AccW-1:0] sum;
    logic [AccW-1:0]        mag, rem;
    logic [AccW:0]          diff;
    logic [7:0]             q;
    assign sum         = $signed(in_sum_i[l*AccW +: AccW]);
    assign neg_load[l] = sum[AccW-1];
    // |sum| <= 2^(AccW-1) fits AccW unsigned bits; adding floor(d/2) stays below 2^AccW.
    assign mag         = neg_load[l] ? AccW'(-sum) : AccW'(sum);
    assign rem_load[l*AccW +: AccW] = mag + AccW'(half);

    assign rem  = rem_q[l*AccW +: AccW];
    assign diff = {1'b0, rem} - {1'b0, dsh_q};
    assign rem_next[l*AccW +: AccW] = diff[AccW] ? rem : diff[AccW-1:0];
    assign q    = {quo_q[l*7 +: 7], !diff[AccW]};
    assign quo_next[l*7 +: 7] = q[6:0];
    // q <= 128 whenever |sum| <= 128 d; the clamp mirrors golden's saturate_int8 regardless.
    assign result[l*8 +: 8] = neg_q[l] ? ((q > 8'd128) ? 8'h80 : 8'd0 - q)
                                       : ((q > 8'd127) ? 8'h7f : q);
    assign bypass_data[l*8 +: 8] = in_sum_i[l*AccW +: 8];
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q      <= 1'b0;
      last_q      <= 1'b0;
      step_q      <= '0;
      dsh_q       <= '0;
      rem_q       <= '0;
      quo_q       <= '0;
      neg_q       <= '0;
      out_valid_q <= 1'b0;
      out_last_q  <= 1'b0;
      out_data_q  <= '0;
    end else begin
      if (load) begin
        busy_q <= 1'b1;
        last_q <= in_last_i;
        step_q <= '0;
        dsh_q  <= AccW'(in_div_i) << 7;
        rem_q  <= rem_load;
        quo_q  <= '0;
        neg_q  <= neg_load;
      end else if (step) begin
        busy_q <= !final_step;
        step_q <= step_q + 3'd1;
        dsh_q  <= dsh_q >> 1;
        rem_q  <= rem_next;
        quo_q  <= quo_next;
      end

      if (step && final_step) begin
        out_valid_q <= 1'b1;
        out_last_q  <= last_q;
        out_data_q  <= result;
      end else if (pass) begin
        out_valid_q <= 1'b1;
        out_last_q  <= in_last_i;
        out_data_q  <= bypass_data;
      end else if (out_ready_i) begin
        out_valid_q <= 1'b0;
      end
    end
  end

  assign out_valid_o = out_valid_q;
  assign out_data_o  = out_data_q;
  assign out_last_o  = out_last_q;

endmodule

`default_nettype wire
