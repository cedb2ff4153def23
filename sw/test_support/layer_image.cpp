#include "sw/test_support/layer_image.h"

#include "sw/test_support/streams.h"

namespace npu::test_support {
namespace {

using compiler::CmdWords;
using compiler::Deps;

constexpr Deps kPushNext{false, false, false, true};
constexpr Deps kPopPrev{true, false, false, false};
constexpr Deps kPopPrevPushNext{true, false, false, true};

uint32_t u(std::size_t v) { return static_cast<uint32_t>(v); }

// The conv's loads (input, weights, params, residual) and its DRAM writes.
LayerImage conv_loads(const DpLayer& L, const DramMap& map) {
  const DpJob& j = L.job;
  const uint32_t rows = u(L.hw.rows);
  LayerImage im;
  const std::vector<uint8_t> prm = param_records(L.params);
  im.writes.push_back({map.in, flatten(L.act_words)});
  im.writes.push_back({map.wgt, flatten(L.w_words)});
  im.writes.push_back({map.prm, prm});
  im.stream.push_back(compiler::encode_load(one_row(2, 0, 0, map.prm, u(prm.size())), {}));
  im.stream.push_back(compiler::encode_load(
      one_row(1, u(j.w_bank), u(j.w_base), map.wgt, u(L.w_words.size()) * rows), {}));
  im.rd_bytes = prm.size() + (L.w_words.size() + L.act_words.size()) * rows;
  if (!L.res_words.empty()) {
    im.writes.push_back({map.res, flatten(L.res_words)});
    im.stream.push_back(compiler::encode_load(
        one_row(0, u(j.res_bank), u(j.res_base), map.res, u(L.res_words.size()) * rows), {}));
    im.rd_bytes += L.res_words.size() * rows;
  }
  im.stream.push_back(compiler::encode_load(
      one_row(0, u(j.in_bank), u(j.in_base), map.in, u(L.act_words.size()) * rows), kPushNext));
  im.mac_vectors = uint64_t(j.pixels) * j.kchunks * j.ntiles;
  return im;
}

// The STORE of `out_bytes` from (bank, base) to map.out, END, and the poisoned output region.
void store_and_end(LayerImage& im, uint32_t bank, uint32_t base, const DramMap& map) {
  im.stream.push_back(
      compiler::encode_store(one_row(0, bank, base, map.out, im.out_bytes), kPopPrev));
  im.stream.push_back(compiler::encode_end());
  im.writes.push_back({map.out, std::vector<uint8_t>(im.out_bytes, 0xA5)});
}

}  // namespace

LayerImage conv_image(const DpLayer& L, const DramMap& map) {
  const DpJob& j = L.job;
  LayerImage im = conv_loads(L, map);
  im.name = L.describe();
  im.stream.push_back(compiler::encode_compute(to_command(j), kPopPrevPushNext));
  im.out_bytes = u(j.pixels * j.out_groups * L.hw.rows);
  im.expected = L.expected;
  im.groups = j.out_groups;
  store_and_end(im, u(j.out_bank), u(j.out_base), map);
  return im;
}

LayerImage conv_pool_image(const DpLayer& L, const DpPoolCase& pool, int pool_out_base,
                           const DramMap& map) {
  const DpJob& j = L.job;
  LayerImage im = conv_loads(L, map);
  DpPoolPlace at;
  at.in_bank = j.out_bank;
  at.in_base = j.out_base;
  at.out_bank = j.in_bank;
  at.out_base = pool_out_base;
  const DpPoolLayer& P = im.pool.emplace(make_dp_pool(pool, L.expected, L.hw, at, false));
  im.name = L.describe() + " -> " + P.describe();
  im.stream.push_back(compiler::encode_compute(to_command(j), kPopPrev));
  im.stream.push_back(compiler::encode_compute(to_command(P.job), kPushNext));
  im.out_bytes = u(P.out_words * L.hw.rows);
  im.expected = P.expected;
  im.groups = P.job.in_groups;
  store_and_end(im, u(at.out_bank), u(at.out_base), map);
  return im;
}

LayerImage pool_image(const DpPoolLayer& P, const DramMap& map) {
  const DpJob& j = P.job;
  const uint32_t rows = u(P.hw.rows);
  LayerImage im;
  im.name = P.describe();
  im.writes.push_back({map.in, flatten(P.act_words)});
  im.stream.push_back(compiler::encode_load(
      one_row(0, u(j.in_bank), u(j.in_base), map.in, u(P.act_words.size()) * rows), kPushNext));
  im.stream.push_back(compiler::encode_compute(to_command(j), kPopPrevPushNext));
  im.out_bytes = u(P.out_words) * rows;
  im.rd_bytes = P.act_words.size() * rows;
  im.expected = P.expected;
  im.groups = j.in_groups;
  store_and_end(im, u(j.out_bank), u(j.out_base), map);
  return im;
}

}  // namespace npu::test_support
