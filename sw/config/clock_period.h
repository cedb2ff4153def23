// The clock period of a hardware config in picoseconds: the time step of every FST trace
// (benches and the runtime's Verilator device), so that a waveform viewer shows one cycle as
// its real period at the config's clock_mhz (5000 ps at 200 MHz).
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace npu::config {

// The FST time resolution that clock_period_ps() counts in.
inline constexpr const char* kTraceTimeResolution = "1ps";

// 1e6 / clock_mhz rounded to the nearest picosecond (exact for every divisor of 1 THz, e.g.
// 200 MHz -> 5000); at least 2 so that both clock phases have a time of their own.
inline uint64_t clock_period_ps(double clock_mhz) {
  if (!(clock_mhz > 0.0) || !std::isfinite(clock_mhz)) {
    throw std::invalid_argument("clock_mhz must be positive to time a trace (got " +
                                std::to_string(clock_mhz) + ")");
  }
  const double ps = std::round(1e6 / clock_mhz);
  return ps < 2.0 ? 2 : static_cast<uint64_t>(ps);
}

}  // namespace npu::config
