// One execution engine of the command processor (load, compute or store): a small queue of
// commands, the VTA-style dependency-token handshake, and one operation at a time on its port.
//
// A command at the head of the queue starts only when every token it pops is available
// (pop_prev / pop_next flags against the counters the top keeps); it takes the tokens in the
// cycle it leaves IDLE, runs its operation (op_valid_o until op_ready_i, then op_done_i), and
// gives the tokens of its push flags in the cycle it completes. SYNC commands carry tokens
// only: they complete in the cycle after they start. The head stays in the queue (and so on
// op_cmd_o, stable) until the operation is done, because the ports it drives (DMA descriptor,
// datapath job fields) must hold their values for the whole operation.
//
// stop_i (an error somewhere) keeps a new command from starting; an operation already issued
// (or being issued: valid/ready must complete) runs to its done, so nothing is left
// outstanding when the top reports the error. The state is exported so the top can tell a
// dependency deadlock (every engine empty or waiting for a token that nobody can give) from a
// busy unit.
`default_nettype none

module npu_ctrl_engine #(
  parameter int CmdW  = 512,
  parameter int IdxW  = 24,
  parameter int Depth = 2
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic            clear_i,       // start of a run: empty the queue
  input  logic            stop_i,        // error: start nothing new
  // Commands from the dispatcher.
  input  logic            in_valid_i,
  output logic            in_ready_o,
  input  logic [CmdW-1:0] in_cmd_i,
  input  logic [IdxW-1:0] in_idx_i,
  // Tokens: availability from the top's counters, take / give pulses.
  input  logic            prev_avail_i,
  input  logic            next_avail_i,
  output logic            take_prev_o,
  output logic            take_next_o,
  output logic            give_prev_o,
  output logic            give_next_o,
  // Operation port (the head command decoded by the top).
  output logic [CmdW-1:0] op_cmd_o,
  output logic [IdxW-1:0] op_idx_o,
  output logic            op_valid_o,
  input  logic            op_ready_i,
  input  logic            op_done_i,
  // State for counters, deadlock detection and the end of a run.
  output logic            busy_o,        // operation issued or running
  output logic            stall_o,       // head waiting for a token
  output logic            empty_o        // nothing queued and nothing running
);

  // Header flags (docs/control.md).
  localparam int OpcodeSync = 4;

  typedef enum logic [1:0] {SIdle, SIssue, SWait} state_e;
  state_e state_q, state_d;

  logic            head_valid, head_pop, fifo_rst_n;
  logic [CmdW+IdxW-1:0] head;
  logic            want_prev, want_next, tokens_ok, go, is_sync, complete;

  assign fifo_rst_n = rst_ni && !clear_i;

  npu_fifo #(.Width(CmdW + IdxW), .Depth(Depth)) u_queue (
    .clk_i,
    .rst_ni      (fifo_rst_n),
    .in_valid_i,
    .in_ready_o,
    .in_data_i   ({in_idx_i, in_cmd_i}),
    .out_valid_o (head_valid),
    .out_ready_i (head_pop),
    .out_data_o  (head),
    /* verilator lint_off PINCONNECTEMPTY */
    // The fill level is not needed: the queue is only ever pushed when ready.
    .count_o     ()
    /* verilator lint_on PINCONNECTEMPTY */
  );

  assign op_cmd_o  = head[CmdW-1:0];
  assign op_idx_o  = head[CmdW+IdxW-1:CmdW];
  assign is_sync   = op_cmd_o[3:0] == 4'(OpcodeSync);
  assign want_prev = op_cmd_o[4];
  assign want_next = op_cmd_o[5];
  assign tokens_ok = (!want_prev || prev_avail_i) && (!want_next || next_avail_i);
  assign go        = state_q == SIdle && head_valid && tokens_ok && !stop_i;
  assign complete  = (state_q == SIssue && is_sync) || (state_q == SWait && op_done_i);
  assign head_pop  = complete;

  assign take_prev_o = go && want_prev;
  assign take_next_o = go && want_next;
  assign give_prev_o = complete && op_cmd_o[6];
  assign give_next_o = complete && op_cmd_o[7];
  assign op_valid_o  = state_q == SIssue && !is_sync;

  assign busy_o  = state_q != SIdle;
  assign stall_o = state_q == SIdle && head_valid && !tokens_ok;
  assign empty_o = state_q == SIdle && !head_valid;

  always_comb begin
    state_d = state_q;
    case (state_q)
      SIdle:  if (go) state_d = SIssue;
      SIssue: if (is_sync) state_d = SIdle;
              else if (op_ready_i) state_d = SWait;
      SWait:  if (op_done_i) state_d = SIdle;
      default: state_d = SIdle;
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni || clear_i) state_q <= SIdle;
    else state_q <= state_d;
  end

endmodule

`default_nettype wire
