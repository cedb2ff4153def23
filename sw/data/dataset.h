// A labelled set of same-sized 8-bit images held contiguously in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sw/data/image.h"

namespace npu::data {

struct Dataset {
  std::string name;  // for messages and reports, e.g. "fashion-mnist-test"
  int height = 0, width = 0, channels = 0;
  std::vector<uint8_t> pixels;           // [n][h][w][c]
  std::vector<int> labels;               // [n], or empty when unlabelled
  std::vector<std::string> class_names;  // may be empty

  std::size_t image_bytes() const { return static_cast<std::size_t>(height) * width * channels; }
  std::size_t size() const { return image_bytes() == 0 ? 0 : pixels.size() / image_bytes(); }
  bool has_labels() const { return !labels.empty(); }
  const uint8_t* image_data(std::size_t i) const { return pixels.data() + i * image_bytes(); }
  Image image(std::size_t i) const;  // a copy; throws std::out_of_range
};

}  // namespace npu::data
