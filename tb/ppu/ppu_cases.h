// Hand-computed post-processing cases: the expected bytes were worked out on paper from the
// definitions (gemmlowp SRDHM = floor((a*b + 2^30) / 2^31), round-half-away RDBPOT, TFLite
// ADD), not taken from golden or the RTL, so both are checked against them. The derivations
// are in ppu_cases.cpp. Four channels (lanes 0..3 of group 0), so every Lanes >= 4 runs them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tb/ppu/ppu_layer.h"

namespace npu::tb {

struct PpuHandCase {
  std::string name;
  PpuLayer layer;
  std::vector<PpuBeat> beats;                 // 4 lanes each, group 0
  std::vector<std::vector<int8_t>> expected;  // [beat][lane]
};

std::vector<PpuHandCase> ppu_hand_cases();

// Pads a 4-lane hand case to `lanes` lanes (extra lanes: channels the layer does not have).
PpuHandCase widen(const PpuHandCase& c, int lanes);

}  // namespace npu::tb
