#include "sw/runtime/golden_engine.h"

#include <algorithm>
#include <cstring>

#include "golden/add.h"
#include "golden/fixed_point.h"
#include "golden/pool.h"
#include "golden/requantize.h"
#include "sw/runtime/command_decoder.h"

namespace npu::runtime {
namespace {

constexpr uint32_t kSpAddrMask = 0xffff;  // npu_dma SpAddrW = 16: on-chip addresses wrap

int32_t le32(const uint8_t* b) {
  return static_cast<int32_t>(uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 |
                              uint32_t{b[3]} << 24);
}

// Row (i1, i2, i3) of a descriptor starts at addr + i1*s1 + i2*s2 + i3*s3 (modulo 2^AddrW).
template <typename Row>
void for_each_row(const compiler::DmaCmd& c, int addr_bits, Row row) {
  const uint64_t mask = addr_bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << addr_bits) - 1;
  for (uint32_t i3 = 0; i3 < c.cnt3; ++i3)
    for (uint32_t i2 = 0; i2 < c.cnt2; ++i2)
      for (uint32_t i1 = 0; i1 < c.cnt1; ++i1) {
        const uint64_t a = (uint64_t{c.addr} + uint64_t{i1} * c.stride1 + uint64_t{i2} * c.stride2 +
                            uint64_t{i3} * c.stride3) &
                           mask;
        row(a);
      }
}

}  // namespace

GoldenEngine::GoldenEngine(const DeviceParams& p)
    : p_(p), ppu_(static_cast<std::size_t>(p.ppu_channels)), record_(16, 0) {
  for (auto& b : act_) b.assign(static_cast<std::size_t>(p.act_depth) * p.rows, 0);
  for (auto& b : wgt_) b.assign(static_cast<std::size_t>(p.wgt_depth) * p.rows, 0);
}

void GoldenEngine::reset() { std::fill(record_.begin(), record_.end(), 0); }

uint8_t* GoldenEngine::act_word(uint32_t bank, uint32_t addr) {
  return act_[bank & 1].data() + static_cast<std::size_t>(addr % p_.act_depth) * p_.rows;
}

uint8_t* GoldenEngine::wgt_word(uint32_t bank, uint32_t addr) {
  return wgt_[bank & 1].data() + static_cast<std::size_t>(addr % p_.wgt_depth) * p_.rows;
}

// npu_core's record assembler: word `addr` is piece addr % R of channel addr / R (R bus
// words per record); the last piece writes the record.
void GoldenEngine::write_record_word(uint32_t addr, const uint8_t* word) {
  const auto r = static_cast<uint32_t>(p_.record_words());
  const uint32_t piece = addr % r;
  const std::size_t n = std::min<std::size_t>(16, static_cast<std::size_t>(p_.rows));
  std::memcpy(record_.data() + piece * n, word, n);
  if (piece != r - 1) return;
  PpuRecord& rec = ppu_[(addr / r) % static_cast<uint32_t>(p_.ppu_channels)];
  rec.bias = le32(&record_[0]);
  rec.mult = le32(&record_[4]);
  rec.shift = sign_extend(record_[8], 6);
}

uint64_t GoldenEngine::load(const compiler::DmaCmd& c, const SparseMemory& dram) {
  const auto bytes = static_cast<uint32_t>(p_.rows);
  std::vector<uint8_t> row(c.len), word(bytes);
  uint32_t sp = c.sp_addr;
  uint64_t total = 0;
  for_each_row(c, p_.addr_bits, [&](uint64_t a) {
    dram.read(a, row.data(), row.size());
    total += c.len;
    for (uint32_t off = 0; off < c.len; off += bytes, sp = (sp + 1) & kSpAddrMask) {
      std::fill(word.begin(), word.end(), 0);  // lanes beyond the row are 0
      std::memcpy(word.data(), row.data() + off, std::min(bytes, c.len - off));
      if (c.dst == 0) {
        std::memcpy(act_word(c.bank, sp), word.data(), bytes);
      } else if (c.dst == 1) {
        std::memcpy(wgt_word(c.bank, sp), word.data(), bytes);
      } else {
        write_record_word(sp, word.data());
      }
    }
  });
  return total;
}

uint64_t GoldenEngine::store(const compiler::DmaCmd& c, SparseMemory& dram) {
  const auto bytes = static_cast<uint32_t>(p_.rows);
  std::vector<uint8_t> row(c.len);
  uint32_t sp = c.sp_addr;
  uint64_t total = 0;
  for_each_row(c, p_.addr_bits, [&](uint64_t a) {
    for (uint32_t off = 0; off < c.len; off += bytes, sp = (sp + 1) & kSpAddrMask) {
      std::memcpy(row.data() + off, act_word(c.bank, sp), std::min(bytes, c.len - off));
    }
    dram.write(a, row.data(), row.size());
    total += c.len;
  });
  return total;
}

uint64_t GoldenEngine::compute(const compiler::ComputeCmd& c) {
  if (c.job == 1) {
    pool(c);
    return 0;
  }
  return conv(c);
}

// Implicit im2col (docs/architecture.md): K-chunk kc = (tap block kc / G, group kc % G), lane
// l = p * S + ch takes channel ch of tap tb * P + p; taps outside the input read in_zp.
// Weights: per N-tile, K-chunk, Rows words, bottom lane first. Output word of pixel m and
// N-tile nt: out_base + m * out_groups + nt.
uint64_t GoldenEngine::conv(const compiler::ComputeCmd& c) {
  const int R = p_.rows;
  const int G = static_cast<int>(c.in_groups), S = static_cast<int>(c.slot);
  const int P = static_cast<int>(c.taps_per_chunk);
  const int kh = static_cast<int>(c.kernel_h), kw = static_cast<int>(c.kernel_w);
  const int taps = kh * kw;
  const int in_h = static_cast<int>(c.in_h), in_w = static_cast<int>(c.in_w);
  const auto in_zp = static_cast<int8_t>(c.in_zp);
  const int ntiles = static_cast<int>(c.ntiles), kchunks = static_cast<int>(c.kchunks);

  golden::Requantizer rq;
  rq.output_zero_point = sign_extend(c.zp, 8);
  rq.relu = c.relu != 0;
  rq.per_channel.resize(static_cast<std::size_t>(ntiles) * R);
  std::vector<int32_t> bias(rq.per_channel.size());
  for (std::size_t ch = 0; ch < rq.per_channel.size(); ++ch) {
    const PpuRecord& rec = ppu_[ch % ppu_.size()];
    rq.per_channel[ch] = {rec.mult, rec.shift};
    bias[ch] = rec.bias;
  }
  golden::AddParams add;
  add.a_zero_point = sign_extend(c.add_zp_a, 8);
  add.b_zero_point = sign_extend(c.add_zp_b, 8);
  add.output_zero_point = sign_extend(c.add_zp_out, 8);
  add.a_multiplier = {static_cast<int32_t>(c.add_mult_a), sign_extend(c.add_shift_a, 6)};
  add.b_multiplier = {static_cast<int32_t>(c.add_mult_b), sign_extend(c.add_shift_b, 6)};
  add.output_multiplier = {static_cast<int32_t>(c.add_mult_out), sign_extend(c.add_shift_out, 6)};
  add.relu = c.add_relu != 0;

  // Lane map of the packing: per lane, its tap slot p and channel ch (or -1: unused).
  std::vector<int> lane_p(R, -1), lane_ch(R, 0);
  for (int l = 0; l < R; ++l) {
    if (l / S < P) {
      lane_p[l] = l / S;
      lane_ch[l] = l % S;
    }
  }
  std::vector<int8_t> a(R);
  std::vector<int32_t> acc(R);
  std::vector<uint8_t> out(static_cast<std::size_t>(R));
  for (uint32_t m = 0; m < c.pixels; ++m) {
    const int oy = static_cast<int>(m / c.out_w), ox = static_cast<int>(m % c.out_w);
    for (int nt = 0; nt < ntiles; ++nt) {
      std::fill(acc.begin(), acc.end(), 0);
      for (int kc = 0; kc < kchunks; ++kc) {
        const int tb = kc / G, g = kc % G;
        for (int l = 0; l < R; ++l) {
          a[l] = 0;
          if (lane_p[l] < 0) continue;
          const int tap = tb * P + lane_p[l];
          if (tap >= taps) continue;  // weights of such lanes are 0
          const int iy = oy * static_cast<int>(c.stride_h) - static_cast<int>(c.pad_top) + tap / kw;
          const int ix =
              ox * static_cast<int>(c.stride_w) - static_cast<int>(c.pad_left) + tap % kw;
          if (iy < 0 || iy >= in_h || ix < 0 || ix >= in_w) {
            a[l] = in_zp;
          } else {
            const auto addr = static_cast<uint32_t>(c.in_base + (iy * in_w + ix) * G + g);
            a[l] = static_cast<int8_t>(act_word(c.in_bank, addr)[lane_ch[l]]);
          }
        }
        const uint32_t wbase = c.w_base + static_cast<uint32_t>((nt * kchunks + kc) * R);
        for (int beat = 0; beat < R; ++beat) {
          const int8_t x = a[R - 1 - beat];
          if (x == 0) continue;
          const uint8_t* w = wgt_word(c.w_bank, wbase + static_cast<uint32_t>(beat));
          for (int col = 0; col < R; ++col) acc[col] += int32_t{x} * static_cast<int8_t>(w[col]);
        }
      }
      const uint32_t word = c.out_base + m * c.out_groups + static_cast<uint32_t>(nt);
      const uint8_t* res =
          c.mode == 1
              ? act_word(c.res_bank, c.res_base + m * c.out_groups + static_cast<uint32_t>(nt))
              : nullptr;
      for (int col = 0; col < R; ++col) {
        const int ch = nt * R + col;
        // acc + bias wraps at 32 bits as in the PPU.
        const auto x =
            static_cast<int32_t>(static_cast<uint32_t>(acc[col]) +
                                 static_cast<uint32_t>(bias[static_cast<std::size_t>(ch)]));
        int8_t y = rq.apply(x, ch);
        if (res) y = add.apply(y, static_cast<int8_t>(res[col]));
        out[col] = static_cast<uint8_t>(y);
      }
      std::memcpy(act_word(c.out_bank, word), out.data(), out.size());
    }
  }
  return uint64_t{c.pixels} * c.kchunks * c.ntiles;
}

// Pool job (docs/pool.md): every lane of every word; max pads with -128, average with in_zp
// and divides by the window size, global average over H x W. Output word k of the raster
// order (k = (oy * OW + ox) * G + g) at out_base + k.
void GoldenEngine::pool(const compiler::ComputeCmd& c) {
  const int R = p_.rows, G = static_cast<int>(c.in_groups);
  const int in_h = static_cast<int>(c.in_h), in_w = static_cast<int>(c.in_w);
  const bool global = c.pool_mode == 2;
  const int kh = global ? in_h : static_cast<int>(c.kernel_h);
  const int kw = global ? in_w : static_cast<int>(c.kernel_w);
  const int sh = global ? 1 : static_cast<int>(c.stride_h);
  const int sw = global ? 1 : static_cast<int>(c.stride_w);
  const int pt = global ? 0 : static_cast<int>(c.pad_top);
  const int pl = global ? 0 : static_cast<int>(c.pad_left);
  const int pb = global ? 0 : static_cast<int>(c.pad_bottom);
  const int pr = global ? 0 : static_cast<int>(c.pad_right);
  const int oh = (in_h + pt + pb - kh) / sh + 1, ow = (in_w + pl + pr - kw) / sw + 1;
  const int32_t pad = c.pool_mode == 0 ? -128 : sign_extend(c.in_zp, 8);
  std::vector<int32_t> acc(R);
  uint32_t k = 0;
  for (int oy = 0; oy < oh; ++oy)
    for (int ox = 0; ox < ow; ++ox)
      for (int g = 0; g < G; ++g, ++k) {
        std::fill(acc.begin(), acc.end(), c.pool_mode == 0 ? -128 : 0);
        for (int ky = 0; ky < kh; ++ky)
          for (int kx = 0; kx < kw; ++kx) {
            const int iy = oy * sh - pt + ky, ix = ox * sw - pl + kx;
            const bool inside = iy >= 0 && iy < in_h && ix >= 0 && ix < in_w;
            const uint8_t* w =
                inside
                    ? act_word(c.in_bank, c.in_base + static_cast<uint32_t>(iy) * c.in_row_words +
                                              static_cast<uint32_t>(ix * G + g))
                    : nullptr;
            for (int l = 0; l < R; ++l) {
              const int32_t v = w ? int32_t{static_cast<int8_t>(w[l])} : pad;
              acc[l] = c.pool_mode == 0 ? std::max(acc[l], v) : acc[l] + v;
            }
          }
        uint8_t* out = act_word(c.out_bank, c.out_base + k);
        for (int l = 0; l < R; ++l) {
          const int32_t v =
              c.pool_mode == 0
                  ? acc[l]
                  : golden::saturate_int8(golden::divide_round_half_away(acc[l], kh * kw));
          out[l] = static_cast<uint8_t>(static_cast<int8_t>(v));
        }
      }
}

}  // namespace npu::runtime
