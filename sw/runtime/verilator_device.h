// Verilator device: npu_top, Verilated once per hardware config (configs/small.yaml 4x4,
// medium.yaml 8x8, default.yaml 16x16; parameters from the YAML), driven through its
// AXI4-Lite slave port, its AXI4 master served by a lean memory model (verilator_options.h:
// fast fixed latency or seeded random backpressure), optional FST trace window.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sw/config/hw_config.h"
#include "sw/runtime/device.h"
#include "sw/runtime/device_params.h"
#include "sw/runtime/verilator_options.h"

namespace npu::runtime {

// One compiled npu_top model.
struct VerilatorModelInfo {
  DeviceParams params;
  std::unique_ptr<Device> (*make)(const DeviceParams&, const VerilatorOptions&);
};

// Every model linked into this library.
std::vector<VerilatorModelInfo> verilator_models();

// The model for `hw`: the one built from the config of the same name if its sizes match,
// else any with the same sizes. Throws DeviceError naming the config and the models there are.
std::unique_ptr<Device> make_verilator_device(const config::HwConfig& hw,
                                              const VerilatorOptions& options = {});

}  // namespace npu::runtime
