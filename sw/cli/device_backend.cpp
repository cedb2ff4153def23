#include "sw/cli/device_backend.h"

#include <cstdint>
#include <stdexcept>

#include "sw/runtime/layer_report.h"
#include "sw/runtime/make_device.h"

namespace npu::cli {

DeviceBackend::DeviceBackend(const std::string& device, const model::Network& net,
                             const BackendSetup& setup)
    : net_(net), setup_(setup) {
  if (setup_.program == nullptr)
    throw std::invalid_argument("device backend without a compiled program");
  runtime::VerilatorOptions vo = setup_.verilator;
  if (!setup_.trace_layer.empty()) {
    if (setup_.program->find(setup_.trace_layer) == nullptr) {
      std::string names;
      for (const compiler::LayerProgram& l : setup_.program->layers)
        names += (names.empty() ? "" : ", ") + l.name;
      throw std::invalid_argument("--trace-layer: no hardware layer '" + setup_.trace_layer +
                                  "' (layers: " + names + ")");
    }
    vo.trace.first_cycle = vo.trace.last_cycle = UINT64_MAX;  // closed until the layer starts
  }
  device_ = runtime::make_device(device, setup_.hw, vo);
  session_ = std::make_unique<runtime::Session>(*device_, *setup_.program);
}

golden::Tensor DeviceBackend::infer(const golden::Tensor& input) {
  runtime::RunOptions o;
  if (setup_.check) o.check_against = &net_;
  o.on_layer_start = setup_.on_layer_start;
  if (!setup_.trace_layer.empty()) {
    // The trace window opens when the layer starts and closes when it ends.
    o.on_layer_start = [this](std::size_t i, std::size_t n, const compiler::LayerProgram& l) {
      if (l.name == setup_.trace_layer) device_->set_trace_window(device_->cycle(), UINT64_MAX);
      if (setup_.on_layer_start) setup_.on_layer_start(i, n, l);
    };
    o.on_layer_done = [this](const runtime::LayerStats& s) {
      if (s.name == setup_.trace_layer) device_->set_trace_window(0, device_->cycle());
    };
  }
  runtime::RunResult r = session_->run(input, o);
  if (stats_.empty()) {
    stats_ = r.layers;
  } else {
    for (size_t i = 0; i < stats_.size(); ++i) runtime::accumulate(stats_[i], r.layers[i]);
  }
  return std::move(r.output);
}

}  // namespace npu::cli
