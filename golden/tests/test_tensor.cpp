#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "golden/tensor.h"
#include "golden/tests/expect_throw.h"

namespace npu::golden {
namespace {

TEST(Tensor, IndexIsNhwc) {
  Tensor t(Shape{2, 3, 4, 5}, QuantParams{});
  EXPECT_EQ(t.data.size(), 120u);
  EXPECT_EQ(t.index(0, 0, 0, 1), 1u);
  EXPECT_EQ(t.index(0, 0, 1, 0), 5u);
  EXPECT_EQ(t.index(0, 1, 0, 0), 20u);
  EXPECT_EQ(t.index(1, 0, 0, 0), 60u);
  EXPECT_EQ(t.index(1, 2, 3, 4), 119u);
}

TEST(Tensor, ToString) { EXPECT_EQ(to_string(Shape{1, 28, 28, 16}), "[1, 28, 28, 16]"); }

TEST(Tensor, ValidateAcceptsGoodTensor) {
  Tensor t(Shape{1, 2, 2, 3}, QuantParams{0.1f, -128});
  EXPECT_NO_THROW(validate_tensor(t, "x"));
  t.quant.zero_point = 127;
  EXPECT_NO_THROW(validate_tensor(t, "x"));
}

TEST(Tensor, ValidateRejectsBadShapeDataAndQuant) {
  Tensor t(Shape{1, 2, 2, 3}, QuantParams{0.1f, 0});
  Tensor zero_dim = t;
  zero_dim.shape.w = 0;
  EXPECT_THROW_WITH(validate_tensor(zero_dim, "conv2d input"), std::invalid_argument,
                    "conv2d input: every dimension");
  Tensor short_data = t;
  short_data.data.pop_back();
  EXPECT_THROW_WITH(validate_tensor(short_data, "pool input"), std::invalid_argument,
                    "data has 11 elements but shape [1, 2, 2, 3] needs 12");
  Tensor zp = t;
  zp.quant.zero_point = 128;
  EXPECT_THROW_WITH(validate_tensor(zp, "x"), std::invalid_argument, "zero_point");
  zp.quant.zero_point = -129;
  EXPECT_THROW_WITH(validate_tensor(zp, "x"), std::invalid_argument, "zero_point");
  for (float bad : {0.0f, -1.0f, std::numeric_limits<float>::quiet_NaN(),
                    std::numeric_limits<float>::infinity()}) {
    Tensor s = t;
    s.quant.scale = bad;
    EXPECT_THROW_WITH(validate_tensor(s, "x"), std::invalid_argument, "scale");
  }
}

}  // namespace
}  // namespace npu::golden
