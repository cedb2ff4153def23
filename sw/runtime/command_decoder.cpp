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

uint32_t e(CtrlError c) { return static_cast<uint32_t>(c); }

// LOAD / STORE: bank, then zero sizes, then widths.
uint32_t check_dma(const compiler::DmaCmd& d, bool load) {
  const bool bad_bank =
      load ? (d.dst > 2 || d.bank > 1 || (d.dst == 2 && d.bank != 0)) : (d.dst != 0 || d.bank > 1);
  if (bad_bank) return e(CtrlError::kBadBank);
  if (d.len == 0 || d.cnt1 == 0 || d.cnt2 == 0 || d.cnt3 == 0) return e(CtrlError::kZeroSize);
  if (wide(d.len, kLenW) || wide(d.sp_addr, kSpAddrW) || wide(d.cnt1, kCntW) ||
      wide(d.cnt2, kCntW) || wide(d.cnt3, kCntW))
    return e(CtrlError::kBadField);
  return 0;
}

// Word-4 nibbles hold 3-bit values; kernel and stride are 1..7.
bool bad_geometry(const compiler::ComputeCmd& c) {
  const uint32_t pads[] = {c.pad_top, c.pad_left, c.pad_bottom, c.pad_right};
  const uint32_t steps[] = {c.kernel_h, c.kernel_w, c.stride_h, c.stride_w};
  bool bad = false;
  for (uint32_t v : pads) bad = bad || v > 7;
  for (uint32_t v : steps) bad = bad || v == 0 || v > 7;
  return bad;
}

uint32_t check_compute(const compiler::ComputeCmd& c, const DeviceParams& p) {
  const int act_aw = clog2(p.act_depth), wgt_aw = clog2(p.wgt_depth);
  if (c.in_bank > 1 || c.w_bank > 1 || c.out_bank > 1 || c.res_bank > 1)
    return e(CtrlError::kBadBank);
  const bool common = c.in_h == 0 || c.in_w == 0 || c.in_groups == 0 || wide(c.in_h, kDimW) ||
                      wide(c.in_w, kDimW) || wide(c.in_groups, kGrpW) || wide(c.in_base, act_aw) ||
                      wide(c.in_row_words, act_aw) || wide(c.out_base, act_aw);
  if (bad_geometry(c) || common) return e(CtrlError::kBadField);
  const uint32_t rows = static_cast<uint32_t>(p.rows);
  if (c.job != 0) return c.pool_mode == 3 ? e(CtrlError::kBadField) : 0;  // pool
  const bool conv =
      c.slot == 0 || c.slot > rows || c.taps_per_chunk == 0 || c.taps_per_chunk > rows ||
      c.ntiles == 0 || wide(c.ntiles, kGrpW) || wide(c.out_groups, kGrpW) || c.out_w == 0 ||
      wide(c.out_w, kDimW) || c.kchunks == 0 || wide(c.kchunks, kKcW) || c.pixels == 0 ||
      wide(c.pixels, kPixW) || c.mblock == 0 || c.mblock > static_cast<uint32_t>(p.acc_depth) ||
      c.mblocks == 0 || wide(c.mblocks, kPassW) || wide(c.w_base, wgt_aw) || c.w_words == 0 ||
      wide(c.w_words, wgt_aw + 1) || c.mode > 1 || (c.mode == 1 && c.res_bank == c.in_bank) ||
      wide(c.res_base, act_aw) || c.add_shift_a > 63 || c.add_shift_b > 63 || c.add_shift_out > 63;
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
  d.opcode = cmd::get_opcode(w);
  d.deps = cmd::get_deps(w);
  using compiler::Opcode;
  using compiler::Queue;
  switch (static_cast<Opcode>(d.opcode)) {
    case Opcode::kLoad:
      d.queue = Queue::kLoad;
      d.dma = cmd::get_dma(w);
      d.error = check_dma(d.dma, true);
      break;
    case Opcode::kCompute:
      d.queue = Queue::kCompute;
      d.compute = cmd::get_compute(w);
      d.error = check_compute(d.compute, p);
      break;
    case Opcode::kStore:
      d.queue = Queue::kStore;
      d.dma = cmd::get_dma(w);
      d.error = check_dma(d.dma, false);
      break;
    case Opcode::kSync: {
      const uint32_t q = cmd::get_sync(w).engine;
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
