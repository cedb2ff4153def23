#include "sw/model/yaml_fields.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace npu::model {

namespace {

// What the user wrote, for "(got ...)".
std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing (null)";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a map";
  if (node.Tag() != "?") return "the string \"" + node.Scalar() + "\"";
  return "'" + node.Scalar() + "'";
}

// A plain (unquoted, untagged) scalar: the only kind that may hold a number or a bool.
bool is_plain_scalar(const YAML::Node& node) { return node.IsScalar() && node.Tag() == "?"; }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string join_path(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

}  // namespace

int64_t read_int(const YAML::Node& node, const ErrorSite& site) {
  const std::string& text = node.Scalar();
  bool ok = is_plain_scalar(node) && !text.empty();
  std::size_t i = (ok && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  ok = ok && i < text.size();
  for (; ok && i < text.size(); ++i) ok = std::isdigit(static_cast<unsigned char>(text[i])) != 0;
  if (!ok) site.fail("must be an integer (got " + describe(node) + ")");
  errno = 0;
  const long long value = std::strtoll(text.c_str(), nullptr, 10);
  if (errno == ERANGE) site.fail("integer out of range (got " + describe(node) + ")");
  return value;
}

int read_int_in(const YAML::Node& node, const ErrorSite& site, int64_t lo, int64_t hi) {
  const int64_t value = read_int(node, site);
  if (value < lo)
    site.fail("must be >= " + std::to_string(lo) + " (got " + std::to_string(value) + ")");
  if (value > hi)
    site.fail("must be <= " + std::to_string(hi) + " (got " + std::to_string(value) + ")");
  return static_cast<int>(value);
}

double read_number(const YAML::Node& node, const ErrorSite& site) {
  if (!is_plain_scalar(node)) site.fail("must be a number (got " + describe(node) + ")");
  const std::string& text = node.Scalar();
  // YAML's spellings of the special values; they pass here and fail the finiteness checks
  // with a clearer message.
  const std::string l = lower(text);
  if (l == ".inf" || l == "+.inf") return std::numeric_limits<double>::infinity();
  if (l == "-.inf") return -std::numeric_limits<double>::infinity();
  if (l == ".nan") return std::numeric_limits<double>::quiet_NaN();
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() ||
      std::isspace(static_cast<unsigned char>(text[0]))) {
    site.fail("must be a number (got " + describe(node) + ")");
  }
  return value;
}

bool read_bool(const YAML::Node& node, const ErrorSite& site) {
  if (is_plain_scalar(node)) {
    const std::string l = lower(node.Scalar());
    if (l == "true") return true;
    if (l == "false") return false;
  }
  site.fail("must be true or false (got " + describe(node) + ")");
}

std::string read_string(const YAML::Node& node, const ErrorSite& site) {
  if (!node.IsScalar()) site.fail("must be a string (got " + describe(node) + ")");
  return node.Scalar();
}

std::vector<std::string> read_string_list(const YAML::Node& node, const ErrorSite& site) {
  if (!node.IsSequence()) site.fail("must be a list of strings (got " + describe(node) + ")");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < node.size(); ++i) {
    out.push_back(
        read_string(node[i], site.with_field(site.field + "[" + std::to_string(i) + "]")));
  }
  return out;
}

std::vector<int> read_int_list(const YAML::Node& node, const ErrorSite& site,
                               const std::vector<std::size_t>& lengths, bool scalar_ok) {
  std::string expected;
  for (std::size_t n : lengths) {
    expected += (expected.empty() ? "" : " or ") + std::to_string(n);
  }
  expected = "a list of " + expected + " integers";
  if (scalar_ok) expected = "an integer or " + expected;
  if (scalar_ok && node.IsScalar()) {
    return {
        read_int_in(node, site, std::numeric_limits<int>::min(), std::numeric_limits<int>::max())};
  }
  if (!node.IsSequence() ||
      std::find(lengths.begin(), lengths.end(), node.size()) == lengths.end()) {
    site.fail("must be " + expected + " (got " +
              (node.IsSequence() ? "a list of " + std::to_string(node.size()) : describe(node)) +
              ")");
  }
  std::vector<int> out;
  for (std::size_t i = 0; i < node.size(); ++i) {
    out.push_back(read_int_in(node[i], site.with_field(site.field + "[" + std::to_string(i) + "]"),
                              std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
  }
  return out;
}

YamlMap::YamlMap(const YAML::Node& node, const ErrorSite& site) : node_(node), site_(site) {
  if (!node.IsMap()) {
    site.fail("must be a map of fields (got " + describe(node) + ")");
  }
  // yaml-cpp keeps duplicate keys and node[key] returns the first: a silently ignored
  // second value is exactly the kind of typo the loader must report.
  std::set<std::string> seen;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (!seen.insert(key).second) site_of(key).fail("appears twice");
  }
}

bool YamlMap::has(const std::string& key) const { return static_cast<bool>(node_[key]); }

ErrorSite YamlMap::site_of(const std::string& key) const {
  return site_.with_field(join_path(site_.field, key));
}

YAML::Node YamlMap::required(const std::string& key) const {
  const YAML::Node value = node_[key];
  if (!value) site_of(key).fail("missing (required)");
  return value;
}

YAML::Node YamlMap::optional(const std::string& key) const { return node_[key]; }

void YamlMap::reject_unknown(const std::set<std::string>& allowed,
                             const std::set<std::string>& known_elsewhere,
                             const std::string& context) const {
  for (const auto& kv : node_) {
    const std::string key = kv.first.Scalar();
    if (allowed.count(key)) continue;
    if (known_elsewhere.count(key)) site_of(key).fail("not a field of " + context);
    std::string hint;
    std::size_t best = 3;  // suggest only close matches: one or two typos
    for (const std::string& candidate : allowed) {
      const std::size_t d = edit_distance(key, candidate);
      if (d < best) {
        best = d;
        hint = " (did you mean '" + candidate + "'?)";
      }
    }
    site_of(key).fail("unknown field" + hint);
  }
}

}  // namespace npu::model
