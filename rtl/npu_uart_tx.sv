// UART transmitter, 8N1, valid/ready: a byte is taken when the line is idle and sent LSB
// first between a start and a stop bit, ClksPerBit clocks per bit.
`default_nettype none

module npu_uart_tx #(
  parameter int ClksPerBit = 104,
  localparam int CntW = $clog2(ClksPerBit + 1)
) (
  input  logic       clk_i,
  input  logic       rst_ni,
  input  logic       valid_i,
  output logic       ready_o,
  input  logic [7:0] data_i,
  output logic       tx_o
);
  logic [9:0]      frame_q;  // stop, data, start; shifted out from bit 0
  logic [3:0]      left_q;   // bit periods left: 10 bits, then 1 to end the stop bit
  logic [CntW-1:0] cnt_q;

  assign ready_o = left_q == '0;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      frame_q <= '1;
      left_q  <= '0;
      cnt_q   <= '0;
      tx_o    <= 1'b1;
    end else if (left_q == '0) begin
      tx_o <= 1'b1;
      if (valid_i) begin
        frame_q <= {1'b1, data_i, 1'b0};
        left_q  <= 4'd11;
        cnt_q   <= '0;
      end
    end else if (cnt_q != '0) begin
      cnt_q <= cnt_q - 1'b1;
    end else begin
      // Each tick starts the next bit; the last one ends the stop bit's full period.
      if (left_q != 4'd1) tx_o <= frame_q[0];
      frame_q <= {1'b1, frame_q[9:1]};
      cnt_q   <= CntW'(ClksPerBit - 1);
      left_q  <= left_q - 1'b1;
    end
  end
endmodule

`default_nettype wire
