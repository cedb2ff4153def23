// What the compiler produces: a DRAM image (weights, PPU tables, command streams) written once,
// where each tensor lives, and one command stream per hardware layer (a conv with its fused
// residual add, an FC, a pool), which the runtime starts one after the other.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/tensor.h"
#include "sw/compiler/target.h"

namespace npu::compiler {

// A tensor in DRAM in the word layout of tensor_layout.h.
struct TensorPlacement {
  std::string name;  // the network's tensor name ("input" or a layer name)
  uint64_t addr = 0;
  golden::Shape shape;
  golden::QuantParams quant;
  int64_t bytes = 0;
};

// Constant bytes written once before the first inference.
struct DramSegment {
  std::string what;  // e.g. "weights of layer1.0.conv1"
  uint64_t addr = 0;
  std::vector<uint8_t> bytes;
};

// How a layer was cut into jobs (the search's winner) and what that costs by the model.
struct Tiling {
  int band_rows = 0;  // output rows per job
  int bands = 0;
  int nblock = 0;  // N-tiles (cols output channels each) per job; pools: all groups
  int nblocks = 0;
  bool n_outer = true;     // loop order: N-blocks outside (weights loaded once), else bands
  int in_buffers = 2;      // input regions in activation bank 0
  int out_buffers = 2;     // output (+ residual) regions in activation bank 1
  int64_t est_cycles = 0;  // the cost model's estimate (compute vs DRAM, overlapped)
  int64_t dram_bytes = 0;  // bytes the stream moves (loads + stores)

  std::string describe() const;
};

struct LayerProgram {
  std::string name;                 // the network tensor this layer produces (the add's, if fused)
  std::string kind;                 // "conv2d", "conv2d+add", "fully_connected", "max_pool", ...
  std::vector<std::string> covers;  // network layers it computes (a fused conv and its add)
  uint64_t stream_addr = 0;         // 64-byte aligned
  uint32_t commands = 0;
  int jobs = 0;
  int64_t macs = 0;  // real multiply-accumulates (no padding)
  Tiling tiling;
  TensorPlacement output;
};

struct Program {
  Target target;
  std::string network;
  std::vector<DramSegment> constants;
  TensorPlacement input;
  std::vector<LayerProgram> layers;
  std::string output;     // name of the network's result tensor
  uint64_t dram_end = 0;  // first byte past everything the program uses

  const LayerProgram* find(const std::string& name) const;
  const TensorPlacement& tensor(const std::string& name) const;  // throws std::out_of_range
};

}  // namespace npu::compiler
