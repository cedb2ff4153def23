// npu-gen-cmd: turns the command format description (rtl/csr/npu_cmd.yaml, with the error codes
// of npu_regs.yaml) into the SystemVerilog package npu_cmd_pkg, the C++ header npu_cmd/npu_cmd.h
// and the generated sections of docs/control.md, so that npu_ctrl, the compiler's encoder, the
// command-level model and the benches read one format. Run by sw/regs/CMakeLists.txt at build
// time; the committed package and document are compared with fresh output by CTest.
//
//   npu-gen-cmd --desc rtl/csr/npu_cmd.yaml [--sv npu_cmd_pkg.sv] [--header npu_cmd.h]
//               [--md-in docs/control.md --md-out control.md]
//
// --md-in/--md-out copy a document, replacing the text between each pair of markers
//   <!-- npu-gen-cmd begin NAME -->  ...  <!-- npu-gen-cmd end NAME -->
// (NAME: command-format, error-codes) with fresh tables; everything else is kept as it is.
//
// Tool limits the package respects (Verilator 5.006, Yosys 0.23, Icarus 11 must all read it):
// Yosys rejects `import pkg::*;`, Icarus 11 crashes on a package-qualified struct or enum type
// (npu_cmd_pkg::cmd_compute_t x;) but accepts a local alias (typedef npu_cmd_pkg::cmd_compute_t
// cmd_compute_t;), and neither casts to an enum type. So users alias the structs locally, keep
// ports plain vectors of the structs' widths (CmdBits), and compare values with the enum
// constants (npu_cmd_pkg::OpcodeLoad) rather than declaring enum-typed signals.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "sw/regs/cmd_format.h"

namespace {

using npu::cmd_desc::CmdFormat;
using npu::cmd_desc::Enum;
using npu::cmd_desc::Field;
using npu::cmd_desc::Layout;

std::string camel(const std::string& snake) {
  std::string out;
  bool up = true;
  for (const char c : snake) {
    if (c == '_') {
      up = true;
    } else {
      const bool is_upper = c >= 'A' && c <= 'Z';
      const bool is_lower = c >= 'a' && c <= 'z';
      if (up && is_lower)
        out += static_cast<char>(c - 'a' + 'A');
      else if (!up && is_upper)
        out += static_cast<char>(c - 'A' + 'a');
      else
        out += c;
      up = false;
    }
  }
  return out;
}

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string one_line(const std::string& text) {
  std::string out;
  for (const char c : text) out += (c == '\n') ? ' ' : c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string bits_text(const Field& f) {
  if (f.width == 1) return std::to_string(f.lsb);
  return std::to_string(f.lsb + f.width - 1) + ":" + std::to_string(f.lsb);
}

// Opcode and dependency flags first, then the layout's own fields.
std::vector<Field> all_fields(const CmdFormat& m, const Layout& l) {
  std::vector<Field> fs{m.opcode};
  for (const Field& f : m.layouts[0].fields) fs.push_back(f);
  if (&l != &m.layouts[0]) {
    for (const Field& f : l.fields) fs.push_back(f);
  }
  return fs;
}

std::string enum_prefix(const Enum& e) { return camel(e.name); }

// ---------------------------------------------------------------- SystemVerilog
void sv_enum(std::ostringstream& o, const std::string& type, int bits, const std::string& prefix,
             const std::vector<std::pair<std::string, uint32_t>>& values, const std::string& doc) {
  o << "  // " << one_line(doc) << "\n  typedef enum logic [" << bits - 1 << ":0] {\n";
  for (std::size_t i = 0; i < values.size(); ++i) {
    o << "    " << prefix << camel(values[i].first) << " = " << bits << "'d" << values[i].second
      << (i + 1 < values.size() ? ",\n" : "\n");
  }
  o << "  } " << type << ";\n";
}

void sv_struct(std::ostringstream& o, const CmdFormat& m, const Layout& l) {
  std::vector<const Field*> by_bit(static_cast<std::size_t>(m.bytes * 8), nullptr);
  const std::vector<Field> fs = all_fields(m, l);
  for (const Field& f : fs) by_bit[static_cast<std::size_t>(f.bit())] = &f;
  o << "  // " << one_line(l.doc) << "\n  typedef struct packed {\n";
  int bit = m.bytes * 8 - 1;
  while (bit >= 0) {
    // Walk down from the top: a field whose top bit this is, or a reserved run.
    const Field* hit = nullptr;
    for (const Field& f : fs) {
      if (f.bit() + f.width - 1 == bit) hit = &f;
    }
    if (hit != nullptr) {
      o << "    logic " << (hit->width > 1 ? "[" + std::to_string(hit->width - 1) + ":0] " : "")
        << hit->name << ";  // word " << hit->word << " bits " << bits_text(*hit) << "\n";
      bit -= hit->width;
      continue;
    }
    int low = bit;
    while (low - 1 >= 0) {
      bool taken = false;
      for (const Field& f : fs)
        taken = taken || (f.bit() <= low - 1 && low - 1 < f.bit() + f.width);
      if (taken) break;
      --low;
    }
    o << "    logic [" << bit - low << ":0] rsvd_" << bit << "_" << low << ";\n";
    bit = low - 1;
  }
  o << "  } cmd_" << l.name << "_t;\n";
}

std::string sv_package(const CmdFormat& m, const std::string& source) {
  std::ostringstream o;
  o << "// Generated by npu-gen-cmd from " << source << ". Do not edit: change the description\n"
    << "// and rebuild (CTest cmd_generated_files_up_to_date compares this copy).\n"
    << "// Use: npu_cmd_pkg::Name for values (Yosys 0.23 cannot parse `import ...::*;`); alias a\n"
    << "// struct locally before use (typedef npu_cmd_pkg::cmd_compute_t cmd_compute_t;: Icarus "
       "11\n"
    << "// cannot use package-qualified struct and enum types directly); compare with the enum\n"
    << "// constants (no casts to enum types in Yosys 0.23 / Icarus 11).\n"
    << "// Per field: <Layout><Field>Lsb (bit in the whole command) and <Layout><Field>W.\n"
    << "package npu_cmd_pkg;\n"
    << "  // Every user needs only some of the values.\n"
    << "  /* verilator lint_off UNUSEDPARAM */\n"
    << "  localparam int CmdBytes = " << m.bytes << ";\n"
    << "  localparam int CmdBits = " << m.bytes * 8 << ";\n"
    << "  localparam int CmdWords = " << m.words() << ";\n"
    << "  localparam int OpcodeLsb = " << m.opcode.bit() << ";\n"
    << "  localparam int OpcodeW = " << m.opcode.width << ";\n"
    << "  // npu_ctrl's error codes are 0 .. CtrlErrors - 1 (err_code_o is CtrlErrW bits wide)\n"
    << "  localparam int CtrlErrors = " << m.ctrl_errors << ";\n"
    << "  localparam int CtrlErrW = " << m.ctrl_error_bits << ";\n";
  for (const Layout& l : m.layouts) {
    for (const Field& f : l.fields) {
      o << "  localparam int " << camel(l.name) << camel(f.name) << "Lsb = " << f.bit() << ";\n"
        << "  localparam int " << camel(l.name) << camel(f.name) << "W = " << f.width << ";\n";
    }
  }
  o << "  /* verilator lint_on UNUSEDPARAM */\n\n";
  for (const Enum& e : m.enums) {
    std::vector<std::pair<std::string, uint32_t>> vs;
    for (const auto& v : e.values) vs.emplace_back(v.name, v.value);
    sv_enum(o, e.name + "_e", e.bits, enum_prefix(e), vs, e.doc);
  }
  std::vector<std::pair<std::string, uint32_t>> errs;
  for (const auto& e : m.error_codes) {
    if (static_cast<int>(e.value) < m.ctrl_errors) errs.emplace_back(e.name, e.value);
  }
  sv_enum(o, "ctrl_err_e", m.ctrl_error_bits, "Err", errs,
          "npu_ctrl's error codes (err_code_o): the register map's codes below CtrlErrors");
  o << "\n  // The whole command as each layout sees it (MSB first; rsvd_* must be 0).\n";
  for (std::size_t i = 1; i < m.layouts.size(); ++i) sv_struct(o, m, m.layouts[i]);
  o << "endpackage\n";
  return o.str();
}

// ---------------------------------------------------------------- C++
void cpp_enum(std::ostringstream& o, const std::string& type,
              const std::vector<std::pair<std::string, uint32_t>>& values, const std::string& doc) {
  o << "// " << one_line(doc) << "\nenum class " << type << " : uint32_t {\n";
  for (const auto& v : values) o << "  k" << camel(v.first) << " = " << v.second << ",\n";
  o << "};\n\n";
}

void cpp_layout(std::ostringstream& o, const Layout& l) {
  const std::string s = l.cpp_struct;
  o << "// " << one_line(l.doc) << "\nstruct " << s << " {\n";
  for (const Field& f : l.fields) {
    if (l.cpp_bool) {
      o << "  bool " << f.name << " = " << (f.def ? "true" : "false") << ";";
    } else {
      o << "  uint32_t " << f.name << " = " << f.def << ";";
    }
    o << "  // " << one_line(f.doc) << "\n";
  }
  o << "};\n\n";
  o << "inline " << s << " get_" << l.name << "(const CmdWords& w) {\n  " << s << " c;\n";
  for (const Field& f : l.fields) {
    o << "  c." << f.name << " = get_bits(w, " << f.word << ", " << f.lsb << ", " << f.width << ")"
      << (l.cpp_bool ? " != 0" : "") << ";\n";
  }
  o << "  return c;\n}\n\n";
  o << "// Puts every field at its place, masked to its width (no range check: see docs).\n"
    << "inline void put_" << l.name << "(CmdWords& w, const " << s << "& c) {\n";
  for (const Field& f : l.fields) {
    o << "  put_bits(w, " << f.word << ", " << f.lsb << ", " << f.width << ", "
      << (l.cpp_bool ? "c." + f.name + " ? 1u : 0u" : "c." + f.name) << ");\n";
  }
  o << "}\n\n";
  o << "inline constexpr FieldInfo k" << s << "Fields[] = {\n";
  for (const Field& f : l.fields) {
    o << "    {\"" << f.name << "\", " << f.word << ", " << f.lsb << ", " << f.width << "},\n";
  }
  o << "};\n\n";
}

std::string cpp_header(const CmdFormat& m, const std::string& source) {
  std::ostringstream o;
  o << "// Generated by npu-gen-cmd from " << source << ". Do not edit.\n"
    << "// The 64-byte command of npu_ctrl (docs/control.md, \"Command format\"): enums, one "
       "struct\n"
    << "// per layout with the defaults of the description, get_<layout> / put_<layout> (decode /\n"
    << "// encode, masking to the field widths), and a table of every field.\n"
    << "#pragma once\n\n#include <array>\n#include <cstdint>\n\nnamespace npu::cmd {\n\n"
    << "constexpr int kCmdBytes = " << m.bytes << ";\n"
    << "constexpr int kCmdWords = " << m.words() << ";\n"
    << "using CmdWords = std::array<uint32_t, kCmdWords>;  // word i = bytes 4i..4i+3, "
       "little-endian\n"
    << "constexpr int kCtrlErrors = " << m.ctrl_errors
    << ";  // npu_ctrl raises codes 0 .. kCtrlErrors - 1\n"
    << "constexpr int kCtrlErrorBits = " << m.ctrl_error_bits
    << ";  // width of npu_ctrl's err_code_o\n\n";
  for (const Enum& e : m.enums) {
    std::vector<std::pair<std::string, uint32_t>> vs;
    for (const auto& v : e.values) vs.emplace_back(v.name, v.value);
    cpp_enum(o, camel(e.name), vs, e.doc);
  }
  std::vector<std::pair<std::string, uint32_t>> errs;
  for (const auto& e : m.error_codes) {
    if (static_cast<int>(e.value) < m.ctrl_errors) errs.emplace_back(e.name, e.value);
  }
  cpp_enum(o, "CtrlError", errs,
           "npu_ctrl's error codes (err_code_o), the register map's codes 0 .. kCtrlErrors - 1");
  o << "// The name of a register-map error code (npu_ctrl's and the register file's), or \"?\".\n"
    << "inline const char* error_name(uint32_t code) {\n  switch (code) {\n";
  for (const auto& e : m.error_codes)
    o << "    case " << e.value << ": return \"" << e.name << "\";\n";
  o << "    default: return \"?\";\n  }\n}\n\n";
  o << "struct FieldInfo {\n  const char* name;\n  int word, lsb, width;\n};\n\n"
    << "constexpr uint32_t field_mask(int width) {\n"
    << "  return width >= 32 ? 0xFFFFFFFFu : (1u << width) - 1u;\n}\n"
    << "inline uint32_t get_bits(const CmdWords& w, int word, int lsb, int width) {\n"
    << "  return (w[static_cast<std::size_t>(word)] >> lsb) & field_mask(width);\n}\n"
    << "inline void put_bits(CmdWords& w, int word, int lsb, int width, uint32_t v) {\n"
    << "  uint32_t& x = w[static_cast<std::size_t>(word)];\n"
    << "  x = (x & ~(field_mask(width) << lsb)) | ((v & field_mask(width)) << lsb);\n}\n\n"
    << "inline uint32_t get_opcode(const CmdWords& w) {\n  return get_bits(w, " << m.opcode.word
    << ", " << m.opcode.lsb << ", " << m.opcode.width << ");\n}\n"
    << "inline void put_opcode(CmdWords& w, Opcode op) {\n  put_bits(w, " << m.opcode.word << ", "
    << m.opcode.lsb << ", " << m.opcode.width << ", static_cast<uint32_t>(op));\n}\n\n";
  for (const Layout& l : m.layouts) cpp_layout(o, l);
  o << "}  // namespace npu::cmd\n";
  return o.str();
}

// ---------------------------------------------------------------- Markdown
void md_field_rows(std::ostringstream& o, const std::vector<Field>& fs, bool with_default) {
  for (const Field& f : fs) {
    o << "| " << f.word << " | " << bits_text(f) << " | `" << f.name << "` |";
    if (with_default) o << " " << f.def << " |";
    o << " " << one_line(f.doc) << " |\n";
  }
}

void md_enum(std::ostringstream& o, const Enum& e) {
  o << "`" << e.name << "` (" << one_line(e.doc)
    << "):\n\n| value | name | meaning |\n|---|---|---|\n";
  for (const auto& v : e.values)
    o << "| " << v.value << " | " << v.name << " | " << one_line(v.doc) << " |\n";
  o << "\n";
}

std::string md_command_format(const CmdFormat& m, const std::string& source) {
  std::ostringstream o;
  o << "<!-- Generated by npu-gen-cmd from rtl/csr/" << source
    << ": edit the description, not this "
    << "section. -->\n\n"
    << m.bytes << " bytes, word `i` = bytes `4i .. 4i+3`, little-endian. Bits no field names are "
    << "reserved and must be 0 (some are checked, see errors). **Every opcode** (word 0):\n\n"
    << "| word | bits | field | meaning |\n|---|---|---|---|\n"
    << "| " << m.opcode.word << " | " << bits_text(m.opcode) << " | `opcode` | "
    << one_line(m.enum_named("opcode").doc) << " |\n";
  md_field_rows(o, m.layouts[0].fields, false);
  o << "\n" << one_line(m.layouts[0].doc) << " END carries no flags.\n\n";
  md_enum(o, m.enum_named("opcode"));
  for (std::size_t i = 1; i < m.layouts.size(); ++i) {
    const Layout& l = m.layouts[i];
    o << "**Layout `" << l.name << "`** (";
    for (std::size_t k = 0; k < l.opcodes.size(); ++k) o << (k ? ", " : "") << l.opcodes[k];
    o << "): " << one_line(l.doc) << "\n\n| word | bits | field | default | meaning |\n"
      << "|---|---|---|---|---|\n";
    md_field_rows(o, l.fields, true);
    o << "\n";
  }
  for (const Enum& e : m.enums) {
    if (e.name != "opcode") md_enum(o, e);
  }
  o << "Defaults are the C++ structs' (`npu_cmd/npu_cmd.h`); SV: one packed struct per layout, "
    << "`npu_cmd_pkg::cmd_<layout>_t`, the whole " << m.bytes * 8 << "-bit command.\n";
  return o.str();
}

std::string md_error_codes(const CmdFormat& m) {
  std::ostringstream o;
  o << "<!-- Generated by npu-gen-cmd from rtl/csr/npu_regs.yaml (error_codes). -->\n\n"
    << "| code | name | raised when |\n|---|---|---|\n";
  for (const auto& e : m.error_codes) {
    o << "| " << e.value << " | " << e.name << " | " << (e.value == 0 ? "" : one_line(e.doc))
      << " |\n";
  }
  return o.str();
}

std::string replace_region(const std::string& doc, const std::string& name, const std::string& body,
                           const std::string& source) {
  const std::string begin = "<!-- npu-gen-cmd begin " + name + " -->";
  const std::string end = "<!-- npu-gen-cmd end " + name + " -->";
  const auto b = doc.find(begin);
  const auto e = doc.find(end);
  if (b == std::string::npos || e == std::string::npos || e < b) {
    throw npu::cmd_desc::CmdFormatError(source + ": missing the markers '" + begin + "' ... '" +
                                        end + "'");
  }
  return doc.substr(0, b + begin.size()) + "\n" + body + doc.substr(e);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw npu::cmd_desc::CmdFormatError(path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw npu::cmd_desc::CmdFormatError(path + ": cannot write");
}

int usage(const std::string& why) {
  std::cerr << "npu-gen-cmd: " << why << "\n"
            << "usage: npu-gen-cmd --desc npu_cmd.yaml [--sv npu_cmd_pkg.sv] [--header npu_cmd.h]\n"
            << "                   [--md-in control.md --md-out out.md]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string desc, sv, header, md_in, md_out;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return usage("option '" + arg + "' needs a value");
    const std::string value = argv[++i];
    if (arg == "--desc")
      desc = value;
    else if (arg == "--sv")
      sv = value;
    else if (arg == "--header")
      header = value;
    else if (arg == "--md-in")
      md_in = value;
    else if (arg == "--md-out")
      md_out = value;
    else
      return usage("unknown option '" + arg + "'");
  }
  if (desc.empty()) return usage("--desc is required");
  if (md_in.empty() != md_out.empty()) return usage("--md-in and --md-out go together");
  if (sv.empty() && header.empty() && md_out.empty()) return usage("nothing to write");
  try {
    const CmdFormat fmt = npu::cmd_desc::load_cmd_format(desc);
    const std::string source = base_name(desc);
    if (!sv.empty()) write_file(sv, sv_package(fmt, source));
    if (!header.empty()) write_file(header, cpp_header(fmt, source));
    if (!md_out.empty()) {
      std::string doc = read_file(md_in);
      doc = replace_region(doc, "command-format", md_command_format(fmt, source), md_in);
      doc = replace_region(doc, "error-codes", md_error_codes(fmt), md_in);
      write_file(md_out, doc);
    }
  } catch (const std::exception& e) {
    std::cerr << "npu-gen-cmd: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
