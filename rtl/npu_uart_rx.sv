// UART receiver, 8N1: one byte out per frame, as a valid pulse (no backpressure: the bridge
// behind it consumes a byte in one cycle, far faster than the next frame arrives).
//
// The line is synchronised through two flops, a frame starts on a falling edge, and every bit
// is sampled once, in the middle of its bit period (ClksPerBit clocks; 104 = 12 MHz / 115200).
// A start bit that is high again at its middle is a glitch and is dropped; a low stop bit is a
// framing error and its byte is dropped.
`default_nettype none

module npu_uart_rx #(
  parameter int ClksPerBit = 104,
  localparam int CntW = $clog2(ClksPerBit + 1)
) (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic       rx_i,
  output logic       valid_o,
  output logic [7:0] data_o
);
  logic [2:0]      sync_q;  // [2] is the synchronised line
  logic            busy_q;
  logic [3:0]      bit_q;   // 0 start, 1..8 data, 9 stop
  logic [CntW-1:0] cnt_q;
  logic [7:0]      shift_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      sync_q  <= 3'b111;
      busy_q  <= 1'b0;
      bit_q   <= '0;
      cnt_q   <= '0;
      shift_q <= '0;
      valid_o <= 1'b0;
      data_o  <= '0;
    end else begin
      sync_q  <= {sync_q[1:0], rx_i};
      valid_o <= 1'b0;
      if (!busy_q) begin
        if (sync_q[2:1] == 2'b10) begin  // falling edge: a start bit; wait half a bit
          busy_q <= 1'b1;
          bit_q  <= '0;
          cnt_q  <= CntW'(ClksPerBit / 2);
        end
      end else if (cnt_q != '0) begin
        cnt_q <= cnt_q - 1'b1;
      end else begin
        cnt_q <= CntW'(ClksPerBit - 1);
        bit_q <= bit_q + 1'b1;
        if (bit_q == 4'd0) begin
          if (sync_q[2]) busy_q <= 1'b0;  // glitch, not a start bit
        end else if (bit_q == 4'd9) begin
          busy_q  <= 1'b0;
          valid_o <= sync_q[2];
          data_o  <= shift_q;
        end else begin
          shift_q <= {sync_q[2], shift_q[7:1]};  // LSB first
        end
      end
    end
  end
endmodule

`default_nettype wire
