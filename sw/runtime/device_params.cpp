#include "sw/runtime/device_params.h"

namespace npu::runtime {

DeviceParams device_params(const config::HwConfig& hw) {
  if (hw.array_rows != hw.array_cols) {
    throw config::ConfigError("hardware config '" + hw.name +
                              "': array.rows must equal array.cols (the datapath is square)");
  }
  DeviceParams p;
  p.name = hw.name;
  p.rows = hw.array_rows;
  p.act_depth = hw.activation_kib * 1024 / 2 / hw.array_rows;
  p.wgt_depth = hw.weight_kib * 1024 / 2 / hw.array_cols;
  p.acc_depth = hw.accumulator_kib * 1024 / 2 / (hw.array_cols * 4);
  p.ppu_channels = 1024;
  p.addr_bits = hw.axi_addr_bits;
  return p;
}

}  // namespace npu::runtime
