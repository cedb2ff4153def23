#!/usr/bin/env bash
# make wave TEST=<ctest name>: runs one bench test with FST tracing and opens GTKWave on the
# dump with the block's saved layout (tb/<block>/<block>.gtkw).
#   scripts/wave.sh <build dir> <ctest name>
# NPU_TRACE_SCOPE / NPU_TRACE_WINDOW / NPU_SEED pass through (see tb/README.md).
# Without a display it prints the gtkwave command instead of starting it.
set -euo pipefail
build=${1:?usage: wave.sh <build dir> <ctest test name>}
test=${2:-}
if [[ -z "$test" ]]; then
  echo "wave: give a test, e.g. make wave TEST=array_8x8.ArrayTest.DirectedTiles" >&2
  echo "      (ctest --test-dir $build -N -L rtl lists them)" >&2
  exit 2
fi
regex="^$(printf '%s' "$test" | sed 's/[][\.*^$+?(){}|]/\\&/g')\$"
cmd=$(ctest --test-dir "$build" -N -V -R "$regex" | sed -n 's/^[0-9]*: Test command: //p' | head -1)
if [[ -z "$cmd" ]]; then
  echo "wave: no CTest test named '$test' in $build (ctest --test-dir $build -N lists them)" >&2
  exit 2
fi
exe=$(eval "set -- $cmd"; echo "$1")
block=$(basename "$(dirname "$exe")")             # build/tb/<block>/<bench>
root=$(cd "$(dirname "$0")/.." && pwd)
layout="$root/tb/$block/$block.gtkw"
mkdir -p "$build/waves"
fst="$build/waves/$test.fst"
echo "wave: running $test with NPU_TRACE=$fst"
NPU_TRACE="$fst" eval "$cmd"
[[ -f "$fst" ]] || { echo "wave: the test wrote no trace ($fst): is it a Verilator bench?" >&2; exit 1; }
echo "wave: $(du -h "$fst" | cut -f1) written to $fst"

# "<reset release time> <clock period>" in the trace's time unit (ps), from the first rst_ni
# and clk_i declared (the model's ports); empty when the trace lacks them (NPU_TRACE_SCOPE).
reset_and_period() {
  fst2vcd "$1" 2>/dev/null | awk '
    $1 == "$var" && $5 == "rst_ni" && rst == "" { rst = $4 }
    $1 == "$var" && $5 == "clk_i" && clk == "" { clk = $4 }
    /^#/ { t = substr($0, 2) + 0; next }
    rst != "" && $0 == "1" rst && t_rst == "" { t_rst = t }
    clk != "" && $0 == "1" clk { if (e1 == "") e1 = t; else if (e2 == "") e2 = t }
    t_rst != "" && e2 != "" { print t_rst, e2 - e1; exit }'
}

# The saved layout, opened on the cycle before reset releases and zoomed to about 20 pixels
# per cycle (GTKWave's zoom z shows 2^-z time units per pixel).
args=("$fst")
if [[ -f "$layout" ]]; then
  read -r t_rst period < <(reset_and_period "$fst" || true) || true
  if [[ -n "${t_rst:-}" && -n "${period:-}" && "$period" -gt 0 ]]; then
    start=$(( t_rst > period ? t_rst - period : 0 ))
    zoom=$(awk -v p="$period" 'BEGIN { printf "%.1f", -log(p / 20) / log(2) }')
    view="$build/waves/$test.gtkw"
    sed -e "s|^\[dumpfile\] .*|[dumpfile] \"$fst\"|" -e "s|^\[timestart\] .*|[timestart] $start|" \
        -e "s|^\*[-0-9.]* [-0-9]* |*$zoom $t_rst |" "$layout" > "$view"
    echo "wave: reset released at $t_rst ps, clock period $period ps; layout $view"
    layout=$view
  fi
  args+=("$layout")
fi
if [[ -n "${DISPLAY:-}" ]] && command -v gtkwave >/dev/null; then
  exec gtkwave "${args[@]}"
else
  echo "wave: no display; open it with: gtkwave ${args[*]}"
fi
