#!/usr/bin/env bash
# RTL quality gates for CTest (and by hand): one tool per mode, same arguments for all.
#
#   scripts/check_rtl.sh lint   --top <module> [-G Name=Value]... <file.sv>...
#       verilator --lint-only -Wall: any warning fails.
#   scripts/check_rtl.sh synth  --top <module> [-G Name=Value]... <file.sv>...
#       yosys: read_verilog -sv, synth -top, check -assert (undriven nets, multiple drivers,
#       loops), and no latch cells and no "Latch inferred" in the log.
#   scripts/check_rtl.sh icarus --top <module> [-G Name=Value]... [--run <plusarg>]... <file.sv>...
#       iverilog -g2012 compile; with --run also vvp, which must print PASS and no FAIL/ERROR.
#
# lint and icarus add the simulation-only checkers rtl/npu_assert_*.sv (instantiated under
# `ifndef SYNTHESIS`, rtl/README.md) unless they are listed already; synth needs none of them.
# Files are taken relative to the current directory. Work files go to a temporary directory
# (kept and printed when a check fails, for the logs).
set -euo pipefail

usage() { sed -n '2,13p' "$0" >&2; exit 2; }

[[ $# -ge 1 ]] || usage
mode=$1; shift
top=""
params=()
plusargs=()
run=0
files=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --top) top=$2; shift 2 ;;
    -G) params+=("$2"); shift 2 ;;
    --run) run=1; plusargs+=("$2"); shift 2 ;;
    -h|--help) usage ;;
    -*) echo "check_rtl.sh: unknown option '$1'" >&2; usage ;;
    *) files+=("$1"); shift ;;
  esac
done
[[ -n "$top" && ${#files[@]} -gt 0 ]] || usage
for f in "${files[@]}"; do
  [[ -f "$f" ]] || { echo "check_rtl.sh: no such file '$f'" >&2; exit 2; }
done

if [[ "$mode" == lint || "$mode" == icarus ]]; then
  rtl_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/rtl"
  for checker in "$rtl_dir"/npu_assert_*.sv; do
    listed=0
    for f in "${files[@]}"; do
      [[ "$(basename "$f")" == "$(basename "$checker")" ]] && listed=1
    done
    [[ $listed -eq 1 ]] || files=("$checker" "${files[@]}")
  done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/check_rtl.${mode}.${top}.XXXXXX")
keep_work() { echo "check_rtl.sh: work files kept in $work" >&2; }
trap 'rc=$?; if [[ $rc -ne 0 ]]; then keep_work; else rm -rf "$work"; fi' EXIT

case "$mode" in
  lint)
    gargs=()
    for p in "${params[@]}"; do gargs+=("-G$p"); done
    verilator --lint-only -Wall --top-module "$top" "${gargs[@]}" "${files[@]}"
    echo "lint $top ${params[*]}: clean"
    ;;
  synth)
    chparam=""
    for p in "${params[@]}"; do chparam+=" -set ${p%%=*} ${p#*=}"; done
    script="read_verilog -sv ${files[*]};"
    [[ -n "$chparam" ]] && script+=" chparam${chparam} $top;"
    # check -assert after synth misses undriven nets in Yosys 0.23: check once after proc too.
    script+=" hierarchy -check -top $top; proc; check -assert; synth; check -assert;"
    # Latch cells of every flavour Yosys has ($dlatch, $adlatch, $dlatchsr, $_DLATCH*_, $_SR_*).
    script+=" select -assert-none t:*latch* t:\$_DLATCH* t:\$_SR_*; stat"
    yosys -q -l "$work/yosys.log" -p "$script" >/dev/null
    if grep -q "Latch inferred" "$work/yosys.log"; then
      grep "Latch inferred" "$work/yosys.log" >&2
      echo "synth $top: latches inferred" >&2
      exit 1
    fi
    cells=$(awk '/Number of cells:/ {n=$4} END {print n}' "$work/yosys.log")
    echo "synth $top ${params[*]}: ok, no latches, check -assert clean, ${cells} cells (top)"
    ;;
  icarus)
    pargs=()
    for p in "${params[@]}"; do pargs+=("-P$top.$p"); done
    iverilog -g2012 -Wall -Wno-timescale -s "$top" "${pargs[@]}" -o "$work/sim.vvp" "${files[@]}" \
      2>&1 | tee "$work/iverilog.log"
    if grep -qiE "error|sorry" "$work/iverilog.log"; then
      echo "icarus $top: compile reported errors" >&2
      exit 1
    fi
    echo "icarus $top ${params[*]}: compiled"
    if [[ $run -eq 1 ]]; then
      vvp -n "$work/sim.vvp" "${plusargs[@]}" | tee "$work/vvp.log"
      if grep -qE "FAIL|ERROR" "$work/vvp.log" || ! grep -q "PASS" "$work/vvp.log"; then
        echo "icarus $top: simulation did not pass" >&2
        exit 1
      fi
    fi
    ;;
  *) usage ;;
esac
