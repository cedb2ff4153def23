// The compiler's view of the hardware: array size, bank depths in words, bus width, derived
// from the hardware YAML exactly as the RTL parameters are (docs/architecture.md, Buffers).
#pragma once

#include <string>

#include "sw/config/hw_config.h"

namespace npu::compiler {

struct Target {
  std::string name;            // configuration name (configs/<name>.yaml)
  int rows = 16, cols = 16;    // array; a scratchpad / bus word is `rows` int8
  int act_depth = 8192;        // words per activation bank (two banks)
  int wgt_depth = 4096;        // words per weight bank (two banks)
  int acc_depth = 512;         // int32 words per accumulator bank
  int ppu_channels = 1024;     // PPU parameter table entries (npu_top PpuMaxChannels)
  double clock_mhz = 200.0;

  int bus_bytes() const { return rows; }
  int macs_per_cycle() const { return rows * cols; }

  // Throws config::ConfigError when the datapath cannot run the configuration (rows != cols).
  static Target from_config(const config::HwConfig& c);
};

}  // namespace npu::compiler
