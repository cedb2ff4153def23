#include "sw/model/preprocess_yaml.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "sw/model/model_error.h"
#include "sw/model/yaml_fields.h"

namespace npu::model {

namespace {

const PreprocessOp kAllOps[] = {PreprocessOp::kPad, PreprocessOp::kResize,
                                PreprocessOp::kCenterCrop, PreprocessOp::kNormalize};

std::string known_ops() {
  std::string text;
  for (PreprocessOp op : kAllOps)
    text += (text.empty() ? "" : ", ") + std::string(preprocess_op_name(op));
  return text;
}

int read_side(const YAML::Node& node, const ErrorSite& site) {
  return read_int_in(node, site, 1, kMaxPreprocessSide);
}

void read_pad(const YAML::Node& node, const ErrorSite& site, PreprocessStep& step) {
  const std::vector<int> p = read_int_list(node, site, {4}, true);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const ErrorSite at =
        p.size() == 1 ? site : site.with_field(site.field + "[" + std::to_string(i) + "]");
    if (p[i] < 0 || p[i] > kMaxPreprocessSide) {
      at.fail("must be in [0, " + std::to_string(kMaxPreprocessSide) + "] (got " +
              std::to_string(p[i]) + ")");
    }
  }
  for (std::size_t i = 0; i < 4; ++i) step.pad[i] = p.size() == 1 ? p[0] : p[i];
}

void read_center_crop(const YAML::Node& node, const ErrorSite& site, PreprocessStep& step) {
  if (node.IsSequence()) {
    read_int_list(node, site, {2}, false);  // a list of two integers, else a clear message
    step.crop_height = read_side(node[0], site.with_field(site.field + "[0]"));
    step.crop_width = read_side(node[1], site.with_field(site.field + "[1]"));
  } else {
    step.crop_height = step.crop_width = read_side(node, site);
  }
}

std::vector<double> read_channel_values(const YAML::Node& node, const ErrorSite& site, int channels,
                                        bool is_std) {
  if (!node.IsSequence() || node.size() != static_cast<std::size_t>(channels)) {
    site.fail("must be a list of " + std::to_string(channels) +
              " numbers, one per input channel (got " +
              (node.IsSequence() ? "a list of " + std::to_string(node.size()) : "no list") + ")");
  }
  std::vector<double> values;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const ErrorSite at = site.with_field(site.field + "[" + std::to_string(i) + "]");
    const double v = read_number(node[i], at);
    // The value torchvision computes with is the float32 nearest to it.
    const float as_float = static_cast<float>(v);
    if (!std::isfinite(v) || !std::isfinite(as_float)) at.fail("must be finite");
    if (is_std && !(as_float > 0.0f)) at.fail("must be > 0 (normalize divides by it)");
    values.push_back(v);
  }
  return values;
}

void read_normalize(const YAML::Node& node, const ErrorSite& site, int channels,
                    PreprocessStep& step) {
  const YamlMap map(node, site);
  map.reject_unknown({"mean", "std"});
  step.mean = read_channel_values(map.required("mean"), map.site_of("mean"), channels, false);
  step.std = read_channel_values(map.required("std"), map.site_of("std"), channels, true);
}

PreprocessStep read_step(const YAML::Node& node, const ErrorSite& site, int channels) {
  if (!node.IsMap() || node.size() != 1) {
    site.fail("must be a map with exactly one key, the transform (one of " + known_ops() + ")");
  }
  const YamlMap map(node, site);  // rejects a duplicated key
  const std::string key = node.begin()->first.Scalar();
  const YAML::Node value = node.begin()->second;
  const ErrorSite at = map.site_of(key);
  PreprocessStep step;
  if (key == "pad") {
    step.op = PreprocessOp::kPad;
    read_pad(value, at, step);
  } else if (key == "resize") {
    step.op = PreprocessOp::kResize;
    step.resize = read_side(value, at);
  } else if (key == "center_crop") {
    step.op = PreprocessOp::kCenterCrop;
    read_center_crop(value, at, step);
  } else if (key == "normalize") {
    step.op = PreprocessOp::kNormalize;
    read_normalize(value, at, channels, step);
  } else {
    at.fail("unknown transform (known: " + known_ops() + ")");
  }
  return step;
}

// Shortest decimal text that strtod reads back as `x`, so that a saved model reloads equal.
std::string format_double(double x) {
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  return buf;
}

void emit_numbers(YAML::Emitter& e, const std::vector<double>& values) {
  e << YAML::Flow << YAML::BeginSeq;
  for (double v : values) e << format_double(v);
  e << YAML::EndSeq;
}

}  // namespace

const char* preprocess_op_name(PreprocessOp op) {
  switch (op) {
    case PreprocessOp::kPad:
      return "pad";
    case PreprocessOp::kResize:
      return "resize";
    case PreprocessOp::kCenterCrop:
      return "center_crop";
    case PreprocessOp::kNormalize:
      return "normalize";
  }
  return "?";
}

std::vector<PreprocessStep> read_preprocess(const YAML::Node& node, const std::string& file,
                                            int channels) {
  const ErrorSite site{file, "", "preprocess"};
  if (!node.IsSequence()) site.fail("must be a list of transforms (one of " + known_ops() + ")");
  std::vector<PreprocessStep> steps;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const ErrorSite at = site.with_field("preprocess[" + std::to_string(i) + "]");
    steps.push_back(read_step(node[i], at, channels));
    // Normalize works on the float tensor after ToTensor; the image transforms before it
    // work on 8-bit pixels, so one after a normalize would mean something else.
    if (steps.back().op != PreprocessOp::kNormalize && i > 0 &&
        steps[i - 1].op == PreprocessOp::kNormalize) {
      at.fail(std::string(preprocess_op_name(steps.back().op)) +
              " after normalize is not supported (image transforms come first)");
    }
  }
  return steps;
}

void emit_preprocess(YAML::Emitter& e, const std::vector<PreprocessStep>& steps) {
  e << YAML::BeginSeq;
  for (const PreprocessStep& s : steps) {
    e << YAML::BeginMap << YAML::Key << preprocess_op_name(s.op) << YAML::Value;
    switch (s.op) {
      case PreprocessOp::kPad:
        if (s.pad[0] == s.pad[1] && s.pad[1] == s.pad[2] && s.pad[2] == s.pad[3]) {
          e << s.pad[0];
        } else {
          e << YAML::Flow << YAML::BeginSeq << s.pad[0] << s.pad[1] << s.pad[2] << s.pad[3]
            << YAML::EndSeq;
        }
        break;
      case PreprocessOp::kResize:
        e << s.resize;
        break;
      case PreprocessOp::kCenterCrop:
        if (s.crop_height == s.crop_width) {
          e << s.crop_height;
        } else {
          e << YAML::Flow << YAML::BeginSeq << s.crop_height << s.crop_width << YAML::EndSeq;
        }
        break;
      case PreprocessOp::kNormalize:
        e << YAML::Flow << YAML::BeginMap << YAML::Key << "mean" << YAML::Value;
        emit_numbers(e, s.mean);
        e << YAML::Key << "std" << YAML::Value;
        emit_numbers(e, s.std);
        e << YAML::EndMap;
        break;
    }
    e << YAML::EndMap;
  }
  e << YAML::EndSeq;
}

}  // namespace npu::model
