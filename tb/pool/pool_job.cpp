#include "tb/pool/pool_job.h"

#include <stdexcept>

#include "golden/pool.h"

namespace npu::tb {

const char* to_string(PoolMode m) {
  switch (m) {
    case PoolMode::kMax:
      return "max";
    case PoolMode::kAvg:
      return "avg";
    case PoolMode::kGlobalAvg:
      return "global_avg";
  }
  return "?";
}

uint32_t PoolJob::pix_stride_words() const {
  return pix_stride != 0 ? pix_stride : static_cast<uint32_t>(groups());
}

uint32_t PoolJob::row_stride_words() const {
  return row_stride != 0 ? row_stride : static_cast<uint32_t>(input.shape.w) * pix_stride_words();
}

uint32_t PoolJob::word_address(int y, int x, int g) const {
  return in_base + static_cast<uint32_t>(y) * row_stride_words() +
         static_cast<uint32_t>(x) * pix_stride_words() + static_cast<uint32_t>(g);
}

namespace {

void check_range(const char* field, int64_t value, int64_t lo, int64_t hi) {
  if (value < lo || value > hi) {
    throw std::invalid_argument("npu_pool config: " + std::string(field) + " = " +
                                std::to_string(value) + " outside [" + std::to_string(lo) + ", " +
                                std::to_string(hi) + "]");
  }
}

}  // namespace

PoolConfig pool_config(const PoolJob& job, const PoolLimits& limits) {
  golden::validate_tensor(job.input, "npu_pool input");
  const golden::Shape& s = job.input.shape;
  check_range("lanes", job.lanes, 1, 64);
  check_range("input n", s.n, 1, 1);
  if (s.c % job.lanes != 0) {
    throw std::invalid_argument("npu_pool config: input channels " + std::to_string(s.c) +
                                " are not a multiple of lanes " + std::to_string(job.lanes) +
                                " (the layout pads C to the lanes)");
  }
  check_range("in_h", s.h, 1, (int64_t{1} << limits.dim_bits) - 1);
  check_range("in_w", s.w, 1, (int64_t{1} << limits.dim_bits) - 1);
  check_range("groups", job.groups(), 1, (int64_t{1} << limits.group_bits) - 1);
  const int64_t max_taps = int64_t{1} << limits.max_taps_log2;

  PoolConfig c;
  c.mode = static_cast<uint32_t>(job.mode);
  c.in_h = static_cast<uint32_t>(s.h);
  c.in_w = static_cast<uint32_t>(s.w);
  c.groups = static_cast<uint32_t>(job.groups());
  c.in_base = job.in_base;
  c.pix_stride = job.pix_stride_words();
  c.row_stride = job.row_stride_words();
  c.in_zp = static_cast<uint32_t>(job.input.quant.zero_point) & 0xffu;
  if (job.mode == PoolMode::kGlobalAvg) {
    check_range("global window in_h * in_w", int64_t{s.h} * s.w, 1, max_taps);
  } else {
    const golden::ConvGeometry& g = job.geom;
    golden::validate_geometry(g, s.h, s.w, "npu_pool");
    check_range("kernel_h", g.kernel_h, 1, 7);
    check_range("kernel_w", g.kernel_w, 1, 7);
    check_range("stride_h", g.stride_h, 1, 7);
    check_range("stride_w", g.stride_w, 1, 7);
    check_range("pad_top", g.pad_top, 0, 7);
    check_range("pad_left", g.pad_left, 0, 7);
    check_range("pad_bottom", g.pad_bottom, 0, 7);
    check_range("pad_right", g.pad_right, 0, 7);
    c.kernel_h = static_cast<uint32_t>(g.kernel_h);
    c.kernel_w = static_cast<uint32_t>(g.kernel_w);
    c.stride_h = static_cast<uint32_t>(g.stride_h);
    c.stride_w = static_cast<uint32_t>(g.stride_w);
    c.pad_top = static_cast<uint32_t>(g.pad_top);
    c.pad_left = static_cast<uint32_t>(g.pad_left);
    c.pad_bottom = static_cast<uint32_t>(g.pad_bottom);
    c.pad_right = static_cast<uint32_t>(g.pad_right);
  }
  const int64_t last = int64_t{job.in_base} + int64_t{s.h - 1} * job.row_stride_words() +
                       int64_t{s.w - 1} * job.pix_stride_words() + job.groups() - 1;
  check_range("last input word address", last, 0, (int64_t{1} << limits.addr_bits) - 1);
  return c;
}

golden::Tensor pool_expected(const PoolJob& job) {
  switch (job.mode) {
    case PoolMode::kMax:
      return golden::max_pool(job.input, job.geom);
    case PoolMode::kAvg:
      return golden::avg_pool(job.input, job.geom);
    case PoolMode::kGlobalAvg:
      return golden::global_avg_pool(job.input);
  }
  throw std::invalid_argument("npu_pool: unknown mode");
}

golden::Shape pool_output_shape(const PoolJob& job) {
  const golden::Shape& s = job.input.shape;
  if (job.mode == PoolMode::kGlobalAvg) return golden::Shape{s.n, 1, 1, s.c};
  return golden::Shape{s.n, job.geom.out_h(s.h), job.geom.out_w(s.w), s.c};
}

}  // namespace npu::tb
