// A tiny portable random generator (Steele, Lea, Flood 2014). The synthetic networks must
// be identical on every platform and standard library, which rules out std:: distributions.
#pragma once

#include <cstdint>

namespace npu::model {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Uniform integer in [lo, hi] (hi - lo < 2^32), by a multiply-shift instead of a modulo.
  int64_t uniform_int(int64_t lo, int64_t hi) {
    const uint64_t range = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int64_t>(((next() >> 32) * range) >> 32);
  }

  // Approximately standard normal: the sum of four 16-bit uniforms (Irwin-Hall), from one
  // draw. Bounded by about +-3.46, which suits int8 weights; only +, * and / are used, so
  // the result is the same with every libm.
  double gaussian() {
    const uint64_t r = next();
    const double sum =
        static_cast<double>((r & 0xFFFF) + (r >> 16 & 0xFFFF) + (r >> 32 & 0xFFFF) + (r >> 48));
    // Mean 4 * 65535 / 2, standard deviation 2 * sqrt((65536^2 - 1) / 12).
    constexpr double kMean = 2.0 * 65535.0;
    constexpr double kStd = 37837.227237206;
    return (sum - kMean) / kStd;
  }

 private:
  uint64_t state_;
};

}  // namespace npu::model
