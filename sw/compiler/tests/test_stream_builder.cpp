// Token flags of build_stream: every pop has an earlier push (stream order), nothing is left
// over, and loads wait exactly for the compute that last read their buffer.
#include <gtest/gtest.h>

#include <array>

#include "sw/compiler/stream_builder.h"

namespace npu::compiler {
namespace {

struct Flags {
  uint32_t op;
  bool pop_prev, pop_next, push_prev, push_next;
};

Flags flags(const CmdWords& w) {
  return {w[0] & 0xf, (w[0] >> 4 & 1) != 0, (w[0] >> 5 & 1) != 0, (w[0] >> 6 & 1) != 0,
          (w[0] >> 7 & 1) != 0};
}

// Runs the stream in stream order with the four counters; false on a pop of an empty counter.
bool prefix_rule_holds(const std::vector<CmdWords>& s, std::array<int, 4>* left) {
  std::array<int, 4> n{};  // l2c, c2l, c2s, s2c
  enum { kL2c, kC2l, kC2s, kS2c };
  for (const CmdWords& w : s) {
    const Flags f = flags(w);
    int pop_prev = -1, pop_next = -1, push_prev = -1, push_next = -1;
    if (f.op == 1) pop_next = kC2l, push_next = kL2c;
    if (f.op == 2) pop_prev = kL2c, pop_next = kS2c, push_prev = kC2l, push_next = kC2s;
    if (f.op == 3) pop_prev = kC2s, push_prev = kS2c;
    for (auto [on, c] : {std::pair{f.pop_prev, pop_prev}, std::pair{f.pop_next, pop_next}}) {
      if (!on) continue;
      if (c < 0 || n[c] == 0) return false;
      --n[c];
    }
    for (auto [on, c] : {std::pair{f.push_prev, push_prev}, std::pair{f.push_next, push_next}}) {
      if (!on) continue;
      if (c < 0) return false;
      ++n[c];
    }
  }
  *left = n;
  return true;
}

JobStep job(std::vector<int> load_readers, int out_prev) {
  JobStep j;
  for (int r : load_readers) j.loads.push_back({DmaCmd{}, r});
  j.out_prev_job = out_prev;
  return j;
}

TEST(StreamBuilder, DoubleBufferedJobsAreWellFormedWithNoTokenLeft) {
  std::vector<JobStep> jobs;
  for (int i = 0; i < 6; ++i) jobs.push_back(job({i >= 2 ? i - 2 : -1}, i >= 2 ? i - 2 : -1));
  const std::vector<CmdWords> s = build_stream(jobs);
  ASSERT_EQ(s.size(), 6u * 3 + 1);
  std::array<int, 4> left{};
  ASSERT_TRUE(prefix_rule_holds(s, &left));
  EXPECT_EQ(left, (std::array<int, 4>{0, 0, 0, 0}));
  // Load 2 waits for compute 0; load 0 and 1 wait for nothing.
  EXPECT_FALSE(flags(s[0]).pop_next);
  EXPECT_TRUE(flags(s[6]).pop_next);
  EXPECT_TRUE(flags(s[1]).push_prev) << "compute 0 frees its buffer for load 2";
  EXPECT_FALSE(flags(s[13]).push_prev) << "compute 4: no later load waits for it";
  EXPECT_EQ(s.back()[0] & 0xf, 5u) << "END";
}

TEST(StreamBuilder, LoadsOfAJobRunInDependencyOrderAndWaitOncePerCompute) {
  // Job 2 loads over buffers last read by jobs 1, 0 and 0: sorted 0, 0, 1; pops for 0 and 1.
  std::vector<JobStep> jobs{job({-1, -1}, -1), job({-1}, -1), job({1, 0, 0}, 0)};
  const std::vector<CmdWords> s = build_stream(jobs);
  std::array<int, 4> left{};
  ASSERT_TRUE(prefix_rule_holds(s, &left));
  EXPECT_EQ(left, (std::array<int, 4>{0, 0, 0, 0}));
  // Stream: L L C S | L C S | L L L C S | END.
  EXPECT_TRUE(flags(s[7]).pop_next);
  EXPECT_FALSE(flags(s[8]).pop_next) << "compute 0 already waited for";
  EXPECT_TRUE(flags(s[9]).pop_next);
  EXPECT_TRUE(flags(s[9]).push_next) << "the last load of the group hands the job over";
  EXPECT_FALSE(flags(s[7]).push_next);
  EXPECT_TRUE(flags(s[3]).push_prev) << "store 0 frees job 2's output region";
}

TEST(StreamBuilder, JobWithoutLoadsDoesNotPopLoadTokens) {
  std::vector<JobStep> jobs{job({-1}, -1), job({}, -1)};
  const std::vector<CmdWords> s = build_stream(jobs);
  EXPECT_FALSE(flags(s[3]).pop_prev) << "compute 1";
  std::array<int, 4> left{};
  EXPECT_TRUE(prefix_rule_holds(s, &left));
}

TEST(StreamBuilder, ForwardDependencyIsALogicError) {
  std::vector<JobStep> jobs{job({0}, -1)};
  EXPECT_THROW(build_stream(jobs), std::logic_error);
}

}  // namespace
}  // namespace npu::compiler
