#include "sw/model/model_loader.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "sw/model/network_check.h"
#include "sw/model/number_format.h"
#include "sw/model/preprocess_yaml.h"
#include "sw/model/weight_file.h"
#include "sw/model/yaml_fields.h"

namespace npu::model {

namespace {

constexpr const char* kFormat1 = "npu-model-1";
constexpr const char* kFormat2 = "npu-model-2";  // adds the optional preprocess list
constexpr int kIntMax = std::numeric_limits<int>::max();

// The fields of every op, so that a field valid for another op is reported as such and
// not as a typo. in_channels / in_features are optional cross-checks of the input tensor.
const std::map<std::string, std::set<std::string>>& op_fields() {
  static const std::map<std::string, std::set<std::string>> fields = {
      {"conv2d", {"out_channels", "in_channels", "kernel", "stride", "padding", "relu"}},
      {"fully_connected", {"out_features", "in_features", "relu"}},
      {"max_pool", {"kernel", "stride", "padding"}},
      {"avg_pool", {"kernel", "stride", "padding"}},
      {"global_avg_pool", {}},
      {"add", {"relu"}},
  };
  return fields;
}

const std::map<std::string, Op>& ops_by_name() {
  static const std::map<std::string, Op> ops = {
      {"conv2d", Op::kConv2d},
      {"fully_connected", Op::kFullyConnected},
      {"max_pool", Op::kMaxPool},
      {"avg_pool", Op::kAvgPool},
      {"global_avg_pool", Op::kGlobalAvgPool},
      {"add", Op::kAdd},
  };
  return ops;
}

std::vector<uint8_t> read_file(const std::string& path, const ErrorSite& site,
                               const std::string& what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    site.fail("cannot read " + what + " '" + path + "': it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) site.fail("cannot open " + what + " '" + path + "': " + std::strerror(errno));
  try {
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  } catch (const std::exception& e) {  // libstdc++ throws from underflow on read errors
    site.fail("cannot read " + what + " '" + path + "': " + e.what());
  }
}

golden::Shape read_shape(const YAML::Node& node, const ErrorSite& site) {
  const std::vector<int> hwc = read_int_list(node, site, {3}, false);
  for (std::size_t i = 0; i < 3; ++i) {
    if (hwc[i] < 1) {
      site.fail("every dimension of [H, W, C] must be >= 1 (got " + std::to_string(hwc[i]) +
                " at index " + std::to_string(i) + ")");
    }
  }
  // Sizes are int throughout the toolchain (and in the hardware's address generators).
  const int64_t elements = int64_t{hwc[0]} * hwc[1] * hwc[2];
  if (elements > kIntMax) {
    site.fail("the tensor has " + std::to_string(elements) + " elements, more than " +
              std::to_string(kIntMax));
  }
  return {1, hwc[0], hwc[1], hwc[2]};
}

// The scale and zero_point of an input/output map.
golden::QuantParams read_quant(const YamlMap& map, const ErrorSite& site) {
  golden::QuantParams q;
  q.scale = static_cast<float>(read_number(map.required("scale"), map.site_of("scale")));
  q.zero_point = read_int_in(map.required("zero_point"), map.site_of("zero_point"),
                             std::numeric_limits<int>::min(), kIntMax);
  // Range checks with the value as the float the network will hold (1e-50 becomes 0).
  check_quant(q, site);
  return q;
}

struct ParsedLayer {
  Layer layer;
  std::optional<int> declared_in;  // in_channels / in_features, when given
};

void read_geometry(const YamlMap& map, Op op, golden::ConvGeometry& g) {
  const std::vector<int> k =
      read_int_list(map.required("kernel"), map.site_of("kernel"), {2}, true);
  g.kernel_h = k[0];
  g.kernel_w = k.size() == 2 ? k[1] : k[0];
  // Pools default to non-overlapping windows, convolutions to stride 1.
  if (map.has("stride")) {
    const std::vector<int> s =
        read_int_list(map.optional("stride"), map.site_of("stride"), {2}, true);
    g.stride_h = s[0];
    g.stride_w = s.size() == 2 ? s[1] : s[0];
  } else if (op == Op::kConv2d) {
    g.stride_h = g.stride_w = 1;
  } else {
    g.stride_h = g.kernel_h;
    g.stride_w = g.kernel_w;
  }
  if (map.has("padding")) {
    const std::vector<int> p =
        read_int_list(map.optional("padding"), map.site_of("padding"), {2, 4}, true);
    if (p.size() == 1) {
      g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = p[0];
    } else if (p.size() == 2) {
      g.pad_top = g.pad_bottom = p[0];
      g.pad_left = g.pad_right = p[1];
    } else {
      g.pad_top = p[0];
      g.pad_left = p[1];
      g.pad_bottom = p[2];
      g.pad_right = p[3];
    }
  }
}

ParsedLayer read_layer(const YAML::Node& node, std::size_t index, const std::string& file) {
  const ErrorSite where{file, "", "layers[" + std::to_string(index) + "]"};
  if (!node.IsMap()) where.fail("must be a map of fields");
  const YAML::Node name_node = node["name"];
  if (!name_node) where.with_field(where.field + ".name").fail("missing (required)");
  ParsedLayer parsed;
  Layer& l = parsed.layer;
  l.name = read_string(name_node, where.with_field(where.field + ".name"));
  const YamlMap map(node, {file, l.name, ""});

  const std::string op = read_string(map.required("op"), map.site_of("op"));
  const auto op_it = ops_by_name().find(op);
  if (op_it == ops_by_name().end()) {
    std::string known;
    for (const auto& kv : ops_by_name()) known += (known.empty() ? "" : ", ") + kv.first;
    map.site_of("op").fail("unknown op '" + op + "' (known: " + known + ")");
  }
  l.op = op_it->second;

  std::set<std::string> allowed = op_fields().at(op);
  allowed.insert({"name", "op", "output"});
  std::set<std::string> elsewhere{"input", "inputs"};
  for (const auto& kv : op_fields()) elsewhere.insert(kv.second.begin(), kv.second.end());
  if (l.op == Op::kAdd) {
    allowed.insert("inputs");
  } else {
    // A single input may also be written as a list of one.
    allowed.insert({"input", "inputs"});
  }
  map.reject_unknown(allowed, elsewhere, "op '" + op + "'");

  if (l.op == Op::kAdd) {
    l.inputs = read_string_list(map.required("inputs"), map.site_of("inputs"));
    if (l.inputs.size() != 2) {
      map.site_of("inputs").fail("add takes exactly 2 inputs (got " +
                                 std::to_string(l.inputs.size()) + ")");
    }
  } else if (map.has("input") && map.has("inputs")) {
    map.site_of("inputs").fail("give either 'input' or 'inputs', not both");
  } else if (map.has("inputs")) {
    l.inputs = read_string_list(map.optional("inputs"), map.site_of("inputs"));
    if (l.inputs.size() != 1) {
      map.site_of("inputs").fail("op '" + op + "' takes exactly 1 input (got " +
                                 std::to_string(l.inputs.size()) + ")");
    }
  } else {
    l.inputs = {read_string(map.required("input"), map.site_of("input"))};
  }

  switch (l.op) {
    case Op::kConv2d:
      l.weights.out_channels =
          read_int_in(map.required("out_channels"), map.site_of("out_channels"), 1, kIntMax);
      if (map.has("in_channels")) {
        parsed.declared_in =
            read_int_in(map.optional("in_channels"), map.site_of("in_channels"), 1, kIntMax);
      }
      read_geometry(map, l.op, l.geometry);
      l.weights.kernel_h = l.geometry.kernel_h;
      l.weights.kernel_w = l.geometry.kernel_w;
      break;
    case Op::kFullyConnected:
      l.weights.out_channels =
          read_int_in(map.required("out_features"), map.site_of("out_features"), 1, kIntMax);
      if (map.has("in_features")) {
        parsed.declared_in =
            read_int_in(map.optional("in_features"), map.site_of("in_features"), 1, kIntMax);
      }
      break;
    case Op::kMaxPool:
    case Op::kAvgPool:
      read_geometry(map, l.op, l.geometry);
      break;
    case Op::kGlobalAvgPool:
    case Op::kAdd:
      break;
  }
  if (map.has("relu")) l.relu = read_bool(map.optional("relu"), map.site_of("relu"));

  const YamlMap out(map.required("output"), map.site_of("output"));
  out.reject_unknown({"shape", "scale", "zero_point"});
  l.output_shape = read_shape(out.required("shape"), out.site_of("shape"));
  l.output_quant = read_quant(out, out.site());
  return parsed;
}

}  // namespace

Network load_network(const std::string& yaml_path) {
  const ErrorSite top{yaml_path, "", ""};
  const std::vector<uint8_t> yaml_bytes = read_file(yaml_path, top, "model file");
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_bytes.begin(), yaml_bytes.end()));
  } catch (const YAML::Exception& e) {
    top.fail("line " + std::to_string(e.mark.line + 1) + ", column " +
             std::to_string(e.mark.column + 1) + ": YAML syntax error: " + e.msg);
  }
  if (root.IsNull()) top.fail("the file is empty (expected a model description)");
  const YamlMap map(root, top);
  map.reject_unknown(
      {"format", "name", "weights", "classes", "input", "preprocess", "output", "layers"});

  const std::string format = read_string(map.required("format"), map.site_of("format"));
  if (format != kFormat1 && format != kFormat2) {
    map.site_of("format").fail("must be '" + std::string(kFormat1) + "' or '" + kFormat2 +
                               "' (got '" + format + "')");
  }
  if (format == kFormat1 && map.has("preprocess")) {
    map.site_of("preprocess")
        .fail("needs format '" + std::string(kFormat2) + "' (the file says '" + format + "')");
  }
  Network net;
  net.name = read_string(map.required("name"), map.site_of("name"));
  const std::string weights_name = read_string(map.required("weights"), map.site_of("weights"));
  if (map.has("classes")) {
    net.classes = read_string_list(map.optional("classes"), map.site_of("classes"));
  }
  const YamlMap input(map.required("input"), map.site_of("input"));
  input.reject_unknown({"shape", "scale", "zero_point"});
  net.input_shape = read_shape(input.required("shape"), input.site_of("shape"));
  net.input_quant = read_quant(input, input.site());
  if (map.has("preprocess")) {
    net.preprocess = read_preprocess(map.optional("preprocess"), yaml_path, net.input_shape.c);
  }

  const YAML::Node layers = map.required("layers");
  if (!layers.IsSequence() || layers.size() == 0) {
    map.site_of("layers").fail("must be a non-empty list of layers");
  }
  std::vector<ParsedLayer> parsed;
  for (std::size_t i = 0; i < layers.size(); ++i)
    parsed.push_back(read_layer(layers[i], i, yaml_path));
  for (const ParsedLayer& p : parsed) net.layers.push_back(p.layer);
  net.output = map.has("output") ? read_string(map.optional("output"), map.site_of("output"))
                                 : net.layers.back().name;

  // Shapes first, in dependency order: they size the weight sections, and a wrong shape
  // is a clearer message than the weight-file size mismatch it would cause.
  const std::vector<std::size_t> order = topological_order(net, yaml_path);
  std::map<std::string, golden::Shape> shapes{{"input", net.input_shape}};
  for (std::size_t i : order) {
    Layer& l = net.layers[i];
    std::vector<golden::Shape> in;
    for (const std::string& name : l.inputs) in.push_back(shapes.at(name));
    const golden::Shape computed = infer_output_shape(l, in, yaml_path);
    if (l.op == Op::kConv2d || l.op == Op::kFullyConnected) {
      const bool conv = l.op == Op::kConv2d;
      const int actual = conv ? in[0].c : in[0].h * in[0].w * in[0].c;
      if (parsed[i].declared_in && *parsed[i].declared_in != actual) {
        ErrorSite{yaml_path, l.name, conv ? "in_channels" : "in_features"}.fail(
            "declared " + std::to_string(*parsed[i].declared_in) + " but input '" + l.inputs[0] +
            "' has " + std::to_string(actual));
      }
      l.weights.in_channels = actual;
    }
    if (l.output_shape != computed) {
      ErrorSite{yaml_path, l.name, "output.shape"}.fail("declared " + format_shape(l.output_shape) +
                                                        " but the layer computes " +
                                                        format_shape(computed));
    }
    shapes[l.name] = computed;
  }

  // Weight sections follow the listed order, not the topological one.
  const std::filesystem::path weights_path =
      std::filesystem::path(yaml_path).parent_path() / weights_name;
  const std::string weights_file = weights_path.string();
  const std::vector<uint8_t> bytes = read_file(weights_file, map.site_of("weights"), "weight file");
  std::size_t offset = 0;
  const Layer* last = nullptr;
  for (Layer& l : net.layers) {
    if (l.op != Op::kConv2d && l.op != Op::kFullyConnected) continue;
    read_weight_sections(bytes, offset, l.weights, weights_file, l.name);
    last = &l;
  }
  if (offset != bytes.size()) {
    ErrorSite{weights_file, "", ""}.fail(
        std::to_string(bytes.size() - offset) + " bytes left over: the layers need " +
        std::to_string(offset) + " bytes" +
        (last ? " (the last section belongs to layer '" + last->name + "')" : std::string()) +
        " but the file has " + std::to_string(bytes.size()));
  }

  Network sorted = net;
  sorted.layers.clear();
  for (std::size_t i : order) sorted.layers.push_back(std::move(net.layers[i]));
  validate_network(sorted, {yaml_path, weights_file});
  return sorted;
}

}  // namespace npu::model
