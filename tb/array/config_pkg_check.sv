// Instantiates npu_systolic_array with the generated npu_config_pkg (build tree,
// npu-gen-config), as the top level will: proves that Verilator, Yosys and Icarus accept the
// package and its scoped references. Yosys 0.23 cannot parse `import npu_config_pkg::*;`,
// so every use is written npu_config_pkg::Name. Under Icarus, +expect=<rows>x<cols> compares
// the package with the shape the YAML was hand-read to contain and prints PASS or FAIL.
`default_nettype none

module config_pkg_check (
  input  logic                                      clk_i,
  input  logic                                      rst_ni,
  input  logic                                      w_valid_i,
  output logic                                      w_ready_o,
  input  logic [npu_config_pkg::ArrayCols*8-1:0]    w_data_i,
  input  logic                                      a_valid_i,
  output logic                                      a_ready_o,
  input  logic [npu_config_pkg::ArrayRows*8-1:0]    a_data_i,
  input  logic                                      a_first_i,
  input  logic                                      a_last_i,
  output logic                                      o_valid_o,
  input  logic                                      o_ready_i,
  output logic [npu_config_pkg::ArrayCols*32-1:0]   o_data_o,
  output logic                                      o_last_o
);

  localparam int Rows = npu_config_pkg::ArrayRows;
  localparam int Cols = npu_config_pkg::ArrayCols;

  npu_systolic_array #(.Rows(Rows), .Cols(Cols)) u_array (.*);

`ifndef SYNTHESIS
  string expected_shape;
  initial begin
    if ($value$plusargs("expect=%s", expected_shape)) begin
      if (expected_shape == $sformatf("%0dx%0d", Rows, Cols)) begin
        $display("PASS config_pkg_check: npu_config_pkg gives a %0dx%0d array", Rows, Cols);
      end else begin
        $display("FAIL config_pkg_check: npu_config_pkg gives %0dx%0d, expected %s", Rows, Cols,
                 expected_shape);
      end
    end
  end
`endif

endmodule

`default_nettype wire
