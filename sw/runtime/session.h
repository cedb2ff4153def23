// Runs a compiled network on any Device: uploads the program's constants once (weights, PPU
// tables, streams), then per inference writes the input and starts each hardware layer's stream
// (CMDQ_*, CONTROL.START, wait for the interrupt), reading STATUS, ERROR_* and every
// performance counter after each layer. Errors name the layer, the error code and the command.
// Check mode compares each layer's output with the golden reference executor and stops at the
// first differing byte.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "golden/tensor.h"
#include "sw/compiler/program.h"
#include "sw/model/network.h"
#include "sw/runtime/device.h"

namespace npu::runtime {

// The hardware's own counters for one layer (docs/registers.md), plus what the compiler planned.
struct LayerStats {
  std::string name, kind, tiling;
  int jobs = 0;
  int64_t macs = 0, est_cycles = 0;
  uint64_t cycles = 0, mac_active = 0;
  uint64_t dma_rd_bytes = 0, dma_wr_bytes = 0;
  uint64_t dma_ld_busy = 0, dma_ld_stall = 0, dma_st_busy = 0, dma_st_stall = 0;
  uint64_t compute_busy = 0, compute_stall = 0, ppu_busy = 0, ppu_stall = 0;
  uint64_t pool_busy = 0, pool_stall = 0;
};

struct RunResult {
  golden::Tensor output;
  std::vector<LayerStats> layers;
  uint64_t total_cycles() const;
};

// A job that ended with ERROR_CODE != 0 (the device was soft-reset afterwards).
struct JobError : std::runtime_error {
  using std::runtime_error::runtime_error;
  uint32_t code = 0;
};

// Check mode: a layer's output differs from the golden reference.
struct CheckError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RunOptions {
  // Check mode: the network the program was compiled from; every layer's output is compared.
  const model::Network* check_against = nullptr;
  // Called before each layer starts (index, count, layer) and after it ends (stats).
  std::function<void(size_t, size_t, const compiler::LayerProgram&)> on_layer_start;
  std::function<void(const LayerStats&)> on_layer_done;
  uint64_t max_cycles_per_layer = uint64_t{1} << 32;
};

class Session {
 public:
  // Checks ID and HW_CONFIG against the program's target, then uploads its constants.
  Session(Device& device, const compiler::Program& program);

  RunResult run(const golden::Tensor& input, const RunOptions& options = {});

 private:
  LayerStats run_layer(const compiler::LayerProgram& layer, uint64_t max_cycles);
  uint64_t counter(uint32_t lo_offset);

  Device& device_;
  const compiler::Program& program_;
};

}  // namespace npu::runtime
