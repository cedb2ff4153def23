// npu_systolic_array at NPU_ARRAY_ROWS x NPU_ARRAY_COLS (one executable per size, the model
// verilated with matching -G overrides): functional checks against a plain int32 matmul and
// cycle counts for back-to-back tiles.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "Varray.h"
#include "tb/array/array_driver.h"
#include "tb/array/array_scenario.h"
#include "tb/common/bench_env.h"
#include "tb/common/mismatch.h"
#include "tb/common/port_bits.h"
#include "tb/common/verilated_bench.h"
#include "tb/common/watchdog.h"

namespace npu::tb::array {
namespace {

constexpr ArrayShape kShape{NPU_ARRAY_ROWS, NPU_ARRAY_COLS};
constexpr int kRows = NPU_ARRAY_ROWS;
constexpr int kCols = NPU_ARRAY_COLS;

class ArrayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = test_seed();
    rng_.seed(seed_);
    bench_.top().w_valid_i = 0;
    bench_.top().a_valid_i = 0;
    bench_.top().o_ready_i = 1;
    bench_.reset();
  }

  RunTimes run(const std::vector<ArrayTile>& tiles, const DriveOptions& options) {
    MismatchReporter mismatches("array");
    ArrayDriver<Varray> driver(bench_, kShape, seed_ ^ 0x5eed);
    RunTimes times = driver.run(tiles, options, mismatches);
    EXPECT_EQ(mismatches.mismatches(), 0);
    return times;
  }

  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  VerilatedBench<Varray> bench_{"array"};
};

std::size_t vector_count(const std::vector<ArrayTile>& tiles) {
  std::size_t n = 0;
  for (const ArrayTile& t : tiles) n += static_cast<std::size_t>(t.m);
  return n;
}

// Tiles whose results follow from formulas, not from reference_tile().
std::vector<ArrayTile> directed_tiles() {
  std::vector<ArrayTile> tiles;
  // Identity weights, x[k] = k + 1: output n is n + 1 (0 beyond the diagonal's end).
  ArrayTile identity;
  identity.m = 2;
  identity.weights.assign(kRows * kCols, 0);
  for (int k = 0; k < std::min(kRows, kCols); ++k) identity.weights[k * kCols + k] = 1;
  for (int i = 0; i < identity.m; ++i) {
    for (int k = 0; k < kRows; ++k) {
      identity.acts.push_back(static_cast<int8_t>(i == 0 ? k + 1 : -(k + 1)));
    }
  }
  tiles.push_back(identity);
  // Extremes: activations -128; column 0 weights -127, column 1 +127, others 1.
  ArrayTile extremes;
  extremes.m = 1;
  extremes.weights.assign(kRows * kCols, 1);
  for (int k = 0; k < kRows; ++k) {
    extremes.weights[k * kCols + 0] = -127;
    extremes.weights[k * kCols + 1] = 127;
  }
  extremes.acts.assign(kRows, -128);
  tiles.push_back(extremes);
  return tiles;
}

TEST(ArrayReference, MatchesHandComputedValues) {
  const std::vector<ArrayTile> tiles = directed_tiles();
  const std::vector<int32_t> id = reference_tile(tiles[0], kShape);
  for (int n = 0; n < kCols; ++n) {
    const int32_t diag = n < kRows ? n + 1 : 0;
    EXPECT_EQ(id[n], diag) << "column " << n;
    EXPECT_EQ(id[kCols + n], -diag) << "column " << n;
  }
  const std::vector<int32_t> ext = reference_tile(tiles[1], kShape);
  EXPECT_EQ(ext[0], kRows * 16256);   // -128 * -127
  EXPECT_EQ(ext[1], -kRows * 16256);  // -128 * 127
  for (int n = 2; n < kCols; ++n) EXPECT_EQ(ext[n], -kRows * 128);
}

TEST_F(ArrayTest, DirectedTiles) {
  std::vector<ArrayTile> tiles = directed_tiles();
  run(tiles, {});
}

TEST_F(ArrayTest, RandomTilesWithGapsAndBackpressure) {
  std::uniform_int_distribution<int> m_dist(1, 3 * kRows), k_dist(1, kRows), n_dist(1, kCols);
  std::vector<ArrayTile> tiles;
  const int count = kRows >= 32 ? 8 : 30;
  for (int t = 0; t < count; ++t) {
    tiles.push_back(random_tile(rng_, kShape, m_dist(rng_), k_dist(rng_), n_dist(rng_)));
  }
  run(tiles, {0.2, 0.2, 0.3});
}

TEST_F(ArrayTest, RandomTilesHeavyBackpressure) {
  std::uniform_int_distribution<int> m_dist(1, 2 * kRows);
  std::vector<ArrayTile> tiles;
  for (int t = 0; t < 10; ++t) {
    tiles.push_back(random_tile(rng_, kShape, m_dist(rng_), kRows, kCols));
  }
  run(tiles, {0.5, 0.1, 0.8});
}

TEST_F(ArrayTest, SingleVectorTiles) {
  std::vector<ArrayTile> tiles;
  for (int t = 0; t < 6; ++t) tiles.push_back(random_tile(rng_, kShape, 1, kRows, kCols));
  run(tiles, {0.1, 0.1, 0.2});
}

TEST_F(ArrayTest, PaddedKAndN) {
  // K and N well below the array: the zero rows and columns must come out as exact zeros.
  std::vector<ArrayTile> tiles;
  tiles.push_back(random_tile(rng_, kShape, kRows + 3, 1, 1));
  tiles.push_back(random_tile(rng_, kShape, 2, kRows / 2, kCols - 1));
  tiles.push_back(random_tile(rng_, kShape, kRows, kRows - 1, kCols / 2));
  tiles.push_back(random_tile(rng_, kShape, 5, 3, 1));
  run(tiles, {0.1, 0.3, 0.2});
}

// With M >= Rows vectors per tile and no stalls, N tiles take N * M cycles of input plus one
// fill/drain: the vectors enter on consecutive cycles, and the last output leaves Rows + Cols
// + 1 cycles after the last vector entered (Rows + Cols pipeline stages up to the output
// buffer, one in it). With M < Rows a tile takes Rows cycles (its successor's weight load).
void expect_back_to_back(const RunTimes& times, std::size_t vectors, int tiles, int m) {
  ASSERT_EQ(times.a_fires.size(), vectors);
  ASSERT_FALSE(times.o_fires.empty());
  const uint64_t first_w = times.w_fires.front();
  const uint64_t first_a = times.a_fires.front();
  const uint64_t last_o = times.o_fires.back();
  const uint64_t input_span = times.a_fires.back() - first_a + 1;
  const uint64_t per_tile = static_cast<uint64_t>(std::max(m, kRows));
  const uint64_t ideal_input = per_tile * static_cast<uint64_t>(tiles - 1) + m;
  std::cout << "[ cycles   ] " << kRows << "x" << kCols << ": " << tiles << " tiles x " << m
            << " vectors: weights start " << first_w << ", first vector " << first_a
            << ", last vector " << times.a_fires.back() << ", last output " << last_o << " -> "
            << (last_o - first_a + 1) << " cycles from first vector to last output, "
            << (last_o - first_w + 1) << " including the first weight load" << std::endl;
  EXPECT_EQ(input_span, ideal_input) << "a bubble between tiles";
  // Fill/drain of the whole run: Rows + Cols + 1 cycles from the last vector to its output.
  EXPECT_LE(last_o - first_a + 1, ideal_input + kRows + kCols + 1);
  // Before that, the first tile's weights: Rows beats.
  EXPECT_LE(last_o - first_w + 1, ideal_input + 2 * kRows + kCols + 1);
}

TEST_F(ArrayTest, BackToBackTilesBalanced) {
  // M == Rows: the weight load of the next tile exactly hides behind the current one.
  constexpr int kTiles = 6;
  std::vector<ArrayTile> tiles;
  for (int t = 0; t < kTiles; ++t) tiles.push_back(random_tile(rng_, kShape, kRows, kRows, kCols));
  const RunTimes times = run(tiles, {});
  expect_back_to_back(times, vector_count(tiles), kTiles, kRows);
}

TEST_F(ArrayTest, BackToBackTilesLong) {
  constexpr int kTiles = 5;
  const int m = 2 * kRows + 3;
  std::vector<ArrayTile> tiles;
  for (int t = 0; t < kTiles; ++t) tiles.push_back(random_tile(rng_, kShape, m, kRows, kCols));
  const RunTimes times = run(tiles, {});
  expect_back_to_back(times, vector_count(tiles), kTiles, m);
}

TEST_F(ArrayTest, BackToBackTilesShort) {
  // M < Rows: the weight load (Rows beats) sets the pace, one tile per Rows cycles.
  constexpr int kTiles = 5;
  const int m = std::max(1, kRows / 2 - 1);
  std::vector<ArrayTile> tiles;
  for (int t = 0; t < kTiles; ++t) tiles.push_back(random_tile(rng_, kShape, m, kRows, kCols));
  const RunTimes times = run(tiles, {});
  expect_back_to_back(times, vector_count(tiles), kTiles, m);
  for (std::size_t t = 1; t < times.tile_first_a.size(); ++t) {
    EXPECT_EQ(times.tile_first_a[t] - times.tile_first_a[t - 1], static_cast<uint64_t>(kRows))
        << "tile " << t;
  }
}

// The handshake rule: a tile's first vector waits until all Rows beats of its weights are in.
TEST_F(ArrayTest, FirstVectorWaitsForAllWeightBeats) {
  Varray& top = bench_.top();
  const ArrayTile tile = random_tile(rng_, kShape, 1, kRows, kCols);
  top.a_valid_i = 1;
  top.a_first_i = 1;
  top.a_last_i = 1;
  for (int k = 0; k < kRows; ++k) set_bits(top.a_data_i, k * 8, 8, 0);
  for (int beat = 0; beat < kRows; ++beat) {
    for (int n = 0; n < kCols; ++n) {
      set_bits(top.w_data_i, n * 8, 8,
               static_cast<uint8_t>(tile.weights[beat_row(kShape, beat) * kCols + n]));
    }
    top.w_valid_i = 1;
    bench_.settle();
    EXPECT_FALSE(top.a_ready_o) << "first vector accepted after only " << beat << " beats";
    ASSERT_TRUE(top.w_ready_o) << "beat " << beat;
    bench_.tick();
    bench_.progress();
    top.w_valid_i = 0;
    bench_.settle();
    if (beat + 1 < kRows) {
      // A gap between beats: the vector must still wait.
      EXPECT_FALSE(top.a_ready_o) << "after " << beat + 1 << " beats";
      bench_.tick();
    }
  }
  EXPECT_TRUE(top.a_ready_o) << "all " << kRows << " beats are in";
}

// Without weights the first vector is never taken: the watchdog must end the test, naming
// the block and the cycle, rather than let it spin.
TEST_F(ArrayTest, WatchdogEndsAHang) {
  Varray& top = bench_.top();
  top.a_valid_i = 1;
  top.a_first_i = 1;
  bench_.watchdog().set_limit(50);
  try {
    for (int i = 0; i < 1000; ++i) {
      bench_.settle();
      ASSERT_FALSE(top.a_ready_o);
      bench_.tick();
    }
    FAIL() << "the watchdog did not fire";
  } catch (const WatchdogTimeout& e) {
    EXPECT_NE(std::string(e.what()).find("block 'array'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("now cycle"), std::string::npos) << e.what();
  }
}

// Runs a padded, backpressured scenario here and writes it for tb/array/array_tb.sv (Icarus):
// to $NPU_ARRAY_VECTOR_DIR when CTest sets it, else to a scratch directory.
TEST_F(ArrayTest, ExportIcarusVectors) {
  std::vector<ArrayTile> tiles;
  tiles.push_back(random_tile(rng_, kShape, kRows + 2, kRows, kCols));
  tiles.push_back(random_tile(rng_, kShape, 3, kRows - 1, kCols - 1));
  tiles.push_back(random_tile(rng_, kShape, 1, kRows, kCols));
  tiles.push_back(random_tile(rng_, kShape, 2 * kRows, kRows / 2, 2));
  tiles.push_back(directed_tiles()[1]);
  run(tiles, {0.2, 0.2, 0.3});

  const char* dir_env = std::getenv("NPU_ARRAY_VECTOR_DIR");
  const std::string dir =
      dir_env != nullptr ? std::string(dir_env) : ::testing::TempDir() + "/npu_array_vectors";
  std::filesystem::create_directories(dir);
  export_vectors(dir, kShape, tiles);
  std::cout << "[ vectors  ] " << dir << std::endl;
}

}  // namespace
}  // namespace npu::tb::array
