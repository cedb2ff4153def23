// Datasets the tools know by name ("fashion-mnist-test", ...), so that the CLI, the bench
// and the tests spell them the same way.
#pragma once

#include <string>
#include <vector>

#include "sw/data/dataset.h"

namespace npu::data {

std::vector<std::string> dataset_names();

// Throws DataError for an unknown name (listing the known ones) or unreadable files.
Dataset load_named_dataset(const std::string& name);

}  // namespace npu::data
