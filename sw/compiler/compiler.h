// The compiler: a loaded network + the hardware target -> Program (program.h). Per layer it
// searches a tiling (layer_tiling.h), allocates DRAM for every tensor, weight block, PPU table
// and stream, and emits one command stream per hardware layer with load / compute / store
// overlap (stream_builder.h). A residual add is fused into the conv that feeds it (the PPU's
// mode 1); an add that cannot be fused, an FC on a non-1x1 input or a layer no tiling fits is a
// CompileError naming the layer and the limit.
#pragma once

#include <cstdint>
#include <stdexcept>

#include "sw/compiler/program.h"
#include "sw/compiler/target.h"
#include "sw/model/network.h"

namespace npu::compiler {

struct CompileOptions {
  uint64_t dram_base = 0x100000;  // first byte the program may use
};

// What compile() throws for a network the hardware cannot run; names the layer and the limit.
struct CompileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Program compile(const model::Network& net, const Target& target,
                const CompileOptions& options = {});

}  // namespace npu::compiler
