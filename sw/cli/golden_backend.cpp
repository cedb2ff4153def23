#include "sw/cli/golden_backend.h"

#include "sw/model/reference_executor.h"

namespace npu::cli {

golden::Tensor GoldenBackend::infer(const golden::Tensor& input) {
  return model::run_reference(net_, input);
}

}  // namespace npu::cli
