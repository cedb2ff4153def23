#include "tb/array/array_scenario.h"

#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace npu::tb::array {
namespace {

// Hex text of a little-endian bit string (bit 0 = LSB of bits[0]) for $readmemh.
std::string hex_line(const std::vector<bool>& bits) {
  const std::size_t digits = (bits.size() + 3) / 4;
  std::string text(digits, '0');
  for (std::size_t d = 0; d < digits; ++d) {
    int nibble = 0;
    for (int b = 0; b < 4; ++b) {
      const std::size_t i = d * 4 + b;
      if (i < bits.size() && bits[i]) nibble |= 1 << b;
    }
    text[digits - 1 - d] = "0123456789abcdef"[nibble];
  }
  return text;
}

void append(std::vector<bool>& bits, uint32_t value, int width) {
  for (int i = 0; i < width; ++i) bits.push_back(((value >> i) & 1U) != 0);
}

std::ofstream open_out(const std::string& path) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error(path + ": cannot open for writing");
  return out;
}

}  // namespace

std::vector<int32_t> reference_tile(const ArrayTile& tile, ArrayShape shape) {
  std::vector<int32_t> out(static_cast<std::size_t>(tile.m) * shape.cols, 0);
  for (int i = 0; i < tile.m; ++i) {
    for (int n = 0; n < shape.cols; ++n) {
      int32_t sum = 0;
      for (int k = 0; k < shape.rows; ++k) {
        sum += int32_t{tile.acts[static_cast<std::size_t>(i) * shape.rows + k]} *
               int32_t{tile.weights[static_cast<std::size_t>(k) * shape.cols + n]};
      }
      out[static_cast<std::size_t>(i) * shape.cols + n] = sum;
    }
  }
  return out;
}

ArrayTile random_tile(std::mt19937_64& rng, ArrayShape shape, int m, int k_used, int n_used) {
  std::uniform_int_distribution<int> weight(-127, 127);
  std::uniform_int_distribution<int> act(-128, 127);
  ArrayTile tile;
  tile.m = m;
  tile.weights.assign(static_cast<std::size_t>(shape.rows) * shape.cols, 0);
  tile.acts.assign(static_cast<std::size_t>(m) * shape.rows, 0);
  for (int k = 0; k < k_used; ++k) {
    for (int n = 0; n < n_used; ++n) {
      tile.weights[static_cast<std::size_t>(k) * shape.cols + n] = static_cast<int8_t>(weight(rng));
    }
  }
  for (int i = 0; i < m; ++i) {
    for (int k = 0; k < k_used; ++k) {
      tile.acts[static_cast<std::size_t>(i) * shape.rows + k] = static_cast<int8_t>(act(rng));
    }
  }
  return tile;
}

void export_vectors(const std::string& dir, ArrayShape shape, const std::vector<ArrayTile>& tiles) {
  std::size_t vectors = 0;
  {
    std::ofstream w = open_out(dir + "/weights.memh");
    std::ofstream a = open_out(dir + "/acts.memh");
    std::ofstream e = open_out(dir + "/expected.memh");
    for (const ArrayTile& tile : tiles) {
      for (int beat = 0; beat < shape.rows; ++beat) {
        std::vector<bool> bits;
        const int row = beat_row(shape, beat);
        for (int n = 0; n < shape.cols; ++n) {
          append(bits,
                 static_cast<uint8_t>(tile.weights[static_cast<std::size_t>(row) * shape.cols + n]),
                 8);
        }
        w << hex_line(bits) << "\n";
      }
      const std::vector<int32_t> expected = reference_tile(tile, shape);
      for (int i = 0; i < tile.m; ++i) {
        std::vector<bool> bits;
        for (int k = 0; k < shape.rows; ++k) {
          append(bits,
                 static_cast<uint8_t>(tile.acts[static_cast<std::size_t>(i) * shape.rows + k]), 8);
        }
        append(bits, i == 0 ? 1 : 0, 1);           // first
        append(bits, i == tile.m - 1 ? 1 : 0, 1);  // last
        a << hex_line(bits) << "\n";

        std::vector<bool> out_bits;
        for (int n = 0; n < shape.cols; ++n) {
          append(out_bits,
                 static_cast<uint32_t>(expected[static_cast<std::size_t>(i) * shape.cols + n]), 32);
        }
        append(out_bits, i == tile.m - 1 ? 1 : 0, 1);
        e << hex_line(out_bits) << "\n";
        ++vectors;
      }
    }
    for (std::ofstream* f : {&w, &a, &e}) {
      f->flush();
      if (!*f) throw std::runtime_error(dir + ": write error in the vector files");
    }
  }
  std::ofstream counts = open_out(dir + "/counts.memh");
  counts << std::hex << tiles.size() * static_cast<std::size_t>(shape.rows) << "\n"
         << vectors << "\n"
         << vectors << "\n";
  if (!counts) throw std::runtime_error(dir + "/counts.memh: write error");
}

}  // namespace npu::tb::array
