#!/usr/bin/env bash
# Checks that every tracked C++ file is formatted by the repository's .clang-format
# (Google style, 100 columns). Lists each file that is not, with the first lines clang-format
# would change, and exits 1. `scripts/check_format.sh --fix` formats them in place.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check_format: clang-format not installed (make deps)" >&2; exit 2; }

mapfile -t files < <(git ls-files -- '*.cpp' '*.h' '*.cpp.in' '*.h.in')
[[ ${#files[@]} -gt 0 ]] || { echo "check_format: no C++ files found (not a git checkout?)" >&2; exit 2; }

if [[ "${1:-}" == "--fix" ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi

bad=0
for f in "${files[@]}"; do
  if ! out=$(clang-format --dry-run --Werror "$f" 2>&1); then
    echo "$f: not formatted (clang-format -i $f):"
    echo "$out" | head -6 | sed 's/^/    /'
    bad=$((bad + 1))
  fi
done
if [[ $bad -gt 0 ]]; then
  echo "check_format: $bad of ${#files[@]} C++ files need clang-format (scripts/check_format.sh --fix)"
  exit 1
fi
echo "check_format: all ${#files[@]} C++ files formatted"
