// Command-line options of npu-run and their parser.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sw/cli/backend.h"

namespace npu::cli {

// A bad command line (exit status 2).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class InputKind { kNone, kImages, kDataset, kRandom, kTensors };

struct RunOptions {
  std::string model;  // YAML path or a synthetic network name (synthetic_models.h)
  uint64_t seed = 1;  // synthetic weights and --random inputs
  InputKind input = InputKind::kNone;
  std::vector<std::string> images;
  std::string dataset;
  int64_t first = 0;
  std::optional<int64_t> count;  // default: the rest of the dataset
  int64_t random_count = 0;
  std::string tensors;  // --tensors: raw int8 input tensors
  BackendKind backend = BackendKind::kReference;
  int threads = 0;                 // 0: std::thread::hardware_concurrency()
  std::string config = "default";  // hardware config: a configs/ name or a YAML path
  bool check = false;              // device backends: compare every layer with golden
  bool random_memory = false;      // rtl: random DRAM latency and backpressure
  uint64_t memory_seed = 1;
  std::string trace;                                  // rtl: FST file
  uint64_t trace_first = 0, trace_last = UINT64_MAX;  // rtl: cycle window of the trace
  std::string trace_layer;                            // rtl: trace only this hardware layer
  std::string chart;  // device backends: PNG chart of the per-layer report
  std::string predictions_out;
  std::string compare_predictions;
  std::string report;
  std::string dump_layers;  // golden outputs of every layer, per image
  std::string dump_input;   // raw int8 input tensors of the run, [n][h][w][c]
  bool quiet = false;
  bool help = false;
};

// Accepts "--opt value" and "--opt=value". Throws UsageError for unknown options, missing
// or malformed values, conflicting or missing input sources.
RunOptions parse_run_options(const std::vector<std::string>& args);

std::string run_usage();

}  // namespace npu::cli
