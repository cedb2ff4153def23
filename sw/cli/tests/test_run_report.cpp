#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "sw/cli/run_report.h"
#include "sw/cli/tests/tiny_models.h"

namespace npu::cli {
namespace {

using ::testing::HasSubstr;

TEST(RunReport, JsonEscape) {
  EXPECT_EQ(json_escape("a\"b\\c\nd\te\x01"), "a\\\"b\\\\c\\nd\\te\\u0001");
  EXPECT_EQ(json_escape("T-shirt/top"), "T-shirt/top");
}

TEST(RunReport, Figures) {
  RunSummary run;
  run.images = 4;
  run.correct = 3;
  run.seconds = 2.0;
  EXPECT_DOUBLE_EQ(run.images_per_second(), 2.0);
  EXPECT_DOUBLE_EQ(run.accuracy(), 0.75);
  run.correct.reset();
  EXPECT_TRUE(std::isnan(run.accuracy()));
}

TEST(RunReport, JsonContent) {
  // 3 outputs x 4 inputs: 12 MACs per inference.
  const model::Network net = testing::pixel_picker({1, 2, 2, 1}, {0, 1, 3}, {"a", "b", "c"});
  RunSummary run;
  run.model_source = "tiny \"model\".yaml";
  run.backend = "reference";
  run.threads = 2;
  run.input = "fashion-mnist-test [0, 4)";
  run.images = 4;
  run.correct = 3;
  run.seconds = 0.5;
  PredictionComparison cmp;
  cmp.compared = 4;
  cmp.agreeing = 2;
  cmp.differing_total = 2;
  cmp.differing = {1, 3};
  run.comparison = cmp;
  run.compared_with = "torch.txt";
  const std::string json = run_report_json(run, net);
  EXPECT_THAT(json, HasSubstr("\"source\": \"tiny \\\"model\\\".yaml\""));
  EXPECT_THAT(json, HasSubstr("\"macs_per_inference\": 12,"));
  EXPECT_THAT(json, HasSubstr("\"weight_bytes\": 12"));
  EXPECT_THAT(json, HasSubstr("\"backend\": \"reference\""));
  EXPECT_THAT(json, HasSubstr("\"images\": 4,"));
  EXPECT_THAT(json, HasSubstr("\"correct\": 3,"));
  EXPECT_THAT(json, HasSubstr("\"accuracy\": 0.75,"));
  EXPECT_THAT(json, HasSubstr("\"images_per_second\": 8,"));
  EXPECT_THAT(json, HasSubstr("\"mmac_per_second\": 9.6e-05,"));  // 8 * 12 / 1e6
  EXPECT_THAT(json, HasSubstr("\"first_differing\": [1, 3]"));
  EXPECT_THAT(
      json,
      HasSubstr("{\"name\": \"fc\", \"op\": \"fully_connected\", \"output_shape\": [1, 1, 3], "
                "\"macs\": 12}"));

  run.correct.reset();
  run.comparison.reset();
  const std::string unlabelled = run_report_json(run, net);
  EXPECT_THAT(unlabelled, HasSubstr("\"accuracy\": null,"));
  EXPECT_THAT(unlabelled, HasSubstr("\"comparison\": null,"));
}

}  // namespace
}  // namespace npu::cli
