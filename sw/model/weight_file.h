// The binary weight file of docs/model-format.md: per conv/fc layer, in the order the
// layers are listed, int8 OHWI weights, zero padding to 4 bytes, int32 bias, float32
// per-channel scales, all little-endian, no header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/conv2d.h"

namespace npu::model {

// Bytes of one layer's three sections (with the padding).
std::size_t weight_section_bytes(const golden::ConvWeights& w);

void append_weight_sections(const golden::ConvWeights& w, std::vector<uint8_t>& out);

// Reads one layer's sections at `offset` (advanced past them). out_channels, kernel and
// in_channels of `w` must be set. Throws ModelError naming `file`, `layer` and the section
// that runs past the end, or non-zero padding.
void read_weight_sections(const std::vector<uint8_t>& bytes, std::size_t& offset,
                          golden::ConvWeights& w, const std::string& file,
                          const std::string& layer);

}  // namespace npu::model
