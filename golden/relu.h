// Standalone ReLU on an int8 tensor: real 0 is the zero point, so clamp below at it.
#pragma once

#include "golden/tensor.h"

namespace npu::golden {

Tensor relu(const Tensor& in);

}  // namespace npu::golden
