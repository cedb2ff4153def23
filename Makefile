# User entry points. C++ builds with CMake in $(BUILD); every test is a CTest test.
BUILD ?= build
JOBS  ?= $(shell nproc)
CMAKE_FLAGS ?=
ifneq ($(CI),)
CMAKE_FLAGS += -DNPU_WERROR=ON
endif

.PHONY: all deps deps-train configure build test bench demo wave synth clean

all: build

deps:
	scripts/install-deps.sh

deps-train:
	scripts/install-deps.sh --train

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

configure: $(BUILD)/CMakeCache.txt
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

test: deps build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

bench: deps build
	$(BUILD)/sw/bench/npu-bench-golden

demo: deps build
	$(BUILD)/sw/cli/npu-run --model models/resnet20_fmnist/model.yaml \
	  --dataset fashion-mnist-test --count 100 --backend golden

# make wave TEST=<ctest name>: trace one bench test to FST and open GTKWave with its layout.
wave: build
	scripts/wave.sh $(BUILD) "$(TEST)"

# make synth: OSU 0.18 um area/timing and FPGA resource estimates of every block and config,
# report in $(BUILD)/synth/report.md (docs/synth.md). Minutes of CPU: runs nice'd, -j1.
SYNTH_ARGS ?=
synth:
	nice python3 scripts/synth/npu_synth.py --out $(BUILD)/synth sweep $(SYNTH_ARGS)

clean:
	rm -rf $(BUILD)
