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
args=("$fst")
[[ -f "$layout" ]] && args+=("$layout")
if [[ -n "${DISPLAY:-}" ]] && command -v gtkwave >/dev/null; then
  exec gtkwave "${args[@]}"
else
  echo "wave: no display; open it with: gtkwave ${args[*]}"
fi
