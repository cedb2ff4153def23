// Where inferences run. Every backend takes the quantized input tensor and returns the
// network output tensor; adding one (Verilator, SystemC, FPGA) is one more BackendKind, one
// more class and one more line in make_backend.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "golden/tensor.h"
#include "sw/model/network.h"

namespace npu::cli {

enum class BackendKind { kGolden };

struct BackendInfo {
  BackendKind kind;
  const char* name;         // as spelled on the command line
  const char* description;  // for --help
};

const std::vector<BackendInfo>& backends();
const char* backend_name(BackendKind kind);
// Throws std::invalid_argument naming the known backends.
BackendKind parse_backend(const std::string& name);

// One instance per worker thread, so a stateful backend (a simulator) needs no locking.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual golden::Tensor infer(const golden::Tensor& input) = 0;
};

// `net` must outlive the backend.
std::unique_ptr<Backend> make_backend(BackendKind kind, const model::Network& net);

}  // namespace npu::cli
