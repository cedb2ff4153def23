// The device backends: the compiled program on a runtime Device (command-level model or Verilated
// npu_top) through one Session; weights are uploaded once per backend instance, each infer()
// streams one input and runs every hardware layer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sw/cli/backend.h"
#include "sw/runtime/device.h"
#include "sw/runtime/session.h"

namespace npu::cli {

class DeviceBackend : public Backend {
 public:
  // `device` is a runtime::make_device name ("model" or "verilator").
  DeviceBackend(const std::string& device, const model::Network& net, const BackendSetup& setup);
  golden::Tensor infer(const golden::Tensor& input) override;
  std::vector<runtime::LayerStats> layer_stats() const override { return stats_; }

 private:
  const model::Network& net_;
  BackendSetup setup_;
  std::unique_ptr<runtime::Device> device_;
  std::unique_ptr<runtime::Session> session_;
  std::vector<runtime::LayerStats> stats_;
};

}  // namespace npu::cli
