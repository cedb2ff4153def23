// Small calibrated networks for the layer forms beyond ResNet's (docs/driver.md, "What
// compiles"): any input channel count, a fully connected layer on an H x W x C input, a global
// average pool larger than one input region. Synthetic weights from a seed, activation scales
// calibrated on random inputs, so every layer's outputs span the int8 range.
#pragma once

#include <cstdint>

#include "sw/model/network.h"

namespace npu::runtime::test {

// 17x19x7 input -> conv 3x3/p1 to 4 channels, ReLU -> FC 10 on 17x19x4 (323 words per
// channel group: read as a 1x2 image of 162 words, the last word past the tensor) -> FC 6.
model::Network seven_channels_fc_on_image(uint64_t seed);

// 24x24x8 input -> conv 1x1 to 240 channels, ReLU -> global average pool (576 pixels x 240
// channels: 8640 words at 16x16, more than an input region of every config) -> FC 10.
model::Network wide_global_average(uint64_t seed);

// 4x256x8 input -> conv 1x1 to 256 channels, ReLU -> max pool 3x3/s2/p1 (one output row
// reads 3 x 256 pixels: 12288 words at 16x16, split by channel groups at every config) ->
// global average pool -> FC 10.
model::Network wide_max_pool(uint64_t seed);

}  // namespace npu::runtime::test
