// Runs every image of an InputSet through a backend, images in parallel.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "golden/tensor.h"
#include "sw/cli/backend.h"
#include "sw/cli/input_set.h"
#include "sw/model/network.h"

namespace npu::cli {

struct BatchResult {
  std::vector<golden::Tensor> outputs;      // one per input, in input order
  double seconds = 0;                       // wall time of the whole batch
  int threads = 0;                          // threads actually used
  std::vector<runtime::LayerStats> layers;  // device backends: counters summed over the images
};

// Called on the calling thread a few times a second while the workers run, and once at
// the end, with the number of finished images.
using ProgressFn = std::function<void(std::size_t done, std::size_t total, double seconds)>;

// `threads` workers (at most one per image; 0 means hardware concurrency), each with its
// own backend instance, take images in order from a shared counter. The first exception
// of any worker stops the others and is rethrown here.
BatchResult run_batch(const model::Network& net, const InputSet& inputs, BackendKind backend,
                      int threads, const ProgressFn& progress = {}, const BackendSetup& setup = {});

int default_thread_count();

}  // namespace npu::cli
