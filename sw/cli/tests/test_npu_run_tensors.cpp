// npu-run --tensors (raw int8 inputs) and --dump-layers (every layer's golden output), as
// npu-import's self-check uses them; numbers by hand from the pixel picker (tiny_models.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <memory>

#include "sw/cli/tests/run_binary.h"
#include "sw/cli/tests/tiny_models.h"
#include "sw/data/tests/temp_dir.h"
#include "sw/model/model_loader.h"

namespace npu::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Invocation;
using testing::read_text;
using testing::run_npu_run_binary;

class NpuRunTensors : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = std::make_unique<data::test_util::TempDir>("npu_run_tensors_" + test_name);
    tiny_ = file("tiny.yaml");
    model::save_network(
        testing::pixel_picker({1, 2, 2, 1}, {0, 1, 3}, {"first", "second", "fourth"}), tiny_,
        "tiny.bin");
  }
  std::string file(const std::string& name) const { return dir_->file(name); }
  // Input q = pixel - 128 (scale 1/255, zero point -128).
  void write_pixels(const std::string& path, const std::vector<int>& pixels) const {
    std::vector<uint8_t> bytes;
    for (int p : pixels) bytes.push_back(static_cast<uint8_t>(static_cast<int8_t>(p - 128)));
    data::test_util::write_bytes(path, bytes);
  }

  std::unique_ptr<data::test_util::TempDir> dir_;
  std::string tiny_;
};

TEST_F(NpuRunTensors, RawTensorsRunAndEveryLayerIsDumped) {
  // Image 0 pixels 10 20 30 40, image 1 pixels 0 255 100 51; outputs -128 + round(p / 2)
  // of pixels 0, 1, 3: -123 -118 -108 and -128 0 -102 (127.5 and 25.5 round away from 0).
  write_pixels(file("in.bin"), {10, 20, 30, 40, 0, 255, 100, 51});
  const Invocation r =
      run_npu_run_binary({"--model", tiny_, "--tensors", file("in.bin"), "--dump-layers",
                          file("dump"), "--predictions-out", file("pred.txt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(file("in.bin") + ", 2 images"));
  EXPECT_EQ(read_text(file("pred.txt")), "2\n1\n");
  EXPECT_EQ(read_text(file("dump/layers.txt")), "fc 1 1 3 0.00784313772 -128\n");
  const std::vector<uint8_t> fc = data::test_util::read_bytes(file("dump/fc.bin"));
  std::vector<int> values(fc.begin(), fc.end());
  for (int& v : values) v = static_cast<int8_t>(v);
  EXPECT_THAT(values, ElementsAre(-123, -118, -108, -128, 0, -102));
}

TEST_F(NpuRunTensors, BadTensorFilesAreNamed) {
  write_pixels(file("odd.bin"), {1, 2, 3, 4, 5});
  Invocation r = run_npu_run_binary({"--model", tiny_, "--tensors", file("odd.bin")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err,
              HasSubstr("tensor file '" + file("odd.bin") + "': 5 bytes is not a whole number of"));
  r = run_npu_run_binary({"--model", tiny_, "--tensors", file("missing.bin")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("tensor file '" + file("missing.bin") + "': cannot be opened"));
  r = run_npu_run_binary({"--model", tiny_, "--tensors", file("odd.bin"), "--random", "1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("conflicts with another input"));
}

}  // namespace
}  // namespace npu::cli
