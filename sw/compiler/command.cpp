#include "sw/compiler/command.h"

namespace npu::compiler {
namespace {

uint32_t header(Opcode op, const Deps& d) {
  return static_cast<uint32_t>(op) | (d.pop_prev ? 1u << 4 : 0u) | (d.pop_next ? 1u << 5 : 0u) |
         (d.push_prev ? 1u << 6 : 0u) | (d.push_next ? 1u << 7 : 0u);
}

CmdWords encode_dma(Opcode op, const DmaCmd& c, const Deps& d) {
  CmdWords w{};
  w[0] = header(op, d) | (c.dst & 0xf) << 8 | (c.bank & 0xf) << 12;
  w[1] = c.sp_addr;
  w[2] = c.addr;
  w[4] = c.len;
  w[5] = (c.cnt1 & 0xffff) | (c.cnt2 & 0xffff) << 16;
  w[6] = c.cnt3 & 0xffff;
  w[7] = c.stride1;
  w[8] = c.stride2;
  w[9] = c.stride3;
  return w;
}

uint32_t lo16_hi16(uint32_t lo, uint32_t hi) { return (lo & 0xffff) | (hi & 0xffff) << 16; }

}  // namespace

const char* ctrl_error_name(uint32_t code) {
  static const char* const kNames[] = {
      "NONE",           "ZERO_SIZE",    "RD_SLVERR",  "RD_DECERR", "WR_SLVERR", "WR_DECERR",
      "FETCH_SLVERR",   "FETCH_DECERR", "BAD_OPCODE", "BAD_BANK",  "BAD_FIELD", "JOB_CONFIG",
      "TOKEN_OVERFLOW", "DEADLOCK",     "WATCHDOG",   "BAD_QUEUE"};
  return code < 16 ? kNames[code] : "?";
}

CmdWords encode_load(const DmaCmd& c, const Deps& d) { return encode_dma(Opcode::kLoad, c, d); }
CmdWords encode_store(const DmaCmd& c, const Deps& d) { return encode_dma(Opcode::kStore, c, d); }

CmdWords encode_compute(const ComputeCmd& c, const Deps& d) {
  CmdWords w{};
  w[0] = header(Opcode::kCompute, d) | (c.job & 1) << 8 | (c.relu & 1) << 9 | (c.mode & 3) << 10 |
         (c.pool_mode & 3) << 12 | (c.add_relu & 1) << 14;
  w[1] = (c.in_bank & 0xf) | (c.w_bank & 0xf) << 4 | (c.out_bank & 0xf) << 8 |
         (c.res_bank & 0xf) << 12 | (c.in_zp & 0xff) << 16 | (c.zp & 0xff) << 24;
  w[2] = lo16_hi16(c.in_h, c.in_w);
  w[3] = lo16_hi16(c.in_base, c.in_row_words);
  w[4] = (c.kernel_h & 0xf) | (c.kernel_w & 0xf) << 4 | (c.stride_h & 0xf) << 8 |
         (c.stride_w & 0xf) << 12 | (c.pad_top & 0xf) << 16 | (c.pad_left & 0xf) << 20 |
         (c.pad_bottom & 0xf) << 24 | (c.pad_right & 0xf) << 28;
  w[5] = (c.slot & 0xff) | (c.taps_per_chunk & 0xff) << 8 | (c.out_groups & 0xff) << 16 |
         (c.ntiles & 0xff) << 24;
  w[6] = lo16_hi16(c.out_w, c.kchunks);
  w[7] = c.pixels;
  w[8] = lo16_hi16(c.mblock, c.mblocks);
  w[9] = lo16_hi16(c.w_base, c.w_words);
  w[10] = lo16_hi16(c.out_base, c.res_base);
  w[11] = (c.add_zp_a & 0xff) | (c.add_zp_b & 0xff) << 8 | (c.add_zp_out & 0xff) << 16 |
          (c.in_groups & 0xff) << 24;
  w[12] = c.add_mult_a;
  w[13] = c.add_mult_b;
  w[14] = c.add_mult_out;
  w[15] = (c.add_shift_a & 0xff) | (c.add_shift_b & 0xff) << 8 | (c.add_shift_out & 0xff) << 16;
  return w;
}

CmdWords encode_sync(Queue q, const Deps& d) {
  CmdWords w{};
  w[0] = header(Opcode::kSync, d) | static_cast<uint32_t>(q) << 8;
  return w;
}

CmdWords encode_end() {
  CmdWords w{};
  w[0] = static_cast<uint32_t>(Opcode::kEnd);
  return w;
}

std::vector<uint8_t> to_bytes(const std::vector<CmdWords>& stream) {
  std::vector<uint8_t> out;
  out.reserve(stream.size() * kCmdBytes);
  for (const CmdWords& c : stream) {
    for (uint32_t v : c) {
      for (int b = 0; b < 4; ++b) out.push_back(static_cast<uint8_t>(v >> (8 * b)));
    }
  }
  return out;
}

}  // namespace npu::compiler
