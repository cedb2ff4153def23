#!/bin/sh
# Timing and area of one PPU lane in OSU 0.18 um cells (docs/ppu.md, "Timing and area"):
# Yosys 0.23 synthesis, ABC mapping to the qflow-tech-osu018 library with a delay-oriented
# script, OpenSTA at a 5 ns clock (ideal clock, no wire load). Takes about a minute.
# usage: ppu_sta.sh [work dir] [period ns]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
rtl=$here/../../rtl
work=${1:-/tmp/npu_ppu_sta}
period=${2:-5.0}
lib=/usr/share/qflow/tech/osu018/osu018_stdcells.lib
mkdir -p "$work"
files="$rtl/npu_ppu_lane.sv $rtl/npu_ppu_mbqm.sv $rtl/npu_ppu_srdhm.sv $rtl/npu_ppu_rdbpot.sv"
files="$files $rtl/npu_ppu_finish.sv"
# &if -g (SOP balancing) gives log-depth adders; Yosys' default ABC script leaves them
# ripple-like (about 6.5 ns for a 48-bit add on these cells).
abc_script='+strash;&get,-n;&st;&syn2;&if,-g,-K,6;&synch2;&nf,{D};&put;buffer;upsize,{D};dnsize,{D}'
target_ps=$(awk "BEGIN { print int($period * 900) }")
yosys -q -l "$work/yosys.log" -p "
  read_verilog -sv $files
  synth -top npu_ppu_lane -flatten
  dfflibmap -liberty $lib
  abc -liberty $lib -D $target_ps -script \"$abc_script\"
  opt_clean
  splitnets -ports -format _
  setundef -zero
  opt_clean -purge
  stat -liberty $lib
  write_verilog -noattr -noexpr -nohex -nodec $work/lane_net.v" >/dev/null 2>&1
cat > "$work/sta.tcl" <<TCL
read_liberty $lib
read_verilog $work/lane_net.v
link_design npu_ppu_lane
create_clock -name clk -period $period [get_ports clk_i]
set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports clk_i]]
set_output_delay 0 -clock clk [all_outputs]
report_checks -path_delay max -fields {net fanout} -digits 2
report_wns
TCL
sta -exit "$work/sta.tcl" > "$work/sta.log" 2>&1
area=$(grep "Chip area" "$work/yosys.log" | tail -1 | awk '{print $NF}')
flops=$(grep -cE "DFFPOSX1 " "$work/lane_net.v" || true)
slack=$(grep 'slack (' "$work/sta.log" | head -1 | awk '{print $1, $3}')
arrival=$(grep 'data arrival time' "$work/sta.log" | head -1 | awk '{print $1}')
echo "npu_ppu_lane @ ${period} ns: worst path ${arrival} ns, slack ${slack}," \
  "cell area ${area} um^2, ${flops} flops"
echo "(reports in $work: sta.log, yosys.log)"
