#include "sw/data/dataset.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace npu::data {

Image Dataset::image(std::size_t i) const {
  if (i >= size()) {
    throw std::out_of_range("image " + std::to_string(i) + " of dataset '" + name + "' (it has " +
                            std::to_string(size()) + ")");
  }
  Image img(height, width, channels);
  std::copy_n(image_data(i), image_bytes(), img.pixels.begin());
  return img;
}

}  // namespace npu::data
