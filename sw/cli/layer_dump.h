// --dump-layers DIR: every layer's int8 output of every image, for per-layer comparisons
// (the importer's SQNR check). Golden model outputs: the reference every backend matches.
#pragma once

#include <string>

#include "sw/cli/input_set.h"
#include "sw/model/network.h"

namespace npu::cli {

// Writes DIR/<layer>.bin (the layer's output tensors of all images back to back, NHWC int8,
// in input order) and DIR/layers.txt (one line per layer in execution order:
// "name h w c scale zero_point"). Creates DIR. Throws data::DataError if a file cannot be
// written or a layer name is not usable as a file name.
void dump_layers(const model::Network& net, const InputSet& inputs, const std::string& dir);

}  // namespace npu::cli
