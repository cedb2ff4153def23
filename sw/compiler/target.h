// The compiler's view of the hardware: array size, bank depths in words, PPU table, clock.
// The one software type of the hardware (sw/config/hw_params.h), derived from the hardware YAML
// by Target::from_config.
#pragma once

#include "sw/config/hw_params.h"

namespace npu::compiler {

using Target = config::HwParams;

}  // namespace npu::compiler
