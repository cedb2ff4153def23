// Command-stream building shared by the core (tb/ctrl/test_core.cpp) and top-level
// (tb/top/test_top.cpp) benches: a datapath job as a COMPUTE command, a one-row DMA command.
#pragma once

#include <cstdint>
#include <vector>

#include "tb/ctrl/ctrl_command.h"
#include "tb/datapath/dp_layer.h"

namespace npu::tb::ctrl {

// The COMPUTE command that runs datapath job `j` (field for field, docs/control.md).
ComputeCmd to_command(const DpJob& j);

// Scratchpad words concatenated into the bytes a LOAD brings in.
std::vector<uint8_t> flatten(const std::vector<std::vector<uint8_t>>& words);

// The PPU parameter table as the LOAD of it brings it in, in the driver's record format
// (sw/compiler/conv_packing.h write_ppu_record, docs/control.md).
std::vector<uint8_t> param_records(const std::vector<DpParam>& params);

// A LOAD/STORE of one contiguous row of `len` bytes.
DmaCmd one_row(uint32_t dst, uint32_t bank, uint32_t sp_addr, uint32_t addr, uint32_t len);

}  // namespace npu::tb::ctrl
