// A device backend by name, for callers that choose at run time (npu-run --backend).
#pragma once

#include <memory>
#include <string>

#include "sw/config/hw_config.h"
#include "sw/runtime/device.h"
#include "sw/runtime/verilator_options.h"

namespace npu::runtime {

// "model" (CommandModelDevice, command_model_device.h) or "verilator" (make_verilator_device,
// verilator_device.h); `options` apply to the Verilator device only. Throws DeviceError for
// another name (for "golden", the name the model had before, saying its new name).
std::unique_ptr<Device> make_device(const std::string& backend, const config::HwConfig& hw,
                                    const VerilatorOptions& options = {});

}  // namespace npu::runtime
