// Stimulus for the pooling unit: random tensors (full range or tie-prone narrow ranges) and the
// fixed cases exported for the Icarus run, shared by the Verilator bench and the exporter so
// that both simulators see exactly the same vectors.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "tb/pool/pool_job.h"

namespace npu::tb {

// [1, h, w, c] tensor with values uniform in [lo, hi] and the given zero point.
golden::Tensor random_tensor(std::mt19937_64& rng, int h, int w, int c, int zero_point, int lo,
                             int hi);

// A job with the input at `base`, dense placement unless strides are given.
PoolJob make_job(PoolMode mode, golden::Tensor input, golden::ConvGeometry geom, int lanes,
                 uint32_t base = 0);

golden::ConvGeometry geometry(int k_h, int k_w, int stride, int pad_top, int pad_left,
                              int pad_bottom, int pad_right);
inline golden::ConvGeometry geometry(int k, int stride, int pad) {
  return geometry(k, k, stride, pad, pad, pad, pad);
}

struct NamedJob {
  std::string name;
  PoolJob job;
};

// The two cases run on both simulators: ResNet's 3x3/s2/p1 max pool, and a 2x3/s1/p1 average
// pool (divisor 6: exact .5 ties occur) with a non-zero input zero point, so that padding
// contributes the zero point, over a narrow value range that makes ties frequent.
std::vector<NamedJob> exported_cases(int lanes);

// Writes <dir>/<name>_cfg.hex (the 16 cfg_*_i values in port order, one per line, then the
// expected output word count, the output width and the image word count), <name>_mem.hex
// (scratchpad words 0 .. last input word, lane 0 in the low byte) and <name>_exp.hex (golden
// output words in unit order). Throws std::runtime_error naming the file.
void export_vectors(const NamedJob& c, const std::string& dir);

}  // namespace npu::tb
