#!/usr/bin/env bash
# Installs the Debian 12 packages this project needs. Idempotent: packages already
# present are not touched, so a second run takes about a second.
#   scripts/install-deps.sh          build, test and simulation tools and PyTorch/ONNX (what
#                                    `make test` needs: the importer's tests run PyTorch)
#   scripts/install-deps.sh --train  the same (kept for `make deps-train`)
#   scripts/install-deps.sh --fpga   also nextpnr-ice40 and icestorm (`make fpga`; 230 MB)
set -euo pipefail

packages=(
  build-essential cmake pkg-config git clang-format
  libyaml-cpp-dev libgtest-dev libgmock-dev
  libgemmlowp-dev libstb-dev libjpeg62-turbo-dev zlib1g-dev
  dataset-fashion-mnist
  verilator iverilog yosys gtkwave
  qflow-tech-osu018 opensta
  python3 python3-numpy python3-yaml
  python3-torch python3-torchvision python3-onnx python3-pil
  gnuplot-nox
)
train_packages=()
fpga_packages=(nextpnr-ice40 fpga-icestorm)

if [[ "${1:-}" == "--train" ]]; then
  packages+=("${train_packages[@]+"${train_packages[@]}"}")
elif [[ "${1:-}" == "--fpga" ]]; then
  packages+=("${fpga_packages[@]}")
elif [[ -n "${1:-}" ]]; then
  echo "install-deps.sh: unknown option '$1' (expected --train, --fpga or nothing)" >&2
  exit 2
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
