// npu_pool against golden max_pool / avg_pool / global_avg_pool, byte by byte, with a scratchpad
// model that answers with random latency and random gaps, and a randomly stalling output.
// NPU_SEED reproduces a run, NPU_TRACE dumps FST (tb/README.md).
//
// Built once per lane count (tb/pool/CMakeLists.txt): NPU_POOL_LANES is the model's Lanes and
// NPU_POOL_SUITE the test suite name (PoolL4, PoolL8, ...), so CTest names stay unique. Lanes 32
// runs the smoke subset only.
#include <gtest/gtest.h>

#include <cstdint>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "Vnpu_pool.h"
#include "tb/common/bench_env.h"
#include "tb/common/mismatch.h"
#include "tb/pool/pool_cases.h"
#include "tb/pool/pool_harness.h"

namespace npu::tb {
namespace {

constexpr int kLanes = NPU_POOL_LANES;

std::string describe(const PoolJob& job) {
  std::ostringstream s;
  const golden::Shape& in = job.input.shape;
  s << to_string(job.mode) << " ";
  if (job.mode != PoolMode::kGlobalAvg) {
    const golden::ConvGeometry& g = job.geom;
    s << g.kernel_h << "x" << g.kernel_w << "/s" << g.stride_h << "/p" << g.pad_top << ","
      << g.pad_left << "," << g.pad_bottom << "," << g.pad_right << " ";
  }
  s << "on " << in.h << "x" << in.w << "x" << in.c << " (zp " << job.input.quant.zero_point
    << ", groups " << job.groups() << ", lanes " << job.lanes << ")";
  return s.str();
}

// Scratchpad reads the unit must issue: one per in-bounds tap of every window and group.
uint64_t expected_reads(const PoolJob& job) {
  const golden::Shape& s = job.input.shape;
  if (job.mode == PoolMode::kGlobalAvg) return uint64_t(s.h) * s.w * job.groups();
  const golden::ConvGeometry& g = job.geom;
  uint64_t reads = 0;
  for (int oy = 0; oy < g.out_h(s.h); ++oy) {
    for (int ox = 0; ox < g.out_w(s.w); ++ox) {
      for (int ky = 0; ky < g.kernel_h; ++ky) {
        for (int kx = 0; kx < g.kernel_w; ++kx) {
          const int iy = oy * g.stride_h - g.pad_top + ky, ix = ox * g.stride_w - g.pad_left + kx;
          if (iy >= 0 && iy < s.h && ix >= 0 && ix < s.w) reads += uint64_t(job.groups());
        }
      }
    }
  }
  return reads;
}

// Compares the unit's output words with the golden tensor: word k is output pixel
// (y, x) = divmod(k / groups, OW), channel group k % groups.
void expect_golden(const PoolJob& job, const PoolRun& run, const std::string& what) {
  for (const auto& e : run.errors) ADD_FAILURE() << "[npu_pool] " << what << ": " << e;
  const golden::Tensor want = pool_expected(job);
  const int groups = job.groups();
  const std::size_t words = static_cast<std::size_t>(want.shape.h) * want.shape.w * groups;
  EXPECT_EQ(run.reads, expected_reads(job)) << "[npu_pool] " << what << ": scratchpad reads";
  ASSERT_EQ(run.words.size(), words) << "[npu_pool] " << what << ": output word count";
  MismatchReporter report("npu_pool");
  for (std::size_t k = 0; k < words; ++k) {
    const int g = static_cast<int>(k % groups);
    const int pixel = static_cast<int>(k / groups);
    const int y = pixel / want.shape.w, x = pixel % want.shape.w;
    for (int l = 0; l < job.lanes; ++l) {
      const int c = g * job.lanes + l;
      std::ostringstream where;
      where << what << ": y " << y << ", x " << x << ", channel " << c;
      report.check(where.str(), want.at(0, y, x, c), run.words[k][static_cast<std::size_t>(l)]);
    }
  }
}

// Taps the unit walks per output word (padding included) and its floor of 8 cycles per word
// in the average modes (one restoring division step per quotient bit).
double ideal_cycles_per_word(const PoolJob& job) {
  const golden::Shape& s = job.input.shape;
  const double taps = job.mode == PoolMode::kGlobalAvg
                          ? double(s.h) * s.w
                          : double(job.geom.kernel_h) * job.geom.kernel_w;
  return job.mode == PoolMode::kMax ? taps : std::max(taps, 8.0);
}

void print_perf(const PoolJob& job, const PoolRun& run, const PoolTraffic& t) {
  const golden::Shape o = pool_output_shape(job);
  const double pixels = double(o.h) * o.w;
  std::cout << "[ perf     ] " << describe(job) << ": " << run.cycles << " cycles, " << std::fixed
            << std::setprecision(2) << double(run.cycles) / pixels << " cycles/output pixel (ideal "
            << ideal_cycles_per_word(job) * job.groups() << "), traffic " << t.describe()
            << std::endl;
}

class NPU_POOL_SUITE : public ::testing::Test {
 protected:
  using Harness = PoolHarness<Vnpu_pool>;

  void SetUp() override {
    rng_.seed(test_seed());
    harness_ = std::make_unique<Harness>(kLanes, rng_());
  }

  PoolRun run_and_check(const PoolJob& job, const PoolTraffic& traffic) {
    SCOPED_TRACE(describe(job) + ", traffic " + traffic.describe());
    PoolRun run = harness_->run(job, traffic);
    expect_golden(job, run, describe(job));
    print_perf(job, run, traffic);
    return run;
  }

  PoolTraffic some_traffic() {
    // Mostly hostile, sometimes ideal so that the full-speed paths are exercised too.
    return std::uniform_int_distribution<int>(0, 3)(rng_) == 0 ? ideal_traffic(1)
                                                               : random_traffic(rng_);
  }

  int rand_int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::mt19937_64 rng_;
  std::unique_ptr<Harness> harness_;
};

#if NPU_POOL_LANES != 32

// ResNet's stem pool; odd and even sizes, 1x1 inputs (all but one tap padding), several groups.
TEST_F(NPU_POOL_SUITE, MaxPool3x3Stride2Pad1) {
  const int lanes = kLanes;
  for (auto [h, w, groups] :
       {std::array<int, 3>{1, 1, 1}, {2, 3, 1}, {7, 7, 2}, {8, 8, 1}, {20, 20, 1}, {13, 17, 3}}) {
    PoolJob job = make_job(PoolMode::kMax, random_tensor(rng_, h, w, groups * lanes, 7, -128, 127),
                           geometry(3, 2, 1), lanes, static_cast<uint32_t>(rand_int(0, 99)));
    run_and_check(job, some_traffic());
  }
}

// 2x2/s2 average: divisor 4, so exact halves are everywhere on a narrow input range.
TEST_F(NPU_POOL_SUITE, AvgPool2x2Stride2Ties) {
  const int lanes = kLanes;
  for (auto [h, w, groups, lo, hi] : {std::array<int, 5>{2, 2, 1, -2, 1},
                                      {6, 9, 2, -3, 2},
                                      {20, 20, 1, -128, 127},
                                      {11, 4, 3, -128, -120}}) {
    PoolJob job = make_job(PoolMode::kAvg, random_tensor(rng_, h, w, groups * lanes, 0, lo, hi),
                           geometry(2, 2, 0), lanes, 0);
    run_and_check(job, some_traffic());
  }
}

// 3x3/s1/p1 average: padding holds the zero point and every border window mixes it in;
// values next to the zero point give many sums one step either side of a rounding boundary.
TEST_F(NPU_POOL_SUITE, AvgPool3x3Stride1Pad1) {
  const int lanes = kLanes;
  for (auto [h, w, groups, zp, lo, hi] : {std::array<int, 6>{1, 1, 1, 3, -5, 5},
                                          {5, 5, 2, -7, -12, -2},
                                          {12, 9, 1, 100, 95, 127},
                                          {20, 20, 1, -128, -128, 127}}) {
    PoolJob job = make_job(PoolMode::kAvg, random_tensor(rng_, h, w, groups * lanes, zp, lo, hi),
                           geometry(3, 1, 1), lanes, 3);
    run_and_check(job, some_traffic());
  }
}

// Global average: 7x7 (ResNet-18 ImageNet), 1x1, 4x4 and 8x8 (power-of-two divisors: ties),
// at the int8 extremes and on tie-prone narrow ranges.
TEST_F(NPU_POOL_SUITE, GlobalAverage) {
  const int lanes = kLanes;
  for (auto [h, w, groups, lo, hi] : {std::array<int, 5>{7, 7, 2, -128, 127},
                                      {1, 1, 3, -128, 127},
                                      {4, 4, 1, -1, 0},
                                      {8, 8, 2, -2, 1},
                                      {7, 7, 1, -128, -128},
                                      {7, 7, 1, 127, 127},
                                      {8, 8, 1, -128, -127},
                                      {3, 5, 2, -128, 127}}) {
    PoolJob job =
        make_job(PoolMode::kGlobalAvg, random_tensor(rng_, h, w, groups * lanes, -9, lo, hi),
                 golden::ConvGeometry{}, lanes, 17);
    run_and_check(job, some_traffic());
  }
}

// The largest window the default parameters support: 64x64 = 4096 taps (|sum| up to 2^19).
TEST_F(NPU_POOL_SUITE, GlobalAverage64x64) {
  const int lanes = kLanes;
  for (auto [lo, hi] : {std::array<int, 2>{-128, -128}, {127, 127}, {-128, 127}}) {
    PoolJob job = make_job(PoolMode::kGlobalAvg, random_tensor(rng_, 64, 64, lanes, 0, lo, hi),
                           golden::ConvGeometry{}, lanes, 0);
    run_and_check(job, ideal_traffic(2));
  }
}

// Random everything: mode, kh != kw, stride 1..4, asymmetric padding (up to the kernel size,
// so some max-pool windows are all padding and give -128), sizes 1..20, groups 1..4, placement.
TEST_F(NPU_POOL_SUITE, RandomShapes) {
  const int lanes = kLanes;
  int done = 0;
  while (done < 40) {
    const auto mode = static_cast<PoolMode>(rand_int(0, 2));
    const int h = rand_int(1, 20), w = rand_int(1, 20);
    const int groups = rand_int(0, 2) == 0 ? 1 : rand_int(1, 4);
    const int kh = rand_int(1, 7), kw = rand_int(1, 7);
    golden::ConvGeometry g =
        geometry(kh, kw, 1, rand_int(0, kh), rand_int(0, kw), rand_int(0, kh), rand_int(0, kw));
    g.stride_h = rand_int(1, 4);
    g.stride_w = rand_int(1, 4);
    if (mode != PoolMode::kGlobalAvg &&
        (g.out_h(h) < 1 || g.out_w(w) < 1 || h + g.pad_top + g.pad_bottom < kh ||
         w + g.pad_left + g.pad_right < kw)) {
      continue;  // no output: golden rejects such a geometry
    }
    if (mode == PoolMode::kGlobalAvg) g = golden::ConvGeometry{};
    const int zp = rand_int(-128, 127);
    const bool narrow = rand_int(0, 2) == 0;
    const int lo = narrow ? std::max(-128, zp - 3) : -128;
    const int hi = narrow ? std::min(127, zp + 3) : 127;
    PoolJob job = make_job(mode, random_tensor(rng_, h, w, groups * lanes, zp, lo, hi), g, lanes,
                           static_cast<uint32_t>(rand_int(0, 1000)));
    if (rand_int(0, 3) == 0) {
      // A window of a larger tensor: gaps between pixels and between rows.
      job.pix_stride = static_cast<uint32_t>(groups + rand_int(0, 3));
      job.row_stride = static_cast<uint32_t>(w) * job.pix_stride + rand_int(0, 5);
    }
    run_and_check(job, some_traffic());
    if (HasFailure()) return;
    ++done;
  }
}

// Jobs back to back on one unit without reset, every mode after every other.
TEST_F(NPU_POOL_SUITE, BackToBackJobs) {
  const int lanes = kLanes;
  for (int i = 0; i < 9; ++i) {
    const auto mode = static_cast<PoolMode>(i % 3);
    const golden::ConvGeometry g = mode == PoolMode::kGlobalAvg ? golden::ConvGeometry{}
                                   : i % 2 == 0                 ? geometry(3, 2, 1)
                                                                : geometry(2, 2, 0);
    PoolJob job = make_job(mode, random_tensor(rng_, 6, 6, lanes, i - 4, -128, 127), g, lanes,
                           static_cast<uint32_t>(i * 50));
    run_and_check(job, random_traffic(rng_));
  }
}

// Read latency beyond the request depth: still exact, only slower.
TEST_F(NPU_POOL_SUITE, LongReadLatency) {
  const int lanes = kLanes;
  PoolJob job = make_job(PoolMode::kAvg, random_tensor(rng_, 9, 9, 2 * lanes, 1, -128, 127),
                         geometry(3, 2, 1), lanes, 5);
  run_and_check(job, ideal_traffic(12));
}

// Throughput with an ideal environment and read latency 1..2: one tap per cycle plus a few
// cycles of pipeline fill per job. A tap holds its tag slot for latency + 2 cycles (issue,
// response into the response FIFO, reducer), so Depth = 4 covers latency <= 2 (docs/pool.md).
TEST_F(NPU_POOL_SUITE, ThroughputOneTapPerCycle) {
  const int lanes = kLanes;
  struct Case {
    PoolMode mode;
    golden::ConvGeometry g;
    int h, w;
  };
  for (int latency = 1; latency <= 2; ++latency) {
    for (const Case& c : {Case{PoolMode::kMax, geometry(3, 2, 1), 16, 16},
                          Case{PoolMode::kMax, geometry(1, 1, 0), 8, 8},
                          Case{PoolMode::kAvg, geometry(3, 1, 1), 10, 10},
                          Case{PoolMode::kAvg, geometry(2, 2, 0), 10, 10},
                          Case{PoolMode::kGlobalAvg, golden::ConvGeometry{}, 7, 7}}) {
      PoolJob job =
          make_job(c.mode, random_tensor(rng_, c.h, c.w, 2 * lanes, 0, -128, 127), c.g, lanes, 0);
      const PoolRun run = run_and_check(job, ideal_traffic(latency));
      const golden::Shape o = pool_output_shape(job);
      const double words = double(o.h) * o.w * job.groups();
      // Fill: start -> first request 1 cycle, request -> reducer latency + 1, reducer -> output
      // 2 (max) or 10 (avg) cycles, output -> done 1 cycle.
      const double bound = words * ideal_cycles_per_word(job) + latency + 14;
      EXPECT_LE(double(run.cycles), bound) << describe(job) << ", latency " << latency;
    }
  }
}

// A start pulse is only taken while idle: pulses during a job change nothing (the harness pulses
// start_i at random while busy), and a job whose every window is padding still terminates.
TEST_F(NPU_POOL_SUITE, StartWhileBusyIgnored) {
  const int lanes = kLanes;
  PoolTraffic t = random_traffic(rng_);
  t.start_noise = 0.5;
  PoolJob job = make_job(PoolMode::kMax, random_tensor(rng_, 5, 6, lanes, 0, -128, 127),
                         geometry(3, 2, 1), lanes, 0);
  run_and_check(job, t);
  // 1x1 input, 3x3 window, padding 2 on every side: output 3x3 where the corners see no input.
  PoolJob pad_only = make_job(PoolMode::kMax, random_tensor(rng_, 1, 1, lanes, 0, 0, 0),
                              geometry(3, 1, 2), lanes, 0);
  run_and_check(pad_only, t);
}

// The vectors the Icarus bench runs (pool_tb.sv): the same answer from both simulators.
TEST_F(NPU_POOL_SUITE, ExportedCases) {
  for (const auto& c : exported_cases(kLanes)) {
    run_and_check(c.job, random_traffic(rng_));
  }
}

#else  // NPU_POOL_LANES == 32: the widest configuration builds and passes the main cases.

TEST_F(NPU_POOL_SUITE, MaxAvgAndGlobal) {
  for (const PoolJob& job :
       {make_job(PoolMode::kMax, random_tensor(rng_, 9, 8, 64, 0, -128, 127), geometry(3, 2, 1),
                 kLanes, 0),
        make_job(PoolMode::kAvg, random_tensor(rng_, 8, 8, 32, 4, -128, 127), geometry(3, 1, 1),
                 kLanes, 100),
        make_job(PoolMode::kGlobalAvg, random_tensor(rng_, 7, 7, 64, -1, -128, 127),
                 golden::ConvGeometry{}, kLanes, 7)}) {
    run_and_check(job, random_traffic(rng_));
  }
}

TEST_F(NPU_POOL_SUITE, ExportedCases) {
  for (const auto& c : exported_cases(kLanes)) run_and_check(c.job, random_traffic(rng_));
}

#endif

}  // namespace
}  // namespace npu::tb
