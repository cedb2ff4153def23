#include "sw/model/number_format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace npu::model {

std::string format_float(float x) {
  if (std::isnan(x)) return ".nan";
  if (std::isinf(x)) return x > 0 ? ".inf" : "-.inf";
  char buf[32];
  // 9 significant digits always read back exactly (max_digits10 of float).
  for (int precision = 1; precision <= 9; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, static_cast<double>(x));
    if (std::strtof(buf, nullptr) == x) break;
  }
  return buf;
}

std::string format_shape(const golden::Shape& s) {
  std::string text =
      "[" + std::to_string(s.h) + ", " + std::to_string(s.w) + ", " + std::to_string(s.c) + "]";
  if (s.n != 1) text += " (batch " + std::to_string(s.n) + ")";
  return text;
}

}  // namespace npu::model
