# User entry points. C++ builds with CMake in $(BUILD); every test is a CTest test.
BUILD ?= build
JOBS  ?= $(shell nproc)
CMAKE_FLAGS ?=
ifneq ($(CI),)
CMAKE_FLAGS += -DNPU_WERROR=ON
endif

.PHONY: all deps deps-train deps-fpga configure build test test-long bench demo wave synth fpga clean

all: build

deps:
	scripts/install-deps.sh

deps-train:
	scripts/install-deps.sh --train

deps-fpga:
	scripts/install-deps.sh --fpga

# `make build` configures only a new build directory, or one last configured with other
# CMAKE_FLAGS (recorded in $(FLAGS_FILE), rewritten only when they change); CMake itself
# reconfigures when a CMakeLists.txt changes. `make configure` always reconfigures.
FLAGS_FILE := $(BUILD)/.npu-cmake-flags
ifeq ($(filter clean,$(MAKECMDGOALS)),)
$(shell mkdir -p $(BUILD))
ifneq ($(wildcard $(FLAGS_FILE))|$(strip $(file <$(FLAGS_FILE))),$(FLAGS_FILE)|$(strip $(CMAKE_FLAGS)))
$(file >$(FLAGS_FILE),$(strip $(CMAKE_FLAGS)))
endif
endif

$(BUILD)/.npu-configured: $(FLAGS_FILE)
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	touch $@

configure:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	touch $(BUILD)/.npu-configured

build: $(BUILD)/.npu-configured
	cmake --build $(BUILD) -j $(JOBS)

test: deps build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -LE long

# The longer suite on the 16x16 RTL (wall times printed): ResNet-18 ImageNet shape end to end,
# and the trained ResNet-18 deployed at 224x224 (models/resnet18_fmnist/README.md): a PNG
# resized to 224, top-5 with class names. NPU_RESNET18_PTH=<.pth> imports that instance from
# the trained checkpoint instead of the committed int8 model.
test-long: deps build
	ctest --test-dir $(BUILD) --output-on-failure -L long -V

bench: deps build
	$(BUILD)/sw/bench/npu-bench-rtl
	$(BUILD)/sw/bench/npu-bench-golden

# make demo: 100 Fashion-MNIST test images through a committed model (default the ResNet-20;
# MODEL=resnet18_fmnist for torchvision's ResNet-18) on the cycle-accurate RTL (16x16), every
# layer checked against the golden model, PyTorch int8 predictions compared, per-layer report
# on the terminal, in JSON and as a PNG chart.
MODEL ?= resnet20_fmnist
DEMO_CONFIG ?= default
DEMO_COUNT ?= 100
demo: deps build
	mkdir -p $(BUILD)/demo
	$(BUILD)/sw/cli/npu-run --model models/$(MODEL)/model.yaml \
	  --dataset fashion-mnist-test --count $(DEMO_COUNT) --backend rtl --config $(DEMO_CONFIG) --check \
	  --compare-predictions models/$(MODEL)/pytorch_int8_predictions.txt \
	  --report $(BUILD)/demo/report.json --chart $(BUILD)/demo/report.png

# make wave TEST=<ctest name>: trace one bench test to FST and open GTKWave with its layout.
wave: build
	scripts/wave.sh $(BUILD) "$(TEST)"

# make synth: OSU 0.18 um area/timing and FPGA resource estimates of every block and config,
# report in $(BUILD)/synth/report.md (docs/synth.md). Minutes of CPU: runs nice'd, -j1.
SYNTH_ARGS ?=
synth:
	nice python3 scripts/synth/npu_synth.py --out $(BUILD)/synth sweep $(SYNTH_ARGS)

# make fpga: iCE40 UP5K bitstream of npu_fpga_top for the iCEBreaker (Yosys, nextpnr-ice40,
# icepack), report in $(BUILD)/fpga/report.md (docs/fpga.md). Exits 2 if the design does not fit.
fpga: deps-fpga
	nice python3 scripts/fpga/npu_fpga.py --out $(BUILD)/fpga

clean:
	rm -rf $(BUILD)
