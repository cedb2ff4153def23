# OpenSTA run of one synthesized block (called by npu_synth.py, which sets npu_liberty,
# npu_extra_liberty (list, may be empty), npu_netlist, npu_top, npu_sdc and
# npu_clock_period_ns first). Prints the reports npu_synth.py parses, between markers.

read_liberty $npu_liberty
foreach lib $npu_extra_liberty {
  read_liberty $lib
}
read_verilog $npu_netlist
link_design $npu_top
read_sdc $npu_sdc

# A flop is named by the net on its Q output (the RTL register or the port it drives): the
# mapped cells themselves only have generated names.
proc npu_point_name {pin} {
  if {[string first "/" [get_full_name $pin]] < 0} { return [get_full_name $pin] }
  set inst [get_cells -quiet -of_objects $pin]
  if {$inst == ""} { return [get_full_name $pin] }
  set q [get_pins -quiet -of_objects $inst -filter "direction == output"]
  if {$q == ""} { return [get_full_name $pin] }
  return [get_full_name [get_nets -of_objects [lindex $q 0]]]
}

proc npu_report {tag delay args} {
  puts "NPU-STA $tag"
  report_checks -path_delay $delay -digits 3 -fields {fanout} {*}$args
  foreach path [find_timing_paths -path_delay $delay {*}$args] {
    if {$path == "NULL" || $path == ""} { continue }
    puts "NPU-POINTS [npu_point_name [get_property $path startpoint]]\
      [npu_point_name [get_property $path endpoint]]"
  }
}

npu_report worst max
npu_report reg2reg max -from [all_registers -clock_pins] -to [all_registers -data_pins]
npu_report in2reg max -from [all_inputs] -to [all_registers -data_pins]
npu_report reg2out max -from [all_registers -clock_pins] -to [all_outputs]
npu_report in2out max -from [all_inputs] -to [all_outputs]
npu_report hold min
puts "NPU-STA summary"
report_wns
report_tns
puts "NPU-STA end"
