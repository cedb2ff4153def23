// The register map description (rtl/csr/npu_regs.yaml) as data: parsed and validated once,
// then printed as SystemVerilog, C++ and Markdown by npu-gen-regs.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace npu::regs_desc {

struct RegMapError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Access { kRO, kRW, kW1C, kW1P };

struct Field {
  std::string name;
  int lsb = 0;
  int width = 1;
  Access access = Access::kRO;
  uint32_t reset = 0;
  std::string reset_param;  // non-empty: the field reads this RTL parameter
  bool is_volatile = false;
  std::string doc;

  uint32_t mask() const {
    return static_cast<uint32_t>(((width >= 32 ? 0x1'0000'0000ULL : (1ULL << width)) - 1) << lsb);
  }
};

struct Register {
  std::string name;
  uint32_t offset = 0;
  std::string doc;
  std::vector<Field> fields;
  int counter = -1;  // index in RegMap::counters for a counter half, else -1
  bool counter_hi = false;

  uint32_t reset() const;
  uint32_t mask_of(Access a) const;
  uint32_t param_mask() const;
  uint32_t volatile_mask() const;
  bool writable() const {
    return (mask_of(Access::kRW) | mask_of(Access::kW1C) | mask_of(Access::kW1P)) != 0;
  }
};

struct Counter {
  std::string name;
  uint32_t offset = 0;
  bool is_volatile = false;
  std::string doc;
};

struct NamedValue {
  std::string name;
  uint32_t value = 0;
  std::string doc;
};

struct Note {
  std::string title;
  std::string text;
};

struct RegMap {
  std::string name;
  int version_major = 0;
  int version_minor = 0;
  uint32_t window_bytes = 0;
  std::vector<NamedValue> constants;
  std::vector<NamedValue> error_codes;
  std::vector<Counter> counters;
  std::vector<Register> registers;  // counters expanded to _LO/_HI, sorted by offset
  std::vector<Note> notes;
};

// Parses and validates; every error names `source` and the field, e.g.
// "npu_regs.yaml: registers[3] (STATUS).fields[1] (DONE): overlaps BUSY".
RegMap parse_reg_map(const std::string& yaml_text, const std::string& source);
RegMap load_reg_map(const std::string& yaml_path);

const char* access_name(Access a);

}  // namespace npu::regs_desc
