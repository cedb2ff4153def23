// Binary PGM (P5) and PPM (P6) decoding. stb_image 2.27 (Debian 12) reads 16-bit samples in
// host byte order instead of the big-endian order the format specifies, ignores maxval
// (so a maxval-100 file comes out dark), and fills a truncated file with garbage; this
// decoder does all three correctly, and the other formats still go through stb.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sw/data/image.h"

namespace npu::data {

// Nothing if the bytes do not start with "P5" or "P6"; otherwise the image, with samples
// scaled from [0, maxval] to [0, 255] rounding to nearest. Throws DataError naming `what`
// for a malformed header, a truncated payload, more pixels than kMaxImagePixels
// (image_file.h), or a maxval other than `required_maxval` when that is not 0.
std::optional<Image> decode_binary_pnm(const std::vector<uint8_t>& bytes, const std::string& what,
                                       long required_maxval = 0);

}  // namespace npu::data
