// save_network: the writing half of model_loader.h.
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "sw/model/model_loader.h"
#include "sw/model/network_check.h"
#include "sw/model/number_format.h"
#include "sw/model/preprocess_yaml.h"
#include "sw/model/weight_file.h"

namespace npu::model {

namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const char* data, std::size_t size) {
  const ErrorSite site{path.string(), "", ""};
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) site.fail(std::string("cannot open for writing: ") + std::strerror(errno));
  out.write(data, static_cast<std::streamsize>(size));
  out.close();
  if (!out) site.fail("write failed");
}

// Plain when unambiguous; quoted when a YAML reader (1.1 ones too, like PyYAML) could take
// the text for a bool, null or number, or when it holds special characters.
bool needs_quotes(const std::string& s) {
  static const char* const kSpecial[] = {"y",   "n",    "yes",   "no",   "on",
                                         "off", "true", "false", "null", "~"};
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* word : kSpecial) {
    if (lower == word) return true;
  }
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return true;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.' &&
        c != '/') {
      return true;
    }
  }
  return false;
}

void emit_string(YAML::Emitter& e, const std::string& s) {
  if (needs_quotes(s)) e << YAML::DoubleQuoted;
  e << s;
}

void emit_strings(YAML::Emitter& e, const std::vector<std::string>& list) {
  e << YAML::Flow << YAML::BeginSeq;
  for (const std::string& s : list) emit_string(e, s);
  e << YAML::EndSeq;
}

// Scales as the shortest text that reads back to the same float, so that a saved model
// loads bit-identical.
void emit_quant(YAML::Emitter& e, const golden::Shape& shape, const golden::QuantParams& q) {
  e << YAML::Key << "shape" << YAML::Value << YAML::Flow << YAML::BeginSeq << shape.h << shape.w
    << shape.c << YAML::EndSeq;
  e << YAML::Key << "scale" << YAML::Value << format_float(q.scale);
  e << YAML::Key << "zero_point" << YAML::Value << q.zero_point;
}

// One integer when both values agree, else [a, b].
void emit_pair(YAML::Emitter& e, const char* key, int a, int b) {
  e << YAML::Key << key << YAML::Value;
  if (a == b) {
    e << a;
  } else {
    e << YAML::Flow << YAML::BeginSeq << a << b << YAML::EndSeq;
  }
}

void emit_geometry(YAML::Emitter& e, const golden::ConvGeometry& g) {
  emit_pair(e, "kernel", g.kernel_h, g.kernel_w);
  emit_pair(e, "stride", g.stride_h, g.stride_w);
  e << YAML::Key << "padding" << YAML::Value;
  if (g.pad_top == g.pad_bottom && g.pad_left == g.pad_right) {
    if (g.pad_top == g.pad_left) {
      e << g.pad_top;
    } else {
      e << YAML::Flow << YAML::BeginSeq << g.pad_top << g.pad_left << YAML::EndSeq;
    }
  } else {
    e << YAML::Flow << YAML::BeginSeq << g.pad_top << g.pad_left << g.pad_bottom << g.pad_right
      << YAML::EndSeq;
  }
}

void emit_layer(YAML::Emitter& e, const Layer& l) {
  e << YAML::BeginMap;
  e << YAML::Key << "name" << YAML::Value;
  emit_string(e, l.name);
  e << YAML::Key << "op" << YAML::Value << op_name(l.op);
  if (l.op == Op::kAdd) {
    e << YAML::Key << "inputs" << YAML::Value;
    emit_strings(e, l.inputs);
  } else {
    e << YAML::Key << "input" << YAML::Value;
    emit_string(e, l.inputs.at(0));
  }
  switch (l.op) {
    case Op::kConv2d:
      e << YAML::Key << "out_channels" << YAML::Value << l.weights.out_channels;
      e << YAML::Key << "in_channels" << YAML::Value << l.weights.in_channels;
      emit_geometry(e, l.geometry);
      e << YAML::Key << "relu" << YAML::Value << l.relu;
      break;
    case Op::kFullyConnected:
      e << YAML::Key << "out_features" << YAML::Value << l.weights.out_channels;
      e << YAML::Key << "in_features" << YAML::Value << l.weights.in_channels;
      e << YAML::Key << "relu" << YAML::Value << l.relu;
      break;
    case Op::kMaxPool:
    case Op::kAvgPool:
      emit_geometry(e, l.geometry);
      break;
    case Op::kGlobalAvgPool:
      break;
    case Op::kAdd:
      e << YAML::Key << "relu" << YAML::Value << l.relu;
      break;
  }
  e << YAML::Key << "output" << YAML::Value << YAML::Flow << YAML::BeginMap;
  emit_quant(e, l.output_shape, l.output_quant);
  e << YAML::EndMap;
  e << YAML::EndMap;
}

}  // namespace

void save_network(const Network& net, const std::string& yaml_path,
                  const std::string& weights_path) {
  validate_network(net);

  const fs::path yaml_file(yaml_path);
  const fs::path yaml_dir = yaml_file.parent_path();
  fs::path weights_file(weights_path);
  if (!weights_file.has_parent_path()) weights_file = yaml_dir / weights_file;
  // Relative to the YAML's folder, as the loader resolves it; absolute if no relative
  // path exists (another drive or root).
  fs::path weights_ref =
      fs::absolute(weights_file)
          .lexically_normal()
          .lexically_relative(
              fs::absolute(yaml_dir.empty() ? fs::path(".") : yaml_dir).lexically_normal());
  if (weights_ref.empty()) weights_ref = fs::absolute(weights_file);

  std::vector<uint8_t> bytes;
  for (const Layer& l : net.layers) {
    if (l.op == Op::kConv2d || l.op == Op::kFullyConnected)
      append_weight_sections(l.weights, bytes);
  }

  YAML::Emitter e;
  e << YAML::BeginMap;
  // Version 1 unless there is something only version 2 can say, so that files without a
  // preprocess list stay readable by older tools.
  e << YAML::Key << "format" << YAML::Value
    << (net.preprocess.empty() ? "npu-model-1" : "npu-model-2");
  e << YAML::Key << "name" << YAML::Value;
  emit_string(e, net.name);
  e << YAML::Key << "weights" << YAML::Value;
  emit_string(e, weights_ref.generic_string());
  if (!net.classes.empty()) {
    e << YAML::Key << "classes" << YAML::Value;
    emit_strings(e, net.classes);
  }
  e << YAML::Key << "input" << YAML::Value << YAML::BeginMap;
  emit_quant(e, net.input_shape, net.input_quant);
  e << YAML::EndMap;
  if (!net.preprocess.empty()) {
    e << YAML::Key << "preprocess" << YAML::Value;
    emit_preprocess(e, net.preprocess);
  }
  e << YAML::Key << "output" << YAML::Value;
  emit_string(e, net.output);
  e << YAML::Key << "layers" << YAML::Value << YAML::BeginSeq;
  for (const Layer& l : net.layers) emit_layer(e, l);
  e << YAML::EndSeq << YAML::EndMap;
  if (!e.good()) {
    ErrorSite{yaml_path, "", ""}.fail("cannot emit YAML: " + e.GetLastError());
  }
  std::string text = e.c_str();
  text += "\n";

  write_file(weights_file, reinterpret_cast<const char*>(bytes.data()), bytes.size());
  write_file(yaml_file, text.data(), text.size());
}

}  // namespace npu::model
