// The reference backend: the network layer by layer on the golden operators (the bit-exact
// reference executor), no compiler, no hardware model.
#pragma once

#include "sw/cli/backend.h"

namespace npu::cli {

class ReferenceBackend : public Backend {
 public:
  explicit ReferenceBackend(const model::Network& net) : net_(net) {}
  golden::Tensor infer(const golden::Tensor& input) override;

 private:
  const model::Network& net_;
};

}  // namespace npu::cli
