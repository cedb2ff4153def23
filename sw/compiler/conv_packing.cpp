#include "sw/compiler/conv_packing.h"

#include <algorithm>

#include "golden/requantize.h"
#include "sw/compiler/tensor_layout.h"

namespace npu::compiler {

KPacking KPacking::of(int channels, int taps, int rows) {
  KPacking k;
  k.slot = std::min(channels, rows);
  k.taps_per_chunk = rows / k.slot;
  k.groups = ceil_div(channels, rows);
  k.kchunks = ceil_div(taps, k.taps_per_chunk) * k.groups;
  return k;
}

KPacking::Source KPacking::source(int kc, int lane, int rows, int taps, int channels) const {
  // Chunk kc = (tap block kc / G, channel group kc % G); lane = p * S + c.
  const int p = lane / slot, c = lane % slot;
  Source s;
  if (p >= taps_per_chunk) return s;
  const int tap = (kc / groups) * taps_per_chunk + p;
  const int ch = (kc % groups) * rows + c;
  if (tap >= taps || ch >= channels) return s;
  s.tap = tap;
  s.channel = ch;
  return s;
}

std::vector<uint8_t> pack_conv_weights(const golden::ConvWeights& w, int rows, int cols) {
  const int taps = w.kernel_h * w.kernel_w;
  const KPacking k = KPacking::of(w.in_channels, taps, rows);
  const int ntiles = ceil_div(w.out_channels, cols);
  std::vector<uint8_t> out;
  out.reserve(static_cast<size_t>(ntiles) * k.kchunks * rows * cols);
  for (int nt = 0; nt < ntiles; ++nt)
    for (int kc = 0; kc < k.kchunks; ++kc)
      for (int beat = 0; beat < rows; ++beat) {
        const KPacking::Source src = k.source(kc, rows - 1 - beat, rows, taps, w.in_channels);
        for (int c = 0; c < cols; ++c) {
          const int o = nt * cols + c;
          int8_t v = 0;
          if (src.tap >= 0 && o < w.out_channels)
            v = w.data[(static_cast<size_t>(o) * taps + src.tap) * w.in_channels + src.channel];
          out.push_back(static_cast<uint8_t>(v));
        }
      }
  return out;
}

std::vector<uint8_t> ppu_records(const golden::ConvWeights& w, golden::QuantParams input,
                                 golden::QuantParams output, bool relu, int cols) {
  const golden::Requantizer rq = golden::Requantizer::for_conv(input.scale, w.scales, output, relu);
  const int per_channel = w.kernel_h * w.kernel_w * w.in_channels;
  const int channels = ceil_div(w.out_channels, cols) * cols;
  std::vector<uint8_t> out(static_cast<size_t>(channels) * kPpuRecordBytes, 0);
  for (int o = 0; o < w.out_channels; ++o) {
    int64_t sum = 0;
    for (int i = 0; i < per_channel; ++i) sum += w.data[static_cast<size_t>(o) * per_channel + i];
    write_ppu_record(&out[static_cast<size_t>(o) * kPpuRecordBytes],
                     static_cast<int32_t>(w.bias[o] - input.zero_point * sum),
                     rq.per_channel[o].multiplier, rq.per_channel[o].shift);
  }
  return out;
}

void write_ppu_record(uint8_t* record, int32_t bias, int32_t multiplier, int shift) {
  const auto b = static_cast<uint32_t>(bias), m = static_cast<uint32_t>(multiplier);
  for (int i = 0; i < 4; ++i) {
    record[i] = static_cast<uint8_t>(b >> (8 * i));
    record[4 + i] = static_cast<uint8_t>(m >> (8 * i));
  }
  record[8] = static_cast<uint8_t>(static_cast<uint32_t>(shift) & 0x3f);
  for (int i = 9; i < kPpuRecordBytes; ++i) record[i] = 0;
}

}  // namespace npu::compiler
