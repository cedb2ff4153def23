// The hardware as software sees it: the sizes the compiler plans for and a device backend is
// built with, derived from the hardware config (configs/*.yaml) by HwParams::from_config, the
// only derivation of them. compiler::Target and runtime::DeviceParams are this type; the RTL
// builds, benches and Python flows read the same values from the files npu-gen-config writes
// with it (configs/generated/<name>.{cmake,json}).
#pragma once

#include <string>

#include "sw/config/hw_config.h"

namespace npu::config {

struct HwParams {
  // The parameters of the default config (HwConfig{}, configs/default.yaml).
  HwParams();

  // Throws ConfigError naming the config when software cannot use it (rows != cols: an
  // output word of one layer is the next layer's input word).
  static HwParams from_config(const HwConfig& c);

  std::string name;         // config name (configs/<name>.yaml)
  int rows = 0;             // PE rows; a scratchpad and bus word is `rows` int8
  int cols = 0;             // PE columns (= rows)
  int act_depth = 0;        // words of one activation bank: activation_kib * 1024 / 2 / rows
  int wgt_depth = 0;        // words of one weight bank: weight_kib * 1024 / 2 / cols
  int acc_depth = 0;        // int32 words of one accumulator bank: accumulator_kib*1024/2/(cols*4)
  int ppu_channels = 0;     // PPU parameter table entries (npu_top PpuMaxChannels)
  bool ppu_serial = false;  // one time-multiplexed PPU lane (npu_top PpuSerial)
  int addr_bits = 0;        // AXI address width
  int id_bits = 0;          // AXI ID width
  double clock_mhz = 0.0;   // timing target

  int bus_bytes() const { return rows; }
  int macs_per_cycle() const { return rows * cols; }
  // Bus words per 16-byte PPU record (docs/control.md): 4 at 4x4, 2 at 8x8, 1 at 16x16.
  int record_words() const { return rows >= 16 ? 1 : 16 / rows; }

 private:
  struct Blank {};
  explicit HwParams(Blank) {}
};

}  // namespace npu::config
