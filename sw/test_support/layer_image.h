// A test layer as a driver would put it in DRAM: the bytes to write, the command stream that
// runs it and where its result lands. One builder for the RTL benches (tb/ctrl core, tb/top,
// tb/fpga) and the runtime's device tests, so that they all run the same streams.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "golden/tensor.h"
#include "sw/compiler/command.h"
#include "sw/test_support/dp_layer.h"

namespace npu::test_support {

// Where the image goes (byte addresses). The defaults fit every DRAM model of the tests; the
// FPGA bench's on-chip RAM is smaller.
struct DramMap {
  uint32_t queue = 0x10000, in = 0x100000, wgt = 0x200000, prm = 0x300000, res = 0x380000,
           out = 0x400000;
};

struct DramWrite {
  uint32_t addr = 0;
  std::vector<uint8_t> bytes;
};

struct LayerImage {
  std::string name;
  // Input, weights, PPU table, residual, then the poisoned (0xA5) output region, in this order.
  std::vector<DramWrite> writes;
  std::vector<compiler::CmdWords> stream;
  golden::Tensor expected;  // what the stream leaves at map.out, in the scratchpad word layout:
  int groups = 1;           // words of `rows` bytes per pixel
  uint32_t out_bytes = 0;
  uint64_t mac_vectors = 0;  // MAC_ACTIVE the stream must count (pixels x K-chunks x N-tiles)
  uint64_t rd_bytes = 0;     // DMA_RD_BYTES
  std::optional<DpPoolLayer> pool;  // conv_pool_image: the pool job
};

// LOAD params, LOAD weights, [LOAD residual], LOAD input (push), COMPUTE (pop, push),
// STORE (pop), END.
LayerImage conv_image(const DpLayer& L, const DramMap& map = {});

// The conv, then a pool job on its output (same compute engine, in order) that writes at
// `pool_out_base` of the conv's input bank, then the STORE of the pooled tensor.
LayerImage conv_pool_image(const DpLayer& L, const DpPoolCase& pool, int pool_out_base,
                           const DramMap& map = {});

// A pool job on a tensor the stream loads first: LOAD (push), COMPUTE (pop, push), STORE (pop),
// END.
LayerImage pool_image(const DpPoolLayer& P, const DramMap& map = {});

}  // namespace npu::test_support
