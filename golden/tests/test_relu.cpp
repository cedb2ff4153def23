#include <gtest/gtest.h>

#include <stdexcept>

#include "golden/relu.h"

namespace npu::golden {
namespace {

TEST(Relu, ClampsBelowAtZeroPoint) {
  Tensor in(Shape{1, 1, 5, 1}, QuantParams{0.1f, -5});
  in.data = {-128, -6, -5, -4, 127};
  const Tensor out = relu(in);
  EXPECT_EQ(out.data, (std::vector<int8_t>{-5, -5, -5, -4, 127}));
  EXPECT_EQ(out.shape, in.shape);
  EXPECT_EQ(out.quant.zero_point, -5);
  EXPECT_EQ(out.quant.scale, 0.1f);
}

TEST(Relu, ZeroPointAtTheEnds) {
  Tensor in(Shape{1, 1, 3, 1}, QuantParams{1.0f, -128});
  in.data = {-128, 0, 127};
  EXPECT_EQ(relu(in).data, (std::vector<int8_t>{-128, 0, 127}));
  in.quant.zero_point = 127;
  EXPECT_EQ(relu(in).data, (std::vector<int8_t>{127, 127, 127}));
}

TEST(Relu, RejectsBadTensor) {
  Tensor in(Shape{1, 1, 3, 1}, QuantParams{1.0f, 0});
  in.data.pop_back();
  EXPECT_THROW(relu(in), std::invalid_argument);
}

}  // namespace
}  // namespace npu::golden
