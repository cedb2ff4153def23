// A fully connected layer on an H x W x C input as a conv the datapath runs. The input's word
// layout in DRAM (tensor_layout.h: H * W pixels of G = ceil(C / rows) words) is read as a
// virtual image of `kernel_h` x `kernel_w` pixels of `groups` words each, and the conv's kernel
// covers that whole image (one output pixel). Word n of the flat sequence is tap n / groups,
// channel group n % groups of the virtual image, which is exactly the K order the conv packs
// (docs/architecture.md, "K ordering"), so the flatten order (h, w, c) of the model format is
// kept. Weights for the lanes past C of every pixel word, and for the words past the tensor
// when the virtual image has more words than the tensor, are 0: whatever those lanes hold
// contributes nothing, so the result is the reference's exactly.
#pragma once

#include <cstdint>
#include <optional>

#include "golden/conv2d.h"
#include "golden/tensor.h"

namespace npu::compiler {

struct FcView {
  int kernel_h = 1, kernel_w = 1;  // virtual image = kernel, at most 7 x 7
  int groups = 1;                  // words per virtual pixel, at most 255
  int64_t words() const { return int64_t{kernel_h} * kernel_w * groups; }
};

// The view with the fewest words (weight words per N-tile / rows) that holds the `in`
// tensor's words, or nullopt if none exists (more than 49 * 255 words).
std::optional<FcView> fc_view(const golden::Shape& in, int rows);

// The FC weights [out][h * w * c] as conv weights [out][kernel_h][kernel_w][groups * rows]
// of `view`, with the zero weights described above.
golden::ConvWeights fc_view_weights(const golden::ConvWeights& fc, const golden::Shape& in,
                                    const FcView& view, int rows);

}  // namespace npu::compiler
