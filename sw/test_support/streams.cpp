#include "sw/test_support/streams.h"

#include "sw/compiler/conv_packing.h"

namespace npu::test_support {

compiler::ComputeCmd to_command(const DpJob& j) {
  compiler::ComputeCmd c;
  auto u = [](int v) { return static_cast<uint32_t>(v); };
  c.job = j.pool ? 1 : 0;
  c.in_bank = u(j.in_bank);
  c.in_base = u(j.in_base);
  c.in_h = u(j.in_h);
  c.in_w = u(j.in_w);
  c.in_groups = u(j.in_groups);
  c.slot = u(j.slot);
  c.taps_per_chunk = u(j.taps_per_chunk);
  c.in_zp = u(j.in_zp) & 0xff;
  c.in_row_words = u(j.in_row_words);
  c.kernel_h = u(j.kernel_h);
  c.kernel_w = u(j.kernel_w);
  c.stride_h = u(j.stride_h);
  c.stride_w = u(j.stride_w);
  c.pad_top = u(j.pad_top);
  c.pad_left = u(j.pad_left);
  c.pad_bottom = u(j.pad_bottom);
  c.pad_right = u(j.pad_right);
  c.pool_mode = u(j.pool_mode);
  c.out_w = u(j.out_w);
  c.pixels = u(j.pixels);
  c.kchunks = u(j.kchunks);
  c.ntiles = u(j.ntiles);
  c.mblock = u(j.mblock);
  c.mblocks = u(j.mblocks);
  c.w_bank = u(j.w_bank);
  c.w_base = u(j.w_base);
  c.w_words = u(j.w_words);
  c.out_bank = u(j.out_bank);
  c.out_base = u(j.out_base);
  c.out_groups = u(j.out_groups);
  c.res_bank = u(j.res_bank);
  c.res_base = u(j.res_base);
  c.mode = u(j.mode);
  c.zp = u(j.zp) & 0xff;
  c.relu = j.relu ? 1 : 0;
  c.add_zp_a = u(j.add.a_zero_point) & 0xff;
  c.add_zp_b = u(j.add.b_zero_point) & 0xff;
  c.add_zp_out = u(j.add.output_zero_point) & 0xff;
  c.add_mult_a = u(j.add.a_multiplier.multiplier);
  c.add_mult_b = u(j.add.b_multiplier.multiplier);
  c.add_mult_out = u(j.add.output_multiplier.multiplier);
  c.add_shift_a = u(j.add.a_multiplier.shift) & 0x3f;
  c.add_shift_b = u(j.add.b_multiplier.shift) & 0x3f;
  c.add_shift_out = u(j.add.output_multiplier.shift) & 0x3f;
  c.add_relu = j.add.relu ? 1 : 0;
  return c;
}

std::vector<uint8_t> flatten(const std::vector<std::vector<uint8_t>>& words) {
  std::vector<uint8_t> out;
  for (const auto& w : words) out.insert(out.end(), w.begin(), w.end());
  return out;
}

compiler::DmaCmd one_row(uint32_t dst, uint32_t bank, uint32_t sp_addr, uint32_t addr,
                         uint32_t len) {
  compiler::DmaCmd d;
  d.dst = dst;
  d.bank = bank;
  d.sp_addr = sp_addr;
  d.addr = addr;
  d.len = len;
  return d;
}

std::vector<uint8_t> param_records(const std::vector<DpParam>& params) {
  std::vector<uint8_t> out(params.size() * compiler::kPpuRecordBytes);
  for (size_t i = 0; i < params.size(); ++i)
    compiler::write_ppu_record(&out[i * compiler::kPpuRecordBytes], params[i].bias, params[i].mult,
                               params[i].shift);
  return out;
}

}  // namespace npu::test_support
