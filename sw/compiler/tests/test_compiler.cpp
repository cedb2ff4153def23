// Whole networks through the compiler: every layer gets a stream, tensors do not overlap, the
// residual adds are fused, and what cannot run on the hardware is a CompileError naming it.
#include <gtest/gtest.h>

#include <iostream>

#include "sw/compiler/compiler.h"
#include "sw/config/hw_config.h"
#include "sw/model/model_loader.h"
#include "sw/model/synthetic_resnet.h"
#include "sw/model/tests/test_support.h"

namespace npu::compiler {
namespace {

Target target(const std::string& name) {
  return Target::from_config(
      config::load_hw_config(std::string(NPU_CONFIGS_DIR) + "/" + name + ".yaml"));
}

void expect_sane(const model::Network& net, const Program& p) {
  // Tensors and constants are disjoint.
  std::vector<std::pair<uint64_t, uint64_t>> spans{{p.input.addr, p.input.addr + p.input.bytes}};
  for (const LayerProgram& l : p.layers)
    spans.emplace_back(l.output.addr, l.output.addr + l.output.bytes);
  for (const DramSegment& s : p.constants) spans.emplace_back(s.addr, s.addr + s.bytes.size());
  std::sort(spans.begin(), spans.end());
  for (size_t i = 1; i < spans.size(); ++i) EXPECT_LE(spans[i - 1].second, spans[i].first);
  EXPECT_LE(spans.back().second, p.dram_end);
  int64_t macs = 0;
  for (const LayerProgram& l : p.layers) {
    EXPECT_EQ(l.stream_addr % 64, 0u) << l.name;
    EXPECT_GE(l.commands, 4u) << l.name;
    EXPECT_LE(l.commands, 65535u) << l.name << ": CMDQ_SIZE";
    macs += l.macs;
  }
  EXPECT_EQ(macs, net.macs()) << "every MAC of the network is in exactly one hardware layer";
  EXPECT_NO_THROW(p.tensor(net.output));
}

void print_plan(const Program& p) {
  int64_t est = 0, macs = 0;
  for (const LayerProgram& l : p.layers) {
    est += l.tiling.est_cycles;
    macs += l.macs;
  }
  std::cout << "[ compiler ] " << p.network << " on " << p.target.name << ": " << p.layers.size()
            << " hardware layers, model estimate " << est << " cycles, "
            << static_cast<double>(macs) / (static_cast<double>(est) * p.target.macs_per_cycle())
            << " MAC utilization (the hardware's counters are what the report shows)" << std::endl;
}

TEST(Compiler, ResNet20OnEveryArraySize) {
  const model::Network net =
      model::load_network(std::string(NPU_MODELS_DIR) + "/resnet20_fmnist/model.yaml");
  for (const char* cfg : {"small", "medium", "default"}) {
    const Program p = compile(net, target(cfg));
    expect_sane(net, p);
    int fused = 0;
    for (const LayerProgram& l : p.layers) fused += l.kind == "conv2d+add";
    EXPECT_EQ(fused, 9) << "ResNet-20 has nine residual adds, each fused into a conv";
    print_plan(p);
  }
}

TEST(Compiler, ResNet18CifarOnMediumAndDefault) {
  const model::Network net = model::make_resnet18(model::ResNetShape::kCifar, 1, 0);
  for (const char* cfg : {"medium", "default"}) {
    const Program p = compile(net, target(cfg));
    expect_sane(net, p);
    print_plan(p);
  }
}

TEST(Compiler, ResNet18ImageNetIsCutIntoBands) {
  const model::Network net = model::make_resnet18(model::ResNetShape::kImageNet, 1, 0);
  const Program p = compile(net, target("default"));
  expect_sane(net, p);
  EXPECT_GT(p.layers.front().tiling.bands, 1) << "the 224x224 stem does not fit one bank";
  print_plan(p);
}

TEST(Compiler, ResNet18Layer4DoesNotFitTheSmallConfigAndSaysWhy) {
  const model::Network net = model::make_resnet18(model::ResNetShape::kCifar, 1, 0);
  try {
    compile(net, target("small"));
    FAIL() << "expected CompileError";
  } catch (const CompileError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("layer '"), std::string::npos) << m;
    EXPECT_NE(m.find("weight bank holds"), std::string::npos) << m;
  }
}

TEST(Compiler, TinyNetworkFusesTheAddIntoTheConvUsedOnlyByIt) {
  const model::Network net = model::testing::tiny_network();
  const Program p = compile(net, target("small"));
  expect_sane(net, p);
  ASSERT_EQ(p.layers.size(), 5u);  // conv1, conv2+add, pool, gap, fc
  EXPECT_EQ(p.layers[1].kind, "conv2d+add");
  EXPECT_EQ(p.layers[1].covers, (std::vector<std::string>{"conv2", "add"}));
}

TEST(Compiler, AddThatCannotBeFusedIsAnError) {
  model::Network net = model::testing::tiny_network();
  // Make conv2's output feed a second consumer: the add has no conv used only by it.
  for (model::Layer& l : net.layers)
    if (l.op == model::Op::kMaxPool) l.inputs = {"conv2"};
  for (model::Layer& l : net.layers)
    if (l.op == model::Op::kGlobalAvgPool) l.inputs = {"add"};
  try {
    compile(net, target("small"));
    FAIL() << "expected CompileError";
  } catch (const CompileError& e) {
    EXPECT_NE(std::string(e.what()).find("'add' (add): neither input"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace npu::compiler
