#include "sw/runtime/make_device.h"

#include "sw/runtime/command_model_device.h"
#include "sw/runtime/verilator_device.h"

namespace npu::runtime {

std::unique_ptr<Device> make_device(const std::string& backend, const config::HwConfig& hw,
                                    const VerilatorOptions& options) {
  if (backend == "model") return std::make_unique<CommandModelDevice>(hw);
  if (backend == "verilator") return make_verilator_device(hw, options);
  if (backend == "golden") throw DeviceError("device backend 'golden' is now called 'model'");
  throw DeviceError("unknown device backend '" + backend + "' (model, verilator)");
}

}  // namespace npu::runtime
