#include <gtest/gtest.h>

#include <stdexcept>

#include "sw/cli/batch_runner.h"
#include "sw/cli/tests/tiny_models.h"
#include "sw/data/input_quantization.h"
#include "sw/model/reference_executor.h"

namespace npu::cli {
namespace {

// Random 2x2 images; image `fail_at` throws instead.
class FakeInputs : public InputSet {
 public:
  FakeInputs(const model::Network& net, std::size_t n, std::size_t fail_at = SIZE_MAX)
      : net_(net), n_(n), fail_at_(fail_at) {}
  std::size_t size() const override { return n_; }
  golden::Tensor input(std::size_t i) const override {
    if (i == fail_at_) throw std::runtime_error("input " + std::to_string(i) + " is broken");
    return data::random_input(net_, 5, i);
  }
  std::string name(std::size_t i) const override { return "fake " + std::to_string(i); }
  std::string description() const override { return "fake"; }

 private:
  const model::Network& net_;
  std::size_t n_, fail_at_;
};

TEST(BatchRunner, OutputsInInputOrderForAnyThreadCount) {
  const model::Network net = testing::pixel_picker({1, 2, 2, 1}, {0, 1, 3}, {});
  const FakeInputs inputs(net, 37);
  for (int threads : {1, 2, 4, 100}) {
    const BatchResult r = run_batch(net, inputs, BackendKind::kReference, threads);
    ASSERT_EQ(r.outputs.size(), 37u);
    EXPECT_EQ(r.threads, std::min(threads, 37));
    for (std::size_t i = 0; i < 37; ++i) {
      // By hand: output k = -128 + round(pixel[pick k] / 2), halves away from zero.
      const data::Image img = data::random_image(2, 2, 1, 5, i);
      const int picks[3] = {0, 1, 3};
      for (int k = 0; k < 3; ++k) {
        const int p = img.pixels[picks[k]];
        EXPECT_EQ(r.outputs[i].data[k], -128 + (p + 1) / 2) << "image " << i << " class " << k;
      }
    }
  }
}

TEST(BatchRunner, ProgressEndsWithTheTotal) {
  const model::Network net = testing::pixel_picker({1, 2, 2, 1}, {0, 1}, {});
  const FakeInputs inputs(net, 10);
  std::size_t last_done = 0, calls = 0;
  run_batch(net, inputs, BackendKind::kReference, 2,
            [&](std::size_t done, std::size_t total, double) {
              EXPECT_EQ(total, 10u);
              EXPECT_GE(done, last_done);
              last_done = done;
              ++calls;
            });
  EXPECT_GE(calls, 1u);
  EXPECT_EQ(last_done, 10u);
}

TEST(BatchRunner, AWorkerFailureIsRethrown) {
  const model::Network net = testing::pixel_picker({1, 2, 2, 1}, {0, 1}, {});
  for (int threads : {1, 3}) {
    const FakeInputs inputs(net, 50, 17);
    try {
      run_batch(net, inputs, BackendKind::kReference, threads);
      ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "input 17 is broken");
    }
  }
}

TEST(BatchRunner, DefaultThreadCountIsPositive) { EXPECT_GE(default_thread_count(), 1); }

}  // namespace
}  // namespace npu::cli
