// Runs ArrayTiles through a Verilated npu_systolic_array: weight and activation sources with
// optional random valid gaps, an output sink with optional random backpressure, and a
// checker that compares every output beat with reference_tile(). Written once for every
// array size (ports of any width through tb/common/port_bits.h).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "tb/array/array_scenario.h"
#include "tb/common/mismatch.h"
#include "tb/common/port_bits.h"
#include "tb/common/verilated_bench.h"

namespace npu::tb::array {

struct DriveOptions {
  double w_gap = 0.0;    // probability that the weight source idles in a cycle
  double a_gap = 0.0;    // same for the activation source
  double o_stall = 0.0;  // probability that the sink is not ready in a cycle
};

// Handshake cycles (bench cycle numbers) and output data of one run.
struct RunTimes {
  std::vector<uint64_t> w_fires;
  std::vector<uint64_t> a_fires;
  std::vector<uint64_t> o_fires;
  std::vector<uint64_t> tile_first_a;  // cycle of each tile's first vector
  std::vector<int32_t> outputs;        // every output beat's Cols sums, in order
};

template <typename Top>
class ArrayDriver {
 public:
  ArrayDriver(VerilatedBench<Top>& bench, ArrayShape shape, uint64_t seed)
      : bench_(bench), shape_(shape), rng_(seed) {}

  // Streams all tiles back to back, checks every output, then checks that nothing else comes
  // out. Returns the handshake times.
  RunTimes run(const std::vector<ArrayTile>& tiles, const DriveOptions& options,
               MismatchReporter& mismatches) {
    Top& top = bench_.top();
    std::bernoulli_distribution w_idle(options.w_gap), a_idle(options.a_gap),
        o_stall(options.o_stall);

    struct Expected {
      std::size_t tile;
      int pixel;
      bool last;
      std::vector<int32_t> sums;
    };
    std::deque<Expected> expected;
    std::size_t total_vectors = 0;
    for (std::size_t t = 0; t < tiles.size(); ++t) {
      const std::vector<int32_t> ref = reference_tile(tiles[t], shape_);
      for (int i = 0; i < tiles[t].m; ++i) {
        expected.push_back({t, i, i == tiles[t].m - 1,
                            std::vector<int32_t>(ref.begin() + i * shape_.cols,
                                                 ref.begin() + (i + 1) * shape_.cols)});
      }
      total_vectors += static_cast<std::size_t>(tiles[t].m);
    }

    RunTimes times;
    std::size_t w_tile = 0, a_tile = 0;
    int w_beat = 0, a_vec = 0;
    bool w_valid = false, a_valid = false;
    while (times.o_fires.size() < total_vectors) {
      // Sources: hold a presented beat until it is taken, otherwise maybe idle.
      if (!w_valid && w_tile < tiles.size() && !w_idle(rng_)) {
        w_valid = true;
        const int row = beat_row(shape_, w_beat);
        for (int n = 0; n < shape_.cols; ++n) {
          set_bits(top.w_data_i, n * 8, 8,
                   static_cast<uint8_t>(tiles[w_tile].weights[row * shape_.cols + n]));
        }
      }
      if (!a_valid && a_tile < tiles.size() && !a_idle(rng_)) {
        a_valid = true;
        const ArrayTile& tile = tiles[a_tile];
        for (int k = 0; k < shape_.rows; ++k) {
          set_bits(top.a_data_i, k * 8, 8,
                   static_cast<uint8_t>(tile.acts[a_vec * shape_.rows + k]));
        }
        top.a_first_i = a_vec == 0;
        top.a_last_i = a_vec == tile.m - 1;
      }
      top.w_valid_i = w_valid;
      top.a_valid_i = a_valid;
      const bool o_ready = !o_stall(rng_);
      top.o_ready_i = o_ready;
      bench_.settle();

      const uint64_t now = bench_.cycle();
      if (w_valid && top.w_ready_o) {
        times.w_fires.push_back(now);
        w_valid = false;
        if (++w_beat == shape_.rows) {
          w_beat = 0;
          ++w_tile;
        }
        bench_.progress();
      }
      if (a_valid && top.a_ready_o) {
        times.a_fires.push_back(now);
        if (a_vec == 0) times.tile_first_a.push_back(now);
        a_valid = false;
        if (++a_vec == tiles[a_tile].m) {
          a_vec = 0;
          ++a_tile;
        }
        bench_.progress();
      }
      if (top.o_valid_o && o_ready) {
        times.o_fires.push_back(now);
        check_output(top, expected, mismatches);
        for (int n = 0; n < shape_.cols; ++n) {
          times.outputs.push_back(get_signed(top.o_data_o, n * 32, 32));
        }
        bench_.progress();
      }
      bench_.tick();
    }

    // Drain: nothing more may come out.
    top.w_valid_i = 0;
    top.a_valid_i = 0;
    top.o_ready_i = 1;
    for (int i = 0; i < 2 * (shape_.rows + shape_.cols) + 8; ++i) {
      bench_.settle();
      EXPECT_FALSE(top.o_valid_o) << "[array] extra output beat at cycle " << bench_.cycle();
      bench_.progress();
      bench_.tick();
    }
    return times;
  }

 private:
  template <typename Expected>
  void check_output(Top& top, std::deque<Expected>& expected, MismatchReporter& mismatches) {
    if (expected.empty()) {
      ADD_FAILURE() << "[array] output beat at cycle " << bench_.cycle()
                    << " but every expected output has been seen";
      return;
    }
    const Expected e = expected.front();
    expected.pop_front();
    const std::string where =
        "tile " + std::to_string(e.tile) + ", pixel " + std::to_string(e.pixel);
    for (int n = 0; n < shape_.cols; ++n) {
      mismatches.check(where + ", column " + std::to_string(n), e.sums[n],
                       get_signed(top.o_data_o, n * 32, 32));
    }
    mismatches.check(where + ", o_last_o", e.last, top.o_last_o != 0);
  }

  VerilatedBench<Top>& bench_;
  ArrayShape shape_;
  std::mt19937_64 rng_;
};

}  // namespace npu::tb::array
