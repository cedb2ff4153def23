#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sw/cli/run_options.h"

namespace npu::cli {
namespace {

using ::testing::HasSubstr;

std::string usage_error(const std::vector<std::string>& args) {
  try {
    parse_run_options(args);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(RunOptions, DatasetSliceWithAllOptions) {
  const RunOptions o = parse_run_options(
      {"--model", "m.yaml", "--dataset", "fashion-mnist-test", "--first", "10", "--count=20",
       "--backend", "reference", "--threads", "3", "--predictions-out", "p.txt",
       "--compare-predictions", "q.txt", "--report", "r.json", "--quiet"});
  EXPECT_EQ(o.model, "m.yaml");
  EXPECT_EQ(o.input, InputKind::kDataset);
  EXPECT_EQ(o.dataset, "fashion-mnist-test");
  EXPECT_EQ(o.first, 10);
  ASSERT_TRUE(o.count.has_value());
  EXPECT_EQ(*o.count, 20);
  EXPECT_EQ(o.backend, BackendKind::kReference);
  EXPECT_EQ(o.threads, 3);
  EXPECT_EQ(o.predictions_out, "p.txt");
  EXPECT_EQ(o.compare_predictions, "q.txt");
  EXPECT_EQ(o.report, "r.json");
  EXPECT_TRUE(o.quiet);
}

TEST(RunOptions, DefaultsAndRepeatedImages) {
  const RunOptions o =
      parse_run_options({"--model=resnet18-cifar", "--image", "a.png", "--image", "b.pgm"});
  EXPECT_EQ(o.images, (std::vector<std::string>{"a.png", "b.pgm"}));
  EXPECT_EQ(o.seed, 1u);
  EXPECT_EQ(o.threads, 0);
  EXPECT_EQ(o.first, 0);
  EXPECT_FALSE(o.count.has_value());
  EXPECT_FALSE(o.quiet);
}

TEST(RunOptions, RandomWithSeed) {
  const RunOptions o = parse_run_options(
      {"--model", "resnet18-cifar", "--random", "7", "--seed", "18446744073709551615"});
  EXPECT_EQ(o.input, InputKind::kRandom);
  EXPECT_EQ(o.random_count, 7);
  EXPECT_EQ(o.seed, 18446744073709551615ull);
}

TEST(RunOptions, HelpNeedsNothingElse) {
  EXPECT_TRUE(parse_run_options({"--help"}).help);
  // The whole line is still checked, so a typo next to --help is reported.
  EXPECT_THAT(usage_error({"-h", "--bogus"}), HasSubstr("unknown option '--bogus'"));
  EXPECT_THAT(run_usage(), HasSubstr("--compare-predictions"));
  EXPECT_THAT(run_usage(), HasSubstr("reference: the golden operators layer by layer"));
  EXPECT_THAT(run_usage(), HasSubstr("model: the compiled command streams"));
  EXPECT_THAT(run_usage(), HasSubstr("fashion-mnist-test"));
}

TEST(RunOptions, Errors) {
  EXPECT_THAT(usage_error({"--dataset", "fashion-mnist-test"}), HasSubstr("missing --model"));
  EXPECT_THAT(usage_error({"--model", "m.yaml"}), HasSubstr("missing input"));
  EXPECT_THAT(usage_error({"--model", "m", "--random", "2", "--frobnicate"}),
              HasSubstr("unknown option '--frobnicate'"));
  EXPECT_THAT(usage_error({"--model", "m", "--random", "2", "stray"}),
              HasSubstr("unexpected argument 'stray'"));
  EXPECT_THAT(usage_error({"--model"}), HasSubstr("--model needs a value"));
  EXPECT_THAT(usage_error({"--model", "m", "--random", "x"}),
              HasSubstr("--random expects an integer, got 'x'"));
  EXPECT_THAT(usage_error({"--model", "m", "--random", "0"}), HasSubstr("at least 1"));
  EXPECT_THAT(usage_error({"--model", "m", "--random", "3", "--threads", "0"}),
              HasSubstr("--threads must be at least 1"));
  EXPECT_THAT(usage_error({"--model", "m", "--random", "3", "--threads", "2x"}),
              HasSubstr("expects an integer"));
  EXPECT_THAT(usage_error({"--model", "m", "--dataset", "fashion-mnist-test", "--count", "-5"}),
              HasSubstr("at least 1"));
  EXPECT_THAT(usage_error({"--model", "m", "--dataset", "mnist"}),
              HasSubstr("unknown dataset 'mnist'"));
  EXPECT_THAT(usage_error({"--model", "m", "--random", "3", "--image", "a.png"}),
              HasSubstr("conflicts"));
  EXPECT_THAT(usage_error({"--model", "m", "--random", "3", "--count", "2"}),
              HasSubstr("--dataset only"));
  EXPECT_THAT(usage_error({"--model", "m", "--random", "3", "--backend", "verilator"}),
              HasSubstr("unknown backend 'verilator' (available: reference, model, rtl)"));
  EXPECT_THAT(usage_error({"--model", "m", "--random", "3", "--quiet=yes"}),
              HasSubstr("takes no value"));
}

TEST(RunOptions, OldBackendNamesSayTheNewOnes) {
  EXPECT_EQ(usage_error({"--model", "m", "--random", "1", "--backend", "golden"}),
            "backend 'golden' is now called 'reference'");
  EXPECT_EQ(usage_error({"--model", "m", "--random", "1", "--backend", "golden-device"}),
            "backend 'golden-device' is now called 'model'");
  EXPECT_EQ(parse_run_options({"--model", "m", "--random", "1", "--backend", "model"}).backend,
            BackendKind::kModel);
}

TEST(RunOptions, DeviceBackendOptions) {
  const RunOptions o =
      parse_run_options({"--model", "m.yaml", "--random", "1", "--backend", "rtl", "--config",
                         "small", "--check", "--memory", "random", "--memory-seed", "9", "--trace",
                         "t.fst", "--trace-window", "10:200", "--chart", "c.png"});
  EXPECT_EQ(o.backend, BackendKind::kRtl);
  EXPECT_EQ(o.config, "small");
  EXPECT_TRUE(o.check);
  EXPECT_TRUE(o.random_memory);
  EXPECT_EQ(o.memory_seed, 9u);
  EXPECT_EQ(o.trace, "t.fst");
  EXPECT_EQ(o.trace_first, 10u);
  EXPECT_EQ(o.trace_last, 200u);
  EXPECT_EQ(o.chart, "c.png");
  EXPECT_EQ(parse_run_options({"--model", "m", "--random", "1"}).config, "default");
}

TEST(RunOptions, DeviceOptionsNeedADeviceBackend) {
  EXPECT_THAT(usage_error({"--model", "m", "--random", "1", "--check"}),
              HasSubstr("--check and --chart need a device backend"));
  EXPECT_THAT(
      usage_error({"--model", "m", "--random", "1", "--backend", "model", "--trace", "t.fst"}),
      HasSubstr("--memory and --trace apply to the rtl backend only"));
  EXPECT_THAT(
      usage_error({"--model", "m", "--random", "1", "--backend", "rtl", "--memory", "slow"}),
      HasSubstr("--memory expects fast or random"));
  EXPECT_THAT(
      usage_error({"--model", "m", "--random", "1", "--backend", "rtl", "--trace-window", "100"}),
      HasSubstr("FIRST:LAST"));
  EXPECT_THAT(
      usage_error({"--model", "m", "--random", "1", "--backend", "rtl", "--trace-window", "100:5"}),
      HasSubstr("must be at least 100"));
  EXPECT_THAT(usage_error({"--model", "m", "--random", "1", "--backend", "fpga"}),
              HasSubstr("available: reference, model, rtl"));
}

}  // namespace
}  // namespace npu::cli
