#include "sw/model/tests/test_support.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "sw/model/model_error.h"

namespace npu::model::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "npu_model_test_XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

namespace {

golden::ConvWeights weights(int out, int k, int in, int mul, std::vector<int32_t> bias,
                            std::vector<float> scales) {
  golden::ConvWeights w;
  w.out_channels = out;
  w.kernel_h = w.kernel_w = k;
  w.in_channels = in;
  const int n = out * k * k * in;
  // Spread over [-127, 127] without ever hitting -128.
  for (int i = 0; i < n; ++i) w.data.push_back(static_cast<int8_t>((i * mul) % 255 - 127));
  w.bias = std::move(bias);
  w.scales = std::move(scales);
  return w;
}

}  // namespace

Network tiny_network() {
  Network net;
  net.name = "tiny";
  net.classes = {"yes", "no"};
  net.input_shape = {1, 4, 4, 2};
  net.input_quant = {0.05f, -10};
  net.output = "fc";

  Layer conv1;
  conv1.name = "conv1";
  conv1.op = Op::kConv2d;
  conv1.inputs = {"input"};
  conv1.geometry = {3, 3, 1, 1, 1, 1, 1, 1};
  conv1.weights = weights(3, 3, 2, 37, {100, -50, 7}, {0.01f, 0.02f, 0.015f});
  conv1.relu = true;
  conv1.output_shape = {1, 4, 4, 3};
  conv1.output_quant = {0.1f, -128};

  Layer conv2;
  conv2.name = "conv2";
  conv2.op = Op::kConv2d;
  conv2.inputs = {"conv1"};
  conv2.geometry = {1, 1, 1, 1, 0, 0, 0, 0};
  conv2.weights = weights(3, 1, 3, 53, {-5, 10, 0}, {0.03f, 0.025f, 0.02f});
  conv2.output_shape = {1, 4, 4, 3};
  conv2.output_quant = {0.08f, 0};

  Layer add;
  add.name = "add";
  add.op = Op::kAdd;
  add.inputs = {"conv2", "conv1"};
  add.relu = true;
  add.output_shape = {1, 4, 4, 3};
  add.output_quant = {0.12f, -128};

  Layer pool;
  pool.name = "pool";
  pool.op = Op::kMaxPool;
  pool.inputs = {"add"};
  pool.geometry = {2, 2, 2, 2, 0, 0, 0, 0};
  pool.output_shape = {1, 2, 2, 3};
  pool.output_quant = add.output_quant;

  Layer gap;
  gap.name = "gap";
  gap.op = Op::kGlobalAvgPool;
  gap.inputs = {"pool"};
  gap.output_shape = {1, 1, 1, 3};
  gap.output_quant = add.output_quant;

  Layer fc;
  fc.name = "fc";
  fc.op = Op::kFullyConnected;
  fc.inputs = {"gap"};
  fc.weights = weights(2, 1, 3, 91, {20, -20}, {0.05f, 0.04f});
  fc.output_shape = {1, 1, 1, 2};
  fc.output_quant = {0.2f, 5};

  net.layers = {conv1, conv2, add, pool, gap, fc};
  return net;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

void put_u32(std::vector<uint8_t>& bytes, std::size_t offset, uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes.at(offset + i) = static_cast<uint8_t>(value >> (8 * i));
}

void put_float(std::vector<uint8_t>& bytes, std::size_t offset, float value) {
  uint32_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  put_u32(bytes, offset, bits);
}

void edit_yaml(const std::string& path, const std::function<void(YAML::Node&)>& edit) {
  YAML::Node root = YAML::LoadFile(path);
  edit(root);
  YAML::Emitter out;
  out << root;
  write_text(path, std::string(out.c_str()) + "\n");
}

YAML::Node layer_node(YAML::Node& root, const std::string& name) {
  YAML::Node layers = root["layers"];
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (layers[i]["name"].as<std::string>() == name) return layers[i];
  }
  throw std::runtime_error("test: no layer " + name);
}

void replace_text(const std::string& path, const std::string& from, const std::string& to) {
  std::string text = read_text(path);
  const std::size_t at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("test: '" + from + "' not in " + path);
  text.replace(at, from.size(), to);
  write_text(path, text);
}

void expect_same_network(const Network& a, const Network& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.classes, b.classes);
  EXPECT_EQ(a.input_shape, b.input_shape);
  EXPECT_EQ(a.input_quant.scale, b.input_quant.scale);
  EXPECT_EQ(a.input_quant.zero_point, b.input_quant.zero_point);
  EXPECT_EQ(a.output, b.output);
  ASSERT_EQ(a.preprocess.size(), b.preprocess.size());
  for (std::size_t i = 0; i < a.preprocess.size(); ++i) {
    const PreprocessStep& x = a.preprocess[i];
    const PreprocessStep& y = b.preprocess[i];
    SCOPED_TRACE("preprocess[" + std::to_string(i) + "]");
    EXPECT_EQ(x.op, y.op);
    EXPECT_EQ(x.pad, y.pad);
    EXPECT_EQ(x.resize, y.resize);
    EXPECT_EQ(x.crop_height, y.crop_height);
    EXPECT_EQ(x.crop_width, y.crop_width);
    EXPECT_EQ(x.mean, y.mean);
    EXPECT_EQ(x.std, y.std);
  }
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    const Layer& x = a.layers[i];
    const Layer& y = b.layers[i];
    SCOPED_TRACE("layer #" + std::to_string(i) + " '" + x.name + "'");
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.op, y.op);
    EXPECT_EQ(x.inputs, y.inputs);
    const golden::ConvGeometry& g = x.geometry;
    const golden::ConvGeometry& h = y.geometry;
    EXPECT_EQ(std::vector<int>({g.kernel_h, g.kernel_w, g.stride_h, g.stride_w, g.pad_top,
                                g.pad_left, g.pad_bottom, g.pad_right}),
              std::vector<int>({h.kernel_h, h.kernel_w, h.stride_h, h.stride_w, h.pad_top,
                                h.pad_left, h.pad_bottom, h.pad_right}));
    EXPECT_EQ(x.weights.out_channels, y.weights.out_channels);
    EXPECT_EQ(x.weights.kernel_h, y.weights.kernel_h);
    EXPECT_EQ(x.weights.kernel_w, y.weights.kernel_w);
    EXPECT_EQ(x.weights.in_channels, y.weights.in_channels);
    EXPECT_EQ(x.weights.data, y.weights.data);
    EXPECT_EQ(x.weights.bias, y.weights.bias);
    EXPECT_EQ(x.weights.scales, y.weights.scales);  // bit-exact floats
    EXPECT_EQ(x.relu, y.relu);
    EXPECT_EQ(x.output_shape, y.output_shape);
    EXPECT_EQ(x.output_quant.scale, y.output_quant.scale);
    EXPECT_EQ(x.output_quant.zero_point, y.output_quant.zero_point);
  }
}

void expect_model_error(const std::function<void()>& f, std::initializer_list<std::string> parts) {
  try {
    f();
  } catch (const ModelError& e) {
    const std::string msg = e.what();
    for (const std::string& part : parts) {
      EXPECT_NE(msg.find(part), std::string::npos) << "missing '" << part << "' in: " << msg;
    }
    return;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected ModelError, got another exception: " << e.what();
    return;
  }
  ADD_FAILURE() << "expected ModelError, nothing was thrown";
}

}  // namespace npu::model::testing
