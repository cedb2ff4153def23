#include "tb/ppu/ppu_cases.h"

#include <limits>

namespace npu::tb {

namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
constexpr int32_t kHalf = 1 << 30;  // Q31 0.5

PpuBeat beat(int pixel, std::vector<int32_t> acc, std::vector<int8_t> residual = {}) {
  PpuBeat b;
  b.pixel = pixel;
  b.group = 0;
  b.acc = std::move(acc);
  b.residual = std::move(residual);
  return b;
}

// ch0: x * 0.5; ch1: INT32_MIN multiplier, shift -31; ch2: ~1.0, shift -3 (/8);
// ch3: 0.5 with a left shift of 2 (x * 2).
std::vector<PpuChannel> conv_table() {
  return {{28, kHalf, 0}, {0, kMin, -31}, {-1000, kMax, -3}, {5, kHalf, 2}};
}

}  // namespace

std::vector<PpuHandCase> ppu_hand_cases() {
  std::vector<PpuHandCase> cases;

  {
    PpuHandCase c;
    c.name = "conv, zp -5, relu";
    c.layer.mode = PpuMode::kConv;
    c.layer.table = conv_table();
    c.layer.zero_point = -5;
    c.layer.relu = true;
    // ch0: 100+28 = 128, *0.5 = 64, -5 = 59.
    // ch1: SRDHM(MIN, MIN) saturates to INT32_MAX; /2^31 = 0.99.. rounds to 1; -5 = -4.
    // ch2: -20-1000 = -1020; SRDHM(-1020, 2^31-1) = floor(-1020 + (1020 + 2^30)/2^31) = -1020;
    //      /8 = -127.5, ties away from zero: -128; -5 = -133 < zp: ReLU gives -5.
    // ch3: 30+5 = 35, << 2 = 140, *0.5 = 70; -5 = 65.
    c.beats.push_back(beat(0, {100, kMin, -20, 30}));
    c.expected.push_back({59, -4, -5, 65});
    // ch0: 27+28 = 55, *0.5 = 27.5 rounds up: 28; -5 = 23.
    // ch1: 0 -> 0; -5; ReLU keeps -5 (= zp).
    // ch2: 2000-1000 = 1000; SRDHM = 1000 + floor((2^30 - 1000)/2^31) = 1000; /8 = 125; 120.
    // ch3: 2^29+5, << 2 overflows: INT32_MAX; SRDHM(2^31-1, 2^30) = floor(2^61/2^31) = 2^30;
    //      clamps to 127.
    c.beats.push_back(beat(1, {27, 0, 2000, (1 << 29)}));
    c.expected.push_back({23, -5, 120, 127});
    cases.push_back(c);
  }
  {
    PpuHandCase c;
    c.name = "conv, zp 10, no relu";
    c.layer.mode = PpuMode::kConv;
    c.layer.table = conv_table();
    c.layer.zero_point = 10;
    c.layer.relu = false;
    // ch0: -31+28 = -3; SRDHM(-3, 2^30) = floor((-3*2^30 + 2^30)/2^31) = -1 (gemmlowp rounds
    //      the -1.5 tie of the high multiply up); +10 = 9.
    // ch1: as above, 1; 11.
    // ch2: -128 as above; +10 = -118.
    // ch3: -2^29-6+5 = -2^29-1, << 2 below INT32_MIN: saturates; SRDHM(MIN, 2^30) = -2^30;
    //      clamps to -128.
    c.beats.push_back(beat(0, {-31, kMin, -20, -(1 << 29) - 6}));
    c.expected.push_back({9, 11, -118, -128});
    cases.push_back(c);
  }

  // Residual add: zp_a 3, zp_b -2, zp_out -7; a * 0.5, b * 0.25 (0.5 with shift -1), output
  // 0.5 * 2^-18. The conv stage is an identity (0.5 with a left shift of 1) plus zp 3.
  golden::AddParams add;
  add.a_zero_point = 3;
  add.b_zero_point = -2;
  add.output_zero_point = -7;
  add.a_multiplier = {kHalf, 0};
  add.b_multiplier = {kHalf, -1};
  add.output_multiplier = {kHalf, -18};
  add.relu = false;
  {
    PpuHandCase c;
    c.name = "conv + add";
    c.layer.mode = PpuMode::kConvAdd;
    c.layer.table = {{0, kHalf, 1}, {0, kHalf, 1}, {0, kHalf, 1}, {0, kHalf, 1}};
    c.layer.zero_point = 3;
    c.layer.relu = false;
    c.layer.add = add;
    // ch0: a = 50+3 = 53: (53-3)*2^20*0.5 = 25*2^20; b = 30: (30+2)*2^20*0.25 = 8*2^20;
    //      sum 33*2^20, *0.5*2^-18 = 66; -7 = 59.
    // ch1: conv SRDHM(-142, 2^30) = floor(-70.5) = -71, a = -68: -71*2^19; b = -128:
    //      -126*2^20 * 0.25 = -63*2^19; sum -134*2^19 -> -134; -7 = -141, clamps to -128.
    // ch2: a = 1+3 = 4: 2^19; b = -1: 2^20 * 0.25 = 2^18; sum 3*2^18 -> 1.5 rounds away from
    //      zero: 2; -7 = -5.
    // ch3: a = 0+3 = 3: 0; b = -5: -3*2^20 * 0.25 = -3*2^18 -> -1.5 rounds to -2; -7 = -9.
    c.beats.push_back(beat(0, {50, -71, 1, 0}, {30, -128, -1, -5}));
    c.expected.push_back({59, -128, -5, -9});
    cases.push_back(c);
  }
  {
    PpuHandCase c;
    c.name = "add only";
    c.layer.mode = PpuMode::kAdd;
    c.layer.table = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}};  // unused by an add
    c.layer.zero_point = 99;                                       // unused too
    c.layer.add = add;
    // Input a in bits 7..0, garbage above: 53, -68, 4, 3 as a in the conv + add case.
    c.beats.push_back(beat(0,
                           {0x12345600 | 53, static_cast<int32_t>(0xabcdef00u | 0xbcu), 0x7fffff04,
                            static_cast<int32_t>(0x80000003u)},
                           {30, -128, -1, -5}));
    c.expected.push_back({59, -128, -5, -9});
    cases.push_back(c);
  }
  return cases;
}

PpuHandCase widen(const PpuHandCase& c, int lanes) {
  PpuHandCase w = c;
  for (PpuBeat& b : w.beats) {
    b.acc.resize(static_cast<std::size_t>(lanes), 0);
    if (!b.residual.empty()) b.residual.resize(static_cast<std::size_t>(lanes), 0);
  }
  return w;
}

}  // namespace npu::tb
