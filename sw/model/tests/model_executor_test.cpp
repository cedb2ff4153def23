// Reference executor: the tiny network's result equals the golden operators called one by
// one; a hand-computed fully connected layer; callbacks; input checks; argmax.
#include <gtest/gtest.h>

#include "golden/add.h"
#include "golden/conv2d.h"
#include "golden/fully_connected.h"
#include "golden/pool.h"
#include "sw/model/model_error.h"
#include "sw/model/reference_executor.h"
#include "sw/model/tests/test_support.h"

namespace npu::model {
namespace {

golden::Tensor tiny_input(const Network& net) {
  golden::Tensor t(net.input_shape, net.input_quant);
  for (std::size_t i = 0; i < t.data.size(); ++i) {
    t.data[i] = static_cast<int8_t>((static_cast<int>(i) * 29) % 256 - 128);
  }
  return t;
}

TEST(ReferenceExecutorTest, MatchesTheGoldenOpsCalledDirectly) {
  const Network net = testing::tiny_network();
  const golden::Tensor x = tiny_input(net);
  const Layer& conv1 = net.layers[0];
  const Layer& conv2 = net.layers[1];
  const golden::Tensor c1 = golden::conv2d(x, conv1.weights, conv1.geometry, {0.1f, -128}, true);
  const golden::Tensor c2 = golden::conv2d(c1, conv2.weights, conv2.geometry, {0.08f, 0}, false);
  const golden::Tensor sum = golden::add(c2, c1, {0.12f, -128}, true);
  const golden::Tensor pooled = golden::max_pool(sum, golden::ConvGeometry{2, 2, 2, 2});
  const golden::Tensor mean = golden::global_avg_pool(pooled);
  const golden::Tensor logits =
      golden::fully_connected(mean, net.layers[5].weights, {0.2f, 5}, false);

  const golden::Tensor out = run_reference(net, x);
  EXPECT_EQ(out.shape, (golden::Shape{1, 1, 1, 2}));
  EXPECT_EQ(out.quant.scale, 0.2f);
  EXPECT_EQ(out.quant.zero_point, 5);
  EXPECT_EQ(out.data, logits.data);
  // The network is not degenerate: the residual path changes the result.
  EXPECT_NE(sum.data, c1.data);
}

TEST(ReferenceExecutorTest, CallbackSeesEveryLayerOnceInOrder) {
  const Network net = testing::tiny_network();
  const golden::Tensor x = tiny_input(net);
  std::vector<std::string> seen;
  std::vector<golden::Tensor> outputs;
  const golden::Tensor out = run_reference(net, x, [&](const Layer& l, const golden::Tensor& t) {
    seen.push_back(l.name);
    outputs.push_back(t);
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"conv1", "conv2", "add", "pool", "gap", "fc"}));
  ASSERT_EQ(outputs.size(), 6u);
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    EXPECT_EQ(outputs[i].shape, net.layers[i].output_shape) << seen[i];
  }
  // Each reported tensor is the layer's real output: the first one is conv1 of x.
  const Layer& conv1 = net.layers[0];
  EXPECT_EQ(outputs[0].data,
            golden::conv2d(x, conv1.weights, conv1.geometry, conv1.output_quant, true).data);
  EXPECT_EQ(outputs.back().data, out.data);
}

TEST(ReferenceExecutorTest, HandComputedFullyConnected) {
  // logits = W x + b with W = [[1, 2], [3, -4]], b = [0, 10], x = [5, 6], all scales 1 and
  // zero points 0: [5 + 12, 15 - 24 + 10] = [17, 1].
  Network net;
  net.name = "fc-only";
  net.input_shape = {1, 1, 1, 2};
  net.input_quant = {1.0f, 0};
  net.output = "fc";
  Layer fc;
  fc.name = "fc";
  fc.op = Op::kFullyConnected;
  fc.inputs = {"input"};
  fc.weights.out_channels = 2;
  fc.weights.in_channels = 2;
  fc.weights.data = {1, 2, 3, -4};
  fc.weights.bias = {0, 10};
  fc.weights.scales = {1.0f, 1.0f};
  fc.output_shape = {1, 1, 1, 2};
  fc.output_quant = {1.0f, 0};
  net.layers = {fc};
  golden::Tensor x(net.input_shape, net.input_quant);
  x.data = {5, 6};
  const golden::Tensor out = run_reference(net, x);
  EXPECT_EQ(out.data, (std::vector<int8_t>{17, 1}));
  EXPECT_EQ(argmax(out), 0);
}

TEST(ReferenceExecutorTest, RejectsWrongInputShape) {
  const Network net = testing::tiny_network();
  golden::Tensor x({1, 4, 4, 3}, net.input_quant);
  testing::expect_model_error([&] { run_reference(net, x); },
                              {"network 'tiny': field 'input': the input tensor is [4, 4, 3], "
                               "the network takes [4, 4, 2]"});
}

TEST(ReferenceExecutorTest, RejectsWrongInputQuantization) {
  const Network net = testing::tiny_network();
  golden::Tensor x(net.input_shape, {0.05f, 0});
  testing::expect_model_error([&] { run_reference(net, x); },
                              {"field 'input': the input is quantized with scale 0.05, zero "
                               "point 0; the network takes 0.05, -10"});
}

TEST(ReferenceExecutorTest, RejectsInputDataOfWrongSize) {
  const Network net = testing::tiny_network();
  golden::Tensor x(net.input_shape, net.input_quant);
  x.data.pop_back();
  testing::expect_model_error([&] { run_reference(net, x); }, {"holds 31 values"});
}

TEST(ArgmaxTest, FirstIndexOfTheMaximum) {
  golden::Tensor t({1, 1, 1, 5}, {1.0f, 0});
  t.data = {-3, 7, 2, 7, -128};
  EXPECT_EQ(argmax(t), 1);
  t.data = {-128, -128, -128, -128, -127};
  EXPECT_EQ(argmax(t), 4);
  t.data = {127, 127, 0, 0, 0};
  EXPECT_EQ(argmax(t), 0);
}

TEST(ArgmaxTest, EmptyTensorThrows) {
  golden::Tensor t;
  t.data.clear();
  EXPECT_THROW(argmax(t), std::invalid_argument);
}

}  // namespace
}  // namespace npu::model
