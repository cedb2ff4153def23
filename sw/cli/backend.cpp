#include "sw/cli/backend.h"

#include <stdexcept>

#include "sw/cli/device_backend.h"
#include "sw/cli/reference_backend.h"

namespace npu::cli {

const std::vector<BackendInfo>& backends() {
  static const std::vector<BackendInfo> kBackends = {
      {BackendKind::kReference, "reference",
       "the golden operators layer by layer (no compiler, no RTL)"},
      {BackendKind::kModel, "model",
       "the compiled command streams on the command-level device model (no RTL, no cycles)"},
      {BackendKind::kRtl, "rtl",
       "the compiled command streams on the cycle-accurate Verilated npu_top"},
  };
  return kBackends;
}

const char* backend_name(BackendKind kind) {
  for (const BackendInfo& b : backends()) {
    if (b.kind == kind) return b.name;
  }
  return "?";
}

namespace {

// Names the backends had before: rejected with the new name, so that old scripts fail clearly.
struct RenamedBackend {
  const char* old_name;
  BackendKind now;
};
constexpr RenamedBackend kRenamed[] = {
    {"golden", BackendKind::kReference},
    {"golden-device", BackendKind::kModel},
};

}  // namespace

BackendKind parse_backend(const std::string& name) {
  for (const RenamedBackend& r : kRenamed) {
    if (name == r.old_name) {
      throw std::invalid_argument("backend '" + name + "' is now called '" + backend_name(r.now) +
                                  "'");
    }
  }
  std::string known;
  for (const BackendInfo& b : backends()) {
    if (name == b.name) return b.kind;
    known += (known.empty() ? "" : ", ") + std::string(b.name);
  }
  throw std::invalid_argument("unknown backend '" + name + "' (available: " + known + ")");
}

bool uses_device(BackendKind kind) { return kind != BackendKind::kReference; }

std::unique_ptr<Backend> make_backend(BackendKind kind, const model::Network& net,
                                      const BackendSetup& setup) {
  switch (kind) {
    case BackendKind::kReference:
      return std::make_unique<ReferenceBackend>(net);
    case BackendKind::kModel:
      return std::make_unique<DeviceBackend>("model", net, setup);
    case BackendKind::kRtl:
      return std::make_unique<DeviceBackend>("verilator", net, setup);
  }
  throw std::invalid_argument("backend not built in");
}

}  // namespace npu::cli
