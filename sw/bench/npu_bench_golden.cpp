// npu-bench-golden: throughput of the golden model on the reference networks: the whole
// Fashion-MNIST test set through the committed ResNet-20 (images in parallel), then one
// inference each of the synthetic ResNet-18s (CIFAR and ImageNet shape).
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sw/cli/batch_runner.h"
#include "sw/cli/input_set.h"
#include "sw/cli/model_source.h"
#include "sw/cli/progress_meter.h"
#include "sw/cli/run_options.h"
#include "sw/model/reference_executor.h"

#ifndef NPU_RESNET20_MODEL
#error "NPU_RESNET20_MODEL must be defined by the build"
#endif
#ifndef NPU_BUILD_TYPE
#define NPU_BUILD_TYPE "unknown"
#endif

namespace {

using npu::cli::BackendKind;
using Clock = std::chrono::steady_clock;

struct BenchOptions {
  std::string model = NPU_RESNET20_MODEL;
  int threads = 2;
  uint64_t seed = 1;
  bool help = false;
};

const char kUsage[] =
    "Usage: npu-bench-golden [--model PATH] [--threads N] [--seed N]\n"
    "Golden-model throughput: the 10,000 Fashion-MNIST test images through ResNet-20\n"
    "(default " NPU_RESNET20_MODEL
    ")\n"
    "with N threads (default 2), then one inference of each synthetic ResNet-18\n"
    "(CIFAR and ImageNet shape, weights from --seed, default 1).\n";

template <typename T>
T parse_integer(const std::string& option, const std::string& text) {
  T v{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end) {
    throw std::invalid_argument("option " + option + " expects an integer, got '" + text + "'");
  }
  return v;
}

BenchOptions parse(int argc, char** argv) {
  BenchOptions o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument("option " + a + " needs a value");
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      o.help = true;
    } else if (a == "--model") {
      o.model = value();
    } else if (a == "--threads") {
      o.threads = parse_integer<int>(a, value());
      if (o.threads < 1) throw std::invalid_argument("--threads must be at least 1");
    } else if (a == "--seed") {
      o.seed = parse_integer<uint64_t>(a, value());
    } else {
      throw std::invalid_argument("unknown option '" + a + "' (see --help)");
    }
  }
  return o;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int bench_resnet20(const BenchOptions& o) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(o.model, ec)) {
    std::cerr << "npu-bench-golden: ResNet-20 model '" << o.model
              << "' not found. It is committed under models/resnet20_fmnist/ (trained and "
                 "exported by the project's PyTorch script); pass another with --model.\n";
    return 1;
  }
  const npu::model::Network net = npu::cli::load_model(o.model, 0);
  npu::cli::RunOptions run;
  run.input = npu::cli::InputKind::kDataset;
  run.dataset = "fashion-mnist-test";
  std::ostringstream notes;
  const auto inputs = npu::cli::make_input_set(run, net, notes);
  std::cerr << notes.str();

  npu::cli::ProgressMeter meter(std::cerr, ::isatty(STDERR_FILENO) != 0, true);
  const npu::cli::BatchResult r = npu::cli::run_batch(
      net, *inputs, BackendKind::kReference, o.threads,
      [&meter](std::size_t done, std::size_t total, double s) { meter.update(done, total, s); });
  meter.finish();
  std::size_t correct = 0;
  for (std::size_t i = 0; i < r.outputs.size(); ++i) {
    correct += npu::model::argmax(r.outputs[i]) == inputs->label(i).value_or(-1);
  }
  const double n = static_cast<double>(r.outputs.size());
  const double macs = static_cast<double>(net.macs());
  std::cout << "ResNet-20 (" << net.name << ", " << o.model << ")\n";
  std::printf("  %zu images, %.1f MMAC each, %d threads: %.3f s wall\n", r.outputs.size(),
              macs / 1e6, r.threads, r.seconds);
  std::printf("  %.1f images/s, %.2f GMAC/s, accuracy %.2f %% (%zu/%zu)\n", n / r.seconds,
              n * macs / r.seconds / 1e9, 100.0 * static_cast<double>(correct) / n, correct,
              r.outputs.size());
  std::fflush(stdout);
  return 0;
}

void bench_single(const std::string& name, uint64_t seed) {
  const Clock::time_point build_start = Clock::now();
  const npu::model::Network net = npu::cli::load_model(name, seed);
  const double build_seconds = seconds_since(build_start);
  npu::cli::RunOptions run;
  run.input = npu::cli::InputKind::kRandom;
  run.random_count = 1;
  run.seed = seed;
  std::ostringstream notes;
  const auto inputs = npu::cli::make_input_set(run, net, notes);
  const npu::cli::BatchResult r = npu::cli::run_batch(net, *inputs, BackendKind::kReference, 1);
  const double macs = static_cast<double>(net.macs());
  std::cout << name << " (seed " << seed << ", input " << net.input_shape.h << "x"
            << net.input_shape.w << "x" << net.input_shape.c << ")\n";
  std::printf(
      "  1 inference, %.1f MMAC, 1 thread: %.3f s wall, %.2f GMAC/s (network built and "
      "calibrated in %.2f s)\n",
      macs / 1e6, r.seconds, macs / r.seconds / 1e9, build_seconds);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const BenchOptions o = parse(argc, argv);
    if (o.help) {
      std::cout << kUsage;
      return 0;
    }
    const Clock::time_point start = Clock::now();
    std::cout << "npu-bench-golden: golden model, " NPU_BUILD_TYPE " build\n";
    const int status = bench_resnet20(o);
    if (status != 0) return status;
    bench_single("resnet18-cifar", o.seed);
    bench_single("resnet18-imagenet", o.seed);
    std::printf("total wall time %.2f s\n", seconds_since(start));
    return 0;
  } catch (const std::invalid_argument& e) {
    std::cerr << "npu-bench-golden: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "npu-bench-golden: error: " << e.what() << "\n";
    return 1;
  }
}
