// Synthetic ResNet-18s: architecture (every layer's shape, MACs, parameters counted by hand
// below), determinism, healthy calibrated activations, and a save/load round trip.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "sw/model/model_loader.h"
#include "sw/model/network_check.h"
#include "sw/model/reference_executor.h"
#include "sw/model/splitmix64.h"
#include "sw/model/synthetic_resnet.h"
#include "sw/model/tests/test_support.h"

namespace npu::model {
namespace {

using LayerSpec = std::tuple<std::string, Op, golden::Shape>;

// The layers of either ResNet-18, written out from the architecture: stem (+ pool), four
// stages of two BasicBlocks (conv1, conv2, [down], add), global average pool, fc.
std::vector<LayerSpec> expected_layers(bool imagenet) {
  const int s1 = imagenet ? 56 : 32;  // stage 1 resolution
  std::vector<LayerSpec> l;
  l.emplace_back("stem", Op::kConv2d,
                 golden::Shape{1, imagenet ? 112 : 32, imagenet ? 112 : 32, 64});
  if (imagenet) l.emplace_back("stem_pool", Op::kMaxPool, golden::Shape{1, 56, 56, 64});
  const int widths[] = {64, 128, 256, 512};
  for (int stage = 1; stage <= 4; ++stage) {
    const int hw = s1 >> (stage - 1);
    const golden::Shape s{1, hw, hw, widths[stage - 1]};
    for (int block = 1; block <= 2; ++block) {
      const std::string p =
          "stage" + std::to_string(stage) + "_block" + std::to_string(block) + "_";
      l.emplace_back(p + "conv1", Op::kConv2d, s);
      l.emplace_back(p + "conv2", Op::kConv2d, s);
      if (stage > 1 && block == 1) l.emplace_back(p + "down", Op::kConv2d, s);
      l.emplace_back(p + "add", Op::kAdd, s);
    }
  }
  l.emplace_back("gap", Op::kGlobalAvgPool, golden::Shape{1, 1, 1, 512});
  l.emplace_back("fc", Op::kFullyConnected, golden::Shape{1, 1, 1, imagenet ? 1000 : 10});
  return l;
}

void expect_architecture(const Network& net, bool imagenet) {
  const std::vector<LayerSpec> expected = expected_layers(imagenet);
  ASSERT_EQ(net.layers.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& [name, op, shape] = expected[i];
    EXPECT_EQ(net.layers[i].name, name) << i;
    EXPECT_EQ(net.layers[i].op, op) << name;
    EXPECT_EQ(net.layers[i].output_shape, shape) << name;
  }
  EXPECT_EQ(net.output, "fc");
}

golden::Tensor random_input(const Network& net, uint64_t seed) {
  SplitMix64 rng(seed);
  golden::Tensor t(net.input_shape, net.input_quant);
  for (int8_t& v : t.data) v = static_cast<int8_t>(rng.uniform_int(-128, 127));
  return t;
}

int64_t bias_count(const Network& net) {
  int64_t n = 0;
  for (const Layer& l : net.layers) n += static_cast<int64_t>(l.weights.bias.size());
  return n;
}

// Healthy activations: few values pinned at the int8 maximum, and real spread (not
// collapsed onto the zero point or a single value). Tiny tensors (the logits) only need
// mostly distinct values: one saturated logit out of ten is no sign of bad calibration.
void expect_healthy(const golden::Tensor& t, const std::string& what) {
  std::size_t saturated = 0;
  std::set<int> distinct;
  for (int8_t v : t.data) {
    saturated += v == 127;
    distinct.insert(v);
  }
  const double fraction = static_cast<double>(saturated) / static_cast<double>(t.data.size());
  if (t.data.size() < 100) {
    EXPECT_GE(distinct.size(), t.data.size() / 2)
        << what << ": only " << distinct.size() << " distinct values";
    return;
  }
  EXPECT_LE(fraction, 0.03) << what << ": " << saturated << " of " << t.data.size()
                            << " values saturated";
  EXPECT_GE(distinct.size(), 20u) << what << ": only " << distinct.size() << " distinct values";
}

void expect_healthy_run(const Network& net, uint64_t input_seed) {
  std::size_t layers = 0;
  golden::Tensor features;
  const golden::Tensor logits = run_reference(net, random_input(net, input_seed),
                                              [&](const Layer& l, const golden::Tensor& t) {
                                                ++layers;
                                                expect_healthy(t, l.name);
                                                if (l.name == "gap") features = t;
                                              });
  EXPECT_EQ(layers, net.layers.size());
  // The final pre-FC tensor uses a real part of its range: not all near the zero point.
  const auto [lo, hi] = std::minmax_element(features.data.begin(), features.data.end());
  EXPECT_GE(*hi - *lo, 32) << "gap output spans only [" << int{*lo} << ", " << int{*hi} << "]";
  expect_healthy(logits, "logits");
}

// ---------------------------------------------------------------- generator

TEST(SplitMix64Test, MatchesTheReferenceSequence) {
  // Published outputs of splitmix64 seeded with 0 (Vigna's reference implementation).
  SplitMix64 rng(0);
  EXPECT_EQ(rng.next(), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(rng.next(), 0x6E789E6AA1B965F4ull);
  EXPECT_EQ(rng.next(), 0x06C45D188009454Full);
}

TEST(SplitMix64Test, GaussianHasUnitSpread) {
  SplitMix64 rng(5);
  double sum = 0, sum2 = 0, max_abs = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double g = rng.gaussian();
    sum += g;
    sum2 += g * g;
    max_abs = std::max(max_abs, std::fabs(g));
  }
  EXPECT_NEAR(sum / n, 0.0, 0.02);
  EXPECT_NEAR(std::sqrt(sum2 / n), 1.0, 0.02);
  EXPECT_LE(max_abs, 3.4642);  // 4 uniforms: bounded by 2 * sqrt(3)
}

// ---------------------------------------------------------------- CIFAR shape

TEST(ResNet18CifarTest, Architecture) {
  const Network net = make_resnet18(ResNetShape::kCifar, 1, 0);
  EXPECT_EQ(net.name, "resnet18-cifar");
  EXPECT_EQ(net.input_shape, (golden::Shape{1, 32, 32, 3}));
  expect_architecture(net, false);
  const Layer& stem = *net.find("stem");
  EXPECT_EQ(stem.geometry.kernel_h, 3);
  EXPECT_EQ(stem.geometry.stride_h, 1);
  EXPECT_EQ(stem.geometry.pad_top, 1);
  EXPECT_TRUE(stem.relu);
  const Layer& down = *net.find("stage3_block1_down");
  EXPECT_EQ(down.geometry.kernel_h, 1);
  EXPECT_EQ(down.geometry.stride_h, 2);
  EXPECT_EQ(down.inputs, std::vector<std::string>{"stage2_block2_add"});
  EXPECT_EQ(net.find("stage3_block1_conv1")->geometry.stride_h, 2);
  EXPECT_EQ(net.find("stage3_block2_add")->inputs,
            (std::vector<std::string>{"stage3_block2_conv2", "stage3_block1_add"}));
  EXPECT_TRUE(net.find("stage1_block1_conv1")->relu);
  EXPECT_FALSE(net.find("stage1_block1_conv2")->relu);
  EXPECT_TRUE(net.find("stage1_block1_add")->relu);
  EXPECT_FALSE(net.find("fc")->relu);
}

TEST(ResNet18CifarTest, MacCount) {
  const Network net = make_resnet18(ResNetShape::kCifar, 1, 0);
  // stem: 32*32*64 * 3*3*3                                   =   1,769,472
  EXPECT_EQ(net.find("stem")->macs(), 1769472);
  // stage 1: 4 convs of 32*32*64 * 3*3*64 = 37,748,736       = 150,994,944
  EXPECT_EQ(net.find("stage1_block2_conv2")->macs(), 37748736);
  // stage 2: conv1 16*16*128 * 3*3*64 = 18,874,368, three of 16*16*128 * 3*3*128 =
  //   37,748,736, down 16*16*128 * 64 = 2,097,152            = 134,217,728
  EXPECT_EQ(net.find("stage2_block1_conv1")->macs(), 18874368);
  EXPECT_EQ(net.find("stage2_block1_down")->macs(), 2097152);
  // stages 3 and 4: the same as stage 2 (half the side, twice the channels)
  //                                                        2 * 134,217,728
  EXPECT_EQ(net.find("stage4_block1_down")->macs(), 2097152);
  // fc: 512 * 10                                              =       5,120
  EXPECT_EQ(net.find("fc")->macs(), 5120);
  EXPECT_EQ(net.find("stage1_block1_add")->macs(), 0);
  // total: 1,769,472 + 150,994,944 + 3 * 134,217,728 + 5,120 = 555,422,720 (~0.56 GMAC)
  EXPECT_EQ(net.macs(), 555422720);
}

TEST(ResNet18CifarTest, ParameterCount) {
  const Network net = make_resnet18(ResNetShape::kCifar, 1, 0);
  // Weights: stem 3*3*3*64 = 1,728; stage 1: 4 * 3*3*64*64 = 147,456;
  // stage 2: 3*3*64*128 + 3 * 3*3*128*128 + 64*128 = 524,288;
  // stage 3: 3*3*128*256 + 3 * 3*3*256*256 + 128*256 = 2,097,152;
  // stage 4: 3*3*256*512 + 3 * 3*3*512*512 + 256*512 = 8,388,608; fc 512*10 = 5,120.
  // Sum: 11,164,352 (~11.2M).
  EXPECT_EQ(net.weight_bytes(), 11164352);
  // Biases: one per output channel: 64 + 4*64 + 5*128 + 5*256 + 5*512 + 10 = 4,810.
  EXPECT_EQ(bias_count(net), 4810);
}

TEST(ResNet18CifarTest, WeightsLookLikeKaimingInit) {
  const Network net = make_resnet18(ResNetShape::kCifar, 3, 0);
  const Layer& conv = *net.find("stage2_block2_conv1");  // fan_in 3*3*128 = 1152
  double sum = 0, sum2 = 0;
  for (int8_t w : conv.weights.data) {
    ASSERT_GE(w, -127);
    sum += w;
    sum2 += static_cast<double>(w) * w;
  }
  const double n = static_cast<double>(conv.weights.data.size());
  EXPECT_NEAR(sum / n, 0.0, 0.5);
  const double q_std = std::sqrt(sum2 / n);
  EXPECT_GT(q_std, 25.0);  // uses the int8 range, without clipping
  EXPECT_LT(q_std, 50.0);
  // The real weights scale * q have the He spread sqrt(2 / 1152) = 0.0417, +-25% per channel.
  for (float s : conv.weights.scales) {
    EXPECT_GT(s * q_std, 0.0417 * 0.7);
    EXPECT_LT(s * q_std, 0.0417 * 1.3);
  }
}

TEST(ResNet18CifarTest, FirstStemWeightsFollowTheSeed) {
  // splitmix64(seed 1): each draw's four 16-bit parts summed, centred and scaled to
  // 36 sigma, rounded; computed independently (Python) for the first four draws.
  const Network net = make_resnet18(ResNetShape::kCifar, 1, 0);
  const std::vector<int8_t>& w = net.find("stem")->weights.data;
  EXPECT_EQ(std::vector<int8_t>(w.begin(), w.begin() + 4), (std::vector<int8_t>{-22, 39, 58, 43}));
}

TEST(ResNet18CifarTest, DeterministicFromTheSeed) {
  const Network a = make_resnet18_cifar(7);
  const Network b = make_resnet18_cifar(7);
  testing::expect_same_network(a, b);
  const golden::Tensor x = random_input(a, 100);
  const golden::Tensor la = run_reference(a, x);
  EXPECT_EQ(la.data, run_reference(b, x).data);

  const Network c = make_resnet18_cifar(8);
  EXPECT_NE(a.find("stem")->weights.data, c.find("stem")->weights.data);
  EXPECT_NE(a.find("fc")->weights.scales, c.find("fc")->weights.scales);
  EXPECT_NE(la.data, run_reference(c, x).data);
}

TEST(ResNet18CifarTest, CalibrationKeepsTheWeights) {
  // Calibration only sets biases and activation scales.
  const Network raw = make_resnet18(ResNetShape::kCifar, 11, 0);
  const Network calibrated = make_resnet18_cifar(11);
  for (std::size_t i = 0; i < raw.layers.size(); ++i) {
    EXPECT_EQ(raw.layers[i].weights.data, calibrated.layers[i].weights.data) << raw.layers[i].name;
    EXPECT_EQ(raw.layers[i].weights.scales, calibrated.layers[i].weights.scales);
  }
  EXPECT_NO_THROW(validate_network(raw));
}

TEST(ResNet18CifarTest, IsValidAndCalibrated) {
  const Network net = make_resnet18_cifar(1);
  EXPECT_NO_THROW(validate_network(net));
  for (const Layer& l : net.layers) {
    // ReLU outputs are unsigned-style (zero point -128), the others symmetric.
    if (l.op == Op::kConv2d || l.op == Op::kAdd) {
      EXPECT_EQ(l.output_quant.zero_point, l.relu ? -128 : 0) << l.name;
    }
    EXPECT_NE(l.output_quant.scale, 1.0f) << l.name << " kept its placeholder scale";
  }
  // Some biases are non-zero once converted to int32.
  const std::vector<int32_t>& bias = net.find("stage2_block1_conv1")->weights.bias;
  EXPECT_TRUE(std::any_of(bias.begin(), bias.end(), [](int32_t b) { return b != 0; }));
}

TEST(ResNet18CifarTest, ActivationsAreHealthy) {
  const Network net = make_resnet18_cifar(1);
  expect_healthy_run(net, 12345);  // an input that was not among the calibration inputs
}

TEST(ResNet18CifarTest, HealthCheckCatchesAnUncalibratedNetwork) {
  // With the placeholder scale 1.0 the stem's outputs collapse onto a few levels: the
  // distinct-value criterion of expect_healthy would reject it.
  const Network raw = make_resnet18(ResNetShape::kCifar, 1, 0);
  std::set<int> distinct;
  run_reference(raw, random_input(raw, 12345), [&](const Layer& l, const golden::Tensor& t) {
    if (l.name == "stem") distinct.insert(t.data.begin(), t.data.end());
  });
  EXPECT_LT(distinct.size(), 20u);
}

TEST(ResNet18CifarTest, DifferentInputsGiveDifferentLogits) {
  const Network net = make_resnet18_cifar(1);
  const golden::Tensor a = run_reference(net, random_input(net, 1));
  const golden::Tensor b = run_reference(net, random_input(net, 2));
  EXPECT_NE(a.data, b.data);
}

TEST(ResNet18CifarTest, SaveLoadRoundTrip) {
  const Network net = make_resnet18_cifar(1);
  testing::TempDir dir;
  save_network(net, dir.path("resnet18.yaml"), "resnet18.bin");
  // Weights (11,164,352 + padding 0) + biases and scales 2 * 4 * 4,810.
  EXPECT_EQ(testing::read_bytes(dir.path("resnet18.bin")).size(), 11164352u + 8u * 4810u);
  const Network loaded = load_network(dir.path("resnet18.yaml"));
  testing::expect_same_network(net, loaded);
  const golden::Tensor x = random_input(net, 9);
  EXPECT_EQ(run_reference(net, x).data, run_reference(loaded, x).data);
}

// ---------------------------------------------------------------- ImageNet shape

TEST(ResNet18ImageNetTest, Architecture) {
  const Network net = make_resnet18(ResNetShape::kImageNet, 1, 0);
  EXPECT_EQ(net.name, "resnet18-imagenet");
  EXPECT_EQ(net.input_shape, (golden::Shape{1, 224, 224, 3}));
  expect_architecture(net, true);
  const Layer& stem = *net.find("stem");
  EXPECT_EQ(std::vector<int>({stem.geometry.kernel_h, stem.geometry.stride_h, stem.geometry.pad_top,
                              stem.geometry.pad_right}),
            std::vector<int>({7, 2, 3, 3}));
  const Layer& pool = *net.find("stem_pool");
  EXPECT_EQ(std::vector<int>({pool.geometry.kernel_w, pool.geometry.stride_w,
                              pool.geometry.pad_left, pool.geometry.pad_bottom}),
            std::vector<int>({3, 2, 1, 1}));
}

TEST(ResNet18ImageNetTest, MacAndParameterCount) {
  const Network net = make_resnet18(ResNetShape::kImageNet, 1, 0);
  // stem: 112*112*64 * 7*7*3                                 = 118,013,952
  EXPECT_EQ(net.find("stem")->macs(), 118013952);
  // stage 1 (56x56): 4 * 56*56*64 * 3*3*64 = 4 * 115,605,504 = 462,422,016
  EXPECT_EQ(net.find("stage1_block1_conv1")->macs(), 115605504);
  // stage 2 (28x28): 28*28*128 * (3*3*64 + 3 * 3*3*128 + 64)  = 411,041,792
  //   = 57,802,752 + 3 * 115,605,504 + 6,422,528; stages 3 and 4 the same.
  EXPECT_EQ(net.find("stage2_block1_conv1")->macs(), 57802752);
  EXPECT_EQ(net.find("stage2_block1_down")->macs(), 6422528);
  // fc: 512 * 1000                                           =     512,000
  EXPECT_EQ(net.find("fc")->macs(), 512000);
  // total: 118,013,952 + 462,422,016 + 3 * 411,041,792 + 512,000 = 1,814,073,344 (~1.8 G)
  EXPECT_EQ(net.macs(), 1814073344);
  // Weights: stem 7*7*3*64 = 9,408 + stages 11,157,504 (as CIFAR) + fc 512,000 = 11,678,912.
  EXPECT_EQ(net.weight_bytes(), 11678912);
  // Biases: 64 + 4*64 + 5*128 + 5*256 + 5*512 + 1000 = 5,800.
  EXPECT_EQ(bias_count(net), 5800);
}

TEST(ResNet18ImageNetTest, CalibratedInferenceIsHealthyAndDeterministic) {
  const Network net = make_resnet18_imagenet(2);
  EXPECT_NO_THROW(validate_network(net));
  expect_healthy_run(net, 777);
  const Network again = make_resnet18_imagenet(2);
  const golden::Tensor x = random_input(net, 5);
  EXPECT_EQ(run_reference(net, x).data, run_reference(again, x).data);
}

}  // namespace
}  // namespace npu::model
