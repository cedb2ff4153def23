#include "sw/cli/progress_meter.h"

#include <cstdio>

namespace npu::cli {

ProgressMeter::~ProgressMeter() { finish(); }

void ProgressMeter::update(std::size_t done, std::size_t total, double seconds) {
  if (!enabled_ || total <= 1) return;
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  const double pct = 100.0 * static_cast<double>(done) / static_cast<double>(total);
  char line[160];
  if (tty_) {
    const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
    std::snprintf(line, sizeof line, "\r%zu/%zu images (%.0f %%), %.1f images/s, %.0f s left\033[K",
                  done, total, pct, rate, eta);
    err_ << line << std::flush;
    line_open_ = true;
    return;
  }
  if (total < kMinImagesForLog) return;
  const int decile = static_cast<int>(done * 10 / total);
  if (decile <= last_decile_) return;
  last_decile_ = decile;
  std::snprintf(line, sizeof line, "progress: %zu/%zu images (%d %%), %.1f images/s\n", done, total,
                decile * 10, rate);
  err_ << line << std::flush;
}

void ProgressMeter::finish() {
  if (line_open_) {
    err_ << "\n" << std::flush;
    line_open_ = false;
  }
}

}  // namespace npu::cli
