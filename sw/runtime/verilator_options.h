// Options of the Verilator device: the DRAM's timing behind npu_top's AXI4 master and an
// optional FST trace window.
#pragma once

#include <cstdint>
#include <string>

namespace npu::runtime {

struct MemoryTiming {
  enum class Mode {
    kFast,    // fixed latencies, every ready / valid high: a realistic DRAM, fastest to simulate
    kRandom,  // random latency per burst and random per-cycle backpressure (seeded)
  };
  Mode mode = Mode::kFast;
  int read_latency = 30;   // kFast: cycles from AR accepted to the first R beat offered
  int write_latency = 30;  // kFast: cycles from the last W beat to B offered
  int latency_min = 2, latency_max = 40;  // kRandom: per burst, both directions
  double ready = 0.8;        // kRandom: probability per cycle of AR/AW/W ready and R/B valid
  uint64_t seed = 1;         // kRandom
  int max_outstanding = 16;  // bursts accepted per direction before AR / AW ready drops
};

struct TraceWindow {
  std::string path;  // FST file; empty: no trace
  uint64_t first_cycle = 0;
  uint64_t last_cycle = UINT64_MAX;
  // Time scale: one cycle is 1 / clock_mhz us (config::clock_period_ps). 0:
  // make_verilator_device uses the hardware config's clock_mhz.
  double clock_mhz = 0;
};

struct VerilatorOptions {
  MemoryTiming memory;
  TraceWindow trace;
  uint64_t axil_timeout_cycles = 10000;  // a register access that takes longer: DeviceError
};

}  // namespace npu::runtime
