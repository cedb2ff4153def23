// The --model argument: a YAML file or the name of a synthetic network.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sw/model/network.h"

namespace npu::cli {

std::vector<std::string> synthetic_model_names();  // "resnet18-cifar", "resnet18-imagenet"

bool is_synthetic_model(const std::string& model);

// A synthetic network built from `seed`, or model::load_network(model). Throws
// model::ModelError (naming the file, layer and field) for a bad or missing file.
model::Network load_model(const std::string& model, uint64_t seed);

}  // namespace npu::cli
