// Fails a bench that stops making progress, naming the block and the cycle, instead of
// letting a hung handshake spin until the CTest timeout.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace npu::tb {

struct WatchdogTimeout : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Watchdog {
 public:
  Watchdog(std::string block, uint64_t limit_cycles)
      : block_(std::move(block)), limit_(limit_cycles) {}

  void set_limit(uint64_t limit_cycles) { limit_ = limit_cycles; }
  uint64_t limit() const { return limit_; }

  // Call whenever the design did something useful (a handshake, an output).
  void progress(uint64_t cycle) { last_progress_ = cycle; }

  // Throws WatchdogTimeout once `limit` cycles have passed without progress.
  void check(uint64_t cycle) const {
    if (cycle - last_progress_ > limit_) {
      throw WatchdogTimeout("watchdog: block '" + block_ + "' made no progress for " +
                            std::to_string(limit_) + " cycles (last progress at cycle " +
                            std::to_string(last_progress_) + ", now cycle " +
                            std::to_string(cycle) + ")");
    }
  }

 private:
  std::string block_;
  uint64_t limit_;
  uint64_t last_progress_ = 0;
};

}  // namespace npu::tb
