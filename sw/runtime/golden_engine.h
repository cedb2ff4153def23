// The functional core of the golden device: the scratchpads of npu_core (two activation
// banks, two weight banks, the PPU parameter table) and the three operations the engines run
// (LOAD, STORE: one npu_dma descriptor; COMPUTE: one npu_datapath job), each as a whole, with
// the arithmetic from golden/ so the results are bit-exact with golden by construction.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sw/compiler/command.h"
#include "sw/runtime/device_params.h"
#include "sw/runtime/sparse_memory.h"

namespace npu::runtime {

class GoldenEngine {
 public:
  explicit GoldenEngine(const DeviceParams& p);

  // DRAM -> activation bank, weight bank or PPU table (dst 0 / 1 / 2). Returns bytes read.
  uint64_t load(const compiler::DmaCmd& c, const SparseMemory& dram);
  // Activation bank -> DRAM. Returns bytes written.
  uint64_t store(const compiler::DmaCmd& c, SparseMemory& dram);
  // One datapath job. Returns the array vectors (MAC-active cycles): pixels x K-chunks x
  // N-tiles for conv / FC, 0 for pool.
  uint64_t compute(const compiler::ComputeCmd& c);

  // Soft reset: the PPU record assembler restarts (the banks keep their contents, as SRAM).
  void reset();

 private:
  struct PpuRecord {
    int32_t bias = 0, mult = 0;
    int shift = 0;
  };

  uint8_t* act_word(uint32_t bank, uint32_t addr);
  uint8_t* wgt_word(uint32_t bank, uint32_t addr);
  void write_record_word(uint32_t addr, const uint8_t* word);
  uint64_t conv(const compiler::ComputeCmd& c);
  void pool(const compiler::ComputeCmd& c);

  DeviceParams p_;
  std::array<std::vector<uint8_t>, 2> act_, wgt_;  // depth x rows bytes per bank
  std::vector<PpuRecord> ppu_;
  std::vector<uint8_t> record_;  // the PPU record being assembled (16 bytes)
};

}  // namespace npu::runtime
