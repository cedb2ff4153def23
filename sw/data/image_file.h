// Image files to and from Image: PNG, JPEG, BMP, TGA, GIF through stb_image; binary
// PGM/PPM through pnm_decoder.h (stb 2.27 gets 16-bit samples and maxval wrong).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sw/data/image.h"

namespace npu::data {

// Limits on what an image file may be, checked before reading (file size) and before
// decoding the pixels (width x height from the header).
constexpr std::uintmax_t kMaxImageFileBytes = std::uintmax_t{256} << 20;
constexpr int64_t kMaxImagePixels = int64_t{1} << 26;

// Decodes an encoded image held in memory; `what` names it in error messages.
Image decode_image(const std::vector<uint8_t>& bytes, const std::string& what);

// Reads and decodes a file, keeping its own channel count (1 to 4). Throws DataError naming
// the file if it cannot be opened, is empty, or is not a decodable image.
Image load_image_file(const std::string& path);

// Decodes a file to the pixels PIL's Image.open gives (for a model's preprocess list):
// JPEG through libjpeg-turbo (jpeg_decoder.h), 8-bit PNG through stb (lossless, the same
// pixels), binary PGM/PPM with maxval 255. Other formats, 16-bit PNGs (PIL opens gray
// ones as 32-bit integer images) and other maxvals are rejected, naming the file.
Image load_image_file_like_pil(const std::string& path);

// load_image_file then fit_image to the model input's height, width and channels.
Image load_image_for_input(const std::string& path, int height, int width, int channels);

// Binary PGM (P5) for 1-channel images, PPM (P6) for 3-channel ones.
void write_pnm(const std::string& path, const Image& image);

// PNG through stb_image_write; any channel count 1 to 4.
void write_png(const std::string& path, const Image& image);

}  // namespace npu::data
