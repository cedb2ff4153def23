// Networks small enough to compute by hand, for the CLI tests.
#pragma once

#include <string>
#include <vector>

#include "sw/model/network.h"

namespace npu::cli::testing {

// Input `input` quantized with scale 1/255 and zero point -128 (so q - zp is the pixel),
// then one fully connected layer whose output k has weight 1 on flat input position
// picks[k] and 0 elsewhere, weight scale 1, bias 0, output scale 2/255 and zero point -128.
// Output k is therefore -128 + round(pixel[picks[k]] / 2) (halves away from zero), and its
// dequantized score round(pixel / 2) * 2 / 255.
model::Network pixel_picker(golden::Shape input, const std::vector<int>& picks,
                            const std::vector<std::string>& classes);

}  // namespace npu::cli::testing
