// JPEG decoding through libjpeg-turbo with the settings Pillow uses (the library's
// defaults: ISLOW integer IDCT, fancy upsampling, its own YCbCr -> RGB), so that a JPEG
// decodes to exactly the pixels PIL's Image.open(...).convert(...) starts from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sw/data/image.h"

namespace npu::data {

bool is_jpeg(const std::vector<uint8_t>& bytes);  // starts with the SOI marker FF D8 FF

// Gray JPEGs decode to 1 channel, YCbCr and RGB ones to 3. Throws DataError naming `what`
// for corrupt or truncated data, CMYK/YCCK files, and images of more than `max_pixels`
// pixels (checked from the header, before any pixel memory is allocated).
Image decode_jpeg(const std::vector<uint8_t>& bytes, const std::string& what, int64_t max_pixels);

}  // namespace npu::data
