#include "sw/regs/cmd_format.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "sw/regs/desc_yaml.h"

namespace npu::cmd_desc {
namespace {

using regs_desc::desc_yaml::check_keys;
using regs_desc::desc_yaml::Ctx;
using regs_desc::desc_yaml::get_bool;
using regs_desc::desc_yaml::get_doc;
using regs_desc::desc_yaml::get_string;
using regs_desc::desc_yaml::get_uint;
using regs_desc::desc_yaml::need;
using regs_desc::desc_yaml::need_seq;

bool all_of_chars(const std::string& s, bool upper) {
  const char first_lo = upper ? 'A' : 'a', first_hi = upper ? 'Z' : 'z';
  return !s.empty() && s[0] >= first_lo && s[0] <= first_hi &&
         std::all_of(s.begin(), s.end(), [&](char c) {
           return (c >= first_lo && c <= first_hi) || (c >= '0' && c <= '9') || c == '_';
         });
}

// Field, layout and enum names are C++ members / SV identifiers as they are: lower_snake.
std::string get_ident(const YAML::Node& map, const Ctx& ctx, bool upper) {
  const std::string name = get_string(map, "name", ctx);
  if (!all_of_chars(name, upper)) {
    ctx.sub("name").fail(std::string("must be ") + (upper ? "UPPER_SNAKE" : "lower_snake") +
                         "_case (got '" + name + "')");
  }
  return name;
}

std::string name_of(const YAML::Node& n) {
  return n.IsMap() && n["name"] && n["name"].IsScalar() ? n["name"].as<std::string>() : "";
}

int bits_for(uint64_t max_value) {
  int b = 1;
  while (b < 32 && (max_value >> b) != 0) ++b;
  return b;
}

uint64_t field_max(int width) { return width >= 32 ? 0xFFFF'FFFFULL : (1ULL << width) - 1; }

Enum parse_enum(const YAML::Node& n, const Ctx& ctx) {
  check_keys(n, {"name", "bits", "doc", "values"}, ctx);
  Enum e;
  e.name = get_ident(n, ctx, false);
  e.doc = get_doc(n, ctx);
  const YAML::Node vs = need_seq(need(n, "values", ctx), ctx.sub("values"));
  uint32_t max = 0;
  for (std::size_t i = 0; i < vs.size(); ++i) {
    const Ctx c = ctx.item("values", i, name_of(vs[i]));
    check_keys(vs[i], {"name", "value", "doc"}, c);
    EnumValue v{get_ident(vs[i], c, true),
                static_cast<uint32_t>(get_uint(vs[i], "value", c, 0xFFFF'FFFFULL)),
                get_doc(vs[i], c)};
    for (const EnumValue& w : e.values) {
      if (w.name == v.name) c.sub("name").fail("duplicate name in enum " + e.name);
      if (w.value == v.value) c.sub("value").fail("duplicate value in enum " + e.name);
    }
    max = std::max(max, v.value);
    e.values.push_back(v);
  }
  e.bits = bits_for(max);
  if (n["bits"]) {
    const int bits = static_cast<int>(get_uint(n, "bits", ctx, 32));
    if (bits < e.bits) ctx.sub("bits").fail("too narrow for the largest value");
    e.bits = bits;
  }
  return e;
}

Field parse_field(const YAML::Node& n, const Ctx& ctx, int words) {
  check_keys(n, {"name", "word", "lsb", "width", "default", "enum", "doc"}, ctx);
  Field f;
  f.name = get_ident(n, ctx, false);
  f.word = static_cast<int>(get_uint(n, "word", ctx, static_cast<uint64_t>(words - 1)));
  f.lsb = static_cast<int>(get_uint(n, "lsb", ctx, 31));
  f.width = static_cast<int>(get_uint(n, "width", ctx, 32));
  if (f.width == 0 || f.lsb + f.width > 32)
    ctx.sub("width").fail("field leaves bits 31:0 of its word");
  if (n["default"]) f.def = static_cast<uint32_t>(get_uint(n, "default", ctx, field_max(f.width)));
  if (n["enum"]) f.enum_name = get_string(n, "enum", ctx);
  f.doc = get_doc(n, ctx);
  return f;
}

// Marks the bits of `f` in `used` (one bit per command bit); fails on an overlap.
void claim(std::vector<std::string>& used, const Field& f, const Ctx& ctx) {
  for (int b = f.bit(); b < f.bit() + f.width; ++b) {
    if (!used[static_cast<std::size_t>(b)].empty())
      ctx.fail("overlaps " + used[static_cast<std::size_t>(b)]);
    used[static_cast<std::size_t>(b)] = f.name;
  }
}

Layout parse_layout(const YAML::Node& n, const Ctx& ctx, const CmdFormat& fmt) {
  check_keys(n, {"name", "cpp_struct", "cpp_bool", "opcodes", "doc", "fields"}, ctx);
  Layout l;
  l.name = get_ident(n, ctx, false);
  l.cpp_struct = get_string(n, "cpp_struct", ctx);
  l.cpp_bool = get_bool(n, "cpp_bool", ctx);
  l.doc = get_doc(n, ctx);
  if (n["opcodes"]) {
    const YAML::Node ops = need_seq(n["opcodes"], ctx.sub("opcodes"));
    const Enum& opcode = fmt.enum_named("opcode");
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const std::string op = ops[i].as<std::string>();
      const bool known = std::any_of(opcode.values.begin(), opcode.values.end(),
                                     [&](const EnumValue& v) { return v.name == op; });
      if (!known) ctx.item("opcodes", i, "").fail("no opcode named '" + op + "'");
      l.opcodes.push_back(op);
    }
  }
  const YAML::Node fs = need_seq(need(n, "fields", ctx), ctx.sub("fields"));
  for (std::size_t i = 0; i < fs.size(); ++i) {
    const Ctx c = ctx.item("fields", i, name_of(fs[i]));
    Field f = parse_field(fs[i], c, fmt.words());
    if (l.cpp_bool && f.width != 1) c.sub("width").fail("a cpp_bool layout has 1-bit fields only");
    if (!f.enum_name.empty()) {
      const Enum& e = fmt.enum_named(f.enum_name);  // throws for an unknown enum
      if (e.bits > f.width)
        c.sub("enum").fail("enum " + e.name + " needs " + std::to_string(e.bits) + " bits");
    }
    for (const Field& g : l.fields) {
      if (g.name == f.name) c.sub("name").fail("duplicate field name in " + l.name);
    }
    l.fields.push_back(f);
  }
  return l;
}

void parse_errors(const YAML::Node& n, const Ctx& ctx, const regs_desc::RegMap& regs,
                  CmdFormat& fmt) {
  check_keys(n, {"from", "ctrl_error_last"}, ctx);
  fmt.error_codes = regs.error_codes;
  const std::string last = get_string(n, "ctrl_error_last", ctx);
  uint32_t last_value = 0;
  bool found = false;
  for (const auto& e : regs.error_codes) {
    if (e.name == last) {
      last_value = e.value;
      found = true;
    }
  }
  if (!found)
    ctx.sub("ctrl_error_last").fail("no error code named '" + last + "' in the register map");
  // npu_ctrl's codes are 0 .. last, without gaps (its err_code_o is a plain number).
  for (uint32_t v = 0; v <= last_value; ++v) {
    const bool have = std::any_of(regs.error_codes.begin(), regs.error_codes.end(),
                                  [&](const auto& e) { return e.value == v; });
    if (!have) ctx.sub("ctrl_error_last").fail("error code " + std::to_string(v) + " is missing");
  }
  // The register that shows the codes must hold every one of them.
  uint32_t max_code = 0;
  for (const auto& e : regs.error_codes) max_code = std::max(max_code, e.value);
  for (const auto& r : regs.registers) {
    for (const auto& f : r.fields) {
      if (r.name == "ERROR_CODE" && f.name == "CODE" && f.width < bits_for(max_code)) {
        ctx.fail("ERROR_CODE.CODE (" + std::to_string(f.width) + " bits) cannot hold code " +
                 std::to_string(max_code));
      }
    }
  }
  fmt.ctrl_errors = static_cast<int>(last_value) + 1;
  fmt.ctrl_error_bits = bits_for(last_value);
  std::stable_sort(fmt.error_codes.begin(), fmt.error_codes.end(),
                   [](const auto& a, const auto& b) { return a.value < b.value; });
}

}  // namespace

const Enum& CmdFormat::enum_named(const std::string& name) const {
  for (const Enum& e : enums) {
    if (e.name == name) return e;
  }
  throw CmdFormatError("no enum named '" + name + "'");
}

CmdFormat parse_cmd_format(const std::string& yaml_text, const std::string& source,
                           const regs_desc::RegMap& regs) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw CmdFormatError(source + ": YAML syntax error: " + e.what());
  }
  const Ctx top(source, "");
  check_keys(root, {"format", "bytes", "error_codes", "enums", "opcode", "layouts"}, top);
  if (get_string(root, "format", top) != "npu-cmd-1") top.sub("format").fail("must be npu-cmd-1");
  CmdFormat fmt;
  fmt.bytes = static_cast<int>(get_uint(root, "bytes", top, 4096));
  if (fmt.bytes < 4 || fmt.bytes % 4 != 0) top.sub("bytes").fail("must be a multiple of 4");
  parse_errors(need(root, "error_codes", top), top.sub("error_codes"), regs, fmt);

  const YAML::Node es = need_seq(need(root, "enums", top), top.sub("enums"));
  for (std::size_t i = 0; i < es.size(); ++i) {
    const Ctx c = top.item("enums", i, name_of(es[i]));
    Enum e = parse_enum(es[i], c);
    for (const Enum& g : fmt.enums) {
      if (g.name == e.name) c.sub("name").fail("duplicate enum name");
    }
    fmt.enums.push_back(e);
  }
  try {
    fmt.enum_named("opcode");
    fmt.enum_named("engine");
  } catch (const CmdFormatError& e) {
    top.sub("enums").fail(std::string(e.what()) + " (opcode and engine are required)");
  }

  const YAML::Node op = need(root, "opcode", top);
  check_keys(op, {"word", "lsb", "width"}, top.sub("opcode"));
  fmt.opcode.name = "opcode";
  fmt.opcode.word = static_cast<int>(get_uint(op, "word", top.sub("opcode"), 0));
  fmt.opcode.lsb = static_cast<int>(get_uint(op, "lsb", top.sub("opcode"), 31));
  fmt.opcode.width =
      static_cast<int>(get_uint(op, "width", top.sub("opcode"), 32 - fmt.opcode.lsb));
  fmt.opcode.enum_name = "opcode";
  if (fmt.enum_named("opcode").bits > fmt.opcode.width)
    top.sub("opcode").fail("narrower than the opcode enum");

  const YAML::Node ls = need_seq(need(root, "layouts", top), top.sub("layouts"));
  for (std::size_t i = 0; i < ls.size(); ++i) {
    const Ctx c = top.item("layouts", i, name_of(ls[i]));
    Layout l = parse_layout(ls[i], c, fmt);
    if (i == 0 && !l.opcodes.empty())
      c.sub("opcodes").fail("the first layout (dependency flags) is every opcode's");
    if (i > 0 && l.opcodes.empty()) c.sub("opcodes").fail("missing");
    for (const Layout& g : fmt.layouts) {
      if (g.name == l.name || g.cpp_struct == l.cpp_struct) c.sub("name").fail("duplicate layout");
    }
    fmt.layouts.push_back(l);
  }
  // Every layout after the first shares the command with the opcode and the dependency flags.
  for (std::size_t i = 0; i < fmt.layouts.size(); ++i) {
    std::vector<std::string> used(static_cast<std::size_t>(fmt.bytes * 8));
    claim(used, fmt.opcode, top.sub("opcode"));
    const Layout& l = fmt.layouts[i];
    std::vector<const Layout*> parts{&fmt.layouts[0]};
    if (i > 0) parts.push_back(&l);
    for (const Layout* p : parts) {
      const std::size_t li = static_cast<std::size_t>(p - fmt.layouts.data());
      for (std::size_t k = 0; k < p->fields.size(); ++k) {
        claim(used, p->fields[k],
              top.item("layouts", li, p->name).item("fields", k, p->fields[k].name));
      }
    }
  }
  return fmt;
}

CmdFormat load_cmd_format(const std::string& yaml_path) {
  std::ifstream in(yaml_path, std::ios::binary);
  if (!in) throw CmdFormatError(yaml_path + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  const YAML::Node root = YAML::Load(text.str());
  const YAML::Node from = root["error_codes"] ? root["error_codes"]["from"] : YAML::Node();
  if (!from || !from.IsScalar())
    throw CmdFormatError(yaml_path + ": field 'error_codes.from': missing");
  const auto slash = yaml_path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "" : yaml_path.substr(0, slash + 1);
  const regs_desc::RegMap regs = regs_desc::load_reg_map(dir + from.as<std::string>());
  return parse_cmd_format(text.str(), yaml_path, regs);
}

}  // namespace npu::cmd_desc
