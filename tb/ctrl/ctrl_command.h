// The command encoder is the driver's (sw/compiler/command.h); the benches use it as is, so a
// stream the hardware accepts in a bench is byte for byte what the compiler emits.
#pragma once

#include "sw/compiler/command.h"

namespace npu::tb::ctrl {
using namespace npu::compiler;  // NOLINT(google-build-using-namespace): one encoder, two users
}  // namespace npu::tb::ctrl
