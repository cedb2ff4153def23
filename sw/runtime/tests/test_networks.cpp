// Whole networks, compiled and run on the devices, every layer's output compared byte for byte
// with the golden model (the session's check mode): ResNet-20 (the committed Fashion-MNIST
// model, real test images) at 4x4, 8x8 and 16x16 on the RTL, also under random memory latency
// and backpressure; ResNet-18 CIFAR shape at 16x16 on the RTL; every network on the golden
// device. ResNet-18 ImageNet shape on the RTL is label "long" (make test-long).
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <set>
#include <string>

#include "sw/compiler/compiler.h"
#include "sw/config/hw_config.h"
#include "sw/data/input_quantization.h"
#include "sw/data/named_dataset.h"
#include "sw/model/model_loader.h"
#include "sw/model/reference_executor.h"
#include "sw/model/synthetic_resnet.h"
#include "sw/runtime/command_model_device.h"
#include "sw/runtime/layer_report.h"
#include "sw/runtime/session.h"
#include "sw/runtime/tests/breadth_networks.h"
#include "sw/runtime/verilator_device.h"

namespace npu::runtime {
namespace {

config::HwConfig hw(const std::string& name) {
  return config::load_hw_config(std::string(NPU_CONFIGS_DIR) + "/" + name + ".yaml");
}

const model::Network& resnet20() {
  static const model::Network net =
      model::load_network(std::string(NPU_MODELS_DIR) + "/resnet20_fmnist/model.yaml");
  return net;
}

// Runs `inputs` through `device` in check mode; returns the summed layer stats.
std::vector<LayerStats> run_checked(Device& device, const model::Network& net,
                                    const config::HwConfig& h,
                                    const std::vector<golden::Tensor>& inputs) {
  const compiler::Program program = compiler::compile(net, compiler::Target::from_config(h));
  Session session(device, program);
  RunOptions o;
  o.check_against = &net;
  std::vector<LayerStats> sum;
  const auto start = std::chrono::steady_clock::now();
  for (const golden::Tensor& in : inputs) {
    RunResult r;
    EXPECT_NO_THROW(r = session.run(in, o))
        << net.name << " on " << h.name << " (" << device.backend_name() << ")";
    if (r.layers.empty()) break;
    EXPECT_EQ(r.output.data, model::run_reference(net, in).data);
    if (sum.empty()) {
      sum = r.layers;
    } else {
      for (size_t i = 0; i < sum.size(); ++i) accumulate(sum[i], r.layers[i]);
    }
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!sum.empty()) {
    const LayerStats all = total(sum, "total");
    const LayerFigures f = figures(all, compiler::Target::from_config(h));
    std::cout << "[ network  ] " << net.name << " on " << h.name << " (" << device.backend_name()
              << "), " << inputs.size() << " input(s), every layer bit-exact: " << all.cycles
              << " cycles, MAC utilization " << f.utilization << ", " << s
              << " s wall with the golden check" << std::endl;
  }
  return sum;
}

std::vector<golden::Tensor> fashion_images(int count) {
  const data::Dataset d = data::load_named_dataset("fashion-mnist-test");
  std::vector<golden::Tensor> v;
  for (int i = 0; i < count; ++i)
    v.push_back(data::quantize_image(d.image(static_cast<size_t>(i)), resnet20()));
  return v;
}

class ResNet20OnRtl : public ::testing::TestWithParam<const char*> {};

TEST_P(ResNet20OnRtl, TwoFashionMnistImagesBitExactEveryLayer) {
  const config::HwConfig h = hw(GetParam());
  const std::unique_ptr<Device> device = make_verilator_device(h);
  const std::vector<LayerStats> s = run_checked(*device, resnet20(), h, fashion_images(2));
  ASSERT_FALSE(s.empty());
  for (const LayerStats& l : s) {
    EXPECT_GT(l.cycles, 0u) << l.name;
    EXPECT_GT(l.dma_wr_bytes, 0u) << l.name;
    if (l.macs > 0) {
      EXPECT_GT(l.mac_active, 0u) << l.name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Configs, ResNet20OnRtl, ::testing::Values("small", "medium", "default"));

TEST(Networks, ResNet20UnderRandomMemoryLatencyAndBackpressure) {
  const config::HwConfig h = hw("medium");
  VerilatorOptions o;
  o.memory.mode = MemoryTiming::Mode::kRandom;
  o.memory.seed = 0x5eed;
  const std::unique_ptr<Device> device = make_verilator_device(h, o);
  EXPECT_FALSE(run_checked(*device, resnet20(), h, fashion_images(1)).empty());
}

TEST(Networks, ResNet18CifarOnRtl16x16) {
  const config::HwConfig h = hw("default");
  const model::Network net = model::make_resnet18_cifar(1);
  const std::unique_ptr<Device> device = make_verilator_device(h);
  EXPECT_FALSE(run_checked(*device, net, h, {data::random_input(net, 3)}).empty());
}

TEST(Networks, EveryNetworkOnTheCommandModelDevice) {
  for (const char* cfg : {"small", "medium", "default"}) {
    const config::HwConfig h = hw(cfg);
    CommandModelDevice d(h);
    run_checked(d, resnet20(), h, fashion_images(1));
  }
  for (const char* cfg : {"medium", "default"}) {
    const config::HwConfig h = hw(cfg);
    const model::Network net = model::make_resnet18_cifar(1);
    CommandModelDevice d(h);
    run_checked(d, net, h, {data::random_input(net, 3)});
  }
}

// Layer forms beyond ResNet's (docs/driver.md, "What compiles"), random inputs.
TEST(Networks, BreadthNetworksHaveVariedActivations) {
  for (const model::Network& net :
       {test::seven_channels_fc_on_image(5), test::wide_global_average(6), test::wide_max_pool(7)})
    model::run_reference(net, data::random_input(net, 1),
                         [&](const model::Layer& l, const golden::Tensor& t) {
                           const std::set<int8_t> values(t.data.begin(), t.data.end());
                           EXPECT_GE(values.size(), std::min<size_t>(t.data.size() / 2, 20))
                               << net.name << " " << l.name;
                         });
}

class BreadthOnRtl : public ::testing::TestWithParam<const char*> {};

TEST_P(BreadthOnRtl, SevenChannelInputAndFullyConnectedOnAnImage) {
  const config::HwConfig h = hw(GetParam());
  const model::Network net = test::seven_channels_fc_on_image(5);
  const std::unique_ptr<Device> device = make_verilator_device(h);
  EXPECT_EQ(
      run_checked(*device, net, h, {data::random_input(net, 1), data::random_input(net, 2)}).size(),
      3u);
}

TEST_P(BreadthOnRtl, GlobalAverageLargerThanAnInputRegion) {
  const config::HwConfig h = hw(GetParam());
  const model::Network net = test::wide_global_average(6);
  const compiler::Program p = compiler::compile(net, compiler::Target::from_config(h));
  EXPECT_GT(p.find("gap")->tiling.nblocks, 1) << "the pool is split by channel groups";
  const std::unique_ptr<Device> device = make_verilator_device(h);
  EXPECT_EQ(run_checked(*device, net, h, {data::random_input(net, 1)}).size(), 3u);
}

TEST_P(BreadthOnRtl, MaxPoolRowWiderThanAnInputRegion) {
  const config::HwConfig h = hw(GetParam());
  const model::Network net = test::wide_max_pool(7);
  const compiler::Program p = compiler::compile(net, compiler::Target::from_config(h));
  EXPECT_GT(p.find("pool")->tiling.nblocks, 1) << "the pool is split by channel groups";
  const std::unique_ptr<Device> device = make_verilator_device(h);
  EXPECT_EQ(run_checked(*device, net, h, {data::random_input(net, 1)}).size(), 4u);
}

INSTANTIATE_TEST_SUITE_P(Configs, BreadthOnRtl, ::testing::Values("small", "medium", "default"));

TEST(Networks, BreadthOnTheCommandModelDevice) {
  for (const char* cfg : {"small", "medium", "default"}) {
    const config::HwConfig h = hw(cfg);
    CommandModelDevice d(h);
    for (const model::Network& net : {test::seven_channels_fc_on_image(5),
                                      test::wide_global_average(6), test::wide_max_pool(7)})
      EXPECT_EQ(
          run_checked(d, net, h, {data::random_input(net, 1), data::random_input(net, 2)}).size(),
          net.layers.size());
  }
}

// The longer suite (label "long"): ResNet-18 ImageNet shape, 224x224, on the 16x16 RTL.
TEST(NetworksLong, ResNet18ImageNetOnRtl16x16) {
  const config::HwConfig h = hw("default");
  const model::Network net = model::make_resnet18_imagenet(1);
  const std::unique_ptr<Device> device = make_verilator_device(h);
  EXPECT_FALSE(run_checked(*device, net, h, {data::random_input(net, 3)}).empty());
}

TEST(Networks, ErrorOfAJobNamesTheLayerAndTheCodeAndTheDeviceRunsOnAfterwards) {
  // A stream whose first LOAD has length 0: ZERO_SIZE at command 0, then a clean run.
  const config::HwConfig h = hw("small");
  compiler::Program program = compiler::compile(resnet20(), compiler::Target::from_config(h));
  for (compiler::DramSegment& s : program.constants) {
    if (s.addr != program.layers.front().stream_addr) continue;
    for (int b = 16; b < 20; ++b) s.bytes[static_cast<size_t>(b)] = 0;  // word 4: len
  }
  const std::unique_ptr<Device> device = make_verilator_device(h);
  Session session(*device, program);
  const golden::Tensor in = fashion_images(1).front();
  try {
    session.run(in);
    FAIL() << "expected JobError";
  } catch (const JobError& e) {
    EXPECT_EQ(e.code, 1u);
    const std::string m = e.what();
    EXPECT_NE(m.find("layer 'stem'"), std::string::npos) << m;
    EXPECT_NE(m.find("ZERO_SIZE at command 0"), std::string::npos) << m;
  }
  const compiler::Program good = compiler::compile(resnet20(), compiler::Target::from_config(h));
  Session again(*device, good);
  RunOptions o;
  o.check_against = &resnet20();
  EXPECT_NO_THROW(again.run(in, o));
}

}  // namespace
}  // namespace npu::runtime
