// npu-run on the committed ResNet-20 (compiled only when models/resnet20_fmnist exists):
// the `make demo` invocation on a 20-image slice, and the image-file path agreeing with the
// dataset path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "sw/cli/tests/run_binary.h"
#include "sw/data/fashion_mnist.h"
#include "sw/data/image_file.h"
#include "sw/data/tests/temp_dir.h"

#ifndef NPU_RESNET20_MODEL
#error "NPU_RESNET20_MODEL must be defined by the build"
#endif

namespace npu::cli {
namespace {

using ::testing::HasSubstr;
using testing::Invocation;
using testing::read_text;
using testing::run_npu_run_binary;

const std::string kModel = NPU_RESNET20_MODEL;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(NpuRunResNet20, TwentyImageSlice) {
  data::test_util::TempDir dir("npu_run_resnet20_slice");
  const Invocation r = run_npu_run_binary(
      {"--model", kModel, "--dataset", "fashion-mnist-test", "--count", "20", "--backend",
       "reference", "--predictions-out", dir.file("p.txt"), "--report", dir.file("r.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(accuracy:   [0-9.]+ % \(([0-9]+)/20\))")))
      << r.out;
  // A ~90 % model: 16 of 20 leaves room for an unlucky slice, not for a broken pipeline
  // (which lands near 10 %).
  EXPECT_GE(std::stoi(m[1]), 16) << r.out;
  EXPECT_EQ(lines_of(read_text(dir.file("p.txt"))).size(), 20u);
  EXPECT_THAT(read_text(dir.file("r.json")), HasSubstr("\"images\": 20,"));
}

TEST(NpuRunResNet20, ImageFileMatchesTheDatasetPath) {
  data::test_util::TempDir dir("npu_run_resnet20_image");
  const data::Dataset ds = data::load_fashion_mnist("test");
  data::write_pnm(dir.file("test0.pgm"), ds.image(0));
  data::write_png(dir.file("test1.png"), ds.image(1));
  const Invocation by_file = run_npu_run_binary(
      {"--model", kModel, "--image", dir.file("test0.pgm"), "--image", dir.file("test1.png")});
  ASSERT_EQ(by_file.exit_code, 0) << by_file.err;
  const Invocation by_dataset =
      run_npu_run_binary({"--model", kModel, "--dataset", "fashion-mnist-test", "--count", "2",
                          "--predictions-out", dir.file("p.txt")});
  ASSERT_EQ(by_dataset.exit_code, 0) << by_dataset.err;
  const std::vector<std::string> pred = lines_of(read_text(dir.file("p.txt")));
  ASSERT_EQ(pred.size(), 2u);
  // Test image 0 is an ankle boot (label 9), image 1 a pullover (label 2): easy cases.
  EXPECT_EQ(pred[0], "9");
  EXPECT_EQ(pred[1], "2");
  EXPECT_THAT(by_file.out, HasSubstr(dir.file("test0.pgm") + ":\n  1.    9  Ankle boot"));
  EXPECT_THAT(by_file.out, HasSubstr(dir.file("test1.png") + ":\n  1.    2  Pullover"));
}

TEST(NpuRunResNet20, AgreesWithPyTorchInt8) {
  const std::string torch =
      (std::filesystem::path(kModel).parent_path() / "pytorch_int8_predictions.txt").string();
  if (!std::filesystem::exists(torch)) GTEST_SKIP() << torch << " not committed";
  const Invocation r =
      run_npu_run_binary({"--model", kModel, "--dataset", "fashion-mnist-test", "--count", "200",
                          "--compare-predictions", torch, "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(agreement:  ([0-9]+)/200 )"))) << r.out;
  // DESIGN.md: PyTorch's own int8 inference should agree on (almost) every image.
  EXPECT_GE(std::stoi(m[1]), 198) << r.out;
}

}  // namespace
}  // namespace npu::cli
