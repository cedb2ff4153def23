// The best-scoring classes of a network output.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/tensor.h"

namespace npu::cli {

struct ClassScore {
  int index = 0;
  int8_t quantized = 0;
  float score = 0;  // dequantized: scale * (q - zero_point)
};

// The k highest outputs (fewer if the tensor is smaller), best first; equal values in
// index order, so that the first entry is always model::argmax.
std::vector<ClassScore> top_classes(const golden::Tensor& logits, int k);

}  // namespace npu::cli
