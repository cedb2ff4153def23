// The golden backend: the bit-exact reference executor, no hardware model.
#pragma once

#include "sw/cli/backend.h"

namespace npu::cli {

class GoldenBackend : public Backend {
 public:
  explicit GoldenBackend(const model::Network& net) : net_(net) {}
  golden::Tensor infer(const golden::Tensor& input) override;

 private:
  const model::Network& net_;
};

}  // namespace npu::cli
