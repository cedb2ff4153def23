#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "golden/add.h"
#include "golden/tests/expect_throw.h"

namespace npu::golden {
namespace {

TEST(AddParams, SameScalesMultipliers) {
  // twice_max = 1: real_a = real_b = 0.5 -> (2^30, 0); real_out = 1 / 2^20 -> (2^30, -19).
  const AddParams p = AddParams::make({0.5f, 0}, {0.5f, 0}, {1.0f, 0}, false);
  EXPECT_EQ(p.a_multiplier.multiplier, 1 << 30);
  EXPECT_EQ(p.a_multiplier.shift, 0);
  EXPECT_EQ(p.b_multiplier.multiplier, 1 << 30);
  EXPECT_EQ(p.b_multiplier.shift, 0);
  EXPECT_EQ(p.output_multiplier.multiplier, 1 << 30);
  EXPECT_EQ(p.output_multiplier.shift, -19);
  EXPECT_EQ(p.apply(10, 20), 15);  // 0.5 * 10 + 0.5 * 20
  EXPECT_EQ(p.apply(1, 0), 1);     // 0.5 -> 1
  EXPECT_EQ(p.apply(-1, 0), -1);   // -0.5 -> -1 (the final RDBPOT rounds away from zero)
  EXPECT_EQ(p.apply(3, 0), 2);     // 1.5 -> 2
  EXPECT_EQ(p.apply(-3, 0), -2);
  EXPECT_EQ(p.apply(0, 0), 0);
}

// a: scale 0.5, zp 1; b: scale 0.25, zp -2; out: scale 0.5, zp 3.
// twice_max = 1: real_a = 0.5 (2^30, 0), real_b = 0.25 (2^30, -1), real_out = 2^-19.
AddParams mixed(bool relu) { return AddParams::make({0.5f, 1}, {0.25f, -2}, {0.5f, 3}, relu); }

TEST(AddParams, DifferentScalesAndZeroPoints) {
  const AddParams p = mixed(false);
  EXPECT_EQ(p.b_multiplier.shift, -1);
  EXPECT_EQ(p.output_multiplier.shift, -18);
  EXPECT_EQ(p.apply(11, 18), 23);        // real 0.5 * 10 + 0.25 * 20 = 10 -> 20 + 3
  EXPECT_EQ(p.apply(1, -2), 3);          // both at their zero points
  EXPECT_EQ(p.apply(2, -1), 5);          // 0.5 + 0.25 = 0.75 -> 1.5 -> 2 (tie away), + 3
  EXPECT_EQ(p.apply(0, -3), 1);          // -0.75 -> -1.5 -> -2, + 3
  EXPECT_EQ(p.apply(-9, -2), -7);        // -5 -> -10 + 3
  EXPECT_EQ(p.apply(127, 127), 127);     // 63 + 32.25 = 95.25 -> 190.5 + 3: saturates
  EXPECT_EQ(p.apply(-128, -128), -128);  // -64.5 - 31.5 = -96 -> -192 + 3: saturates
}

TEST(AddParams, ReluClampsAtOutputZeroPoint) {
  const AddParams p = mixed(true);
  EXPECT_EQ(p.apply(-9, -2), 3);
  EXPECT_EQ(p.apply(1, -2), 3);
  EXPECT_EQ(p.apply(11, 18), 23);
  EXPECT_EQ(p.apply(-128, -128), 3);
}

TEST(AddParams, WithinOneLsbOfRealAdditionForAllPairs) {
  const QuantParams qa{0.0371f, -17}, qb{0.0123f, 40}, qo{0.0517f, -90};
  const AddParams p = AddParams::make(qa, qb, qo, false);
  int exact = 0;
  for (int a = -128; a <= 127; ++a) {
    for (int b = -128; b <= 127; ++b) {
      const double real = qa.scale * (a - qa.zero_point) + qb.scale * (b - qb.zero_point);
      const double q = std::clamp(std::round(real / qo.scale) + qo.zero_point, -128.0, 127.0);
      const int got = p.apply(static_cast<int8_t>(a), static_cast<int8_t>(b));
      ASSERT_LE(std::abs(got - q), 1.0) << "a=" << a << " b=" << b;
      exact += got == q;
    }
  }
  EXPECT_GE(exact, 65536 * 99 / 100);
}

TEST(Add, TensorsElementwise) {
  Tensor a(Shape{1, 1, 2, 2}, QuantParams{0.5f, 1});
  Tensor b(Shape{1, 1, 2, 2}, QuantParams{0.25f, -2});
  a.data = {11, 1, -9, 127};
  b.data = {18, -2, -2, 127};
  const Tensor out = add(a, b, QuantParams{0.5f, 3}, true);
  EXPECT_EQ(out.shape, a.shape);
  EXPECT_EQ(out.quant.zero_point, 3);
  EXPECT_EQ(out.data, (std::vector<int8_t>{23, 3, 3, 127}));
}

TEST(Add, RejectsShapeMismatchAndImpossibleScales) {
  Tensor a(Shape{1, 2, 2, 3}, QuantParams{1.0f, 0});
  Tensor b(Shape{1, 2, 3, 2}, QuantParams{1.0f, 0});
  EXPECT_THROW_WITH(add(a, b, QuantParams{1.0f, 0}, false), std::invalid_argument,
                    "[1, 2, 2, 3] vs [1, 2, 3, 2]");
  // real_out = 2 / (2^20 * 1e-16) > 2^30.
  EXPECT_THROW_WITH(add(a, a, QuantParams{1e-16f, 0}, false), std::invalid_argument,
                    "add: output scale");
  EXPECT_THROW_WITH(add(a, a, QuantParams{1.0f, -129}, false), std::invalid_argument, "add output");
}

}  // namespace
}  // namespace npu::golden
