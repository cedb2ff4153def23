#include "golden/relu.h"

#include <algorithm>

namespace npu::golden {

Tensor relu(const Tensor& in) {
  validate_tensor(in, "relu input");
  Tensor out = in;
  const int8_t zero = static_cast<int8_t>(in.quant.zero_point);
  for (int8_t& v : out.data) v = std::max(v, zero);
  return out;
}

}  // namespace npu::golden
