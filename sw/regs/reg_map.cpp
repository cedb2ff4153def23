#include "sw/regs/reg_map.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "sw/regs/desc_yaml.h"

namespace npu::regs_desc {

uint32_t Register::reset() const {
  uint32_t r = 0;
  for (const Field& f : fields) r |= (f.reset << f.lsb) & f.mask();
  return r;
}

uint32_t Register::mask_of(Access a) const {
  uint32_t m = 0;
  for (const Field& f : fields) {
    if (f.access == a) m |= f.mask();
  }
  return m;
}

uint32_t Register::param_mask() const {
  uint32_t m = 0;
  for (const Field& f : fields) {
    if (!f.reset_param.empty()) m |= f.mask();
  }
  return m;
}

uint32_t Register::volatile_mask() const {
  uint32_t m = 0;
  for (const Field& f : fields) {
    if (f.is_volatile) m |= f.mask();
  }
  return m;
}

const char* access_name(Access a) {
  switch (a) {
    case Access::kRO:
      return "RO";
    case Access::kRW:
      return "RW";
    case Access::kW1C:
      return "W1C";
    case Access::kW1P:
      return "W1P";
  }
  return "?";
}

namespace {

using namespace desc_yaml;  // NOLINT(google-build-using-namespace): the parser helpers

// Names become SV (UpperCamelCase) and C++ identifiers: UPPER_SNAKE only.
std::string get_name(const YAML::Node& map, const Ctx& ctx) {
  const std::string name = get_string(map, "name", ctx);
  const bool ok = !name.empty() && name[0] >= 'A' && name[0] <= 'Z' &&
                  std::all_of(name.begin(), name.end(), [](char c) {
                    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
                  });
  if (!ok) ctx.sub("name").fail("must be UPPER_SNAKE_CASE (got '" + name + "')");
  return name;
}

Access parse_access(const std::string& text, const Ctx& ctx) {
  if (text == "RO") return Access::kRO;
  if (text == "RW") return Access::kRW;
  if (text == "W1C") return Access::kW1C;
  if (text == "W1P") return Access::kW1P;
  ctx.fail("must be RO, RW, W1C or W1P (got '" + text + "')");
}

Register parse_register(const YAML::Node& node, const Ctx& ctx, uint32_t window) {
  check_keys(node, {"name", "offset", "doc", "fields"}, ctx);
  Register r;
  r.name = get_name(node, ctx);
  r.offset = static_cast<uint32_t>(get_uint(node, "offset", ctx, window - 4));
  if (r.offset % 4 != 0) ctx.sub("offset").fail("must be a multiple of 4");
  r.doc = get_doc(node, ctx);
  const YAML::Node fields = need_seq(need(node, "fields", ctx), ctx.sub("fields"));
  uint32_t used = 0;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const YAML::Node fn = fields[i];
    const Ctx fctx =
        ctx.item("fields", i, fn.IsMap() && fn["name"] ? fn["name"].as<std::string>() : "");
    check_keys(fn, {"name", "lsb", "width", "access", "reset", "reset_param", "volatile", "doc"},
               fctx);
    Field f;
    f.name = get_name(fn, fctx);
    f.lsb = static_cast<int>(get_uint(fn, "lsb", fctx, 31));
    f.width = static_cast<int>(get_uint(fn, "width", fctx, 32));
    if (f.width == 0 || f.lsb + f.width > 32) fctx.sub("width").fail("field leaves bits 31:0");
    f.access = parse_access(get_string(fn, "access", fctx), fctx.sub("access"));
    if (fn["reset_param"]) {
      if (fn["reset"]) fctx.fail("give either reset or reset_param");
      if (f.access != Access::kRO) fctx.sub("reset_param").fail("only RO fields read a parameter");
      f.reset_param = get_string(fn, "reset_param", fctx);
    } else {
      const uint64_t max = f.width >= 32 ? 0xFFFF'FFFFULL : (1ULL << f.width) - 1;
      f.reset = static_cast<uint32_t>(get_uint(fn, "reset", fctx, max));
    }
    if (f.access == Access::kW1P && f.reset != 0) fctx.sub("reset").fail("W1P fields read 0");
    f.is_volatile = get_bool(fn, "volatile", fctx);
    f.doc = get_doc(fn, fctx);
    if ((used & f.mask()) != 0) fctx.fail("overlaps another field of " + r.name);
    for (const Field& g : r.fields) {
      if (g.name == f.name) fctx.sub("name").fail("duplicate field name in " + r.name);
    }
    used |= f.mask();
    r.fields.push_back(f);
  }
  return r;
}

std::vector<NamedValue> parse_values(const YAML::Node& seq, const Ctx& ctx, uint64_t max) {
  std::vector<NamedValue> out;
  for (std::size_t i = 0; i < seq.size(); ++i) {
    const YAML::Node n = seq[i];
    const Ctx c = ctx.item("", i, n.IsMap() && n["name"] ? n["name"].as<std::string>() : "");
    check_keys(n, {"name", "value", "doc"}, c);
    NamedValue v{get_name(n, c), static_cast<uint32_t>(get_uint(n, "value", c, max)),
                 get_doc(n, c)};
    for (const NamedValue& w : out) {
      if (w.name == v.name) c.sub("name").fail("duplicate name");
    }
    out.push_back(v);
  }
  return out;
}

}  // namespace

RegMap parse_reg_map(const std::string& yaml_text, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw RegMapError(source + ": YAML syntax error: " + e.what());
  }
  const Ctx top(source, "");
  check_keys(root,
             {"format", "name", "data_bits", "window_bytes", "version", "constants", "error_codes",
              "registers", "counters", "notes"},
             top);
  if (get_string(root, "format", top) != "npu-regs-1") top.sub("format").fail("must be npu-regs-1");
  RegMap map;
  map.name = get_string(root, "name", top);
  if (get_uint(root, "data_bits", top, 64) != 32) top.sub("data_bits").fail("must be 32");
  map.window_bytes = static_cast<uint32_t>(get_uint(root, "window_bytes", top, 1u << 20));
  if (map.window_bytes < 8 || (map.window_bytes & (map.window_bytes - 1)) != 0) {
    top.sub("window_bytes").fail("must be a power of two >= 8");
  }
  const YAML::Node version = need(root, "version", top);
  map.version_major = static_cast<int>(get_uint(version, "major", top.sub("version"), 255));
  map.version_minor = static_cast<int>(get_uint(version, "minor", top.sub("version"), 255));

  if (root["constants"]) {
    map.constants = parse_values(need_seq(root["constants"], top.sub("constants")),
                                 top.sub("constants"), 0xFFFF'FFFFULL);
  }
  map.error_codes = parse_values(need_seq(need(root, "error_codes", top), top.sub("error_codes")),
                                 top.sub("error_codes"), 255);
  {
    std::set<uint32_t> values;
    for (std::size_t i = 0; i < map.error_codes.size(); ++i) {
      if (!values.insert(map.error_codes[i].value).second) {
        top.item("error_codes", i, map.error_codes[i].name).sub("value").fail("duplicate value");
      }
    }
    if (map.error_codes.empty() || map.error_codes[0].value != 0) {
      top.sub("error_codes").fail("the first code must be value 0 (no error)");
    }
  }

  const YAML::Node regs = need_seq(need(root, "registers", top), top.sub("registers"));
  for (std::size_t i = 0; i < regs.size(); ++i) {
    const YAML::Node n = regs[i];
    map.registers.push_back(parse_register(
        n, top.item("registers", i, n.IsMap() && n["name"] ? n["name"].as<std::string>() : ""),
        map.window_bytes));
  }
  if (root["counters"]) {
    const YAML::Node cs = need_seq(root["counters"], top.sub("counters"));
    for (std::size_t i = 0; i < cs.size(); ++i) {
      const YAML::Node n = cs[i];
      const Ctx c =
          top.item("counters", i, n.IsMap() && n["name"] ? n["name"].as<std::string>() : "");
      check_keys(n, {"name", "offset", "volatile", "doc"}, c);
      Counter k;
      k.name = get_name(n, c);
      k.offset = static_cast<uint32_t>(get_uint(n, "offset", c, map.window_bytes - 8));
      if (k.offset % 8 != 0) c.sub("offset").fail("must be a multiple of 8 (a _LO/_HI pair)");
      k.is_volatile = get_bool(n, "volatile", c);
      k.doc = get_doc(n, c);
      const int index = static_cast<int>(map.counters.size());
      map.counters.push_back(k);
      for (int hi = 0; hi < 2; ++hi) {
        Register r;
        r.name = k.name + (hi ? "_HI" : "_LO");
        r.offset = k.offset + (hi ? 4u : 0u);
        r.doc = std::string(hi ? "Bits 63:32" : "Bits 31:0") + " of the " + k.name +
                " counter: " + k.doc + (hi ? " (latched by the _LO read)." : ".");
        Field f;
        f.name = "VALUE";
        f.lsb = 0;
        f.width = 32;
        f.access = Access::kRO;
        f.is_volatile = k.is_volatile;
        f.doc = hi ? "counter bits 63:32 latched when _LO was read" : "counter bits 31:0";
        r.fields.push_back(f);
        r.counter = index;
        r.counter_hi = hi != 0;
        map.registers.push_back(r);
      }
    }
  }
  std::stable_sort(map.registers.begin(), map.registers.end(),
                   [](const Register& a, const Register& b) { return a.offset < b.offset; });
  for (std::size_t i = 0; i < map.registers.size(); ++i) {
    if (i > 0 && map.registers[i].offset == map.registers[i - 1].offset) {
      top.sub("registers")
          .fail(map.registers[i - 1].name + " and " + map.registers[i].name + " share offset " +
                std::to_string(map.registers[i].offset));
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (map.registers[i].name == map.registers[j].name) {
        top.sub("registers").fail("duplicate register name " + map.registers[i].name);
      }
    }
  }
  if (root["notes"]) {
    const YAML::Node ns = need_seq(root["notes"], top.sub("notes"));
    for (std::size_t i = 0; i < ns.size(); ++i) {
      const Ctx c = top.item("notes", i, "");
      check_keys(ns[i], {"title", "text"}, c);
      map.notes.push_back({get_string(ns[i], "title", c), get_string(ns[i], "text", c)});
    }
  }
  return map;
}

RegMap load_reg_map(const std::string& yaml_path) {
  std::ifstream in(yaml_path, std::ios::binary);
  if (!in) throw RegMapError(yaml_path + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_reg_map(text.str(), yaml_path);
}

}  // namespace npu::regs_desc
