// One pooling job as the bench (and later the driver) sees it: the input tensor, where it lives in
// the activation scratchpad, the operation, and the npu_pool configuration derived from that.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/conv2d.h"
#include "golden/tensor.h"

namespace npu::tb {

enum class PoolMode : uint32_t { kMax = 0, kAvg = 1, kGlobalAvg = 2 };

const char* to_string(PoolMode m);

// Limits fixed by the npu_pool parameters the bench builds with (the RTL defaults).
struct PoolLimits {
  int dim_bits = 10;       // DimW: H, W < 2^dim_bits
  int group_bits = 8;      // GrpW: groups < 2^group_bits
  int addr_bits = 16;      // AddrW: word addresses
  int max_taps_log2 = 12;  // MaxTapsLog2: kh*kw (or H*W for global) <= 2^max_taps_log2
};

struct PoolJob {
  PoolMode mode = PoolMode::kMax;
  golden::Tensor input;       // n == 1, c == groups * lanes
  golden::ConvGeometry geom;  // ignored for kGlobalAvg
  int lanes = 4;
  // Scratchpad placement, in words: word of (y, x, g) = base + y*row_stride + x*pix_stride + g.
  uint32_t in_base = 0;
  uint32_t pix_stride = 0;  // 0: dense (groups)
  uint32_t row_stride = 0;  // 0: dense (W * groups)

  int groups() const { return input.shape.c / lanes; }
  uint32_t pix_stride_words() const;
  uint32_t row_stride_words() const;
  uint32_t word_address(int y, int x, int g) const;
};

// The configuration inputs of npu_pool, one field per cfg_*_i port.
struct PoolConfig {
  uint32_t mode = 0, in_h = 1, in_w = 1, groups = 1;
  uint32_t in_base = 0, pix_stride = 1, row_stride = 1;
  uint32_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
  uint32_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  uint32_t in_zp = 0;  // two's complement byte
};

// Checks that the job fits the hardware (kernel 1..7, stride 1..7, padding 0..7, sizes within
// the parameter limits, channels a multiple of lanes, the placement inside the address space)
// and returns the register values. Throws std::invalid_argument naming the field.
PoolConfig pool_config(const PoolJob& job, const PoolLimits& limits = {});

// The golden answer: max_pool / avg_pool / global_avg_pool of job.input.
golden::Tensor pool_expected(const PoolJob& job);

// Output shape of the job (as the golden model computes it).
golden::Shape pool_output_shape(const PoolJob& job);

}  // namespace npu::tb
