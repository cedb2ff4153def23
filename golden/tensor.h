// Int8 activation tensors in NHWC layout, with their affine quantization.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace npu::golden {

struct Shape {
  int n = 1, h = 1, w = 1, c = 1;
  std::size_t elements() const { return static_cast<std::size_t>(n) * h * w * c; }
  bool operator==(const Shape& o) const { return n == o.n && h == o.h && w == o.w && c == o.c; }
  bool operator!=(const Shape& o) const { return !(*this == o); }
};

// real = scale * (q - zero_point)
struct QuantParams {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

struct Tensor {
  Shape shape;
  QuantParams quant;
  std::vector<int8_t> data;  // NHWC, size == shape.elements()

  Tensor() = default;
  Tensor(Shape s, QuantParams q) : shape(s), quant(q), data(s.elements(), 0) {}

  std::size_t index(int n, int h, int w, int c) const {
    return ((static_cast<std::size_t>(n) * shape.h + h) * shape.w + w) * shape.c + c;
  }
  int8_t at(int n, int h, int w, int c) const { return data[index(n, h, w, c)]; }
  int8_t& at(int n, int h, int w, int c) { return data[index(n, h, w, c)]; }
};

// "[n, h, w, c]", for error messages.
std::string to_string(const Shape& s);

// Checks what every operator relies on: all dimensions >= 1, data.size() == elements(),
// scale finite and > 0, zero point in [-128, 127]. Throws std::invalid_argument whose
// message starts with `what` (e.g. "conv2d input").
void validate_tensor(const Tensor& t, const char* what);
void validate_quant(QuantParams q, const char* what);

}  // namespace npu::golden
