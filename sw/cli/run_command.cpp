#include "sw/cli/run_command.h"

#include <cstdio>
#include <memory>
#include <optional>
#include <sstream>

#include "sw/cli/batch_runner.h"
#include "sw/cli/input_set.h"
#include "sw/cli/layer_dump.h"
#include "sw/cli/model_source.h"
#include "sw/cli/predictions_file.h"
#include "sw/cli/progress_meter.h"
#include "sw/cli/run_options.h"
#include "sw/cli/run_report.h"
#include "sw/cli/top_classes.h"
#include "sw/compiler/compiler.h"
#include "sw/model/reference_executor.h"
#include "sw/runtime/layer_report.h"

namespace npu::cli {
namespace {

constexpr int kTopK = 5;

std::string format(const char* fmt, double a, double b = 0, double c = 0) {
  char buf[128];
  std::snprintf(buf, sizeof buf, fmt, a, b, c);
  return buf;
}

// --config: a path to a YAML file, or a name under configs/.
std::string config_path(const std::string& config) {
  if (config.find('/') != std::string::npos || config.find(".yaml") != std::string::npos)
    return config;
  return std::string(NPU_CONFIGS_DIR) + "/" + config + ".yaml";
}

std::string class_label(const std::vector<std::string>& names, int index) {
  if (index >= 0 && static_cast<std::size_t>(index) < names.size()) return names[index];
  return "class " + std::to_string(index);
}

void print_model(std::ostream& err, const std::string& source, const model::Network& net) {
  const golden::Shape& s = net.input_shape;
  err << "model: " << net.name << " (" << source << "), input " << s.h << "x" << s.w << "x" << s.c
      << ", " << net.layers.size() << " layers, "
      << format("%.1f MMAC/inference, %.1f KiB of weights", net.macs() / 1e6,
                net.weight_bytes() / 1024.0)
      << "\n";
}

void print_top(std::ostream& out, const InputSet& inputs, std::size_t i,
               const golden::Tensor& logits, const std::vector<std::string>& names) {
  out << inputs.name(i);
  if (const std::optional<int> label = inputs.label(i)) {
    out << " (label " << *label << ", " << class_label(names, *label) << ")";
  }
  out << ":\n";
  int rank = 1;
  for (const ClassScore& c : top_classes(logits, kTopK)) {
    char line[160];
    std::snprintf(line, sizeof line, "  %d. %4d  %-24s %9.4f  (q %4d)\n", rank++, c.index,
                  class_label(names, c.index).c_str(), static_cast<double>(c.score),
                  static_cast<int>(c.quantized));
    out << line;
  }
}

// Device backends: the hardware config, the compiled program (into `program`, which must
// outlive the returned setup), the device options and the per-layer progress of long runs.
BackendSetup setup_device(const RunOptions& opt, const model::Network& net, std::size_t images,
                          std::ostream& err, compiler::Program& program) {
  BackendSetup setup;
  setup.hw = config::load_hw_config(config_path(opt.config));
  const compiler::Target target = compiler::Target::from_config(setup.hw);
  program = compiler::compile(net, target);
  setup.program = &program;
  setup.check = opt.check;
  if (opt.random_memory) {
    setup.verilator.memory.mode = runtime::MemoryTiming::Mode::kRandom;
    setup.verilator.memory.seed = opt.memory_seed;
  }
  setup.verilator.trace.path = opt.trace;
  setup.trace_layer = opt.trace_layer;
  setup.verilator.trace.first_cycle = opt.trace_first;
  setup.verilator.trace.last_cycle = opt.trace_last;
  if (!opt.trace.empty() && (opt.threads != 1 && images > 1))
    throw UsageError("--trace needs --threads 1 (one simulator writes the file)");
  if (!opt.quiet) {
    int64_t est = 0;
    for (const compiler::LayerProgram& l : program.layers) est += l.tiling.est_cycles;
    err << "hardware: '" << target.name << "' " << target.rows << "x" << target.cols << " ("
        << config_path(opt.config) << "), " << program.layers.size() << " hardware layers, "
        << format("%.1f MiB of DRAM", static_cast<double>(program.dram_end) / (1 << 20))
        << ", model estimate " << est << " cycles/inference"
        << (opt.check ? ", check mode: every layer compared with golden" : "") << "\n";
  }
  // Per-layer progress for single long runs (ResNet-18 on the RTL takes seconds per image).
  if (!opt.quiet && images == 1 && opt.backend == BackendKind::kRtl) {
    setup.on_layer_start = [&err](std::size_t i, std::size_t n, const compiler::LayerProgram& l) {
      err << "  layer " << i + 1 << "/" << n << " " << l.name << " (" << l.kind << ", " << l.jobs
          << " job" << (l.jobs == 1 ? "" : "s") << ")\n";
    };
  }
  return setup;
}

void print_results(std::ostream& out, const RunSummary& run, const model::Network& net) {
  out << "images:     " << run.input << ", " << run.images << " image"
      << (run.images == 1 ? "" : "s") << "\n";
  if (run.correct) {
    out << "accuracy:   " << format("%.2f %%", 100.0 * run.accuracy()) << " (" << *run.correct
        << "/" << run.images << ")\n";
  }
  out << "throughput: "
      << format("%.2f images/s, %.1f MMAC/s, %.3f s wall", run.images_per_second(),
                run.images_per_second() * static_cast<double>(net.macs()) / 1e6, run.seconds)
      << " (" << run.backend << " backend, " << run.threads << " thread"
      << (run.threads == 1 ? "" : "s") << ")\n";
}

// --compare-predictions: agreement with `theirs`, their accuracy on the same images, the
// differing images. Fills run.comparison.
void compare_with(std::ostream& out, const RunOptions& opt, const InputSet& inputs,
                  const std::vector<int>& predictions, const std::vector<int>& theirs,
                  RunSummary& run) {
  std::vector<std::size_t> source_index;
  for (std::size_t i = 0; i < inputs.size(); ++i) source_index.push_back(inputs.source_index(i));
  run.comparison = compare_predictions(predictions, source_index, inputs.source_size(), theirs,
                                       opt.compare_predictions);
  run.compared_with = opt.compare_predictions;
  const PredictionComparison& c = *run.comparison;
  out << "agreement:  " << c.agreeing << "/" << c.compared << " top-1 predictions equal to "
      << opt.compare_predictions
      << format(" (%.2f %%)", 100.0 * c.agreeing / static_cast<double>(c.compared)) << "\n";
  if (inputs.has_labels()) {
    // Their accuracy on the same images, next to ours.
    const std::size_t per_dataset = theirs.size() == inputs.source_size() ? 1 : 0;
    std::size_t their_correct = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const std::size_t k = per_dataset ? inputs.source_index(i) : i;
      their_correct += theirs[k] == *inputs.label(i);
    }
    out << "their acc.: "
        << format("%.2f %%", 100.0 * their_correct / static_cast<double>(inputs.size())) << " ("
        << their_correct << "/" << inputs.size() << ") on the same images, by "
        << opt.compare_predictions << "\n";
  }
  if (c.differing_total > 0) {
    out << "differing:  ";
    for (std::size_t i = 0; i < c.differing.size(); ++i) out << (i ? " " : "") << c.differing[i];
    if (c.differing_total > c.differing.size()) {
      out << " ... (" << c.differing_total - c.differing.size() << " more)";
    }
    out << "\n";
  }
}

// Device backends: the per-layer table and totals from the hardware counters, the chart.
// Fills run.simulated_cycles and run.hardware_json.
void report_hardware(std::ostream& out, std::ostream& err, const RunOptions& opt,
                     const BatchResult& result, const compiler::Program& program,
                     const model::Network& net, RunSummary& run) {
  const compiler::Target& t = program.target;
  out << "\nper-layer report (" << run.backend << " backend, " << t.rows << "x" << t.cols
      << ", hardware counters summed over " << run.images << " image"
      << (run.images == 1 ? "" : "s")
      << "; util = MACs / (R*C*cycles), eff = roofline / cycles):\n";
  runtime::print_layer_table(out, result.layers, t);
  const runtime::LayerStats all = runtime::total(result.layers, "total");
  run.simulated_cycles = all.cycles;
  if (all.cycles > 0) {
    const runtime::LayerFigures f = runtime::figures(all, t);
    out << "hardware:   " << all.cycles / run.images << " cycles/image, MAC utilization "
        << format("%.3f, roofline efficiency %.3f", f.utilization, f.efficiency) << ", "
        << format("%.2f ms/image at %.0f MHz",
                  static_cast<double>(all.cycles) / run.images / (t.clock_mhz * 1e3), t.clock_mhz)
        << "\n";
    out << "simulation: " << all.cycles << " cycles in "
        << format("%.2f s, %.0f cycles/s", run.seconds,
                  static_cast<double>(all.cycles) / run.seconds)
        << " (" << run.threads << " thread" << (run.threads == 1 ? "" : "s") << ")\n";
  }
  if (opt.check) {
    out << "check:      every layer of every image bit-exact with the golden model (so the golden\n"
        << "            model's accuracy on these images is the accuracy above)\n";
  }
  run.hardware_json = runtime::layer_report_json(result.layers, t);
  if (!opt.chart.empty()) {
    runtime::write_layer_chart(opt.chart, result.layers, t,
                               net.name + " on " + t.name + " (" + run.backend + ")");
    if (!opt.quiet) err << "wrote " << opt.chart << "\n";
  }
}

int execute(const RunOptions& opt, std::ostream& out, std::ostream& err, bool err_is_tty) {
  std::ostringstream discarded;
  std::ostream& notes = opt.quiet ? discarded : err;

  const model::Network net = load_model(opt.model, opt.seed);
  if (!opt.quiet) print_model(err, opt.model, net);
  const std::unique_ptr<InputSet> inputs = make_input_set(opt, net, notes);
  if (!opt.dump_input.empty()) {
    write_input_tensors(*inputs, opt.dump_input);
    if (!opt.quiet) err << "wrote " << opt.dump_input << "\n";
  }

  // Read before the run so that a bad file does not cost a long run first.
  std::optional<std::vector<int>> theirs;
  if (!opt.compare_predictions.empty()) theirs = read_predictions(opt.compare_predictions);

  compiler::Program program;
  const BackendSetup setup = uses_device(opt.backend)
                                 ? setup_device(opt, net, inputs->size(), err, program)
                                 : BackendSetup{};

  BatchResult result;
  {
    ProgressMeter meter(err, err_is_tty, !opt.quiet && !setup.on_layer_start);
    result = run_batch(
        net, *inputs, opt.backend, opt.threads,
        [&meter](std::size_t done, std::size_t total, double seconds) {
          meter.update(done, total, seconds);
        },
        setup);
  }

  std::vector<std::string> names = net.classes;
  if (names.empty()) names = inputs->class_names();

  RunSummary run;
  run.model_source = opt.model;
  run.seed = opt.seed;
  run.backend = backend_name(opt.backend);
  run.threads = result.threads;
  run.input = inputs->description();
  run.images = inputs->size();
  run.seconds = result.seconds;

  std::vector<int> predictions;
  std::size_t correct = 0;
  for (std::size_t i = 0; i < result.outputs.size(); ++i) {
    predictions.push_back(model::argmax(result.outputs[i]));
    if (const std::optional<int> label = inputs->label(i)) correct += predictions[i] == *label;
  }
  if (inputs->has_labels()) run.correct = correct;

  if (opt.input == InputKind::kImages || inputs->size() == 1) {
    for (std::size_t i = 0; i < result.outputs.size(); ++i) {
      print_top(out, *inputs, i, result.outputs[i], names);
    }
  }
  print_results(out, run, net);
  if (theirs) compare_with(out, opt, *inputs, predictions, *theirs, run);
  if (uses_device(opt.backend)) report_hardware(out, err, opt, result, program, net, run);

  if (!opt.predictions_out.empty()) {
    write_predictions(opt.predictions_out, predictions);
    if (!opt.quiet) err << "wrote " << opt.predictions_out << "\n";
  }
  if (!opt.dump_layers.empty()) {
    dump_layers(net, *inputs, opt.dump_layers);
    if (!opt.quiet)
      err << "wrote golden outputs of " << net.layers.size() << " layers to " << opt.dump_layers
          << "\n";
  }
  if (!opt.report.empty()) {
    write_run_report(opt.report, run, net);
    if (!opt.quiet) err << "wrote " << opt.report << "\n";
  }
  return 0;
}

}  // namespace

int run_npu_run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                bool err_is_tty) {
  RunOptions opt;
  try {
    opt = parse_run_options(args);
  } catch (const UsageError& e) {
    err << "npu-run: " << e.what() << "\n";
    return 2;
  }
  if (opt.help) {
    out << run_usage();
    return 0;
  }
  try {
    return execute(opt, out, err, err_is_tty);
  } catch (const UsageError& e) {
    err << "npu-run: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "npu-run: error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace npu::cli
