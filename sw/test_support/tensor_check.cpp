#include "sw/test_support/tensor_check.h"

#include <stdexcept>
#include <string>

namespace npu::test_support {

golden::Tensor unpack_words(const std::vector<uint8_t>& bytes, const golden::Shape& shape,
                            golden::QuantParams quant, int groups, int rows) {
  if (shape.n != 1 || groups * rows < shape.c) {
    throw std::invalid_argument("unpack_words: shape " + golden::to_string(shape) + " with " +
                                std::to_string(groups) + " words of " + std::to_string(rows) +
                                " bytes per pixel");
  }
  const std::size_t need = static_cast<std::size_t>(shape.h) * shape.w * groups * rows;
  if (bytes.size() < need) {
    throw std::invalid_argument("unpack_words: " + std::to_string(bytes.size()) +
                                " bytes, the tensor needs " + std::to_string(need));
  }
  golden::Tensor t(shape, quant);
  for (int y = 0; y < shape.h; ++y) {
    for (int x = 0; x < shape.w; ++x) {
      for (int c = 0; c < shape.c; ++c) {
        const std::size_t word = static_cast<std::size_t>(y * shape.w + x) * groups + c / rows;
        t.at(0, y, x, c) = static_cast<int8_t>(bytes[word * rows + c % rows]);
      }
    }
  }
  return t;
}

std::vector<TensorDiff> tensor_diffs(const golden::Tensor& expected, const golden::Tensor& actual) {
  if (expected.shape != actual.shape || expected.shape.n != 1) {
    throw std::invalid_argument("tensor_diffs: shapes " + golden::to_string(expected.shape) +
                                " and " + golden::to_string(actual.shape));
  }
  std::vector<TensorDiff> diffs;
  const golden::Shape& s = expected.shape;
  for (int y = 0; y < s.h; ++y) {
    for (int x = 0; x < s.w; ++x) {
      for (int c = 0; c < s.c; ++c) {
        const int e = expected.at(0, y, x, c), a = actual.at(0, y, x, c);
        if (e != a) diffs.push_back({y, x, c, e, a});
      }
    }
  }
  return diffs;
}

}  // namespace npu::test_support
