// What a conv / FC layer puts into the weight bank and the PPU table: the K ordering with
// small-C tap packing and the bottom-row-first weight words (docs/architecture.md, "K ordering
// and small-C packing"), and the per-channel PPU records with -zp_in * sum(w) folded into the
// bias (docs/ppu.md, docs/control.md "PPU parameter table").
#pragma once

#include <cstdint>
#include <vector>

#include "golden/conv2d.h"
#include "golden/tensor.h"

namespace npu::compiler {

// K-chunk geometry of a layer with `channels` inputs and `taps` = kh * kw on `rows` lanes.
struct KPacking {
  int slot = 1;            // S = min(C, rows): channels per tap slot
  int taps_per_chunk = 1;  // P = rows / S
  int groups = 1;          // G = ceil(C / rows)
  int kchunks = 1;         // ceil(taps / P) * G

  static KPacking of(int channels, int taps, int rows);

  // Lane `lane` of chunk `kc`: the (tap, channel) it carries, or tap = -1 for an unused lane.
  struct Source {
    int tap = -1, channel = -1;
  };
  Source source(int kc, int lane, int rows, int taps, int channels) const;
};

// Weights of every N-tile (output channels nt * cols ..), each chunk `rows` words of `cols`
// bytes, bottom row first: N-tile nt starts at byte nt * kchunks * rows * cols.
std::vector<uint8_t> pack_conv_weights(const golden::ConvWeights& w, int rows, int cols);

// PPU records (16 bytes each: bias int32, multiplier int32, shift byte, 7 zero bytes) for
// ceil(O / cols) * cols channels; the padding channels' records are zero.
std::vector<uint8_t> ppu_records(const golden::ConvWeights& w, golden::QuantParams input,
                                 golden::QuantParams output, bool relu, int cols);

constexpr int kPpuRecordBytes = 16;

// One PPU record: bias int32, multiplier int32 (little-endian), shift (6 bits), 7 zero bytes.
void write_ppu_record(uint8_t* record, int32_t bias, int32_t multiplier, int shift);

}  // namespace npu::compiler
