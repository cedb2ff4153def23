// YAML reading helpers shared by the description parsers (register map, command format):
// every error names the file and the field ("<file>: field '<where>': <what>").
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <set>
#include <string>

#include "sw/regs/reg_map.h"

namespace npu::regs_desc::desc_yaml {

// Error context: "<source>: <where>: <what>".
class Ctx {
 public:
  Ctx(std::string source, std::string where)
      : source_(std::move(source)), where_(std::move(where)) {}
  Ctx sub(const std::string& key) const {
    return Ctx(source_, where_.empty() ? key : where_ + "." + key);
  }
  Ctx item(const std::string& key, std::size_t i, const std::string& name) const {
    std::string w = key.empty() ? where_ : (where_.empty() ? key : where_ + "." + key);
    w += "[" + std::to_string(i) + "]";
    if (!name.empty()) w += " (" + name + ")";
    return Ctx(source_, w);
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw RegMapError(source_ + ": " + (where_.empty() ? "" : "field '" + where_ + "': ") + what);
  }

 private:
  std::string source_, where_;
};

inline YAML::Node need(const YAML::Node& map, const std::string& key, const Ctx& ctx) {
  if (!map.IsMap()) ctx.fail("must be a mapping");
  const YAML::Node n = map[key];
  if (!n) ctx.sub(key).fail("missing");
  return n;
}

inline std::string get_string(const YAML::Node& map, const std::string& key, const Ctx& ctx) {
  const YAML::Node n = need(map, key, ctx);
  if (!n.IsScalar()) ctx.sub(key).fail("must be a string");
  return n.as<std::string>();
}

inline std::string get_doc(const YAML::Node& map, const Ctx& ctx) {
  const std::string doc = get_string(map, "doc", ctx);
  if (doc.empty()) ctx.sub("doc").fail("must not be empty");
  return doc;
}

inline uint64_t to_uint(const YAML::Node& n, const Ctx& ctx, uint64_t max) {
  if (!n.IsScalar()) ctx.fail("must be a number");
  uint64_t v = 0;
  try {
    v = n.as<uint64_t>();
  } catch (const YAML::Exception&) {
    ctx.fail("must be a non-negative integer (got '" + n.as<std::string>() + "')");
  }
  if (v > max) ctx.fail("must be <= " + std::to_string(max) + " (got " + std::to_string(v) + ")");
  return v;
}

inline uint64_t get_uint(const YAML::Node& map, const std::string& key, const Ctx& ctx,
                         uint64_t max) {
  return to_uint(need(map, key, ctx), ctx.sub(key), max);
}

inline bool get_bool(const YAML::Node& map, const std::string& key, const Ctx& ctx) {
  const YAML::Node n = map[key];
  if (!n) return false;
  try {
    return n.as<bool>();
  } catch (const YAML::Exception&) {
    ctx.sub(key).fail("must be true or false");
  }
}

inline void check_keys(const YAML::Node& map, const std::set<std::string>& allowed,
                       const Ctx& ctx) {
  if (!map.IsMap()) ctx.fail("must be a mapping");
  for (const auto& kv : map) {
    const std::string key = kv.first.as<std::string>();
    if (allowed.count(key) == 0) ctx.sub(key).fail("unknown key");
  }
}

inline const YAML::Node& need_seq(const YAML::Node& n, const Ctx& ctx) {
  if (!n.IsSequence() || n.size() == 0) ctx.fail("must be a non-empty list");
  return n;
}

}  // namespace npu::regs_desc::desc_yaml
