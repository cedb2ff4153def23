#include <gtest/gtest.h>

#include "sw/cli/top_classes.h"

namespace npu::cli {
namespace {

TEST(TopClasses, OrderScoresAndTies) {
  golden::Tensor t({1, 1, 1, 7}, {0.5f, -10});
  t.data = {-10, 20, 5, 20, -128, 127, 5};
  const std::vector<ClassScore> top = top_classes(t, 5);
  ASSERT_EQ(top.size(), 5u);
  // 127 first, then the tie 20/20 in index order, then the tie 5/5.
  EXPECT_EQ(top[0].index, 5);
  EXPECT_EQ(top[1].index, 1);
  EXPECT_EQ(top[2].index, 3);
  EXPECT_EQ(top[3].index, 2);
  EXPECT_EQ(top[4].index, 6);
  EXPECT_FLOAT_EQ(top[0].score, 68.5f);  // 0.5 * (127 + 10)
  EXPECT_FLOAT_EQ(top[1].score, 15.0f);  // 0.5 * (20 + 10)
  EXPECT_EQ(top[0].quantized, 127);
}

TEST(TopClasses, FewerOutputsThanK) {
  golden::Tensor t({1, 1, 1, 2}, {1.0f, 0});
  t.data = {3, 4};
  const std::vector<ClassScore> top = top_classes(t, 5);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].index, 1);
  EXPECT_TRUE(top_classes(t, 0).empty());
}

}  // namespace
}  // namespace npu::cli
