#include "sw/config/hw_config.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace npu::config {
namespace {

[[noreturn]] void fail(const std::string& source, const std::string& field,
                       const std::string& what) {
  throw ConfigError(source + ": field '" + field + "': " + what);
}

bool is_power_of_two(long v) { return v > 0 && (v & (v - 1)) == 0; }

// Rejects keys we do not know, so a typo is an error rather than a silently ignored default.
void check_keys(const YAML::Node& node, const std::set<std::string>& allowed,
                const std::string& source, const std::string& prefix) {
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    if (allowed.count(key) == 0) {
      fail(source, prefix + key, "unknown field");
    }
  }
}

YAML::Node require_map(const YAML::Node& parent, const std::string& key, const std::string& source,
                       const std::string& prefix) {
  const YAML::Node node = parent[key];
  if (!node) fail(source, prefix + key, "missing");
  if (!node.IsMap()) fail(source, prefix + key, "must be a mapping");
  return node;
}

template <typename T>
T require_scalar(const YAML::Node& parent, const std::string& key, const std::string& source,
                 const std::string& prefix, const char* type_name) {
  const YAML::Node node = parent[key];
  if (!node) fail(source, prefix + key, "missing");
  if (!node.IsScalar()) fail(source, prefix + key, std::string("must be ") + type_name);
  try {
    return node.as<T>();
  } catch (const YAML::Exception&) {
    fail(source, prefix + key,
         std::string("must be ") + type_name + " (got '" + node.Scalar() + "')");
  }
}

int require_int(const YAML::Node& parent, const std::string& key, const std::string& source,
                const std::string& prefix) {
  return require_scalar<int>(parent, key, source, prefix, "an integer");
}

void check_range(long value, long lo, long hi, const std::string& source,
                 const std::string& field) {
  if (value < lo || value > hi) {
    fail(source, field,
         "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "] (got " +
             std::to_string(value) + ")");
  }
}

void check_power_of_two(long value, const std::string& source, const std::string& field) {
  if (!is_power_of_two(value)) {
    fail(source, field, "must be a power of two (got " + std::to_string(value) + ")");
  }
}

}  // namespace

void validate(const HwConfig& c, const std::string& source) {
  if (c.name.empty()) fail(source, "name", "must not be empty");
  // Powers of two keep scratchpad addressing to bit slices in the RTL.
  // npu_top's elaboration checks: Rows a power of two in 4..64.
  check_range(c.array_rows, 4, 64, source, "array.rows");
  check_power_of_two(c.array_rows, source, "array.rows");
  check_range(c.array_cols, 4, 64, source, "array.cols");
  check_power_of_two(c.array_cols, source, "array.cols");
  check_range(c.activation_kib, 1, 16384, source, "buffers.activation_kib");
  check_power_of_two(c.activation_kib, source, "buffers.activation_kib");
  check_range(c.weight_kib, 1, 16384, source, "buffers.weight_kib");
  check_power_of_two(c.weight_kib, source, "buffers.weight_kib");
  check_range(c.accumulator_kib, 1, 16384, source, "buffers.accumulator_kib");
  check_power_of_two(c.accumulator_kib, source, "buffers.accumulator_kib");
  // A weight bank must hold at least one full rows x cols tile, an accumulator bank one
  // row of int32 per column, so that double buffering is possible at all.
  const long weight_bank_bytes = static_cast<long>(c.weight_kib) * 1024 / 2;
  if (weight_bank_bytes < static_cast<long>(c.array_rows) * c.array_cols) {
    fail(source, "buffers.weight_kib",
         "one bank (" + std::to_string(weight_bank_bytes) + " bytes) cannot hold a " +
             std::to_string(c.array_rows) + "x" + std::to_string(c.array_cols) + " weight tile");
  }
  // npu_ppu splits its table into one bank per column, the channel index is a bit slice, and
  // npu_datapath needs at least two N-tiles of channels (its elaboration check).
  check_range(c.ppu_max_channels, 2L * c.array_cols, 65536, source, "ppu.max_channels");
  check_power_of_two(c.ppu_max_channels, source, "ppu.max_channels");
  check_range(c.axi_data_bits, 32, 512, source, "axi.data_bits");
  check_power_of_two(c.axi_data_bits, source, "axi.data_bits");
  // npu_core moves one scratchpad word (array.rows int8) per bus beat: the bus is that wide.
  if (c.axi_data_bits != c.array_rows * 8) {
    fail(source, "axi.data_bits",
         "must be array.rows * 8 = " + std::to_string(c.array_rows * 8) +
             " (one scratchpad word per beat), not " + std::to_string(c.axi_data_bits));
  }
  check_range(c.axi_addr_bits, 32, 64, source, "axi.addr_bits");
  check_range(c.axi_id_bits, 1, 8, source, "axi.id_bits");
  check_range(c.max_burst_beats, 1, 256, source, "axi.max_burst_beats");  // AXI4 INCR limit
  check_power_of_two(c.max_burst_beats, source, "axi.max_burst_beats");
  check_range(c.max_outstanding_reads, 1, 32, source, "axi.max_outstanding_reads");
  if (!std::isfinite(c.clock_mhz) || c.clock_mhz <= 0.0 || c.clock_mhz > 2000.0) {
    std::ostringstream got;
    got << c.clock_mhz;
    fail(source, "clock_mhz", "must be in (0, 2000] (got " + got.str() + ")");
  }
}

HwConfig parse_hw_config(const std::string& yaml_text, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(source + ": malformed YAML at line " + std::to_string(e.mark.line + 1) +
                      ": " + e.msg);
  }
  if (!root.IsMap()) throw ConfigError(source + ": top level must be a mapping");
  check_keys(root, {"format", "name", "array", "buffers", "ppu", "axi", "clock_mhz"}, source, "");

  const auto format = require_scalar<std::string>(root, "format", source, "", "a string");
  if (format != "npu-hw-1") fail(source, "format", "must be 'npu-hw-1' (got '" + format + "')");

  HwConfig c;
  c.name = require_scalar<std::string>(root, "name", source, "", "a string");

  const YAML::Node array = require_map(root, "array", source, "");
  check_keys(array, {"rows", "cols"}, source, "array.");
  c.array_rows = require_int(array, "rows", source, "array.");
  c.array_cols = require_int(array, "cols", source, "array.");

  const YAML::Node buffers = require_map(root, "buffers", source, "");
  check_keys(buffers, {"activation_kib", "weight_kib", "accumulator_kib"}, source, "buffers.");
  c.activation_kib = require_int(buffers, "activation_kib", source, "buffers.");
  c.weight_kib = require_int(buffers, "weight_kib", source, "buffers.");
  c.accumulator_kib = require_int(buffers, "accumulator_kib", source, "buffers.");

  const YAML::Node ppu = require_map(root, "ppu", source, "");
  check_keys(ppu, {"max_channels", "serial"}, source, "ppu.");
  c.ppu_max_channels = require_int(ppu, "max_channels", source, "ppu.");
  c.ppu_serial = require_scalar<bool>(ppu, "serial", source, "ppu.", "true or false");

  const YAML::Node axi = require_map(root, "axi", source, "");
  check_keys(axi, {"data_bits", "addr_bits", "id_bits", "max_burst_beats", "max_outstanding_reads"},
             source, "axi.");
  c.axi_data_bits = require_int(axi, "data_bits", source, "axi.");
  c.axi_addr_bits = require_int(axi, "addr_bits", source, "axi.");
  c.axi_id_bits = require_int(axi, "id_bits", source, "axi.");
  c.max_burst_beats = require_int(axi, "max_burst_beats", source, "axi.");
  c.max_outstanding_reads = require_int(axi, "max_outstanding_reads", source, "axi.");

  c.clock_mhz = require_scalar<double>(root, "clock_mhz", source, "", "a number");

  validate(c, source);
  return c;
}

HwConfig load_hw_config(const std::string& yaml_path) {
  std::ifstream in(yaml_path);
  if (!in) throw ConfigError(yaml_path + ": cannot open hardware config");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_hw_config(text.str(), yaml_path);
}

}  // namespace npu::config
