// A small convolution through the array, tile by tile, against the golden model: the test
// plays the im2col engine (K = kh*kw*cin in chunks of Rows, output channels in tiles of
// Cols) and the accumulator (sums the chunks' partial sums), and the result must equal
// golden::conv2d_accumulate with bias 0 and zero point 0.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "Varray.h"
#include "golden/conv2d.h"
#include "golden/tensor.h"
#include "tb/array/array_driver.h"
#include "tb/array/array_scenario.h"
#include "tb/common/bench_env.h"
#include "tb/common/mismatch.h"
#include "tb/common/verilated_bench.h"

namespace npu::tb::array {
namespace {

constexpr ArrayShape kShape{NPU_ARRAY_ROWS, NPU_ARRAY_COLS};

struct ConvCase {
  int h, w, cin, cout;
  golden::ConvGeometry g;
};

void run_conv(const ConvCase& cc, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> act(-128, 127), weight(-127, 127);

  golden::Tensor in(golden::Shape{1, cc.h, cc.w, cc.cin}, golden::QuantParams{0.5f, 0});
  for (int8_t& v : in.data) v = static_cast<int8_t>(act(rng));
  golden::ConvWeights w;
  w.out_channels = cc.cout;
  w.kernel_h = cc.g.kernel_h;
  w.kernel_w = cc.g.kernel_w;
  w.in_channels = cc.cin;
  w.data.resize(static_cast<std::size_t>(cc.cout) * w.kernel_h * w.kernel_w * cc.cin);
  for (int8_t& v : w.data) v = static_cast<int8_t>(weight(rng));
  w.bias.assign(cc.cout, 0);
  w.scales.assign(cc.cout, 0.01f);
  const std::vector<int32_t> golden_acc = golden::conv2d_accumulate(in, w, cc.g);

  const int oh = cc.g.out_h(cc.h), ow = cc.g.out_w(cc.w);
  const int m = oh * ow;
  const int k_total = w.kernel_h * w.kernel_w * cc.cin;
  const int k_chunks = (k_total + kShape.rows - 1) / kShape.rows;
  const int n_tiles = (cc.cout + kShape.cols - 1) / kShape.cols;

  // im2col element k of pixel (oy, ox), k = (ky * kw + kx) * cin + ci as in OHWI weights;
  // padding reads the zero point, 0 here.
  auto im2col = [&](int oy, int ox, int k) -> int8_t {
    const int ci = k % cc.cin, kx = (k / cc.cin) % w.kernel_w, ky = k / cc.cin / w.kernel_w;
    const int iy = oy * cc.g.stride_h - cc.g.pad_top + ky;
    const int ix = ox * cc.g.stride_w - cc.g.pad_left + kx;
    if (iy < 0 || iy >= cc.h || ix < 0 || ix >= cc.w) return 0;
    return in.at(0, iy, ix, ci);
  };

  std::vector<ArrayTile> tiles;
  for (int nt = 0; nt < n_tiles; ++nt) {
    for (int kc = 0; kc < k_chunks; ++kc) {
      ArrayTile tile;
      tile.m = m;
      tile.weights.assign(static_cast<std::size_t>(kShape.rows) * kShape.cols, 0);
      tile.acts.assign(static_cast<std::size_t>(m) * kShape.rows, 0);
      for (int r = 0; r < kShape.rows; ++r) {
        const int k = kc * kShape.rows + r;
        if (k >= k_total) break;
        for (int c = 0; c < kShape.cols; ++c) {
          const int oc = nt * kShape.cols + c;
          if (oc >= cc.cout) break;
          tile.weights[static_cast<std::size_t>(r) * kShape.cols + c] =
              w.data[static_cast<std::size_t>(oc) * k_total + k];
        }
        for (int p = 0; p < m; ++p) {
          tile.acts[static_cast<std::size_t>(p) * kShape.rows + r] = im2col(p / ow, p % ow, k);
        }
      }
      tiles.push_back(tile);
    }
  }

  // Run the tiles on the array, collecting each tile's outputs for the accumulation.
  VerilatedBench<Varray> bench("array");
  bench.top().w_valid_i = 0;
  bench.top().a_valid_i = 0;
  bench.top().o_ready_i = 1;
  bench.reset();
  MismatchReporter tile_mismatches("array");
  ArrayDriver<Varray> driver(bench, kShape, seed ^ 0xc0);
  const RunTimes run = driver.run(tiles, {0.1, 0.1, 0.2}, tile_mismatches);
  ASSERT_EQ(tile_mismatches.mismatches(), 0);
  ASSERT_EQ(run.outputs.size(), static_cast<std::size_t>(n_tiles) * k_chunks * m * kShape.cols);

  // Sum the array's chunk outputs per pixel and channel, as the accumulator scratchpad will.
  std::vector<int32_t> acc(static_cast<std::size_t>(m) * cc.cout, 0);
  std::size_t beat = 0;
  for (int nt = 0; nt < n_tiles; ++nt) {
    for (int kc = 0; kc < k_chunks; ++kc) {
      for (int p = 0; p < m; ++p, ++beat) {
        for (int c = 0; c < kShape.cols; ++c) {
          const int oc = nt * kShape.cols + c;
          if (oc < cc.cout) {
            acc[static_cast<std::size_t>(p) * cc.cout + oc] += run.outputs[beat * kShape.cols + c];
          }
        }
      }
    }
  }
  MismatchReporter conv_mismatches("array conv");
  for (std::size_t i = 0; i < acc.size(); ++i) {
    conv_mismatches.check(
        "pixel " + std::to_string(i / cc.cout) + ", channel " + std::to_string(i % cc.cout),
        golden_acc[i], acc[i]);
  }
}

TEST(ArrayConv, Conv3x3Stride2Pad1ThreeInputChannels) {
  golden::ConvGeometry g;
  g.kernel_h = g.kernel_w = 3;
  g.stride_h = g.stride_w = 2;
  g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = 1;
  run_conv({7, 6, 3, 5, g}, test_seed());
}

TEST(ArrayConv, Conv1x1ChannelsNotAMultipleOfTheArray) {
  golden::ConvGeometry g;
  run_conv({4, 5, kShape.rows + 3, kShape.cols + 1, g}, test_seed());
}

}  // namespace
}  // namespace npu::tb::array
