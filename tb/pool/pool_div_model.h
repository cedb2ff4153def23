// Bit-level C++ model of npu_pool_div's average path: the restoring division the RTL performs,
// step by step and with the RTL's register widths, so that the algorithm can be checked against
// golden::divide_round_half_away over the whole input range much faster than in simulation.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace npu::tb {

// sum: window sum of d int8 values (|sum| <= 128 d); d: taps (1 .. 2^(acc_bits - 8)).
// Returns what npu_pool_div outputs as a signed byte.
inline int32_t pool_div_model(int32_t sum, int32_t d, int acc_bits = 20) {
  const uint64_t limit = uint64_t{1} << acc_bits;
  const bool neg = sum < 0;
  const uint64_t mag = neg ? uint64_t(-int64_t{sum}) : uint64_t(sum);
  uint64_t rem = mag + uint64_t(d >> 1);  // |sum| + floor(d/2)
  uint64_t dsh = uint64_t(d) << 7;        // divisor aligned to quotient bit 7
  if (mag > limit || rem >= limit || dsh >= limit) {
    throw std::out_of_range("pool_div_model: sum " + std::to_string(sum) + ", d " +
                            std::to_string(d) + " overflow the " + std::to_string(acc_bits) +
                            "-bit datapath");
  }
  uint32_t q = 0;
  for (int step = 0; step < 8; ++step) {  // one RTL cycle each
    const bool ge = rem >= dsh;
    if (ge) rem -= dsh;
    q = ((q << 1) | (ge ? 1u : 0u)) & 0xffu;
    dsh >>= 1;
  }
  if (neg) return q > 128 ? -128 : -static_cast<int32_t>(q);
  return q > 127 ? 127 : static_cast<int32_t>(q);
}

}  // namespace npu::tb
