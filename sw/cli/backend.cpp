#include "sw/cli/backend.h"

#include <stdexcept>

#include "sw/cli/device_backend.h"
#include "sw/cli/golden_backend.h"

namespace npu::cli {

const std::vector<BackendInfo>& backends() {
  static const std::vector<BackendInfo> kBackends = {
      {BackendKind::kGolden, "golden", "the golden operators layer by layer (no compiler, no RTL)"},
      {BackendKind::kGoldenDevice, "golden-device",
       "the compiled command streams on the golden device model (no RTL, no cycles)"},
      {BackendKind::kRtl, "rtl", "the compiled command streams on the cycle-accurate Verilated npu_top"},
  };
  return kBackends;
}

const char* backend_name(BackendKind kind) {
  for (const BackendInfo& b : backends()) {
    if (b.kind == kind) return b.name;
  }
  return "?";
}

BackendKind parse_backend(const std::string& name) {
  std::string known;
  for (const BackendInfo& b : backends()) {
    if (name == b.name) return b.kind;
    known += (known.empty() ? "" : ", ") + std::string(b.name);
  }
  throw std::invalid_argument("unknown backend '" + name + "' (available: " + known + ")");
}

bool uses_device(BackendKind kind) { return kind != BackendKind::kGolden; }

std::unique_ptr<Backend> make_backend(BackendKind kind, const model::Network& net,
                                      const BackendSetup& setup) {
  switch (kind) {
    case BackendKind::kGolden:
      return std::make_unique<GoldenBackend>(net);
    case BackendKind::kGoldenDevice:
    case BackendKind::kRtl:
      return std::make_unique<DeviceBackend>(kind == BackendKind::kRtl ? "verilator" : "golden", net, setup);
  }
  throw std::invalid_argument("backend not built in");
}

}  // namespace npu::cli
