// Clock, reset, tracing and watchdog around one Verilated model: the part of every bench
// that is not about the block under test. The model must have ports clk_i and rst_ni
// (active-low reset), as every npu_ module does.
//
// Cycle protocol: the test sets inputs while the clock is low, calls settle() when it needs
// outputs that depend combinationally on those inputs (e.g. a ready that depends on a
// valid's payload), decides its handshakes, then calls tick() for one rising edge. After
// tick(), registered outputs show the new state.
//
// Time: one cycle is the clock period of the bench's hardware config (npu_add_verilated_bench
// HW_CONFIG, else configs/default.yaml; NPU_BENCH_HW below) in picoseconds, so traces show
// real time (5 ns at 200 MHz): cycle n spans n..n+1 periods, its rising edge half way.
#pragma once

#include <verilated.h>
#include <verilated_fst_c.h>

#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include "sw/config/clock_period.h"
#include "tb/common/bench_env.h"
#include "tb/common/watchdog.h"

// The generated header of the bench's config (npu_add_verilated_bench HW_CONFIG): its clock.
#if !defined(NPU_BENCH_HW_HEADER) || !defined(NPU_BENCH_HW)
#error "NPU_BENCH_HW_HEADER / NPU_BENCH_HW: build the bench with npu_add_verilated_bench"
#endif
#include NPU_BENCH_HW_HEADER

namespace npu::tb {

// The bench's clock: clock_mhz of its hardware config.
inline constexpr double kBenchClockMhz = NPU_BENCH_HW::kClockMhz;

template <typename Top>
class VerilatedBench {
 public:
  // `block` names the design in watchdog messages; `watchdog_cycles` is its default limit.
  explicit VerilatedBench(std::string block, uint64_t watchdog_cycles = 10000)
      : context_(std::make_unique<VerilatedContext>()),
        trace_options_(trace_options_from_env()),
        period_ps_(config::clock_period_ps(kBenchClockMhz)),
        watchdog_(block, watchdog_cycles) {
    // Tracing costs nothing unless switched on: traceEverOn only when a file is asked for.
    if (trace_options_.enabled()) context_->traceEverOn(true);
    top_ = std::make_unique<Top>(context_.get(), "TOP");
    top_->clk_i = 0;
    top_->rst_ni = 0;
    if (trace_options_.enabled()) {
      trace_ = std::make_unique<VerilatedFstC>();
      trace_->set_time_unit(config::kTraceTimeResolution);
      trace_->set_time_resolution(config::kTraceTimeResolution);
      if (!trace_options_.scope.empty()) trace_->dumpvars(99, trace_options_.scope);
      top_->trace(trace_.get(), 99);
      trace_->open(trace_options_.file.c_str());
      std::cout << "[ trace    ] " << block << ": " << trace_options_.file << " (cycles "
                << trace_options_.first_cycle << ".."
                << (trace_options_.last_cycle == UINT64_MAX
                        ? std::string("end")
                        : std::to_string(trace_options_.last_cycle))
                << (trace_options_.scope.empty() ? "" : ", scope " + trace_options_.scope) << ")"
                << std::endl;
    }
    top_->eval();
  }

  VerilatedBench(const VerilatedBench&) = delete;
  VerilatedBench& operator=(const VerilatedBench&) = delete;

  ~VerilatedBench() {
    top_->final();
    if (trace_) trace_->close();
  }

  Top& top() { return *top_; }
  Top* operator->() { return top_.get(); }
  uint64_t cycle() const { return cycle_; }
  Watchdog& watchdog() { return watchdog_; }
  void progress() { watchdog_.progress(cycle_); }

  // Holds rst_ni low for `cycles` rising edges, then releases it. Inputs should be idle.
  void reset(int cycles = 4) {
    top_->rst_ni = 0;
    for (int i = 0; i < cycles; ++i) tick();
    top_->rst_ni = 1;
    settle();
    progress();
  }

  // Re-evaluates combinational logic after inputs changed (clock stays low).
  void settle() { top_->eval(); }

  // One cycle: rising edge, then falling edge. Throws WatchdogTimeout on a hang.
  void tick() {
    top_->clk_i = 0;
    top_->eval();
    dump();
    context_->timeInc(period_ps_ / 2);
    top_->clk_i = 1;
    top_->eval();
    dump();
    context_->timeInc(period_ps_ - period_ps_ / 2);
    top_->clk_i = 0;
    top_->eval();
    ++cycle_;
    watchdog_.check(cycle_);
  }

 private:
  void dump() {
    if (!trace_) return;
    if (trace_options_.in_window(cycle_)) {
      trace_->dump(context_->time());
    } else if (cycle_ > trace_options_.last_cycle) {
      trace_->close();  // flush what we have: the window is over
      trace_.reset();
    }
  }

  std::unique_ptr<VerilatedContext> context_;
  TraceOptions trace_options_;
  uint64_t period_ps_;  // trace time per cycle
  std::unique_ptr<Top> top_;
  std::unique_ptr<VerilatedFstC> trace_;
  Watchdog watchdog_;
  uint64_t cycle_ = 0;
};

}  // namespace npu::tb
