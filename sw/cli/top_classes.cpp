#include "sw/cli/top_classes.h"

#include <algorithm>

namespace npu::cli {

std::vector<ClassScore> top_classes(const golden::Tensor& logits, int k) {
  std::vector<ClassScore> all;
  all.reserve(logits.data.size());
  for (std::size_t i = 0; i < logits.data.size(); ++i) {
    const int8_t q = logits.data[i];
    all.push_back({static_cast<int>(i), q,
                   logits.quant.scale * static_cast<float>(q - logits.quant.zero_point)});
  }
  const std::size_t n = std::min(all.size(), static_cast<std::size_t>(std::max(k, 0)));
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(),
                    [](const ClassScore& a, const ClassScore& b) {
                      return a.quantized != b.quantized ? a.quantized > b.quantized
                                                        : a.index < b.index;
                    });
  all.resize(n);
  return all;
}

}  // namespace npu::cli
