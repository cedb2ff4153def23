// Loader and saver: a valid model round-trips; each kind of broken model is rejected with
// a message naming the file, the layer and the field. Every test saves the tiny network
// (test_support.h) into its own folder and then breaks one thing in the YAML or the bin.
#include "sw/model/model_loader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sw/model/network_check.h"
#include "sw/model/tests/test_support.h"

namespace npu::model {
namespace {

using testing::edit_yaml;
using testing::expect_model_error;
using testing::layer_node;

class LoaderTest : public ::testing::Test {
 protected:
  void SetUp() override { save_network(testing::tiny_network(), yaml_, "model.bin"); }

  void expect_rejected(std::initializer_list<std::string> parts) {
    expect_model_error([&] { load_network(yaml_); }, parts);
  }

  // Edits one field of one layer in the YAML.
  void set_layer_field(const std::string& layer, const std::string& field, const YAML::Node& v) {
    edit_yaml(yaml_, [&](YAML::Node& root) { layer_node(root, layer)[field] = v; });
  }

  std::vector<uint8_t> bin() const { return testing::read_bytes(bin_); }
  void set_bin(const std::vector<uint8_t>& bytes) { testing::write_bytes(bin_, bytes); }

  testing::TempDir dir_;
  std::string yaml_ = dir_.path("model.yaml");
  std::string bin_ = dir_.path("model.bin");
};

// ---------------------------------------------------------------- valid models

TEST_F(LoaderTest, RoundTripIsIdentical) {
  const Network loaded = load_network(yaml_);
  testing::expect_same_network(testing::tiny_network(), loaded);
  // The weight file is exactly the documented layout: 80 + 36 + 24 bytes.
  EXPECT_EQ(bin().size(), 140u);
  // The YAML refers to the weight file by a relative name.
  EXPECT_NE(testing::read_text(yaml_).find("weights: model.bin"), std::string::npos);
}

TEST_F(LoaderTest, SavingALoadedNetworkGivesTheSameFiles) {
  const Network loaded = load_network(yaml_);
  save_network(loaded, dir_.path("again.yaml"), "again.bin");
  EXPECT_EQ(testing::read_bytes(dir_.path("again.bin")), bin());
  testing::expect_same_network(loaded, load_network(dir_.path("again.yaml")));
}

TEST_F(LoaderTest, StringsThatLookLikeOtherTypesRoundTrip) {
  Network net = testing::tiny_network();
  net.name = "true";
  net.classes = {"null", "3.5"};  // PyYAML would read these unquoted as None and 3.5
  save_network(net, yaml_, "model.bin");
  EXPECT_NE(testing::read_text(yaml_).find("\"null\""), std::string::npos);
  testing::expect_same_network(net, load_network(yaml_));
}

TEST_F(LoaderTest, WeightPathWithFolderIsStoredRelativeToTheYaml) {
  std::filesystem::create_directory(dir_.path("sub"));
  save_network(testing::tiny_network(), dir_.path("net.yaml"), dir_.path("sub/w.bin"));
  EXPECT_NE(testing::read_text(dir_.path("net.yaml")).find("weights: sub/w.bin"),
            std::string::npos);
  testing::expect_same_network(testing::tiny_network(), load_network(dir_.path("net.yaml")));
}

TEST_F(LoaderTest, LayersInAnyOrderAreSortedTopologically) {
  // Moving the weightless layers to the front keeps the weight file valid (it follows the
  // listed order of conv1, conv2, fc).
  edit_yaml(yaml_, [](YAML::Node& root) {
    YAML::Node reordered;
    for (const char* name : {"gap", "pool", "add", "conv1", "conv2", "fc"}) {
      reordered.push_back(layer_node(root, name));
    }
    root["layers"] = reordered;
  });
  testing::expect_same_network(testing::tiny_network(), load_network(yaml_));
}

TEST_F(LoaderTest, OptionalFieldsTakeTheirDefaults) {
  edit_yaml(yaml_, [](YAML::Node& root) {
    root.remove("output");  // default: the last layer
    root.remove("classes");
    YAML::Node conv2 = layer_node(root, "conv2");
    conv2.remove("stride");   // conv default 1
    conv2.remove("padding");  // default 0
    conv2.remove("relu");     // default false
    conv2.remove("in_channels");
    layer_node(root, "fc").remove("in_features");
    layer_node(root, "pool").remove("stride");  // pool default: the kernel
  });
  Network expected = testing::tiny_network();
  expected.classes.clear();
  testing::expect_same_network(expected, load_network(yaml_));
}

// tiny_network with conv1's geometry replaced and every shape after it recomputed.
Network tiny_with_conv1_geometry(const golden::ConvGeometry& g) {
  Network net = testing::tiny_network();
  Layer& conv1 = net.layers[0];
  conv1.geometry = g;
  conv1.weights.kernel_h = g.kernel_h;
  conv1.weights.kernel_w = g.kernel_w;
  conv1.weights.data.resize(static_cast<std::size_t>(3) * g.kernel_h * g.kernel_w * 2);
  const golden::Shape s{1, g.out_h(4), g.out_w(4), 3};
  for (std::size_t i = 0; i < 3; ++i) net.layers[i].output_shape = s;  // conv1, conv2, add
  net.layers[3].output_shape = {1, s.h / 2, s.w / 2, 3};               // 2x2/s2 pool
  return net;
}

TEST_F(LoaderTest, RectangularKernelStrideAndSymmetricPadding) {
  // 3x1 kernel, stride 1x2, padding 1 top/bottom: out = [4, (4 - 1) / 2 + 1 = 2].
  const Network net = tiny_with_conv1_geometry({3, 1, 1, 2, 1, 0, 1, 0});
  ASSERT_EQ(net.layers[0].output_shape, (golden::Shape{1, 4, 2, 3}));
  save_network(net, yaml_, "model.bin");
  const std::string text = testing::read_text(yaml_);
  EXPECT_NE(text.find("kernel: [3, 1]"), std::string::npos) << text;
  EXPECT_NE(text.find("stride: [1, 2]"), std::string::npos) << text;
  EXPECT_NE(text.find("padding: [1, 0]"), std::string::npos) << text;
  testing::expect_same_network(net, load_network(yaml_));
}

TEST_F(LoaderTest, AsymmetricPadding) {
  // [top, left, bottom, right] = [2, 1, 0, 1]: out = (4 + 2 - 3) + 1 = 4 both ways.
  const Network net = tiny_with_conv1_geometry({3, 3, 1, 1, 2, 1, 0, 1});
  save_network(net, yaml_, "model.bin");
  EXPECT_NE(testing::read_text(yaml_).find("padding: [2, 1, 0, 1]"), std::string::npos);
  const Network loaded = load_network(yaml_);
  testing::expect_same_network(net, loaded);
  EXPECT_EQ(loaded.layers[0].geometry.pad_top, 2);
  EXPECT_EQ(loaded.layers[0].geometry.pad_bottom, 0);
}

// ---------------------------------------------------------------- files

TEST_F(LoaderTest, RejectsMissingYamlFile) {
  expect_model_error([&] { load_network(dir_.path("nope.yaml")); },
                     {"nope.yaml", "cannot open model file", "No such file"});
}

TEST_F(LoaderTest, RejectsMissingWeightFile) {
  edit_yaml(yaml_, [](YAML::Node& root) { root["weights"] = "other.bin"; });
  expect_rejected({"model.yaml: field 'weights': cannot open weight file", "other.bin"});
}

TEST_F(LoaderTest, RejectsDirectoryAsWeightFile) {
  edit_yaml(yaml_, [](YAML::Node& root) { root["weights"] = "."; });
  expect_rejected({"model.yaml: field 'weights': cannot read weight file", "it is a directory"});
}

TEST_F(LoaderTest, RejectsEmptyYaml) {
  testing::write_text(yaml_, "");
  expect_rejected({"model.yaml: the file is empty"});
}

TEST_F(LoaderTest, RejectsYamlThatIsNotAMap) {
  testing::write_text(yaml_, "- 1\n- 2\n");
  expect_rejected({"model.yaml: must be a map of fields (got a list)"});
}

TEST_F(LoaderTest, RejectsYamlSyntaxError) {
  testing::write_text(yaml_, "format: npu-model-1\nname: [unclosed\n");
  expect_rejected({"model.yaml:", "YAML syntax error", "line"});
}

TEST_F(LoaderTest, RejectsWrongFormat) {
  edit_yaml(yaml_, [](YAML::Node& root) { root["format"] = "npu-model-3"; });
  expect_rejected(
      {"model.yaml: field 'format': must be 'npu-model-1' or 'npu-model-2' (got 'npu-model-3')"});
}

// ---------------------------------------------------------------- preprocess (format 2)

// The tiny network's input has 2 channels, so normalize takes 2 means and 2 stds.
Network with_preprocess() {
  Network net = testing::tiny_network();
  PreprocessStep pad;
  pad.op = PreprocessOp::kPad;
  pad.pad = {1, 2, 3, 4};
  PreprocessStep resize;
  resize.op = PreprocessOp::kResize;
  resize.resize = 6;
  PreprocessStep crop;
  crop.op = PreprocessOp::kCenterCrop;
  crop.crop_height = crop.crop_width = 4;
  PreprocessStep norm;
  norm.op = PreprocessOp::kNormalize;
  norm.mean = {0.485, 0.5};
  norm.std = {0.229, 0.1 + 0.2};  // 0.30000000000000004: needs all 17 digits
  net.preprocess = {pad, resize, crop, norm};
  return net;
}

TEST_F(LoaderTest, VersionOneFilesStayVersionOne) {
  EXPECT_NE(testing::read_text(yaml_).find("format: npu-model-1"), std::string::npos);
  EXPECT_TRUE(load_network(yaml_).preprocess.empty());
}

TEST_F(LoaderTest, PreprocessRoundTrips) {
  save_network(with_preprocess(), yaml_, "model.bin");
  const std::string text = testing::read_text(yaml_);
  EXPECT_NE(text.find("format: npu-model-2"), std::string::npos);
  EXPECT_NE(text.find("pad: [1, 2, 3, 4]"), std::string::npos) << text;
  EXPECT_NE(text.find("normalize: {mean: [0.485, 0.5], std: [0.229, 0.30000000000000004]}"),
            std::string::npos)
      << text;
  testing::expect_same_network(with_preprocess(), load_network(yaml_));
}

TEST_F(LoaderTest, PreprocessShortForms) {
  edit_yaml(yaml_, [](YAML::Node& root) {
    root["format"] = "npu-model-2";
    root["preprocess"] = YAML::Load("[{pad: 2}, {center_crop: [3, 5]}]");
  });
  const Network net = load_network(yaml_);
  ASSERT_EQ(net.preprocess.size(), 2u);
  EXPECT_EQ(net.preprocess[0].pad, (std::array<int, 4>{2, 2, 2, 2}));
  EXPECT_EQ(net.preprocess[1].crop_height, 3);
  EXPECT_EQ(net.preprocess[1].crop_width, 5);
}

TEST_F(LoaderTest, RejectsPreprocessInVersionOne) {
  edit_yaml(yaml_, [](YAML::Node& root) { root["preprocess"] = YAML::Load("[{resize: 4}]"); });
  expect_rejected({"model.yaml: field 'preprocess': needs format 'npu-model-2'"});
}

TEST_F(LoaderTest, RejectsMalformedPreprocessEntries) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{resize: 4}", "field 'preprocess': must be a list of transforms"},
      {"[{rotate: 4}]", "field 'preprocess[0].rotate': unknown transform (known: pad, resize"},
      {"[{resize: 4, pad: 1}]", "field 'preprocess[0]': must be a map with exactly one key"},
      {"[resize]", "field 'preprocess[0]': must be a map with exactly one key"},
      {"[{resize: 0}]", "field 'preprocess[0].resize': must be >= 1 (got 0)"},
      {"[{resize: 2.5}]", "field 'preprocess[0].resize': must be an integer"},
      {"[{pad: 1}, {pad: [1, 2]}]", "field 'preprocess[1].pad': must be an integer or a list of 4"},
      {"[{pad: [1, 2, -3, 4]}]", "field 'preprocess[0].pad[2]': must be in [0, 32768] (got -3)"},
      {"[{center_crop: [3, 0]}]", "field 'preprocess[0].center_crop[1]': must be >= 1"},
      {"[{normalize: {mean: [0.5], std: [0.5, 0.5]}}]",
       "field 'preprocess[0].normalize.mean': must be a list of 2 numbers, one per input channel "
       "(got a list of 1)"},
      {"[{normalize: {mean: [0.5, 0.5], std: [0.5, 0]}}]",
       "field 'preprocess[0].normalize.std[1]': must be > 0"},
      {"[{normalize: {mean: [0.5, .nan], std: [0.5, 1]}}]",
       "field 'preprocess[0].normalize.mean[1]': must be finite"},
      {"[{normalize: {mean: [0.5, 0.5], std: [0.5, 1], inplace: true}}]",
       "field 'preprocess[0].normalize.inplace': unknown field"},
      {"[{normalize: {mean: [0, 0], std: [1, 1]}}, {resize: 4}]",
       "field 'preprocess[1]': resize after normalize is not supported"},
  };
  for (const auto& [list, message] : cases) {
    SCOPED_TRACE(list);
    save_network(testing::tiny_network(), yaml_, "model.bin");
    edit_yaml(yaml_, [&list = list](YAML::Node& root) {
      root["format"] = "npu-model-2";
      root["preprocess"] = YAML::Load(list);
    });
    expect_rejected({"model.yaml: " + message});
  }
}

// ---------------------------------------------------------------- fields

TEST_F(LoaderTest, RejectsMissingField) {
  edit_yaml(yaml_, [](YAML::Node& root) { layer_node(root, "conv2").remove("out_channels"); });
  expect_rejected({"model.yaml: layer 'conv2' field 'out_channels': missing"});
}

TEST_F(LoaderTest, RejectsMissingTopLevelField) {
  edit_yaml(yaml_, [](YAML::Node& root) { root.remove("input"); });
  expect_rejected({"model.yaml: field 'input': missing"});
}

TEST_F(LoaderTest, RejectsStringWhereIntIsExpected) {
  set_layer_field("conv2", "out_channels", YAML::Node("three"));
  expect_rejected({"model.yaml: layer 'conv2' field 'out_channels': must be an integer", "three"});
}

TEST_F(LoaderTest, RejectsQuotedNumber) {
  testing::replace_text(yaml_, "out_channels: 3", "out_channels: \"3\"");
  expect_rejected(
      {"model.yaml: layer 'conv1' field 'out_channels': must be an integer", "the string \"3\""});
}

TEST_F(LoaderTest, RejectsNonIntegerZeroPoint) {
  edit_yaml(yaml_,
            [](YAML::Node& root) { layer_node(root, "conv2")["output"]["zero_point"] = 1.5; });
  expect_rejected(
      {"model.yaml: layer 'conv2' field 'output.zero_point': must be an integer", "1.5"});
}

TEST_F(LoaderTest, RejectsNonNumericScale) {
  edit_yaml(yaml_, [](YAML::Node& root) { root["input"]["scale"] = "big"; });
  expect_rejected({"model.yaml: field 'input.scale': must be a number (got 'big')"});
}

TEST_F(LoaderTest, RejectsListWhereIntIsExpected) {
  set_layer_field("conv2", "out_channels", YAML::Load("[3]"));
  expect_rejected({"layer 'conv2' field 'out_channels': must be an integer (got a list)"});
}

TEST_F(LoaderTest, RejectsNonBoolRelu) {
  set_layer_field("conv2", "relu", YAML::Node("maybe"));
  expect_rejected({"layer 'conv2' field 'relu': must be true or false"});
}

TEST_F(LoaderTest, RejectsUnknownOp) {
  set_layer_field("conv2", "op", YAML::Node("conv3d"));
  expect_rejected({"model.yaml: layer 'conv2' field 'op': unknown op 'conv3d'"});
}

TEST_F(LoaderTest, RejectsMisspelledField) {
  testing::replace_text(yaml_, "padding: 0", "paddign: 0");
  expect_rejected(
      {"model.yaml: layer 'conv2' field 'paddign': unknown field", "did you mean 'padding'?"});
}

TEST_F(LoaderTest, RejectsUnknownTopLevelField) {
  edit_yaml(yaml_, [](YAML::Node& root) { root["weigths"] = "model.bin"; });
  expect_rejected({"model.yaml: field 'weigths': unknown field", "did you mean 'weights'?"});
}

TEST_F(LoaderTest, RejectsUnknownFieldInOutputMap) {
  edit_yaml(yaml_, [](YAML::Node& root) { layer_node(root, "fc")["output"]["zero"] = 0; });
  expect_rejected({"layer 'fc' field 'output.zero': unknown field"});
}

TEST_F(LoaderTest, RejectsFieldOfAnotherOp) {
  set_layer_field("pool", "relu", YAML::Node(true));
  expect_rejected({"layer 'pool' field 'relu': not a field of op 'max_pool'"});
}

TEST_F(LoaderTest, RejectsDuplicateKey) {
  testing::replace_text(yaml_, "out_channels: 3", "out_channels: 3\n    out_channels: 4");
  expect_rejected({"layer 'conv1' field 'out_channels': appears twice"});
}

TEST_F(LoaderTest, RejectsAddWithOneInput) {
  set_layer_field("add", "inputs", YAML::Load("[conv2]"));
  expect_rejected({"layer 'add' field 'inputs': add takes exactly 2 inputs (got 1)"});
}

// ---------------------------------------------------------------- shapes and geometry

TEST_F(LoaderTest, RejectsDeclaredShapeDifferentFromComputed) {
  edit_yaml(yaml_, [](YAML::Node& root) {
    layer_node(root, "pool")["output"]["shape"] = YAML::Load("[4, 4, 3]");
  });
  expect_rejected(
      {"model.yaml: layer 'pool' field 'output.shape': declared [4, 4, 3] but the "
       "layer computes [2, 2, 3]"});
}

TEST_F(LoaderTest, RejectsAddOfDifferentShapes) {
  // input is [4, 4, 2], conv2 [4, 4, 3].
  set_layer_field("add", "inputs", YAML::Load("[conv2, input]"));
  expect_rejected({"layer 'add' field 'inputs': the two inputs have different shapes",
                   "'conv2' is [4, 4, 3]", "'input' is [4, 4, 2]"});
}

TEST_F(LoaderTest, RejectsConvInputChannelMismatch) {
  set_layer_field("conv2", "in_channels", YAML::Node(5));
  expect_rejected({"layer 'conv2' field 'in_channels': declared 5 but input 'conv1' has 3"});
}

TEST_F(LoaderTest, RejectsFullyConnectedInputMismatch) {
  set_layer_field("fc", "in_features", YAML::Node(12));
  expect_rejected({"layer 'fc' field 'in_features': declared 12 but input 'gap' has 3"});
}

TEST_F(LoaderTest, RejectsZeroKernel) {
  set_layer_field("conv2", "kernel", YAML::Node(0));
  expect_rejected({"layer 'conv2' field 'kernel': must be >= 1 (got 0x0)"});
}

TEST_F(LoaderTest, RejectsNegativeStride) {
  set_layer_field("pool", "stride", YAML::Node(-2));
  expect_rejected({"layer 'pool' field 'stride': must be >= 1 (got -2x-2)"});
}

TEST_F(LoaderTest, RejectsPaddingAsLargeAsTheKernel) {
  set_layer_field("conv2", "padding", YAML::Node(1));  // 1x1 kernel
  expect_rejected(
      {"layer 'conv2' field 'padding': top padding 1 must be smaller than the "
       "kernel (1)"});
}

TEST_F(LoaderTest, RejectsNegativePadding) {
  set_layer_field("conv1", "padding", YAML::Load("[1, 1, -1, 1]"));
  expect_rejected({"layer 'conv1' field 'padding': bottom padding must be >= 0 (got -1)"});
}

TEST_F(LoaderTest, RejectsEmptyOutput) {
  edit_yaml(yaml_, [](YAML::Node& root) {
    YAML::Node pool = layer_node(root, "pool");
    pool["kernel"] = 5;  // on a 4x4 input without padding
    pool["stride"] = 1;
  });
  expect_rejected(
      {"layer 'pool' field 'kernel': the 5x5 window does not fit the padded input "
       "4x4: output size would be < 1"});
}

TEST_F(LoaderTest, RejectsInputShapeWithZero) {
  edit_yaml(yaml_, [](YAML::Node& root) { root["input"]["shape"] = YAML::Load("[4, 0, 2]"); });
  expect_rejected({"model.yaml: field 'input.shape': every dimension of [H, W, C] must be >= 1"});
}

// ---------------------------------------------------------------- quantization

TEST_F(LoaderTest, RejectsNegativeScale) {
  edit_yaml(yaml_, [](YAML::Node& root) { layer_node(root, "conv2")["output"]["scale"] = -0.1; });
  expect_rejected({"model.yaml: layer 'conv2' field 'output.scale': must be > 0 (got -0.1)"});
}

TEST_F(LoaderTest, RejectsZeroInputScale) {
  edit_yaml(yaml_, [](YAML::Node& root) { root["input"]["scale"] = 0; });
  expect_rejected({"model.yaml: field 'input.scale': must be > 0 (got 0)"});
}

TEST_F(LoaderTest, RejectsScaleThatUnderflowsFloat) {
  edit_yaml(yaml_, [](YAML::Node& root) { root["input"]["scale"] = 1e-60; });
  expect_rejected({"field 'input.scale': must be > 0 (got 0)"});
}

TEST_F(LoaderTest, RejectsNonFiniteScale) {
  testing::replace_text(yaml_, "scale: 0.2", "scale: .nan");
  expect_rejected({"layer 'fc' field 'output.scale': must be finite (got .nan)"});
  testing::replace_text(yaml_, "scale: .nan", "scale: .inf");
  expect_rejected({"layer 'fc' field 'output.scale': must be finite (got .inf)"});
}

TEST_F(LoaderTest, RejectsZeroPointOutOfRange) {
  edit_yaml(yaml_, [](YAML::Node& root) { layer_node(root, "add")["output"]["zero_point"] = 128; });
  expect_rejected({"layer 'add' field 'output.zero_point': must be in [-128, 127] (got 128)"});
}

TEST_F(LoaderTest, RejectsPoolingThatRescales) {
  edit_yaml(yaml_, [](YAML::Node& root) { layer_node(root, "pool")["output"]["scale"] = 0.5; });
  expect_rejected({"layer 'pool' field 'output.scale': must equal the input's scale 0.12"});
}

TEST_F(LoaderTest, RejectsPoolingThatShiftsTheZeroPoint) {
  edit_yaml(yaml_, [](YAML::Node& root) { layer_node(root, "gap")["output"]["zero_point"] = 0; });
  expect_rejected(
      {"layer 'gap' field 'output.zero_point': must equal the input's zero point "
       "-128"});
}

TEST_F(LoaderTest, RejectsRequantMultiplierOutOfRange) {
  // conv2: 0.1 * 0.03 / 1e-15 = 3e12 > 2^30.
  edit_yaml(yaml_, [](YAML::Node& root) { layer_node(root, "conv2")["output"]["scale"] = 1e-15; });
  expect_rejected(
      {"layer 'conv2' field 'output.scale': requantization factor input_scale * "
       "weight_scale[0] / output_scale",
       "out of range"});
}

TEST_F(LoaderTest, RejectsAddMultiplierOutOfRange) {
  edit_yaml(yaml_, [](YAML::Node& root) { layer_node(root, "add")["output"]["scale"] = 1e-30; });
  expect_rejected({"layer 'add' field 'output.scale': cannot build the add's rescaling"});
}

// ---------------------------------------------------------------- graph

TEST_F(LoaderTest, RejectsDanglingEdge) {
  set_layer_field("conv2", "input", YAML::Node("conv9"));
  expect_rejected({"model.yaml: layer 'conv2' field 'input': unknown tensor 'conv9'"});
}

TEST_F(LoaderTest, RejectsUnknownOutput) {
  edit_yaml(yaml_, [](YAML::Node& root) { root["output"] = "logits"; });
  expect_rejected({"model.yaml: field 'output': unknown tensor 'logits'"});
}

TEST_F(LoaderTest, RejectsDuplicateLayerNames) {
  set_layer_field("gap", "name", YAML::Node("pool"));
  expect_rejected(
      {"model.yaml: layer 'pool' field 'name': duplicate layer name (layers #4 and #5)"});
}

TEST_F(LoaderTest, RejectsLayerNamedInput) {
  set_layer_field("gap", "name", YAML::Node("input"));
  expect_rejected({"layer 'input' field 'name': 'input' is reserved"});
}

TEST_F(LoaderTest, RejectsUnusedLayerOutput) {
  edit_yaml(yaml_, [](YAML::Node& root) {
    root["layers"].push_back(
        YAML::Load("{name: side, op: global_avg_pool, input: conv1, "
                   "output: {shape: [1, 1, 3], scale: 0.1, zero_point: -128}}"));
  });
  expect_rejected(
      {"layer 'side': its output is not used by any layer and is not the network "
       "output 'fc'"});
}

TEST_F(LoaderTest, RejectsCycle) {
  set_layer_field("conv2", "input", YAML::Node("add"));
  expect_rejected({"field 'input': the layers form a cycle", "add -> conv2 -> add"});
}

TEST_F(LoaderTest, RejectsWrongNumberOfClasses) {
  edit_yaml(yaml_, [](YAML::Node& root) { root["classes"] = YAML::Load("[a, b, c]"); });
  expect_rejected({"field 'classes': 3 class names but the output 'fc' [1, 1, 2] has 2 values"});
}

// ---------------------------------------------------------------- weight file

TEST_F(LoaderTest, RejectsTruncatedWeightFileNamingTheLayer) {
  std::vector<uint8_t> bytes = bin();
  bytes.resize(bytes.size() - 4);  // fc's last scale is cut
  set_bin(bytes);
  expect_rejected(
      {"model.bin: layer 'fc' field 'weight_scales': section runs past the end of "
       "the file",
       "136 bytes"});
  bytes.resize(60);  // in conv1's bias (bytes 56..68)
  set_bin(bytes);
  expect_rejected({"model.bin: layer 'conv1' field 'bias': section runs past the end"});
}

TEST_F(LoaderTest, RejectsOversizedWeightFile) {
  std::vector<uint8_t> bytes = bin();
  bytes.insert(bytes.end(), 5, 0);
  set_bin(bytes);
  expect_rejected({"model.bin: 5 bytes left over", "the layers need 140 bytes", "layer 'fc'"});
}

TEST_F(LoaderTest, RejectsWeightOfMinus128) {
  std::vector<uint8_t> bytes = bin();
  bytes[80 + 5] = 0x80;  // conv2, out channel 1, in channel 2
  set_bin(bytes);
  expect_rejected(
      {"model.bin: layer 'conv2' field 'weights': value -128 at [out 1][ky 0][kx 0]"
       "[in 2] is outside [-127, 127]"});
}

TEST_F(LoaderTest, RejectsNonZeroPaddingBytes) {
  std::vector<uint8_t> bytes = bin();
  bytes[55] = 1;  // conv1's weights end at 54
  set_bin(bytes);
  expect_rejected({"model.bin: layer 'conv1' field 'weights': padding byte at file offset 55"});
}

TEST_F(LoaderTest, RejectsNonPositiveWeightScale) {
  std::vector<uint8_t> bytes = bin();
  testing::put_float(bytes, 104 + 4, -1.0f);  // conv2's scale of channel 1
  set_bin(bytes);
  expect_rejected(
      {"model.bin: layer 'conv2' field 'weight_scales': channel 1: must be > 0 (got "
       "-1)"});
  testing::put_float(bytes, 104 + 4, 0.0f);
  set_bin(bytes);
  expect_rejected({"channel 1: must be > 0 (got 0)"});
}

TEST_F(LoaderTest, RejectsNonFiniteWeightScale) {
  std::vector<uint8_t> bytes = bin();
  testing::put_float(bytes, 132, std::numeric_limits<float>::infinity());  // fc channel 0
  set_bin(bytes);
  expect_rejected({"model.bin: layer 'fc' field 'weight_scales': channel 0: must be finite"});
  testing::put_float(bytes, 132, std::numeric_limits<float>::quiet_NaN());
  set_bin(bytes);
  expect_rejected({"model.bin: layer 'fc' field 'weight_scales': channel 0: must be finite"});
}

TEST_F(LoaderTest, RejectsAccumulatorOverflow) {
  // conv2: K = 1*1*3, so 3*255*127 + 2147400000 = 2147497155 > INT32_MAX.
  std::vector<uint8_t> bytes = bin();
  testing::put_u32(bytes, 92 + 8, 2147400000u);  // bias of channel 2
  set_bin(bytes);
  expect_rejected({"model.bin: layer 'conv2' field 'bias': the int32 accumulator can overflow",
                   "= 2147497155 > 2147483647", "channel 2"});
  // A negative bias counts by its magnitude: 3*255*127 + 2147400000 again.
  testing::put_u32(bytes, 92 + 8, static_cast<uint32_t>(-2147400000));
  set_bin(bytes);
  expect_rejected({"layer 'conv2' field 'bias': the int32 accumulator can overflow"});
}

TEST_F(LoaderTest, AcceptsAccumulatorAtTheBound) {
  // 3*255*127 + 2147386492 = 2147483647 exactly: still safe.
  std::vector<uint8_t> bytes = bin();
  testing::put_u32(bytes, 92 + 8, 2147386492u);
  set_bin(bytes);
  EXPECT_EQ(load_network(yaml_).find("conv2")->weights.bias[2], 2147386492);
}

// ---------------------------------------------------------------- in-memory networks

TEST(SaveNetworkTest, RefusesAnInconsistentNetwork) {
  testing::TempDir dir;
  Network net = testing::tiny_network();
  net.layers[1].weights.in_channels = 4;  // conv1 produces 3 channels
  expect_model_error([&] { save_network(net, dir.path("m.yaml"), "m.bin"); },
                     {"network 'tiny': layer 'conv2' field 'in_channels': the weights take 4 "
                      "input channels but input 'conv1' [4, 4, 3] provides 3"});
  EXPECT_FALSE(std::filesystem::exists(dir.path("m.yaml")));
}

TEST(ValidateNetworkTest, RejectsLayersOutOfOrder) {
  Network net = testing::tiny_network();
  std::swap(net.layers[0], net.layers[1]);
  expect_model_error([&] { validate_network(net); },
                     {"layer 'conv2' field 'input': tensor 'conv1' is produced by a later layer"});
}

TEST(ValidateNetworkTest, RejectsWeightVectorOfWrongSize) {
  Network net = testing::tiny_network();
  net.layers[5].weights.data.pop_back();
  expect_model_error([&] { validate_network(net); },
                     {"layer 'fc' field 'weights': has 5 values, 2x1x1x3 needs 6"});
}

TEST(ValidateNetworkTest, RejectsAccumulatorOverflowFromDepthAlone) {
  // K = 66312 taps: 66312*255*127 = 2147514120 > INT32_MAX even without a bias.
  Network net = testing::tiny_network();
  net.input_shape = {1, 1, 1, 66312};
  Layer& fc = net.layers[0];
  fc = net.layers[5];
  fc.inputs = {"input"};
  fc.weights.in_channels = 66312;
  fc.weights.data.assign(2 * 66312, 1);
  net.layers.resize(1);
  net.classes.clear();
  expect_model_error([&] { validate_network(net); },
                     {"layer 'fc' field 'in_features': the int32 accumulator can overflow",
                      "66312*255*127 + 20 = 2147514140"});
}

TEST(ValidateNetworkTest, AcceptsTheTinyNetwork) {
  EXPECT_NO_THROW(validate_network(testing::tiny_network()));
}

}  // namespace
}  // namespace npu::model
