// What a run did, as printed at the end and as the --report JSON file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "sw/cli/predictions_file.h"
#include "sw/model/network.h"

namespace npu::cli {

struct RunSummary {
  std::string model_source;  // the --model argument
  uint64_t seed = 0;         // meaningful for synthetic models and random input
  std::string backend;
  int threads = 0;
  std::string input;  // InputSet::description()
  std::size_t images = 0;
  std::optional<std::size_t> correct;  // set when the inputs are labelled
  double seconds = 0;
  std::optional<PredictionComparison> comparison;
  std::string compared_with;      // the --compare-predictions file
  std::string hardware_json;      // device backends: runtime::layer_report_json (empty: null)
  uint64_t simulated_cycles = 0;  // rtl: device cycles summed over the images

  double images_per_second() const;
  double accuracy() const;  // correct / images, or NaN without labels
};

// The JSON document: model (name, source, input shape and quantization, MACs, weight
// bytes), backend, threads, input, images, accuracy, timing, the comparison if any, and
// one entry per layer with its op, output shape and MACs.
std::string run_report_json(const RunSummary& run, const model::Network& net);

// Throws std::runtime_error naming the file if it cannot be written.
void write_run_report(const std::string& path, const RunSummary& run, const model::Network& net);

std::string json_escape(const std::string& s);

}  // namespace npu::cli
