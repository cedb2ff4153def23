#include "sw/runtime/command_decoder.h"

namespace npu::runtime {
namespace {

using compiler::CtrlError;

// Port widths of npu_core / npu_ctrl (rtl/npu_core.sv, rtl/npu_ctrl.sv parameters).
constexpr int kSpAddrW = 16, kLenW = 24, kCntW = 16;
constexpr int kDimW = 10, kGrpW = 8, kKcW = 12, kPixW = 20, kPassW = 12;

int clog2(int v) {
  int b = 0;
  while ((1 << b) < v) ++b;
  return b;
}

// A field "fits" a port of `bits` when it has no bits above it.
bool wide(uint32_t v, int bits) { return bits < 32 && (v >> bits) != 0; }

uint32_t bits(uint32_t w, int lsb, int width) { return (w >> lsb) & ((1u << width) - 1); }

uint32_t e(CtrlError c) { return static_cast<uint32_t>(c); }

compiler::DmaCmd decode_dma(const compiler::CmdWords& w) {
  compiler::DmaCmd d;
  d.dst = bits(w[0], 8, 4);
  d.bank = bits(w[0], 12, 4);
  d.sp_addr = w[1];
  d.addr = w[2];
  d.len = w[4];
  d.cnt1 = bits(w[5], 0, 16);
  d.cnt2 = bits(w[5], 16, 16);
  d.cnt3 = bits(w[6], 0, 16);
  d.stride1 = w[7];
  d.stride2 = w[8];
  d.stride3 = w[9];
  return d;
}

compiler::ComputeCmd decode_compute(const compiler::CmdWords& w) {
  compiler::ComputeCmd c;
  c.job = bits(w[0], 8, 1);
  c.relu = bits(w[0], 9, 1);
  c.mode = bits(w[0], 10, 2);
  c.pool_mode = bits(w[0], 12, 2);
  c.add_relu = bits(w[0], 14, 1);
  c.in_bank = bits(w[1], 0, 4);
  c.w_bank = bits(w[1], 4, 4);
  c.out_bank = bits(w[1], 8, 4);
  c.res_bank = bits(w[1], 12, 4);
  c.in_zp = bits(w[1], 16, 8);
  c.zp = bits(w[1], 24, 8);
  c.in_h = bits(w[2], 0, 16);
  c.in_w = bits(w[2], 16, 16);
  c.in_base = bits(w[3], 0, 16);
  c.in_row_words = bits(w[3], 16, 16);
  c.kernel_h = bits(w[4], 0, 4);
  c.kernel_w = bits(w[4], 4, 4);
  c.stride_h = bits(w[4], 8, 4);
  c.stride_w = bits(w[4], 12, 4);
  c.pad_top = bits(w[4], 16, 4);
  c.pad_left = bits(w[4], 20, 4);
  c.pad_bottom = bits(w[4], 24, 4);
  c.pad_right = bits(w[4], 28, 4);
  c.slot = bits(w[5], 0, 8);
  c.taps_per_chunk = bits(w[5], 8, 8);
  c.out_groups = bits(w[5], 16, 8);
  c.ntiles = bits(w[5], 24, 8);
  c.out_w = bits(w[6], 0, 16);
  c.kchunks = bits(w[6], 16, 16);
  c.pixels = w[7];
  c.mblock = bits(w[8], 0, 16);
  c.mblocks = bits(w[8], 16, 16);
  c.w_base = bits(w[9], 0, 16);
  c.w_words = bits(w[9], 16, 16);
  c.out_base = bits(w[10], 0, 16);
  c.res_base = bits(w[10], 16, 16);
  c.add_zp_a = bits(w[11], 0, 8);
  c.add_zp_b = bits(w[11], 8, 8);
  c.add_zp_out = bits(w[11], 16, 8);
  c.in_groups = bits(w[11], 24, 8);
  c.add_mult_a = w[12];
  c.add_mult_b = w[13];
  c.add_mult_out = w[14];
  c.add_shift_a = bits(w[15], 0, 8);
  c.add_shift_b = bits(w[15], 8, 8);
  c.add_shift_out = bits(w[15], 16, 8);
  return c;
}

// LOAD / STORE: bank, then zero sizes, then widths.
uint32_t check_dma(const compiler::CmdWords& w, bool load) {
  const uint32_t dst = bits(w[0], 8, 4), bank = bits(w[0], 12, 4);
  const bool bad_bank =
      load ? (dst > 2 || bank > 1 || (dst == 2 && bank != 0)) : (dst != 0 || bank > 1);
  if (bad_bank) return e(CtrlError::kBadBank);
  if (w[4] == 0 || bits(w[5], 0, 16) == 0 || bits(w[5], 16, 16) == 0 || bits(w[6], 0, 16) == 0)
    return e(CtrlError::kZeroSize);
  if (wide(w[4], kLenW) || wide(w[1], kSpAddrW) || wide(bits(w[5], 0, 16), kCntW) ||
      wide(bits(w[5], 16, 16), kCntW) || wide(bits(w[6], 0, 16), kCntW))
    return e(CtrlError::kBadField);
  return 0;
}

uint32_t check_compute(const compiler::CmdWords& w, const DeviceParams& p) {
  const int act_aw = clog2(p.act_depth), wgt_aw = clog2(p.wgt_depth);
  const uint32_t c1 = w[1], c2 = w[2], c3 = w[3], c4 = w[4], c5 = w[5], c6 = w[6], c7 = w[7];
  const uint32_t c8 = w[8], c9 = w[9], c10 = w[10], c11 = w[11], c15 = w[15];
  if (bits(c1, 0, 4) > 1 || bits(c1, 4, 4) > 1 || bits(c1, 8, 4) > 1 || bits(c1, 12, 4) > 1)
    return e(CtrlError::kBadBank);
  bool geom = false;
  for (int n = 0; n < 8; ++n) geom = geom || bits(c4, 4 * n + 3, 1) != 0;
  for (int n = 0; n < 4; ++n) geom = geom || bits(c4, 4 * n, 3) == 0;  // kernel, stride >= 1
  const bool common = bits(c2, 0, 16) == 0 || bits(c2, 16, 16) == 0 || bits(c11, 24, 8) == 0 ||
                      wide(bits(c2, 0, 16), kDimW) || wide(bits(c2, 16, 16), kDimW) ||
                      wide(bits(c11, 24, 8), kGrpW) || wide(bits(c3, 0, 16), act_aw) ||
                      wide(bits(c3, 16, 16), act_aw) || wide(bits(c10, 0, 16), act_aw);
  if (geom || common) return e(CtrlError::kBadField);
  const uint32_t rows = static_cast<uint32_t>(p.rows);
  const uint32_t mode = bits(w[0], 10, 2);
  if (bits(w[0], 8, 1) != 0) {  // pool
    if (bits(w[0], 12, 2) == 3) return e(CtrlError::kBadField);
    return 0;
  }
  const bool conv =
      bits(c5, 0, 8) == 0 || bits(c5, 0, 8) > rows || bits(c5, 8, 8) == 0 ||
      bits(c5, 8, 8) > rows || bits(c5, 24, 8) == 0 || wide(bits(c5, 24, 8), kGrpW) ||
      wide(bits(c5, 16, 8), kGrpW) || bits(c6, 0, 16) == 0 || wide(bits(c6, 0, 16), kDimW) ||
      bits(c6, 16, 16) == 0 || wide(bits(c6, 16, 16), kKcW) || c7 == 0 || wide(c7, kPixW) ||
      bits(c8, 0, 16) == 0 || bits(c8, 0, 16) > static_cast<uint32_t>(p.acc_depth) ||
      bits(c8, 16, 16) == 0 || wide(bits(c8, 16, 16), kPassW) || wide(bits(c9, 0, 16), wgt_aw) ||
      bits(c9, 16, 16) == 0 || wide(bits(c9, 16, 16), wgt_aw + 1) || mode > 1 ||
      (mode == 1 && bits(c1, 12, 4) == bits(c1, 0, 4)) || wide(bits(c10, 16, 16), act_aw) ||
      bits(c15, 6, 2) != 0 || bits(c15, 14, 2) != 0 || bits(c15, 22, 2) != 0;
  return conv ? e(CtrlError::kBadField) : 0;
}

}  // namespace

int32_t sign_extend(uint32_t v, int nbits) {
  const uint32_t m = 1u << (nbits - 1);
  v &= (nbits >= 32) ? ~0u : ((1u << nbits) - 1);
  return static_cast<int32_t>((v ^ m) - m);
}

compiler::CmdWords command_words(const uint8_t* bytes) {
  compiler::CmdWords w{};
  for (int i = 0; i < 16; ++i) {
    w[i] = uint32_t{bytes[4 * i]} | uint32_t{bytes[4 * i + 1]} << 8 |
           uint32_t{bytes[4 * i + 2]} << 16 | uint32_t{bytes[4 * i + 3]} << 24;
  }
  return w;
}

DecodedCommand decode_command(const compiler::CmdWords& w, const DeviceParams& p) {
  DecodedCommand d;
  d.opcode = bits(w[0], 0, 4);
  d.deps.pop_prev = bits(w[0], 4, 1) != 0;
  d.deps.pop_next = bits(w[0], 5, 1) != 0;
  d.deps.push_prev = bits(w[0], 6, 1) != 0;
  d.deps.push_next = bits(w[0], 7, 1) != 0;
  using compiler::Opcode;
  using compiler::Queue;
  switch (static_cast<Opcode>(d.opcode)) {
    case Opcode::kLoad:
      d.queue = Queue::kLoad;
      d.dma = decode_dma(w);
      d.error = check_dma(w, true);
      break;
    case Opcode::kCompute:
      d.queue = Queue::kCompute;
      d.compute = decode_compute(w);
      d.error = check_compute(w, p);
      break;
    case Opcode::kStore:
      d.queue = Queue::kStore;
      d.dma = decode_dma(w);
      d.error = check_dma(w, false);
      break;
    case Opcode::kSync: {
      const uint32_t q = bits(w[0], 8, 4);
      d.queue = static_cast<Queue>(q > 2 ? 0 : q);
      if (q > 2) d.error = e(CtrlError::kBadField);
      break;
    }
    case Opcode::kEnd:
      return d;
    default:
      d.error = e(CtrlError::kBadOpcode);
      return d;
  }
  // A load has no previous stage, a store no next one.
  const bool bad_flags = (d.queue == Queue::kLoad && (d.deps.pop_prev || d.deps.push_prev)) ||
                         (d.queue == Queue::kStore && (d.deps.pop_next || d.deps.push_next));
  if (d.error == 0 && bad_flags) d.error = e(CtrlError::kBadField);
  return d;
}

bool job_config_error(const compiler::ComputeCmd& c) {
  if (c.job != 0 || c.mode != 1) return false;
  const int32_t sa = sign_extend(c.add_shift_a, 6), sb = sign_extend(c.add_shift_b, 6);
  const int32_t so = sign_extend(c.add_shift_out, 6);
  return sa < -31 || sa > 0 || sb < -31 || sb > 0 || so < -31 || so > 30;
}

}  // namespace npu::runtime
