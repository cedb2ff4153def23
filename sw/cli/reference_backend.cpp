#include "sw/cli/reference_backend.h"

#include "sw/model/reference_executor.h"

namespace npu::cli {

golden::Tensor ReferenceBackend::infer(const golden::Tensor& input) {
  return model::run_reference(net_, input);
}

}  // namespace npu::cli
