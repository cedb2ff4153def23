// Throughput of golden::conv2d on the three 3x3 layer shapes of ResNet-20 (28x28 input).
// Usage: npu_golden_bench_conv2d [seconds_per_shape]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "golden/conv2d.h"

namespace {

using npu::golden::ConvGeometry;
using npu::golden::ConvWeights;
using npu::golden::QuantParams;
using npu::golden::Shape;
using npu::golden::Tensor;

void bench(int hw, int channels, double seconds) {
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> act(-128, 127), wgt(-127, 127), bias(-1000, 1000);
  Tensor in(Shape{1, hw, hw, channels}, QuantParams{0.02f, -5});
  for (auto& v : in.data) v = static_cast<int8_t>(act(rng));
  ConvWeights w;
  w.out_channels = channels;
  w.kernel_h = w.kernel_w = 3;
  w.in_channels = channels;
  w.data.resize(static_cast<std::size_t>(channels) * 9 * channels);
  for (auto& v : w.data) v = static_cast<int8_t>(wgt(rng));
  w.bias.resize(channels);
  for (auto& v : w.bias) v = bias(rng);
  w.scales.assign(channels, 0.001f);
  ConvGeometry g;
  g.kernel_h = g.kernel_w = 3;
  g.pad_top = g.pad_left = g.pad_bottom = g.pad_right = 1;

  const double macs = static_cast<double>(hw) * hw * channels * 9 * channels;
  int runs = 0;
  unsigned checksum = 0;
  const auto start = std::chrono::steady_clock::now();
  double elapsed = 0;
  do {
    const Tensor out = npu::golden::conv2d(in, w, g, QuantParams{0.05f, 3}, true);
    checksum += static_cast<uint8_t>(out.data[static_cast<std::size_t>(runs) % out.data.size()]);
    ++runs;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while (elapsed < seconds);
  std::printf("3x3 %2dx%2dx%-2d -> %-2d: %6.2f MMAC/run, %6d runs, %6.2f GMAC/s (checksum %u)\n",
              hw, hw, channels, channels, macs / 1e6, runs, macs * runs / elapsed / 1e9, checksum);
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  bench(28, 16, seconds);
  bench(14, 32, seconds);
  bench(7, 64, seconds);
  return 0;
}
