// npu-bench-rtl: the RTL figures of `make bench`: for ResNet-20 (Fashion-MNIST, the committed
// model) and ResNet-18 (CIFAR shape, synthetic weights) on the 8x8 and 16x16 configurations,
// one inference each on the Verilated npu_top (fast memory: 30-cycle latency, always ready):
// per-layer cycles, MAC utilization and roofline efficiency from the hardware's counters, the
// totals, and the simulation speed (simulated cycles per wall-clock second, one core).
// Every output is also checked against the golden model (outside the timed run).
// A measurement, not a test: nothing here is asserted.
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "sw/cli/model_source.h"
#include "sw/compiler/compiler.h"
#include "sw/config/hw_config.h"
#include "sw/model/reference_executor.h"
#include "sw/runtime/layer_report.h"
#include "sw/runtime/session.h"
#include "sw/runtime/verilator_device.h"

namespace {

using Clock = std::chrono::steady_clock;

npu::golden::Tensor random_input(const npu::model::Network& net, uint64_t seed) {
  npu::golden::Tensor t(net.input_shape, net.input_quant);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> d(-128, 127);
  for (auto& v : t.data) v = static_cast<int8_t>(d(rng));
  return t;
}

struct Row {
  std::string net, config;
  uint64_t cycles = 0;
  double util = 0, eff = 0, seconds = 0, min_eff_3x3 = 1;
  std::string min_eff_layer;
};

Row bench(const npu::model::Network& net, const std::string& config) {
  const npu::config::HwConfig hw =
      npu::config::load_hw_config(std::string(NPU_CONFIGS_DIR) + "/" + config + ".yaml");
  const npu::compiler::Target target = npu::compiler::Target::from_config(hw);
  const npu::compiler::Program program = npu::compiler::compile(net, target);
  const std::unique_ptr<npu::runtime::Device> device = npu::runtime::make_verilator_device(hw);
  npu::runtime::Session session(*device, program);
  const npu::golden::Tensor input = random_input(net, 7);
  const Clock::time_point start = Clock::now();
  const npu::runtime::RunResult r = session.run(input);
  Row row;
  row.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const npu::golden::Tensor expected = npu::model::run_reference(net, input);
  if (expected.data != r.output.data)
    throw std::runtime_error(net.name + " on " + config + ": output differs from golden");
  std::cout << "\n== " << net.name << " on '" << config << "' (" << target.rows << "x"
            << target.cols << "), one inference, output bit-exact with golden ==\n";
  npu::runtime::print_layer_table(std::cout, r.layers, target);
  const npu::runtime::LayerStats all = npu::runtime::total(r.layers, "total");
  const npu::runtime::LayerFigures f = npu::runtime::figures(all, target);
  row.net = net.name;
  row.config = config;
  row.cycles = all.cycles;
  row.util = f.utilization;
  row.eff = f.efficiency;
  // The target: roofline efficiency >= 0.85 on every 3x3 conv with >= 16 input channels.
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const npu::compiler::LayerProgram& l = program.layers[i];
    const npu::model::Layer* layer = net.find(l.covers.front());
    if (layer == nullptr || layer->op != npu::model::Op::kConv2d || layer->geometry.kernel_h != 3 ||
        layer->weights.in_channels < 16)
      continue;
    const double e = npu::runtime::figures(r.layers[i], target).efficiency;
    if (e < row.min_eff_3x3) {
      row.min_eff_3x3 = e;
      row.min_eff_layer = l.name;
    }
  }
  return row;
}

}  // namespace

int main() {
  try {
    const npu::model::Network r20 = npu::cli::load_model(NPU_RESNET20_MODEL, 1);
    const npu::model::Network r18 = npu::cli::load_model("resnet18-cifar", 1);
    std::vector<Row> rows;
    for (const npu::model::Network* net : {&r20, &r18})
      for (const char* cfg : {"medium", "default"}) rows.push_back(bench(*net, cfg));
    std::cout << "\n== summary (hardware counters; wall time of the RTL run on one core) ==\n";
    std::printf("%-24s %-8s %10s %6s %6s %16s %8s %12s\n", "network", "config", "cycles", "util",
                "eff", "min eff 3x3>=16", "wall s", "cycles/s");
    for (const Row& r : rows) {
      char eff3[64];
      std::snprintf(eff3, sizeof eff3, "%.3f", r.min_eff_3x3);
      std::printf("%-24s %-8s %10llu %6.3f %6.3f %16s %8.2f %12.0f\n", r.net.c_str(),
                  r.config.c_str(), static_cast<unsigned long long>(r.cycles), r.util, r.eff, eff3,
                  r.seconds, static_cast<double>(r.cycles) / r.seconds);
      std::printf("%-24s %-8s   lowest 3x3 efficiency: %s\n", "", "", r.min_eff_layer.c_str());
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "npu-bench-rtl: error: " << e.what() << "\n";
    return 1;
  }
}
