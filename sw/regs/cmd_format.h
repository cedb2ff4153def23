// The command format description (rtl/csr/npu_cmd.yaml) as data: parsed and validated once,
// then printed as SystemVerilog, C++ and Markdown by npu-gen-cmd.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sw/regs/reg_map.h"

namespace npu::cmd_desc {

using CmdFormatError = regs_desc::RegMapError;

struct EnumValue {
  std::string name;  // UPPER_SNAKE
  uint32_t value = 0;
  std::string doc;
};

struct Enum {
  std::string name;  // lower_snake
  int bits = 1;      // SV enum width: `bits` of the description, else what the values need
  std::string doc;
  std::vector<EnumValue> values;
};

struct Field {
  std::string name;  // lower_snake
  int word = 0;
  int lsb = 0;
  int width = 1;
  uint32_t def = 0;       // C++ default
  std::string enum_name;  // empty: a plain number
  std::string doc;

  int bit() const { return word * 32 + lsb; }  // position in the whole command
};

struct Layout {
  std::string name;                  // lower_snake
  std::string cpp_struct;            // C++ struct of its fields
  bool cpp_bool = false;             // members are bool (1-bit flags)
  std::vector<std::string> opcodes;  // opcodes that use it (empty: every opcode but END)
  std::string doc;
  std::vector<Field> fields;
};

struct CmdFormat {
  int bytes = 64;
  Field opcode;  // name "opcode"
  std::vector<Enum> enums;
  std::vector<Layout> layouts;  // layouts[0] is the dependency flags of every opcode
  std::vector<regs_desc::NamedValue> error_codes;  // the register map's table
  int ctrl_errors = 0;                             // codes 0 .. ctrl_errors - 1 are npu_ctrl's
  int ctrl_error_bits = 1;

  int words() const { return bytes / 4; }
  const Enum& enum_named(const std::string& name) const;
};

// Parses and validates; `error_codes` is the parsed register map (for the error table). Every
// error names `source` and the field, e.g.
// "npu_cmd.yaml: field 'layouts[2] (compute).fields[4] (relu)': overlaps job".
CmdFormat parse_cmd_format(const std::string& yaml_text, const std::string& source,
                           const regs_desc::RegMap& regs);
// Loads the description and the register map it names (`error_codes.from`, a file name in the
// same directory).
CmdFormat load_cmd_format(const std::string& yaml_path);

}  // namespace npu::cmd_desc
