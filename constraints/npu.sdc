# Timing constraints of every synthesized block (OpenSTA, scripts/synth/sta.tcl).
#
# The period comes from the configuration's clock_mhz (configs/*.yaml): the caller sets
# npu_clock_period_ns before reading this file; 5 ns (200 MHz) otherwise.
#
# A block is timed on its own, so its ports stand for the neighbouring blocks' registers:
# inputs arrive 20% of a period after the edge (clock-to-Q plus some wire of the driving
# block), outputs must be there 20% of a period before the next edge (the receiving block's
# setup plus wire). That leaves 60% of the period for a port-to-port (combinational) path,
# such as a ready that depends on a valid. Inputs are driven by a BUFX2 and outputs load 4
# INVX1 inputs (about 0.037 pF), so a port with a large fanout is buffered, not free.
#
# Not modelled: clock tree (ideal clock, no skew or latency), wires (the OSU 0.18 um
# liberty has no wire-load model, so nets only see pin capacitance), on-chip variation.
# The numbers are synthesis estimates, not sign-off.

if {![info exists npu_clock_period_ns]} {
  set npu_clock_period_ns 5.0
}
set npu_period $npu_clock_period_ns
set npu_io_delay [expr {0.2 * $npu_period}]

create_clock -name clk -period $npu_period [get_ports clk_i]

set npu_data_inputs [delete_from_list [all_inputs] [get_ports clk_i]]
set_input_delay $npu_io_delay -clock clk $npu_data_inputs
set_output_delay $npu_io_delay -clock clk [all_outputs]
set_driving_cell -lib_cell BUFX2 -pin Y $npu_data_inputs
set_load 0.037 [all_outputs]
