// Turns a layer's jobs into a command stream with dependency tokens (docs/control.md,
// "Dependency tokens"). Each job is: loads into buffers, one COMPUTE, one STORE. The builder
// only needs to know, per load, which earlier job last read the buffer it overwrites, and per
// job, which earlier job's store must have drained its output region. From that it sets the
// pop/push flags so that every token popped was pushed earlier in stream order (the prefix rule
// that makes a stream deadlock-free) and no token is left over:
//   load  -> pops c2l iff its buffer's last reader is later than the last reader already waited
//            for (computes finish in order), the group's last load pushes l2c;
//   compute pops l2c iff its job loaded anything, pops s2c iff its output region was used,
//            pushes c2l iff some load waits for it, pushes c2s always;
//   store pops c2s, pushes s2c iff some compute waits for it.
#pragma once

#include <vector>

#include "sw/compiler/command.h"

namespace npu::compiler {

struct LoadStep {
  DmaCmd dma;
  int last_reader = -1;  // job index (< this job) that last read the buffer, -1 if none
};

struct JobStep {
  std::vector<LoadStep> loads;  // in any order; emitted by ascending last_reader
  ComputeCmd compute;
  DmaCmd store;
  int out_prev_job = -1;  // job whose output region this job reuses (its store must be done)
};

// The stream of `jobs` followed by END. Throws std::logic_error if a dependency points forward.
std::vector<CmdWords> build_stream(const std::vector<JobStep>& jobs);

}  // namespace npu::compiler
