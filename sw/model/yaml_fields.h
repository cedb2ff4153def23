// Typed, strict access to the fields of the model YAML: a number must be a plain number
// (not a quoted string), an integer must be an integer, and every key of a map must be
// known. Each error names the file, the layer and the field.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sw/model/model_error.h"

namespace npu::model {

int64_t read_int(const YAML::Node& node, const ErrorSite& site);
// int, in [lo, hi]
int read_int_in(const YAML::Node& node, const ErrorSite& site, int64_t lo, int64_t hi);
double read_number(const YAML::Node& node, const ErrorSite& site);  // also .inf / .nan
bool read_bool(const YAML::Node& node, const ErrorSite& site);
std::string read_string(const YAML::Node& node, const ErrorSite& site);
std::vector<std::string> read_string_list(const YAML::Node& node, const ErrorSite& site);
// A list of ints whose length is one of `lengths`; a plain int counts as a list of one when
// `scalar_ok`.
std::vector<int> read_int_list(const YAML::Node& node, const ErrorSite& site,
                               const std::vector<std::size_t>& lengths, bool scalar_ok);

// One YAML map. `site.field` is the map's own path ("" at the top, "output" for a layer's
// output) and prefixes the keys in messages.
class YamlMap {
 public:
  YamlMap(const YAML::Node& node, const ErrorSite& site);

  bool has(const std::string& key) const;
  YAML::Node required(const std::string& key) const;
  YAML::Node optional(const std::string& key) const;  // undefined node when absent
  ErrorSite site_of(const std::string& key) const;
  const ErrorSite& site() const { return site_; }

  // Fails on the first key outside `allowed`; `known_elsewhere` are keys valid in other
  // contexts (another op's fields), reported as "not a field of <context>".
  void reject_unknown(const std::set<std::string>& allowed,
                      const std::set<std::string>& known_elsewhere = {},
                      const std::string& context = "") const;

 private:
  YAML::Node node_;
  ErrorSite site_;
};

}  // namespace npu::model
