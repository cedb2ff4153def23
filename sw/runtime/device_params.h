// What a backend needs to know of one hardware build: the sizes npu_top is built with. The one
// software type of the hardware (sw/config/hw_params.h), derived from the hardware YAML by
// DeviceParams::from_config exactly as the RTL builds get their parameters.
#pragma once

#include "sw/config/hw_params.h"

namespace npu::runtime {

using DeviceParams = config::HwParams;

}  // namespace npu::runtime
