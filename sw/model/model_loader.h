// Reading and writing the model format of docs/model-format.md (YAML + one weight file).
#pragma once

#include <string>

#include "sw/model/model_error.h"
#include "sw/model/network.h"

namespace npu::model {

// Loads the YAML and the weight file it names, checks everything the format requires
// (network_check.h) and orders the layers topologically. Throws ModelError naming the
// file, the layer and the field of the first problem.
Network load_network(const std::string& yaml_path);

// Validates `net`, then writes the YAML to yaml_path and the weights to weights_path. A bare
// file name as weights_path ("model.bin") is put next to the YAML; any other path is used as
// given. The YAML records the weight file relative to its own folder. Layers are written in
// the network's (topological) order. Throws ModelError.
void save_network(const Network& net, const std::string& yaml_path,
                  const std::string& weights_path);

}  // namespace npu::model
