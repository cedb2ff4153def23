// Numbers as people (and YAML) read them: the shortest decimal that reads back exactly.
#pragma once

#include <string>

#include "golden/tensor.h"

namespace npu::model {

std::string format_float(float x);                 // shortest text that strtof reads back as x
std::string format_shape(const golden::Shape& s);  // "[h, w, c]", the YAML spelling

}  // namespace npu::model
