// Reading a result back: a tensor from scratchpad-layout bytes (what a STORE leaves in DRAM)
// and its element-by-element differences from the expected (golden) tensor.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/tensor.h"

namespace npu::test_support {

// The NHWC tensor of `shape` (n = 1) and `quant` from `bytes` in the scratchpad word layout:
// `groups` words of `rows` bytes per pixel, channel c in byte c % rows of word c / rows.
// Throws std::invalid_argument when `bytes` is too short.
golden::Tensor unpack_words(const std::vector<uint8_t>& bytes, const golden::Shape& shape,
                            golden::QuantParams quant, int groups, int rows);

struct TensorDiff {
  int y = 0, x = 0, c = 0;
  int expected = 0, actual = 0;
};

// Every element where `actual` differs from `expected` (n = 1), in NHWC order. Throws
// std::invalid_argument when the shapes differ.
std::vector<TensorDiff> tensor_diffs(const golden::Tensor& expected, const golden::Tensor& actual);

}  // namespace npu::test_support
