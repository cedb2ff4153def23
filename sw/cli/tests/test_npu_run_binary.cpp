// npu-run as a user runs it: exit status, stdout and stderr of good and bad invocations.
// Expected numbers come from the hand-computable pixel-picker networks (tiny_models.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <sstream>

#include "sw/cli/tests/run_binary.h"
#include "sw/cli/tests/tiny_models.h"
#include "sw/data/image_file.h"
#include "sw/data/tests/temp_dir.h"
#include "sw/model/model_loader.h"

namespace npu::cli {
namespace {

using ::testing::HasSubstr;
using testing::Invocation;
using ::testing::Not;
using testing::read_text;
using testing::run_npu_run_binary;
using testing::write_text;

// Flat index of (row 9, column 16 + k) in a 28x28 image: on Fashion-MNIST test image 0
// these ten pixels are 88 143 110 0 0 0 0 22 93 106 (read with zcat | od).
std::vector<int> row9_picks() {
  std::vector<int> picks;
  for (int k = 0; k < 10; ++k) picks.push_back(9 * 28 + 16 + k);
  return picks;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class NpuRunBinary : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = std::make_unique<data::test_util::TempDir>("npu_run_" + test_name);
    tiny_ = dir_->file("tiny.yaml");
    model::save_network(
        testing::pixel_picker({1, 2, 2, 1}, {0, 1, 3}, {"first", "second", "fourth"}), tiny_,
        "tiny.bin");
    fmnist_ = dir_->file("fmnist_picker.yaml");
    model::save_network(testing::pixel_picker({1, 28, 28, 1}, row9_picks(), {}), fmnist_,
                        "fmnist_picker.bin");
  }
  std::string file(const std::string& name) const { return dir_->file(name); }

  std::unique_ptr<data::test_util::TempDir> dir_;
  std::string tiny_, fmnist_;
};

void write_pgm_2x2(const std::string& path, std::vector<uint8_t> pixels) {
  data::Image img(2, 2, 1);
  img.pixels = std::move(pixels);
  data::write_pnm(path, img);
}

TEST_F(NpuRunBinary, Help) {
  const Invocation r = run_npu_run_binary({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("Usage: npu-run"));
  EXPECT_THAT(r.out, HasSubstr("--backend"));
  EXPECT_EQ(r.err, "");
}

TEST_F(NpuRunBinary, CommandLineErrorsExitWith2) {
  Invocation r = run_npu_run_binary({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("missing --model"));
  r = run_npu_run_binary({"--model", tiny_, "--random", "1", "--bogus"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown option '--bogus'"));
  r = run_npu_run_binary({"--model", tiny_, "--random", "1", "--backend", "fpga"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown backend 'fpga'"));
  r = run_npu_run_binary({"--model", tiny_, "--random", "1", "--backend", "golden-device"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("backend 'golden-device' is now called 'model'"));
  r = run_npu_run_binary({"--model", tiny_, "--dataset", "cifar10"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown dataset 'cifar10'"));
  EXPECT_EQ(r.out, "");
}

TEST_F(NpuRunBinary, SingleImageTop5ByHand) {
  write_pgm_2x2(file("a.pgm"), {10, 200, 30, 90});
  const Invocation r = run_npu_run_binary({"--model", tiny_, "--image", file("a.pgm")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Outputs: first = pixel 0 = 10 -> 5, second = pixel 1 = 200 -> 100, fourth = pixel 3 =
  // 90 -> 45; scores n * 2 / 255.
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_GE(lines.size(), 4u) << r.out;
  EXPECT_EQ(lines[0], file("a.pgm") + ":");
  EXPECT_THAT(lines[1], HasSubstr("1.    1  second"));
  EXPECT_THAT(lines[1], HasSubstr("0.7843"));
  EXPECT_THAT(lines[2], HasSubstr("2.    2  fourth"));
  EXPECT_THAT(lines[2], HasSubstr("0.3529"));
  EXPECT_THAT(lines[3], HasSubstr("3.    0  first"));
  EXPECT_THAT(lines[3], HasSubstr("0.0392"));
  EXPECT_THAT(r.out, HasSubstr("throughput:"));
  EXPECT_THAT(r.err, HasSubstr("model: pixel-picker"));
}

TEST_F(NpuRunBinary, RgbPngIsConvertedToGray) {
  // Pixel 1 pure green -> 150 (BT.601), pixel 3 pure red -> 76, pixel 0 blue -> 29.
  data::Image rgb(2, 2, 3);
  rgb.pixels = {0, 0, 255, 0, 255, 0, 0, 0, 0, 255, 0, 0};
  data::write_png(file("c.png"), rgb);
  const Invocation r = run_npu_run_binary({"--model", tiny_, "--image", file("c.png")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("1.    1  second"));  // 150 -> 75
  EXPECT_THAT(r.out, HasSubstr("0.5882"));           // 75 * 2 / 255
  EXPECT_THAT(r.out, HasSubstr("2.    2  fourth"));  // 76 -> 38
  EXPECT_THAT(r.out, HasSubstr("3.    0  first"));   // 29 -> 15
  EXPECT_THAT(r.err, HasSubstr("is 2x2x3, converted to the model input 2x2x1"));
}

TEST_F(NpuRunBinary, SeveralImagesAndResizeNote) {
  write_pgm_2x2(file("a.pgm"), {10, 200, 30, 90});
  data::Image big(8, 8, 1);
  big.pixels.assign(64, 60);  // constant: stays 60 after resizing
  data::write_pnm(file("big.pgm"), big);
  const Invocation r =
      run_npu_run_binary({"--model", tiny_, "--image", file("a.pgm"), "--image", file("big.pgm")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("big.pgm is 8x8x1, converted to the model input 2x2x1"));
  EXPECT_THAT(r.out, HasSubstr(file("big.pgm") + ":\n  1.    0  first"));  // 3-way tie
  EXPECT_THAT(r.out, HasSubstr("0.2353"));                                 // 30 * 2 / 255
  EXPECT_THAT(r.out, HasSubstr("image files, 2 images"));
}

TEST_F(NpuRunBinary, BadInputsExitWith1AndNameTheCulprit) {
  Invocation r = run_npu_run_binary({"--model", file("nope.yaml"), "--random", "1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("model file '" + file("nope.yaml") + "' not found"));

  write_text(file("bad.yaml"), "format: npu-model-0\n");
  r = run_npu_run_binary({"--model", file("bad.yaml"), "--random", "1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(file("bad.yaml")));

  r = run_npu_run_binary({"--model", tiny_, "--image", file("missing.png")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot open image file '" + file("missing.png") + "'"));

  write_text(file("junk.jpg"), "definitely not a jpeg");
  r = run_npu_run_binary({"--model", tiny_, "--image", file("junk.jpg")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot decode image '" + file("junk.jpg") + "'"));
  EXPECT_EQ(r.out, "");
}

TEST_F(NpuRunBinary, ModelWithUnsupportedChannelCount) {
  model::save_network(testing::pixel_picker({1, 2, 2, 2}, {0, 1}, {}), file("two.yaml"), "two.bin");
  write_pgm_2x2(file("a.pgm"), {1, 2, 3, 4});
  const Invocation r = run_npu_run_binary({"--model", file("two.yaml"), "--image", file("a.pgm")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("model input has 2 channels"));
}

TEST_F(NpuRunBinary, RandomInputFeedsAnyChannelCount) {
  model::save_network(testing::pixel_picker({1, 2, 2, 7}, {0, 9, 27}, {}), file("seven.yaml"),
                      "seven.bin");
  Invocation r = run_npu_run_binary({"--model", file("seven.yaml"), "--random", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("random #0 (seed 1):\n  1. "));
  r = run_npu_run_binary(
      {"--model", file("seven.yaml"), "--random", "1", "--backend", "model", "--check"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("check:      every layer of every image bit-exact"));
}

TEST_F(NpuRunBinary, FirstFashionMnistTestImageByHand) {
  const Invocation r =
      run_npu_run_binary({"--model", fmnist_, "--dataset", "fashion-mnist-test", "--count", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Pixels 88 143 110 0 0 0 0 22 93 106 -> 44 72 55 0 0 0 0 11 47 53; class names come
  // from the dataset because the model has none.
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_GE(lines.size(), 8u) << r.out;
  EXPECT_EQ(lines[0], "fashion-mnist-test #0 (label 9, Ankle boot):");
  EXPECT_THAT(lines[1], HasSubstr("1.    1  Trouser"));
  EXPECT_THAT(lines[1], HasSubstr("(q  -56)"));
  EXPECT_THAT(lines[2], HasSubstr("2.    2  Pullover"));
  EXPECT_THAT(lines[3], HasSubstr("3.    9  Ankle boot"));
  EXPECT_THAT(lines[4], HasSubstr("4.    8  Bag"));
  EXPECT_THAT(lines[5], HasSubstr("5.    0  T-shirt/top"));
  EXPECT_EQ(lines[6], "images:     fashion-mnist-test [0, 1), 1 image");
  EXPECT_EQ(lines[7], "accuracy:   0.00 % (0/1)");
}

TEST_F(NpuRunBinary, DatasetSliceBounds) {
  Invocation r = run_npu_run_binary(
      {"--model", fmnist_, "--dataset", "fashion-mnist-test", "--first", "9990", "--count", "20"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err,
              HasSubstr("--first 9990 --count 20 goes beyond fashion-mnist-test (10000 images)"));
  r = run_npu_run_binary(
      {"--model", fmnist_, "--dataset", "fashion-mnist-test", "--first", "10000"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("--first 10000 is beyond"));
  r = run_npu_run_binary(
      {"--model", fmnist_, "--dataset", "fashion-mnist-test", "--first", "9990", "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("fashion-mnist-test [9990, 10000), 10 images"));
  EXPECT_EQ(r.err, "");
}

TEST_F(NpuRunBinary, PredictionsReportAndComparison) {
  const std::vector<std::string> base = {"--model", fmnist_, "--dataset", "fashion-mnist-test",
                                         "--first", "100",   "--count",   "30"};
  auto with = [&base](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  Invocation r = run_npu_run_binary(
      with({"--threads", "1", "--predictions-out", file("p1.txt"), "--report", file("r.json")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> p1 = lines_of(read_text(file("p1.txt")));
  ASSERT_EQ(p1.size(), 30u);
  for (const std::string& l : p1) EXPECT_THAT(l, ::testing::MatchesRegex("[0-9]"));
  const std::string json = read_text(file("r.json"));
  EXPECT_THAT(json, HasSubstr("\"images\": 30,"));
  EXPECT_THAT(json, HasSubstr("\"backend\": \"reference\""));
  EXPECT_THAT(json, HasSubstr("\"input\": \"fashion-mnist-test [100, 130)\""));
  EXPECT_THAT(json, HasSubstr("\"macs_per_inference\": 7840,"));  // 10 x 784
  EXPECT_THAT(json, HasSubstr("\"threads\": 1,"));

  // Same predictions with two threads.
  r = run_npu_run_binary(with({"--threads", "2", "--compare-predictions", file("p1.txt")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("agreement:  30/30 top-1 predictions equal to " + file("p1.txt")));
  EXPECT_THAT(r.out, Not(HasSubstr("differing:")));

  // Two changed lines are reported by dataset index.
  std::vector<std::string> changed = p1;
  changed[4] = changed[4] == "3" ? "4" : "3";
  changed[29] = changed[29] == "3" ? "4" : "3";
  std::string text;
  for (const std::string& l : changed) text += l + "\n";
  write_text(file("p2.txt"), text);
  r = run_npu_run_binary(with({"--compare-predictions", file("p2.txt")}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("agreement:  28/30"));
  EXPECT_THAT(r.out, HasSubstr("differing:  104 129\n"));

  // A file of the wrong length fails before the run.
  write_text(file("short.txt"), "1\n2\n");
  r = run_npu_run_binary(with({"--compare-predictions", file("short.txt")}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("'" + file("short.txt") + "' has 2 lines"));

  r = run_npu_run_binary(with({"--report", "/nonexistent-dir/r.json"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot create report file '/nonexistent-dir/r.json'"));
}

TEST_F(NpuRunBinary, WholeDatasetPredictionsFileLinesUpWithASlice) {
  Invocation r = run_npu_run_binary({"--model", fmnist_, "--dataset", "fashion-mnist-test",
                                     "--predictions-out", file("all.txt"), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("fashion-mnist-test [0, 10000), 10000 images"));
  ASSERT_EQ(lines_of(read_text(file("all.txt"))).size(), 10000u);
  r = run_npu_run_binary({"--model", fmnist_, "--dataset", "fashion-mnist-test", "--first", "5000",
                          "--count", "25", "--compare-predictions", file("all.txt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("agreement:  25/25"));
}

TEST_F(NpuRunBinary, ProgressOnLongRunsWhenNotATerminal) {
  Invocation r =
      run_npu_run_binary({"--model", fmnist_, "--dataset", "fashion-mnist-test", "--count", "200"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("progress: 200/200 images (100 %)"));
  EXPECT_THAT(r.err, Not(HasSubstr("\r")));
  r = run_npu_run_binary(
      {"--model", fmnist_, "--dataset", "fashion-mnist-test", "--count", "200", "--quiet"});
  EXPECT_EQ(r.err, "");
}

TEST_F(NpuRunBinary, RandomInputOnResNet18CifarIsDeterministic) {
  Invocation r = run_npu_run_binary({"--model", "resnet18-cifar", "--random", "3", "--seed", "4",
                                     "--threads", "2", "--predictions-out", file("a.txt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("images:     random input (seed 4), 3 images"));
  EXPECT_THAT(r.out, HasSubstr("images/s"));
  EXPECT_THAT(r.out, HasSubstr("MMAC/s"));
  EXPECT_THAT(r.out, Not(HasSubstr("accuracy")));
  EXPECT_THAT(r.err, HasSubstr("input 32x32x3"));
  const std::vector<std::string> a = lines_of(read_text(file("a.txt")));
  ASSERT_EQ(a.size(), 3u);
  for (const std::string& l : a) EXPECT_THAT(l, ::testing::MatchesRegex("[0-9]"));
  r = run_npu_run_binary({"--model", "resnet18-cifar", "--random", "3", "--seed", "4", "--threads",
                          "1", "--predictions-out", file("b.txt"), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(file("a.txt")), read_text(file("b.txt")));
}

TEST_F(NpuRunBinary, SingleRandomImagePrintsTop5) {
  const Invocation r = run_npu_run_binary({"--model", "resnet18-cifar", "--random", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("random #0 (seed 1):\n  1. "));
  EXPECT_THAT(r.out, HasSubstr("\n  5. "));
}

TEST_F(NpuRunBinary, RtlBackendChecksEveryLayerAndWritesTheReport) {
  const Invocation r =
      run_npu_run_binary({"--model", NPU_RESNET20_MODEL, "--dataset", "fashion-mnist-test",
                          "--count", "1", "--backend", "rtl", "--config", "small", "--check",
                          "--report", file("r.json"), "--chart", file("c.png")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("check:      every layer of every image bit-exact"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("s1b1_add +conv2d\\+add"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex(
                         "hardware: +[0-9]+ cycles/image, MAC utilization 0\\.[0-9]+"));
  const std::string json = read_text(file("r.json"));
  EXPECT_THAT(json, HasSubstr("\"backend\": \"rtl\""));
  EXPECT_THAT(json, HasSubstr("\"roofline_efficiency\""));
  EXPECT_THAT(json, HasSubstr("\"array\": \"4x4\""));
  EXPECT_GT(read_text(file("c.png")).size(), 1000u) << "PNG chart";
}

TEST_F(NpuRunBinary, TraceOfOneLayer) {
  const std::vector<std::string> base = {
      "--model", NPU_RESNET20_MODEL, "--random",    "1", "--backend", "rtl", "--config",
      "small",   "--trace",          file("l.fst"), "-q"};
  std::vector<std::string> args = base;
  args.insert(args.end(), {"--trace-layer", "nosuch"});
  Invocation r = run_npu_run_binary(args);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err,
              HasSubstr("--trace-layer: no hardware layer 'nosuch' (layers: stem, s1b1_conv1,"));
  args = base;
  args.insert(args.end(), {"--trace-layer", "fc"});
  r = run_npu_run_binary(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string fst = read_text(file("l.fst"));
  EXPECT_GT(fst.size(), 1000u) << "the FC layer's cycles are in the trace";
  EXPECT_LT(fst.size(), 2000000u) << "and not the whole network's";
}

TEST_F(NpuRunBinary, LayerThatDoesNotFitTheHardwareNamesLayerAndLimit) {
  const Invocation r = run_npu_run_binary(
      {"--model", "resnet18-cifar", "--random", "1", "--backend", "model", "--config", "small"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("layer 'stage3_block1_conv2': no tiling fits the 'small' hardware"));
  EXPECT_THAT(r.err, HasSubstr("a weight bank holds 2048"));
}

TEST_F(NpuRunBinary, FullyConnectedOnAnImageRunsOnTheDevice) {
  const Invocation r = run_npu_run_binary(
      {"--model", tiny_, "--random", "1", "--backend", "model", "--config", "small", "--check"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("check:      every layer of every image bit-exact"));
  // 28x28x1 flattened is 784 words of 4 lanes: 3136 weight words per N-tile.
  const Invocation big = run_npu_run_binary(
      {"--model", fmnist_, "--random", "1", "--backend", "model", "--config", "small"});
  EXPECT_EQ(big.exit_code, 1);
  EXPECT_THAT(big.err, HasSubstr("layer 'fc': no tiling fits the 'small' hardware"));
  EXPECT_THAT(big.err,
              HasSubstr("weights of 1 N-tile(s) need 3136 words, a weight bank holds 2048"));
}

TEST_F(NpuRunBinary, UnknownConfigFileIsNamed) {
  const Invocation r = run_npu_run_binary(
      {"--model", fmnist_, "--random", "1", "--backend", "model", "--config", "nosuch"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("nosuch.yaml"));
}

}  // namespace
}  // namespace npu::cli
