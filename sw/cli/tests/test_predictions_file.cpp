#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "sw/cli/predictions_file.h"
#include "sw/data/tests/temp_dir.h"

namespace npu::cli {
namespace {

using data::test_util::TempDir;
using ::testing::HasSubstr;

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

TEST(PredictionsFile, RoundTripAndExactFormat) {
  TempDir dir("pred_rt");
  write_predictions(dir.file("p.txt"), {9, 0, 3});
  std::ifstream f(dir.file("p.txt"));
  const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "9\n0\n3\n");
  EXPECT_EQ(read_predictions(dir.file("p.txt")), (std::vector<int>{9, 0, 3}));
}

TEST(PredictionsFile, CommentsAndCrlfAreAccepted) {
  TempDir dir("pred_crlf");
  write_text(dir.file("p.txt"), "# from pytorch\r\n4\r\n5 \r\n");
  EXPECT_EQ(read_predictions(dir.file("p.txt")), (std::vector<int>{4, 5}));
}

TEST(PredictionsFile, BadLinesNameFileAndLine) {
  TempDir dir("pred_bad");
  write_text(dir.file("p.txt"), "1\n2\ncat\n");
  try {
    read_predictions(dir.file("p.txt"));
    ADD_FAILURE();
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr(dir.file("p.txt")));
    EXPECT_THAT(e.what(), HasSubstr("line 3"));
    EXPECT_THAT(e.what(), HasSubstr("'cat'"));
  }
  write_text(dir.file("n.txt"), "1\n-2\n");
  EXPECT_THROW(read_predictions(dir.file("n.txt")), std::runtime_error);
  write_text(dir.file("e.txt"), "1\n\n2\n");
  EXPECT_THROW(read_predictions(dir.file("e.txt")), std::runtime_error);
  EXPECT_THROW(read_predictions(dir.file("missing.txt")), std::runtime_error);
}

TEST(PredictionsFile, CompareOneLinePerImageOfTheRun) {
  const PredictionComparison c =
      compare_predictions({1, 2, 3, 4}, {10, 11, 12, 13}, 100, {1, 0, 3, 0}, "t.txt");
  EXPECT_EQ(c.compared, 4u);
  EXPECT_EQ(c.agreeing, 2u);
  EXPECT_EQ(c.differing_total, 2u);
  // Reported as source (dataset) indices.
  EXPECT_EQ(c.differing, (std::vector<std::size_t>{11, 13}));
}

TEST(PredictionsFile, CompareAgainstAWholeDatasetFile) {
  std::vector<int> theirs(6, 0);
  theirs[3] = 7;
  theirs[4] = 8;
  const PredictionComparison c = compare_predictions({7, 5}, {3, 4}, 6, theirs, "t.txt");
  EXPECT_EQ(c.agreeing, 1u);
  EXPECT_EQ(c.differing, (std::vector<std::size_t>{4}));
}

TEST(PredictionsFile, CompareListsAtMostTwentyAndRejectsOtherSizes) {
  std::vector<int> ours(30, 1), theirs(30, 2);
  std::vector<std::size_t> idx(30);
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  const PredictionComparison c = compare_predictions(ours, idx, 30, theirs, "t.txt");
  EXPECT_EQ(c.differing_total, 30u);
  EXPECT_EQ(c.differing.size(), 20u);
  EXPECT_EQ(c.differing.back(), 19u);
  try {
    compare_predictions(ours, idx, 10000, std::vector<int>(29, 1), "t.txt");
    ADD_FAILURE();
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("'t.txt' has 29 lines"));
    EXPECT_THAT(e.what(), HasSubstr("(30)"));
    EXPECT_THAT(e.what(), HasSubstr("(10000)"));
  }
}

}  // namespace
}  // namespace npu::cli
