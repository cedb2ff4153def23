#include "sw/cli/device_backend.h"

#include <stdexcept>

#include "sw/runtime/layer_report.h"
#include "sw/runtime/verilator_device.h"

namespace npu::cli {

DeviceBackend::DeviceBackend(const std::string& device, const model::Network& net, const BackendSetup& setup)
    : net_(net), setup_(setup) {
  if (setup_.program == nullptr) throw std::invalid_argument("device backend without a compiled program");
  device_ = runtime::make_device(device, setup_.hw, setup_.verilator);
  session_ = std::make_unique<runtime::Session>(*device_, *setup_.program);
}

golden::Tensor DeviceBackend::infer(const golden::Tensor& input) {
  runtime::RunOptions o;
  if (setup_.check) o.check_against = &net_;
  o.on_layer_start = setup_.on_layer_start;
  runtime::RunResult r = session_->run(input, o);
  if (stats_.empty()) {
    stats_ = r.layers;
  } else {
    for (size_t i = 0; i < stats_.size(); ++i) runtime::accumulate(stats_[i], r.layers[i]);
  }
  return std::move(r.output);
}

}  // namespace npu::cli
