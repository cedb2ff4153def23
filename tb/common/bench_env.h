// Run-time switches shared by every Verilator bench: the random seed and FST tracing.
// All of them come from environment variables so that a failing CTest test can be rerun
// as-is with a trace or a seed (tb/README.md).
#pragma once

#include <cstdint>
#include <string>

namespace npu::tb {

// The current GoogleTest test as "Suite.Name" ("" outside a test).
std::string current_test_name();

// The seed of the current test: NPU_SEED if set (a number, or "random" for a fresh one),
// otherwise a hash of the test name, so that every test has its own fixed stream and CI runs
// are repeatable. Prints the seed and the command line that reproduces it, and records it as
// the test property "seed" (in the XML report). Call once per test.
uint64_t test_seed();

// NPU_TRACE=<file.fst> switches tracing on ("%t" in the name becomes the test name);
// NPU_TRACE_SCOPE=<hier> limits it to one scope ("TOP." is prepended when missing);
// NPU_TRACE_WINDOW=<start>:<end> limits it to cycles start..end (either side may be empty).
struct TraceOptions {
  std::string file;   // empty: tracing off
  std::string scope;  // empty: every signal
  uint64_t first_cycle = 0;
  uint64_t last_cycle = UINT64_MAX;

  bool enabled() const { return !file.empty(); }
  bool in_window(uint64_t cycle) const { return cycle >= first_cycle && cycle <= last_cycle; }
};

// Reads the variables above; throws std::invalid_argument naming the variable on bad syntax.
TraceOptions trace_options_from_env();

}  // namespace npu::tb
