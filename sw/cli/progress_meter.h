// Progress of a long run on stderr: one line rewritten in place (carriage return) when
// stderr is a terminal, else a plain line at every 10 % so that logs stay readable.
#pragma once

#include <cstddef>
#include <ostream>

namespace npu::cli {

class ProgressMeter {
 public:
  // Runs shorter than kMinImagesForLog images print nothing when not on a terminal.
  static constexpr std::size_t kMinImagesForLog = 50;

  ProgressMeter(std::ostream& err, bool is_tty, bool enabled)
      : err_(err), tty_(is_tty), enabled_(enabled) {}
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;
  ~ProgressMeter();

  void update(std::size_t done, std::size_t total, double seconds);
  void finish();  // ends the terminal line

 private:
  std::ostream& err_;
  bool tty_;
  bool enabled_;
  bool line_open_ = false;
  int last_decile_ = 0;
};

}  // namespace npu::cli
