// The `preprocess` list of a model file (docs/model-format.md): reading, with errors naming
// the file, the list index and the field, and writing.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "sw/model/preprocess.h"

namespace npu::model {

// Largest side a resize or crop may ask for: PIL itself refuses sizes beyond its pixel
// limit long before, and int arithmetic on sizes stays far from overflow.
constexpr int kMaxPreprocessSide = 1 << 15;

// `node` is the value of the `preprocess` key; `channels` the input's channel count (a
// normalize entry needs one mean and one std per channel). Throws ModelError.
std::vector<PreprocessStep> read_preprocess(const YAML::Node& node, const std::string& file,
                                            int channels);

// Emits the value of the `preprocess` key (a block list of one-key maps).
void emit_preprocess(YAML::Emitter& e, const std::vector<PreprocessStep>& steps);

}  // namespace npu::model
