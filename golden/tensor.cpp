#include "golden/tensor.h"

#include <cmath>
#include <stdexcept>

namespace npu::golden {

std::string to_string(const Shape& s) {
  return "[" + std::to_string(s.n) + ", " + std::to_string(s.h) + ", " + std::to_string(s.w) +
         ", " + std::to_string(s.c) + "]";
}

void validate_quant(QuantParams q, const char* what) {
  if (!std::isfinite(q.scale) || !(q.scale > 0.0f)) {
    throw std::invalid_argument(std::string(what) + ": scale must be finite and > 0, got " +
                                std::to_string(q.scale));
  }
  if (q.zero_point < -128 || q.zero_point > 127) {
    throw std::invalid_argument(std::string(what) + ": zero_point must be in [-128, 127], got " +
                                std::to_string(q.zero_point));
  }
}

void validate_tensor(const Tensor& t, const char* what) {
  const Shape& s = t.shape;
  if (s.n < 1 || s.h < 1 || s.w < 1 || s.c < 1) {
    throw std::invalid_argument(std::string(what) + ": every dimension must be >= 1, shape is " +
                                to_string(s));
  }
  if (t.data.size() != s.elements()) {
    throw std::invalid_argument(std::string(what) + ": data has " + std::to_string(t.data.size()) +
                                " elements but shape " + to_string(s) + " needs " +
                                std::to_string(s.elements()));
  }
  validate_quant(t.quant, what);
}

}  // namespace npu::golden
