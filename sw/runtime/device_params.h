// What a backend needs to know of one hardware build: the sizes npu_top is built with,
// derived from the hardware config (configs/*.yaml) exactly as the RTL build derives them.
#pragma once

#include <string>

#include "sw/config/hw_config.h"

namespace npu::runtime {

struct DeviceParams {
  std::string name;       // config name (configs/<name>.yaml)
  int rows = 16;          // = cols (the datapath is square); bus and scratchpad word = rows bytes
  int act_depth = 8192;   // words of one activation bank (activation_kib * 1024 / 2 / rows)
  int wgt_depth = 4096;   // words of one weight bank (weight_kib * 1024 / 2 / cols)
  int acc_depth = 512;    // words of one accumulator bank (accumulator_kib * 1024 / 2 / (cols * 4))
  int ppu_channels = 1024;  // PPU parameter table (npu_top's PpuMaxChannels)
  int addr_bits = 32;     // AXI address width

  int bus_bytes() const { return rows; }
  // Bus words per 16-byte PPU record (docs/control.md): 4 at 4x4, 2 at 8x8, 1 at 16x16.
  int record_words() const { return rows >= 16 ? 1 : 16 / rows; }
};

// Throws config::ConfigError naming the config when it cannot be built (rows != cols).
DeviceParams device_params(const config::HwConfig& hw);

}  // namespace npu::runtime
