// A result tensor against the expected one through MismatchReporter: every differing element
// reported as "case <name>, (y Y, x X, c C)". The comparison is sw/test_support's (the one the
// runtime's device tests use); link npu_test_support.
#pragma once

#include <sstream>
#include <string>

#include "golden/tensor.h"
#include "sw/test_support/tensor_check.h"
#include "tb/common/mismatch.h"

namespace npu::tb {

// Returns the number of mismatches.
inline int check_tensor(MismatchReporter& m, const std::string& name,
                        const golden::Tensor& expected, const golden::Tensor& actual) {
  const int before = m.mismatches();
  for (const test_support::TensorDiff& d : test_support::tensor_diffs(expected, actual)) {
    std::ostringstream idx;
    idx << "case " << name << ", (y " << d.y << ", x " << d.x << ", c " << d.c << ")";
    m.check(idx.str(), d.expected, d.actual);
  }
  return m.mismatches() - before;
}

}  // namespace npu::tb
