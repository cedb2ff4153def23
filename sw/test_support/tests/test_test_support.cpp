// The shared test support: results read back from scratchpad-layout bytes, their differences,
// and the DRAM image / stream of a layer command by command.
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

#include "sw/test_support/dp_layer.h"
#include "sw/test_support/layer_image.h"
#include "sw/test_support/streams.h"
#include "sw/test_support/tensor_check.h"

namespace npu::test_support {
namespace {

using compiler::Deps;

golden::Tensor counting_tensor(golden::Shape s) {
  golden::Tensor t(s, {0.5f, 3});
  for (std::size_t i = 0; i < t.data.size(); ++i) t.data[i] = static_cast<int8_t>(i * 7 - 100);
  return t;
}

TEST(TensorCheck, UnpackSkipsPaddingLanes) {
  // 2x3 pixels, 6 channels in 2 words of 4 bytes: lanes 6 and 7 of every pixel are padding.
  const golden::Tensor t = counting_tensor({1, 2, 3, 6});
  std::vector<uint8_t> bytes(2 * 3 * 2 * 4, 0xEE);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 3; ++x)
      for (int c = 0; c < 6; ++c)
        bytes[((y * 3 + x) * 2 + c / 4) * 4 + c % 4] = static_cast<uint8_t>(t.at(0, y, x, c));
  const golden::Tensor u = unpack_words(bytes, t.shape, t.quant, 2, 4);
  EXPECT_EQ(u.data, t.data);
  EXPECT_EQ(u.quant.zero_point, 3);
  EXPECT_TRUE(tensor_diffs(t, u).empty());
  bytes.pop_back();
  EXPECT_THROW(unpack_words(bytes, t.shape, t.quant, 2, 4), std::invalid_argument);
  EXPECT_THROW(unpack_words(bytes, t.shape, t.quant, 1, 4), std::invalid_argument);
}

TEST(TensorCheck, DiffsNameEveryDifferingElement) {
  const golden::Tensor e = counting_tensor({1, 3, 2, 5});
  golden::Tensor a = e;
  a.at(0, 1, 0, 4) = static_cast<int8_t>(a.at(0, 1, 0, 4) + 1);
  a.at(0, 2, 1, 0) = -128;
  const std::vector<TensorDiff> d = tensor_diffs(e, a);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].y, 1);
  EXPECT_EQ(d[0].x, 0);
  EXPECT_EQ(d[0].c, 4);
  EXPECT_EQ(d[0].actual, d[0].expected + 1);
  EXPECT_EQ(d[1].c, 0);
  EXPECT_EQ(d[1].actual, -128);
  EXPECT_THROW(tensor_diffs(e, counting_tensor({1, 3, 2, 4})), std::invalid_argument);
}

class LayerImageTest : public ::testing::Test {
 protected:
  DpLayer layer(bool residual) {
    DpCase k;
    k.name = residual ? "3x3 + residual" : "3x3";
    k.h = k.w = 5;
    k.c = 6;
    k.out_c = 7;
    k.residual = residual;
    DpHw hw;
    hw.rows = hw.cols = 4;
    hw.act_depth = 4096;
    hw.wgt_depth = 2048;
    hw.acc_depth = 256;
    std::mt19937_64 rng(5);
    return make_dp_layer(k, hw, rng);
  }
};

TEST_F(LayerImageTest, ConvStreamCommandByCommand) {
  const DramMap map;
  for (bool residual : {false, true}) {
    const DpLayer L = layer(residual);
    const DpJob& j = L.job;
    const LayerImage im = conv_image(L, map);
    const auto rows = static_cast<uint32_t>(L.hw.rows);
    const std::vector<uint8_t> prm = param_records(L.params);
    std::vector<compiler::CmdWords> want = {
        compiler::encode_load(one_row(2, 0, 0, map.prm, static_cast<uint32_t>(prm.size())), {}),
        compiler::encode_load(
            one_row(1, j.w_bank, j.w_base, map.wgt, static_cast<uint32_t>(L.w_words.size()) * rows),
            {})};
    if (residual) {
      want.push_back(
          compiler::encode_load(one_row(0, j.res_bank, j.res_base, map.res,
                                        static_cast<uint32_t>(L.res_words.size()) * rows),
                                {}));
    }
    want.push_back(compiler::encode_load(
        one_row(0, j.in_bank, j.in_base, map.in, static_cast<uint32_t>(L.act_words.size()) * rows),
        Deps{false, false, false, true}));
    want.push_back(compiler::encode_compute(to_command(j), Deps{true, false, false, true}));
    const uint32_t out_bytes = static_cast<uint32_t>(j.pixels * j.out_groups) * rows;
    want.push_back(compiler::encode_store(one_row(0, j.out_bank, j.out_base, map.out, out_bytes),
                                          Deps{true, false, false, false}));
    want.push_back(compiler::encode_end());
    EXPECT_EQ(im.stream, want) << L.describe();
    EXPECT_EQ(im.out_bytes, out_bytes);
    EXPECT_EQ(im.groups, j.out_groups);
    EXPECT_EQ(im.expected.data, L.expected.data);
    EXPECT_EQ(im.mac_vectors, uint64_t(j.pixels) * j.kchunks * j.ntiles);
    EXPECT_EQ(im.rd_bytes,
              prm.size() + (L.act_words.size() + L.w_words.size() + L.res_words.size()) * rows);
    ASSERT_EQ(im.writes.size(), residual ? 5u : 4u);
    EXPECT_EQ(im.writes[0].addr, map.in);
    EXPECT_EQ(im.writes[0].bytes, flatten(L.act_words));
    EXPECT_EQ(im.writes[2].bytes, prm);
    EXPECT_EQ(im.writes.back().addr, map.out);
    EXPECT_EQ(im.writes.back().bytes, std::vector<uint8_t>(out_bytes, 0xA5));
  }
}

TEST_F(LayerImageTest, ConvThenPoolStoresThePoolOutput) {
  const DpLayer L = layer(false);
  const DpPoolCase pool{"max 3x3/s2/p1", DpPoolKind::kMax, 3, 2, 1};
  const LayerImage im = conv_pool_image(L, pool, 100);
  ASSERT_TRUE(im.pool.has_value());
  EXPECT_EQ(im.pool->job.in_bank, L.job.out_bank);
  EXPECT_EQ(im.pool->job.out_bank, L.job.in_bank);
  EXPECT_EQ(im.pool->job.out_base, 100);
  EXPECT_EQ(im.expected.data, im.pool->expected.data);
  EXPECT_EQ(im.out_bytes, static_cast<uint32_t>(im.pool->out_words * L.hw.rows));
  ASSERT_EQ(im.stream.size(), 7u);  // 3 loads, conv, pool, store, end
  EXPECT_EQ(im.stream[4],
            compiler::encode_compute(to_command(im.pool->job), Deps{false, false, false, true}));
}

}  // namespace
}  // namespace npu::test_support
