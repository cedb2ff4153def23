// The PIL / torchvision image operations a model's preprocess list names, reproduced to
// the bit on 8-bit images (Pillow 9.4, torchvision 0.14):
//   convert('L') / convert('RGB'), Image.resize(..., BILINEAR), ImageOps.expand (Pad) and
//   torchvision's Resize(int) output size and CenterCrop offsets.
#pragma once

#include <array>

#include "sw/data/image.h"

namespace npu::data {

// PIL's RGB -> L: (19595 R + 38470 G + 7471 B + 0x8000) >> 16 (ITU-R 601-2 luma in 16-bit
// fixed point; not the same rounding as rgb_to_gray).
uint8_t pil_luma(uint8_t r, uint8_t g, uint8_t b);

// convert('L') (channels 1) or convert('RGB') (channels 3) of a 1- to 4-channel image: alpha
// dropped, gray replicated, RGB to L by pil_luma. Throws DataError for other counts.
Image pil_convert(const Image& in, int channels);

// torchvision Resize(size) with an int size: the shorter side becomes `size`, the longer
// int(size * long / short) (Python float division, truncated). Returns {height, width}.
std::array<int, 2> shorter_side_resize_shape(int height, int width, int size);

// Image.resize((width, height), Image.BILINEAR): separable passes (horizontal first) with
// the triangle filter widened by the downscale factor (antialiasing), coefficients
// normalized per output pixel and rounded to 22-bit fixed point, each pass rounded and
// clamped to 8 bits. A same-size request returns a copy.
Image pil_resize_bilinear(const Image& in, int height, int width);

// torchvision Pad(padding, fill=0): black borders of left, top, right, bottom pixels.
Image pad_black(const Image& in, const std::array<int, 4>& left_top_right_bottom);

// torchvision CenterCrop((height, width)): pads with black first when the image is smaller
// (left/top get the smaller half), then crops at round((size - crop) / 2) with Python's
// round-half-to-even.
Image center_crop(const Image& in, int height, int width);

}  // namespace npu::data
