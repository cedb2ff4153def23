// npu_pool_div on its own (Lanes = 16): every window sum of selected divisors, 16 per vector,
// against golden::divide_round_half_away and the bit-level model that the exhaustive C++ test
// covers (pool_div_test.cpp), so RTL == model == golden. Random output stalls.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "Vnpu_pool_div.h"
#include "golden/pool.h"
#include "tb/common/bench_env.h"
#include "tb/common/mismatch.h"
#include "tb/common/port_bits.h"
#include "tb/common/verilated_bench.h"
#include "tb/pool/pool_div_model.h"

namespace npu::tb {
namespace {

constexpr int kLanes = 16;
constexpr int kAccBits = 20;

struct Vector {
  std::vector<int32_t> sums;
  int32_t d;
  bool bypass;
};

// Runs the vectors through the unit (in order) and checks every lane of every result.
void run_vectors(const std::vector<Vector>& vectors, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution out_ready(0.7), in_valid(0.8);
  VerilatedBench<Vnpu_pool_div> bench("npu_pool_div", 200);
  bench->in_valid_i = 0;
  bench->out_ready_i = 0;
  bench.reset();
  MismatchReporter report("npu_pool_div");
  std::size_t sent = 0, received = 0;
  while (received < vectors.size()) {
    const bool offer = sent < vectors.size() && in_valid(rng);
    bench->in_valid_i = offer ? 1 : 0;
    if (offer) {
      const Vector& v = vectors[sent];
      bench->bypass_i = v.bypass ? 1 : 0;
      for (int l = 0; l < kLanes; ++l) {
        set_bits(bench->in_sum_i, l * kAccBits, kAccBits, static_cast<uint32_t>(v.sums[l]));
      }
      bench->in_div_i = static_cast<uint32_t>(v.d);
      bench->in_last_i = sent + 1 == vectors.size() ? 1 : 0;
    }
    bench->out_ready_i = out_ready(rng) ? 1 : 0;
    bench.settle();
    if (bench->out_valid_o && bench->out_ready_i) {
      const Vector& v = vectors[received];
      for (int l = 0; l < kLanes; ++l) {
        const int32_t want = v.bypass ? v.sums[l] : golden::divide_round_half_away(v.sums[l], v.d);
        const int32_t model = v.bypass ? v.sums[l] : pool_div_model(v.sums[l], v.d, kAccBits);
        const int32_t got = get_signed(bench->out_data_o, 8 * l, 8);
        const std::string where = "vector " + std::to_string(received) + " (d " +
                                  std::to_string(v.d) + ", sum " + std::to_string(v.sums[l]) +
                                  "), lane " + std::to_string(l);
        report.check(where, want, got);
        report.check(where + " vs model", model, got);
      }
      const bool last = received + 1 == vectors.size();
      EXPECT_EQ(bool(bench->out_last_o), last) << "vector " << received;
      ++received;
      bench.progress();
    }
    if (offer && bench->in_ready_o) {
      ++sent;
      bench.progress();
    }
    bench.tick();
    if (report.mismatches() > 10) return;
  }
}

// All sums of each divisor, 16 consecutive sums per vector.
std::vector<Vector> all_sums(const std::vector<int32_t>& divisors) {
  std::vector<Vector> vectors;
  for (int32_t d : divisors) {
    for (int64_t s = -128LL * d; s <= 127LL * d; s += kLanes) {
      Vector v{{}, d, false};
      for (int l = 0; l < kLanes; ++l) {
        v.sums.push_back(static_cast<int32_t>(std::min<int64_t>(s + l, 127LL * d)));
      }
      vectors.push_back(v);
    }
  }
  return vectors;
}

TEST(PoolDivRtl, AllSumsSmallDivisors) {
  std::vector<int32_t> divisors;
  for (int32_t d = 1; d <= 64; ++d) divisors.push_back(d);
  run_vectors(all_sums(divisors), test_seed());
}

TEST(PoolDivRtl, AllSumsLargeWindows) {
  // 7x7, 9x9, 10x10, 14x14, 35x35, 63x65 and 64x64 windows.
  run_vectors(all_sums({49, 81, 100, 196, 1225, 4095, 4096}), test_seed());
}

// Max mode: the value passes unchanged, one vector per cycle.
TEST(PoolDivRtl, BypassPassesValues) {
  std::mt19937_64 rng(test_seed());
  std::uniform_int_distribution<int32_t> value(-128, 127);
  std::vector<Vector> vectors;
  for (int i = 0; i < 500; ++i) {
    Vector v{{}, 1 + i % 49, true};
    for (int l = 0; l < kLanes; ++l) v.sums.push_back(value(rng));
    vectors.push_back(v);
  }
  run_vectors(vectors, rng());
}

}  // namespace
}  // namespace npu::tb
