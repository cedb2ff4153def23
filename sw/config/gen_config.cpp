// npu-gen-config: turns one hardware YAML (configs/<name>.yaml) into every generated view of
// it, so that no consumer derives or types a hardware parameter itself:
//   --sv      SystemVerilog package npu_config_pkg
//   --header  C++ header, namespace npu::hw::<name>_config
//   --cmake   CMake include: NPU_HW_<name>_<CONSTANT> and the npu_core / npu_top parameter
//             lists (RTL builds, benches, the runtime's models)
//   --json    the same for the Python flows (scripts/synth, scripts/fpga)
// The values come from HwConfig (the YAML's fields) and HwParams::from_config (what is derived
// from them), the one derivation software uses too. Run by the CMake function npu_hw_config()
// at build time; the CMake include and the JSON are also committed (configs/generated/), since
// CMake and the Python flows read them before anything is built.
//
//   npu-gen-config --config configs/default.yaml [--source configs/default.yaml]
//                  [--source-sha256 <hex>] [--sv F] [--header F] [--cmake F] [--json F]
//
// --source is the name written into the files (a relative one keeps them the same on every
// machine); --source-sha256 the YAML's SHA-256 (CMake's file(SHA256)), written so consumers
// can tell that a committed file is stale. The package uses only `localparam int` (Icarus 11
// rejects `int unsigned`), and its users must write npu_config_pkg::Name (Yosys 0.23 rejects
// `import npu_config_pkg::*;`).
#include <cctype>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "sw/config/hw_config.h"
#include "sw/config/hw_params.h"

namespace {

using npu::config::HwConfig;
using npu::config::HwParams;

// One generated constant: name (SV UpperCamelCase; C++ k<Name>; CMake NPU_HW_<cfg>_<NAME>;
// JSON "<Name>"), value, and what it means (written next to it).
struct Constant {
  std::string name;
  int64_t value;
  std::string doc;
};

// One RTL parameter of npu_core / npu_top and the constant it takes.
struct RtlParam {
  const char* param;
  const char* constant;
  bool core;  // also a parameter of npu_core and npu_fpga_top (else npu_top only)
  bool bit;   // a `parameter bit`: -G needs 1'b0 / 1'b1 (Verilator warns about a 32-bit 1)
};

const RtlParam kRtlParams[] = {
    {"Rows", "ArrayRows", true, false},
    {"ActDepth", "ActivationBankDepth", true, false},
    {"WgtDepth", "WeightBankDepth", true, false},
    {"AccDepth", "AccumulatorBankDepth", true, false},
    {"PpuMaxChannels", "PpuMaxChannels", true, false},
    {"PpuSerial", "PpuSerial", true, true},
    {"AddrW", "AxiAddrBits", false, false},
    {"IdW", "AxiIdBits", false, false},
};

std::vector<Constant> constants(const HwConfig& c, const HwParams& p) {
  const int64_t act_bank = int64_t{c.activation_kib} * 1024 / 2;
  const int64_t weight_bank = int64_t{c.weight_kib} * 1024 / 2;
  const int64_t acc_bank = int64_t{c.accumulator_kib} * 1024 / 2;
  return {
      {"ArrayRows", p.rows, "PE rows: im2col K elements reduced per cycle"},
      {"ArrayCols", p.cols, "PE columns: output channels computed in parallel"},
      {"ActivationKib", c.activation_kib, "activation scratchpad, both banks"},
      {"WeightKib", c.weight_kib, "weight scratchpad, both banks"},
      {"AccumulatorKib", c.accumulator_kib, "accumulator scratchpad, both banks"},
      {"ActivationBankBytes", act_bank, "one of the two activation banks"},
      {"WeightBankBytes", weight_bank, "one of the two weight banks"},
      {"AccumulatorBankBytes", acc_bank, "one of the two accumulator banks"},
      {"ActivationBankDepth", p.act_depth,
       "activation bank entries of ArrayRows int8 (one scratchpad / bus word)"},
      {"WeightBankDepth", p.wgt_depth,
       "weight bank entries of ArrayCols int8 (one array weight beat)"},
      {"AccumulatorBankDepth", p.acc_depth,
       "accumulator bank entries of ArrayCols int32 (one array output beat)"},
      {"PpuMaxChannels", p.ppu_channels, "PPU parameter table entries"},
      {"PpuSerial", p.ppu_serial ? 1 : 0, "1: one time-multiplexed PPU lane"},
      {"AxiDataBits", c.axi_data_bits, "AXI4 master data width"},
      {"AxiAddrBits", p.addr_bits, "AXI4 address width"},
      {"AxiIdBits", p.id_bits, "AXI4 ID width"},
      {"AxiMaxBurstBeats", c.max_burst_beats, "longest INCR burst"},
      {"AxiMaxOutstandingReads", c.max_outstanding_reads, "read bursts in flight"},
      {"ClockKhz", static_cast<int64_t>(std::llround(p.clock_mhz * 1000.0)),
       "timing target (clock_mhz x 1000)"},
  };
}

int64_t value_of(const std::vector<Constant>& all, const std::string& name) {
  for (const Constant& k : all) {
    if (k.name == name) return k.value;
  }
  throw std::logic_error("npu-gen-config: no constant " + name);
}

// "default" is a C++ keyword and names may contain '-': the namespace is <name>_config with
// anything that is not [A-Za-z0-9_] replaced by '_'.
std::string namespace_for(const std::string& name) {
  std::string ns;
  for (const char ch : name) {
    ns += (std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_') ? ch : '_';
  }
  if (ns.empty() || std::isdigit(static_cast<unsigned char>(ns[0])) != 0) ns = "c" + ns;
  return ns + "_config";
}

// ArrayRows -> ARRAY_ROWS (CMake variable names).
std::string upper_snake(const std::string& camel) {
  std::string out;
  for (std::size_t i = 0; i < camel.size(); ++i) {
    const auto ch = static_cast<unsigned char>(camel[i]);
    if (i > 0 && std::isupper(ch) != 0) out += '_';
    out += static_cast<char>(std::toupper(ch));
  }
  return out;
}

// For C++ and JSON string literals: names and paths are plain text; quote and backslash are
// escaped, control characters refused.
std::string escape_string(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    if (static_cast<unsigned char>(ch) < 0x20) {
      throw std::runtime_error("control character in name or path '" + text + "'");
    }
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

// CMake names: the config name is used in variable names, so it must be an identifier-ish.
void check_cmake_name(const std::string& name) {
  for (const char ch : name) {
    if (std::isalnum(static_cast<unsigned char>(ch)) == 0 && ch != '_' && ch != '-') {
      throw std::runtime_error("config name '" + name +
                               "': only letters, digits, '_' and '-' can name CMake variables");
    }
  }
}

std::string mhz_literal(double mhz) {
  std::ostringstream out;
  out.precision(17);
  out << mhz;
  std::string text = out.str();
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

struct Source {
  std::string name;    // written into the files
  std::string sha256;  // of the YAML text, or empty
};

std::string banner(const HwConfig& c, const Source& src, const char* comment) {
  std::ostringstream out;
  out << comment << " Generated by npu-gen-config from " << src.name << " (config '" << c.name
      << "'). Do not edit:\n"
      << comment << " change the YAML (configs/README.md).\n";
  return out.str();
}

std::string sv_package(const HwConfig& c, const HwParams& p, const Source& src) {
  std::ostringstream out;
  out << banner(c, src, "//")
      << "// Refer to the values as npu_config_pkg::Name: Yosys 0.23 cannot parse\n"
      << "// `import npu_config_pkg::*;`.\n"
      << "package npu_config_pkg;\n"
      << "  // Every block uses only some of the values.\n"
      << "  /* verilator lint_off UNUSEDPARAM */\n";
  for (const Constant& k : constants(c, p)) {
    out << "  // " << k.doc << "\n"
        << "  localparam int " << k.name << " = " << k.value << ";\n";
  }
  out << "  /* verilator lint_on UNUSEDPARAM */\n"
      << "endpackage\n";
  return out.str();
}

std::string cpp_header(const HwConfig& c, const HwParams& p, const Source& src) {
  std::ostringstream out;
  out << banner(c, src, "//")
      << "// The same values as the SystemVerilog package npu_config_pkg of this config.\n"
      << "#pragma once\n\n"
      << "namespace npu::hw::" << namespace_for(c.name) << " {\n\n"
      << "inline constexpr const char* kName = \"" << escape_string(c.name) << "\";\n";
  for (const Constant& k : constants(c, p)) {
    out << "// " << k.doc << "\n"
        << "inline constexpr int k" << k.name << " = " << k.value << ";\n";
  }
  out << "inline constexpr double kClockMhz = " << mhz_literal(p.clock_mhz) << ";\n\n"
      << "}  // namespace npu::hw::" << namespace_for(c.name) << "\n";
  return out.str();
}

std::string rtl_param_list(const std::vector<Constant>& all, bool core_only) {
  std::string out;
  for (const RtlParam& r : kRtlParams) {
    if (core_only && !r.core) continue;
    const int64_t value = value_of(all, r.constant);
    out += (out.empty() ? "" : " ") + std::string(r.param) + "=" + (r.bit ? "1'b" : "") +
           std::to_string(value);
  }
  return out;
}

std::string cmake_include(const HwConfig& c, const HwParams& p, const Source& src) {
  check_cmake_name(c.name);
  const std::vector<Constant> all = constants(c, p);
  const std::string prefix = "NPU_HW_" + c.name + "_";
  std::ostringstream out;
  out << banner(c, src, "#")
      << "# Included by sw/config/NpuHwConfig.cmake; the names are NPU_HW_<config>_<NAME>.\n"
      << "set(" << prefix << "SOURCE \"" << escape_string(src.name) << "\")\n"
      << "set(" << prefix << "SOURCE_SHA256 \"" << src.sha256 << "\")\n";
  for (const Constant& k : all) {
    out << "set(" << prefix << upper_snake(k.name) << " " << k.value << ")  # " << k.doc << "\n";
  }
  out << "set(" << prefix << "CLOCK_MHZ " << mhz_literal(p.clock_mhz) << ")\n"
      << "# verilator -G / check_rtl.sh -G lists: npu_core and npu_fpga_top; npu_top\n"
      << "set(" << prefix << "CORE_PARAMS " << rtl_param_list(all, true) << ")\n"
      << "set(" << prefix << "TOP_PARAMS " << rtl_param_list(all, false) << ")\n";
  return out.str();
}

std::string json_params(const std::vector<Constant>& all, bool core_only) {
  std::string out;
  for (const RtlParam& r : kRtlParams) {
    if (core_only && !r.core) continue;
    out += std::string(out.empty() ? "" : ", ") + "\"" + r.param +
           "\": " + std::to_string(value_of(all, r.constant));
  }
  return "{" + out + "}";
}

std::string json_file(const HwConfig& c, const HwParams& p, const Source& src) {
  const std::vector<Constant> all = constants(c, p);
  std::ostringstream out;
  out << "{\n"
      << "  \"generator\": \"npu-gen-config\",\n"
      << "  \"note\": \"Generated from " << escape_string(src.name)
      << ". Do not edit: change the YAML (configs/README.md).\",\n"
      << "  \"name\": \"" << escape_string(c.name) << "\",\n"
      << "  \"source\": \"" << escape_string(src.name) << "\",\n"
      << "  \"source_sha256\": \"" << src.sha256 << "\",\n"
      << "  \"clock_mhz\": " << mhz_literal(p.clock_mhz) << ",\n"
      << "  \"constants\": {\n";
  for (std::size_t i = 0; i < all.size(); ++i) {
    out << "    \"" << all[i].name << "\": " << all[i].value << (i + 1 < all.size() ? "," : "")
        << "\n";
  }
  out << "  },\n"
      << "  \"npu_core_params\": " << json_params(all, true) << ",\n"
      << "  \"npu_top_params\": " << json_params(all, false) << "\n"
      << "}\n";
  return out.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error(path + ": cannot open for writing");
  out << text;
  out.flush();
  if (!out) throw std::runtime_error(path + ": write error");
}

int usage(const std::string& why) {
  std::cerr << "npu-gen-config: " << why << "\n"
            << "usage: npu-gen-config --config <hw.yaml> [--source <name>] [--source-sha256 <hex>]"
               " [--sv <file>] [--header <file>] [--cmake <file>] [--json <file>]\n";
  return 2;
}

bool is_hex64(const std::string& text) {
  if (text.size() != 64) return false;
  for (const char ch : text) {
    if (std::isxdigit(static_cast<unsigned char>(ch)) == 0) return false;
  }
  return true;
}

struct Options {
  std::string config, sv, header, cmake, json;
  Source source;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return usage("option '" + arg + "' needs a value");
    const std::string value = argv[++i];
    if (arg == "--config") {
      o.config = value;
    } else if (arg == "--source") {
      o.source.name = value;
    } else if (arg == "--source-sha256") {
      if (!is_hex64(value)) return usage("--source-sha256 must be 64 hex digits");
      o.source.sha256 = value;
    } else if (arg == "--sv") {
      o.sv = value;
    } else if (arg == "--header") {
      o.header = value;
    } else if (arg == "--cmake") {
      o.cmake = value;
    } else if (arg == "--json") {
      o.json = value;
    } else {
      return usage("unknown option '" + arg + "'");
    }
  }
  if (o.config.empty()) return usage("--config is required");
  if (o.sv.empty() && o.header.empty() && o.cmake.empty() && o.json.empty()) {
    return usage("nothing to write");
  }
  if (o.source.name.empty()) o.source.name = o.config;

  try {
    const HwConfig config = npu::config::load_hw_config(o.config);
    const HwParams params = HwParams::from_config(config);
    if (!o.sv.empty()) write_file(o.sv, sv_package(config, params, o.source));
    if (!o.header.empty()) write_file(o.header, cpp_header(config, params, o.source));
    if (!o.cmake.empty()) write_file(o.cmake, cmake_include(config, params, o.source));
    if (!o.json.empty()) write_file(o.json, json_file(config, params, o.source));
  } catch (const std::exception& e) {
    std::cerr << "npu-gen-config: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
