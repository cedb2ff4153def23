#include "sw/cli/run_report.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace npu::cli {
namespace {

// JSON has no NaN or infinity; they become null.
std::string number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string quoted(const std::string& s) { return "\"" + json_escape(s) + "\""; }

std::string shape_json(const golden::Shape& s) {
  return "[" + std::to_string(s.h) + ", " + std::to_string(s.w) + ", " + std::to_string(s.c) + "]";
}

}  // namespace

double RunSummary::images_per_second() const {
  return seconds > 0 ? static_cast<double>(images) / seconds
                     : std::numeric_limits<double>::quiet_NaN();
}

double RunSummary::accuracy() const {
  if (!correct || images == 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(*correct) / static_cast<double>(images);
}

std::string json_escape(const std::string& s) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;  // UTF-8 passes through unchanged
        }
    }
  }
  return out;
}

std::string run_report_json(const RunSummary& run, const model::Network& net) {
  const auto macs = static_cast<double>(net.macs());
  const double ips = run.images_per_second();
  std::ostringstream o;
  o << "{\n";
  o << "  \"model\": {\n"
    << "    \"name\": " << quoted(net.name) << ",\n"
    << "    \"source\": " << quoted(run.model_source) << ",\n"
    << "    \"seed\": " << run.seed << ",\n"
    << "    \"input_shape\": " << shape_json(net.input_shape) << ",\n"
    << "    \"input_scale\": " << number(net.input_quant.scale) << ",\n"
    << "    \"input_zero_point\": " << net.input_quant.zero_point << ",\n"
    << "    \"classes\": " << net.classes.size() << ",\n"
    << "    \"layers\": " << net.layers.size() << ",\n"
    << "    \"macs_per_inference\": " << net.macs() << ",\n"
    << "    \"weight_bytes\": " << net.weight_bytes() << "\n"
    << "  },\n";
  o << "  \"backend\": " << quoted(run.backend) << ",\n";
  o << "  \"threads\": " << run.threads << ",\n";
  o << "  \"input\": " << quoted(run.input) << ",\n";
  o << "  \"images\": " << run.images << ",\n";
  o << "  \"correct\": " << (run.correct ? std::to_string(*run.correct) : "null") << ",\n";
  o << "  \"accuracy\": " << number(run.accuracy()) << ",\n";
  o << "  \"wall_seconds\": " << number(run.seconds) << ",\n";
  o << "  \"images_per_second\": " << number(ips) << ",\n";
  o << "  \"mmac_per_second\": " << number(ips * macs / 1e6) << ",\n";
  if (run.comparison) {
    const PredictionComparison& c = *run.comparison;
    o << "  \"comparison\": {\n"
      << "    \"file\": " << quoted(run.compared_with) << ",\n"
      << "    \"compared\": " << c.compared << ",\n"
      << "    \"agreeing\": " << c.agreeing << ",\n"
      << "    \"differing\": " << c.differing_total << ",\n"
      << "    \"first_differing\": [";
    for (std::size_t i = 0; i < c.differing.size(); ++i) {
      o << (i ? ", " : "") << c.differing[i];
    }
    o << "]\n  },\n";
  } else {
    o << "  \"comparison\": null,\n";
  }
  o << "  \"hardware\": " << (run.hardware_json.empty() ? "null" : run.hardware_json) << ",\n";
  o << "  \"simulated_cycles\": " << run.simulated_cycles << ",\n";
  o << "  \"per_layer\": [\n";
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const model::Layer& l = net.layers[i];
    o << "    {\"name\": " << quoted(l.name) << ", \"op\": " << quoted(model::op_name(l.op))
      << ", \"output_shape\": " << shape_json(l.output_shape) << ", \"macs\": " << l.macs() << "}"
      << (i + 1 < net.layers.size() ? "," : "") << "\n";
  }
  o << "  ]\n}\n";
  return o.str();
}

void write_run_report(const std::string& path, const RunSummary& run, const model::Network& net) {
  std::ofstream f(path);
  if (!f) {
    throw std::runtime_error("cannot create report file '" + path + "': " + std::strerror(errno));
  }
  f << run_report_json(run, net);
  if (!f.flush()) throw std::runtime_error("error writing report file '" + path + "'");
}

}  // namespace npu::cli
