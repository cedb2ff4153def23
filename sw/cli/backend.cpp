#include "sw/cli/backend.h"

#include <stdexcept>

#include "sw/cli/golden_backend.h"

namespace npu::cli {

const std::vector<BackendInfo>& backends() {
  static const std::vector<BackendInfo> kBackends = {
      {BackendKind::kGolden, "golden", "bit-exact C++ reference model (no RTL)"},
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

std::unique_ptr<Backend> make_backend(BackendKind kind, const model::Network& net) {
  switch (kind) {
    case BackendKind::kGolden:
      return std::make_unique<GoldenBackend>(net);
  }
  throw std::invalid_argument("backend not built in");
}

}  // namespace npu::cli
