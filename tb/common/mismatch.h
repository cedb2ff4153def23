// Uniform mismatch messages: "[block] mismatch at <index>: expected X, actual Y".
// Reports the first few in full (GoogleTest non-fatal failures), then only counts, so a
// completely broken run stays readable.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

namespace npu::tb {

class MismatchReporter {
 public:
  explicit MismatchReporter(std::string block, int max_reported = 10)
      : block_(std::move(block)), max_reported_(max_reported) {}

  MismatchReporter(const MismatchReporter&) = delete;
  MismatchReporter& operator=(const MismatchReporter&) = delete;

  ~MismatchReporter() {
    if (mismatches_ > max_reported_) {
      ADD_FAILURE() << "[" << block_ << "] " << mismatches_ << " mismatches in total, "
                    << (mismatches_ - max_reported_) << " not shown";
    }
  }

  // Returns expected == actual; `index` says where (e.g. "tile 3, pixel 5, column 2").
  template <typename T>
  bool check(const std::string& index, const T& expected, const T& actual) {
    ++checked_;
    if (expected == actual) return true;
    ++mismatches_;
    if (mismatches_ <= max_reported_) {
      ADD_FAILURE() << "[" << block_ << "] mismatch at " << index << ": expected "
                    << printable(expected) << ", actual " << printable(actual);
    }
    return false;
  }

  int mismatches() const { return mismatches_; }
  int64_t checked() const { return checked_; }

 private:
  // int8_t would print as a character.
  template <typename T>
  static auto printable(const T& v) {
    if constexpr (std::is_integral_v<T> && sizeof(T) == 1) {
      return static_cast<int>(v);
    } else {
      return v;
    }
  }

  std::string block_;
  int max_reported_;
  int mismatches_ = 0;
  int64_t checked_ = 0;
};

}  // namespace npu::tb
