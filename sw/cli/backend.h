// Where inferences run. Every backend takes the quantized input tensor and returns the
// network output tensor; adding one (Verilator, SystemC, FPGA) is one more BackendKind, one
// more class and one more line in make_backend.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "golden/tensor.h"
#include "sw/compiler/program.h"
#include "sw/config/hw_config.h"
#include "sw/model/network.h"
#include "sw/runtime/session.h"
#include "sw/runtime/verilator_options.h"

namespace npu::cli {

enum class BackendKind { kReference, kModel, kRtl };

// True for backends that run the compiled program on a device (sw/runtime/device.h).
bool uses_device(BackendKind kind);

// What the device backends share: the compiled program, the hardware config, the Verilator
// device's options, check mode and a per-layer progress hook (called from worker threads).
struct BackendSetup {
  const compiler::Program* program = nullptr;
  config::HwConfig hw;
  runtime::VerilatorOptions verilator;
  bool check = false;
  std::string trace_layer;  // rtl: trace only this hardware layer (the trace window follows it)
  std::function<void(std::size_t, std::size_t, const compiler::LayerProgram&)> on_layer_start;
};

struct BackendInfo {
  BackendKind kind;
  const char* name;         // as spelled on the command line
  const char* description;  // for --help
};

const std::vector<BackendInfo>& backends();
const char* backend_name(BackendKind kind);
// Throws std::invalid_argument naming the known backends (and the new name of a renamed one).
BackendKind parse_backend(const std::string& name);

// One instance per worker thread, so a stateful backend (a simulator) needs no locking.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual golden::Tensor infer(const golden::Tensor& input) = 0;
  // Per-layer hardware counters summed over every infer() so far (device backends only).
  virtual std::vector<runtime::LayerStats> layer_stats() const { return {}; }
};

// `net` and `setup.program` must outlive the backend.
std::unique_ptr<Backend> make_backend(BackendKind kind, const model::Network& net,
                                      const BackendSetup& setup = {});

}  // namespace npu::cli
