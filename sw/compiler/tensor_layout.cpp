#include "sw/compiler/tensor_layout.h"

#include <stdexcept>
#include <string>

namespace npu::compiler {

int64_t packed_bytes(const golden::Shape& s, int rows) {
  return int64_t{s.n} * s.h * s.w * word_groups(s.c, rows) * rows;
}

std::vector<uint8_t> pack_tensor(const golden::Tensor& t, int rows) {
  const golden::Shape& s = t.shape;
  const int g = word_groups(s.c, rows);
  std::vector<uint8_t> out(static_cast<size_t>(packed_bytes(s, rows)), 0);
  size_t src = 0;
  for (int p = 0; p < s.n * s.h * s.w; ++p) {
    const size_t word0 = static_cast<size_t>(p) * g * rows;
    for (int ch = 0; ch < s.c; ++ch) out[word0 + ch] = static_cast<uint8_t>(t.data[src++]);
  }
  return out;
}

golden::Tensor unpack_tensor(const std::vector<uint8_t>& bytes, const golden::Shape& s,
                             golden::QuantParams quant, int rows) {
  if (static_cast<int64_t>(bytes.size()) != packed_bytes(s, rows)) {
    throw std::invalid_argument("unpack_tensor: " + std::to_string(bytes.size()) +
                                " bytes for a tensor of " + golden::to_string(s) + " that needs " +
                                std::to_string(packed_bytes(s, rows)));
  }
  golden::Tensor t(s, quant);
  const int g = word_groups(s.c, rows);
  size_t dst = 0;
  for (int p = 0; p < s.n * s.h * s.w; ++p) {
    const size_t word0 = static_cast<size_t>(p) * g * rows;
    for (int ch = 0; ch < s.c; ++ch) t.data[dst++] = static_cast<int8_t>(bytes[word0 + ch]);
  }
  return t;
}

}  // namespace npu::compiler
