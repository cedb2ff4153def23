#!/usr/bin/env bash
# Reproduces what CI does: a fresh clone of the committed HEAD in a temporary folder, then
# .ci/run (make deps + make test, warnings as errors). Uncommitted changes are not included.
set -euo pipefail
src=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
dir=$(mktemp -d /tmp/npu-clean-clone.XXXXXX)
trap 'echo "clean clone left in $dir"' EXIT
git clone -q "$src" "$dir/npu"
cd "$dir/npu"
time CI=true bash .ci/run
