// The one exception type of the model library, and the message format every check uses:
//   "<file>: layer '<layer>' field '<field>': <what is wrong>"
// so that a user can find the offending line without reading the loader.
#pragma once

#include <stdexcept>
#include <string>

namespace npu::model {

struct ModelError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Where a problem is: the file (or "network '<name>'" for an in-memory network), the layer
// (empty for network-level fields) and the field path in YAML spelling, e.g. "output.scale".
struct ErrorSite {
  std::string file;
  std::string layer;
  std::string field;

  ErrorSite with_field(const std::string& f) const { return {file, layer, f}; }
  std::string describe(const std::string& what) const;
  [[noreturn]] void fail(const std::string& what) const;
};

}  // namespace npu::model
