// How a tensor lies in DRAM and in the activation banks: NHWC in words of `rows` int8,
// G = ceil(C / rows) words per pixel, word (y * W + x) * G + g, lane r = channel g * rows + r,
// lanes past C are 0 (docs/architecture.md, Buffers). The same layout on chip and in DRAM, so a
// tile moves with one (strided) DMA descriptor and a layer's output is the next one's input.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/tensor.h"

namespace npu::compiler {

inline int ceil_div(int a, int b) { return (a + b - 1) / b; }

inline int word_groups(int channels, int rows) { return ceil_div(channels, rows); }

// Bytes of `shape` in the word layout.
int64_t packed_bytes(const golden::Shape& shape, int rows);

std::vector<uint8_t> pack_tensor(const golden::Tensor& t, int rows);

// The inverse: `bytes` must hold packed_bytes(shape, rows) (else std::invalid_argument).
golden::Tensor unpack_tensor(const std::vector<uint8_t>& bytes, const golden::Shape& shape,
                             golden::QuantParams quant, int rows);

}  // namespace npu::compiler
