#include "sw/cli/run_options.h"

#include <charconv>
#include <limits>

#include "sw/cli/model_source.h"
#include "sw/data/named_dataset.h"

namespace npu::cli {
namespace {

template <typename T>
T parse_integer(const std::string& option, const std::string& text, T min_value) {
  T value{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    throw UsageError("option " + option + " expects an integer, got '" + text + "'");
  }
  if (value < min_value) {
    throw UsageError("option " + option + " must be at least " + std::to_string(min_value) +
                     ", got " + text);
  }
  return value;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

void set_input(RunOptions& opt, InputKind kind, const std::string& option) {
  if (opt.input != InputKind::kNone && opt.input != kind) {
    throw UsageError("option " + option +
                     " conflicts with another input: give one of --image, --dataset, --random, "
                     "--tensors");
  }
  opt.input = kind;
}

}  // namespace

RunOptions parse_run_options(const std::vector<std::string>& args) {
  RunOptions opt;
  bool have_first = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> inline_value;
    if (name.rfind("--", 0) == 0) {
      const std::size_t eq = name.find('=');
      if (eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
    }
    auto value = [&]() -> std::string {
      if (inline_value) return *inline_value;
      if (i + 1 >= args.size()) throw UsageError("option " + name + " needs a value");
      return args[++i];
    };
    auto no_value = [&] {
      if (inline_value) throw UsageError("option " + name + " takes no value");
    };

    if (name == "--help" || name == "-h") {
      no_value();
      opt.help = true;
    } else if (name == "--quiet" || name == "-q") {
      no_value();
      opt.quiet = true;
    } else if (name == "--model") {
      opt.model = value();
      if (opt.model.empty()) throw UsageError("option --model needs a non-empty value");
    } else if (name == "--seed") {
      opt.seed = parse_integer<uint64_t>(name, value(), 0);
    } else if (name == "--image") {
      set_input(opt, InputKind::kImages, name);
      opt.images.push_back(value());
    } else if (name == "--dataset") {
      set_input(opt, InputKind::kDataset, name);
      if (!opt.dataset.empty()) throw UsageError("option --dataset given twice");
      opt.dataset = value();
      const std::vector<std::string> known = data::dataset_names();
      bool found = false;
      for (const std::string& k : known) found = found || k == opt.dataset;
      if (!found) {
        throw UsageError("unknown dataset '" + opt.dataset + "' (known: " + join(known) + ")");
      }
    } else if (name == "--first") {
      opt.first = parse_integer<int64_t>(name, value(), 0);
      have_first = true;
    } else if (name == "--count") {
      opt.count = parse_integer<int64_t>(name, value(), 1);
    } else if (name == "--random") {
      set_input(opt, InputKind::kRandom, name);
      opt.random_count = parse_integer<int64_t>(name, value(), 1);
    } else if (name == "--tensors") {
      set_input(opt, InputKind::kTensors, name);
      if (!opt.tensors.empty()) throw UsageError("option --tensors given twice");
      opt.tensors = value();
      if (opt.tensors.empty()) throw UsageError("option --tensors needs a non-empty value");
    } else if (name == "--backend") {
      try {
        opt.backend = parse_backend(value());
      } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
      }
    } else if (name == "--threads") {
      opt.threads = parse_integer<int>(name, value(), 1);
    } else if (name == "--config") {
      opt.config = value();
      if (opt.config.empty()) throw UsageError("option --config needs a non-empty value");
    } else if (name == "--check") {
      no_value();
      opt.check = true;
    } else if (name == "--memory") {
      const std::string m = value();
      if (m != "fast" && m != "random")
        throw UsageError("option --memory expects fast or random, got '" + m + "'");
      opt.random_memory = m == "random";
    } else if (name == "--memory-seed") {
      opt.memory_seed = parse_integer<uint64_t>(name, value(), 0);
    } else if (name == "--trace") {
      opt.trace = value();
    } else if (name == "--trace-window") {
      const std::string w = value();
      const std::size_t colon = w.find(':');
      if (colon == std::string::npos)
        throw UsageError("option --trace-window expects FIRST:LAST cycles, got '" + w + "'");
      opt.trace_first = parse_integer<uint64_t>(name, w.substr(0, colon), 0);
      opt.trace_last = parse_integer<uint64_t>(name, w.substr(colon + 1), opt.trace_first);
    } else if (name == "--trace-layer") {
      opt.trace_layer = value();
    } else if (name == "--chart") {
      opt.chart = value();
    } else if (name == "--predictions-out") {
      opt.predictions_out = value();
    } else if (name == "--compare-predictions") {
      opt.compare_predictions = value();
    } else if (name == "--report") {
      opt.report = value();
    } else if (name == "--dump-layers") {
      opt.dump_layers = value();
      if (opt.dump_layers.empty()) throw UsageError("option --dump-layers needs a non-empty value");
    } else if (name == "--dump-input") {
      opt.dump_input = value();
      if (opt.dump_input.empty()) throw UsageError("option --dump-input needs a non-empty value");
    } else if (name.rfind("-", 0) == 0) {
      throw UsageError("unknown option '" + args[i] + "' (see --help)");
    } else {
      throw UsageError("unexpected argument '" + args[i] + "' (see --help)");
    }
  }
  if (opt.help) return opt;
  if (opt.model.empty()) {
    throw UsageError(
        "missing --model (a model YAML file, or one of: " + join(synthetic_model_names()) + ")");
  }
  if (opt.input == InputKind::kNone) {
    throw UsageError(
        "missing input: give --image FILE, --dataset NAME, --random N or --tensors FILE");
  }
  if (!uses_device(opt.backend) && (opt.check || !opt.chart.empty())) {
    throw UsageError("--check and --chart need a device backend (model or rtl)");
  }
  if (!opt.trace_layer.empty() && opt.trace.empty())
    throw UsageError("--trace-layer needs --trace FILE.fst");
  if (!opt.trace_layer.empty() && (opt.trace_first != 0 || opt.trace_last != UINT64_MAX))
    throw UsageError("give --trace-window or --trace-layer, not both");
  if (opt.backend != BackendKind::kRtl && (opt.random_memory || !opt.trace.empty())) {
    throw UsageError("--memory and --trace apply to the rtl backend only");
  }
  if ((have_first || opt.count) && opt.input != InputKind::kDataset) {
    throw UsageError("--first and --count apply to --dataset only");
  }
  return opt;
}

std::string run_usage() {
  std::string backends_text;
  for (const BackendInfo& b : backends()) {
    backends_text += "                        " + std::string(b.name) + ": " + b.description + "\n";
  }
  return "Usage: npu-run --model MODEL INPUT [options]\n"
         "Runs a quantized network on images, a dataset slice or random input.\n"
         "\n"
         "Model:\n"
         "  --model PATH|NAME     model YAML file (docs/model-format.md), or a synthetic\n"
         "                        network: " +
         join(synthetic_model_names()) +
         "\n"
         "  --seed N              seed of synthetic weights and of --random inputs (default 1)\n"
         "\n"
         "Input (exactly one kind):\n"
         "  --image FILE          PNG/JPEG/PGM/PPM/BMP image, converted to the model's channel\n"
         "                        count and resized to its input; may be repeated\n"
         "  --dataset NAME        " +
         join(data::dataset_names()) +
         "\n"
         "    --first K           first dataset image (default 0)\n"
         "    --count N           number of images (default: the rest of the dataset)\n"
         "  --random N            N random images (uniform pixels, deterministic from --seed)\n"
         "  --tensors FILE        raw int8 input tensors (N x H*W*C bytes, NHWC, already in the\n"
         "                        model's input quantization; what npu-import's check writes)\n"
         "\n"
         "Execution:\n"
         "  --backend NAME        where to run (default reference):\n" +
         backends_text +
         "  --threads N           images in parallel (default: hardware concurrency)\n"
         "  --config NAME|PATH    hardware config for device backends: small (4x4), medium\n"
         "                        (8x8), default (16x16) or a YAML file (default: default)\n"
         "  --check               device backends: compare every layer's output with the golden\n"
         "                        model, stop at the first differing byte (layer, index, values)\n"
         "  --memory fast|random  rtl: DRAM behind the AXI master: fixed 30-cycle latency, or\n"
         "                        random latency 2..40 and 80% ready/valid (default fast)\n"
         "  --memory-seed N       rtl: seed of --memory random (default 1)\n"
         "  --trace FILE.fst      rtl: FST waveform (open with gtkwave tb/top/top.gtkw)\n"
         "  --trace-window A:B    rtl: only cycles A..B of the trace\n"
         "  --trace-layer NAME    rtl: only the cycles of hardware layer NAME (as in the report)\n"
         "\n"
         "Output:\n"
         "  --predictions-out F   write the predicted class of each image, one per line\n"
         "  --compare-predictions F\n"
         "                        compare top-1 with another run's predictions file (one class\n"
         "                        per line, one line per image of this run or of the whole\n"
         "                        dataset); prints the agreement and up to 20 differing images\n"
         "  --dump-layers DIR     write every layer's golden int8 output of every image:\n"
         "                        DIR/<layer>.bin (images back to back) and DIR/layers.txt\n"
         "  --report F            write a JSON report (model, backend, accuracy, images/s,\n"
         "                        per-layer MACs)\n"
         "  --dump-input F        write the quantized input tensors (int8, [image][h][w][c],\n"
         "                        after the model's preprocess list) to F as raw bytes\n"
         "  --chart F.png         device backends: per-layer utilization / roofline chart\n"
         "  --quiet, -q           no progress or informational lines, only results\n"
         "  --help, -h            this text\n"
         "\n"
         "Exit status: 0 success, 1 bad input or run error, 2 bad command line.\n";
}

}  // namespace npu::cli
