// pool_config(): the checks between a pooling job and what npu_pool can do.
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <string>

#include "tb/pool/pool_cases.h"
#include "tb/pool/pool_job.h"

namespace npu::tb {
namespace {

void expect_error(const PoolJob& job, const std::string& field) {
  try {
    pool_config(job);
    ADD_FAILURE() << "no error for " << field;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
  }
}

TEST(PoolConfig, RejectsWhatTheHardwareCannotDo) {
  std::mt19937_64 rng(1);
  expect_error(make_job(PoolMode::kMax, random_tensor(rng, 9, 9, 8, 0, 0, 0), geometry(8, 1, 0), 8),
               "kernel_h");
  expect_error(make_job(PoolMode::kMax, random_tensor(rng, 9, 9, 8, 0, 0, 0),
                        geometry(3, 3, 1, 0, 8, 0, 0), 8),
               "pad_left");
  expect_error(make_job(PoolMode::kMax, random_tensor(rng, 9, 9, 6, 0, 0, 0), geometry(3, 1, 0), 4),
               "multiple of lanes");
  expect_error(make_job(PoolMode::kGlobalAvg, random_tensor(rng, 65, 64, 4, 0, 0, 0),
                        golden::ConvGeometry{}, 4),
               "global window");
  expect_error(
      make_job(PoolMode::kAvg, random_tensor(rng, 9, 9, 4, 0, 0, 0), geometry(3, 1, 0), 4, 65530),
      "last input word address");
  expect_error(make_job(PoolMode::kAvg, random_tensor(rng, 2, 2, 4, 0, 0, 0), geometry(3, 1, 0), 4),
               "npu_pool");  // golden's validate_geometry: kernel larger than the padded input
}

// Hand-computed register values for ResNet's stem pool on a 112x112x64 input, 16 lanes.
TEST(PoolConfig, RegisterValues) {
  std::mt19937_64 rng(2);
  PoolJob job = make_job(PoolMode::kMax, random_tensor(rng, 112, 112, 64, -5, 0, 0),
                         geometry(3, 2, 1), 16, 100);
  const PoolConfig c = pool_config(job);
  EXPECT_EQ(c.mode, 0u);
  EXPECT_EQ(c.groups, 4u);
  EXPECT_EQ(c.pix_stride, 4u);
  EXPECT_EQ(c.row_stride, 448u);  // 112 * 4
  EXPECT_EQ(c.in_base, 100u);
  EXPECT_EQ(c.kernel_h, 3u);
  EXPECT_EQ(c.stride_w, 2u);
  EXPECT_EQ(c.pad_bottom, 1u);
  EXPECT_EQ(c.in_zp, 0xfbu);  // -5
  EXPECT_EQ(job.word_address(1, 2, 3), 100u + 448u + 8u + 3u);
}

}  // namespace
}  // namespace npu::tb
