// --tensors FILE: already quantized network inputs, as the importer's self-check writes them.
#pragma once

#include <memory>
#include <string>

#include "sw/cli/input_set.h"
#include "sw/model/network.h"

namespace npu::cli {

// The file holds N >= 1 int8 input tensors back to back, each H*W*C bytes in NHWC order,
// in the model's input quantization (no conversion, no preprocessing). Throws
// data::DataError naming the file if it is missing, empty or not a whole number of tensors.
std::unique_ptr<InputSet> make_tensor_file_inputs(const std::string& path,
                                                  const model::Network& net);

}  // namespace npu::cli
