// The one exception type of sw/data: every message names the file (or the input) at fault.
#pragma once

#include <stdexcept>

namespace npu::data {

struct DataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace npu::data
