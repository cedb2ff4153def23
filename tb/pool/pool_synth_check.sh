#!/bin/sh
# Yosys gate of the pooling unit: synthesize npu_pool at the given Lanes and fail on latches,
# undriven or multiply driven nets (check -assert). Prints the cell count; the log is kept.
# usage: pool_synth_check.sh <yosys> <log file> <lanes> <rtl file>...
set -eu
yosys=$1
log=$2
lanes=$3
shift 3
if ! "$yosys" -q -l "$log" -p "read_verilog -sv $*; chparam -set Lanes $lanes npu_pool; \
    synth -flatten -top npu_pool; check -assert; stat" >/dev/null; then
  echo "FAIL: yosys synthesis or check -assert failed for npu_pool Lanes=$lanes (log: $log)"
  exit 1
fi
if grep -E 'Latch inferred|\$_DLATCH|\$dlatch' "$log"; then
  echo "FAIL: latch in npu_pool Lanes=$lanes (log: $log)"
  exit 1
fi
cells=$(grep -E '^ +Number of cells:' "$log" | tail -1 | awk '{print $4}')
echo "PASS: npu_pool Lanes=$lanes synthesizes without latches or undriven nets, $cells cells"
