// Command pieces of the test streams (layer_image.h builds whole streams from them): a
// datapath job as a COMPUTE command, a one-row DMA command, the bytes of words and PPU tables.
#pragma once

#include <cstdint>
#include <vector>

#include "sw/compiler/command.h"
#include "sw/test_support/dp_layer.h"

namespace npu::test_support {

// The COMPUTE command that runs datapath job `j` (field for field, docs/control.md).
compiler::ComputeCmd to_command(const DpJob& j);

// Scratchpad words concatenated into the bytes a LOAD brings in.
std::vector<uint8_t> flatten(const std::vector<std::vector<uint8_t>>& words);

// The PPU parameter table as the LOAD of it brings it in, in the driver's record format
// (sw/compiler/conv_packing.h write_ppu_record, docs/control.md).
std::vector<uint8_t> param_records(const std::vector<DpParam>& params);

// A LOAD/STORE of one contiguous row of `len` bytes.
compiler::DmaCmd one_row(uint32_t dst, uint32_t bank, uint32_t sp_addr, uint32_t addr,
                         uint32_t len);

}  // namespace npu::test_support
