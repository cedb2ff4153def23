// IDX files (the MNIST / Fashion-MNIST container), plain or gzip-compressed: unsigned-byte
// image files (magic 0x00000803, [n][rows][cols]) and label files (0x00000801, [n]).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sw/data/dataset.h"

namespace npu::data {

struct IdxImages {
  int count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> pixels;  // [count][rows][cols]
};

// Both readers accept gzip or uncompressed files (zlib reads either) and throw DataError
// naming the file for: unreadable or corrupt gzip data, wrong magic number, zero
// dimensions, fewer bytes than the header declares (truncated) or bytes left over.
IdxImages read_idx_images(const std::string& path);
std::vector<uint8_t> read_idx_labels(const std::string& path);

// Reads both files and checks that they hold the same number of items and, if num_classes
// > 0, that every label is below it. The images get channels = 1.
Dataset load_idx_dataset(const std::string& images_path, const std::string& labels_path,
                         int num_classes = 0);

// Writers, for tests and for exporting slices; gzip-compressed when `gzip` is true.
void write_idx_images(const std::string& path, const IdxImages& images, bool gzip);
void write_idx_labels(const std::string& path, const std::vector<uint8_t>& labels, bool gzip);

}  // namespace npu::data
