// Stimulus and reference for npu_systolic_array, independent of any simulator: the Verilator
// bench runs it, and export_vectors() writes the same tiles for the Icarus testbench.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace npu::tb::array {

// One weight tile and the activation vectors that stream through it.
struct ArrayTile {
  int m = 0;                    // vectors (output pixels)
  std::vector<int8_t> weights;  // rows x cols, [k * cols + n]
  std::vector<int8_t> acts;     // m x rows, [i * rows + k]
};

struct ArrayShape {
  int rows = 0;
  int cols = 0;
};

// out[i * cols + n] = sum_k acts[i][k] * weights[k][n], plain int32 (the array's job).
std::vector<int32_t> reference_tile(const ArrayTile& tile, ArrayShape shape);

// Random tile with only the first k_used rows and n_used columns in use: weights elsewhere are
// zero (the padding a layer with K or N below the array size gets), activations of unused
// lanes are zero too. Weights in [-127, 127], activations in [-128, 127].
ArrayTile random_tile(std::mt19937_64& rng, ArrayShape shape, int m, int k_used, int n_used);

// Writes <dir>/counts.memh (weight beats, vectors, outputs), weights.memh (one beat per line,
// in the array's beat order), acts.memh ({last, first, data} per line) and expected.memh
// ({last, data} per line) for tb/array/array_tb.sv. Throws std::runtime_error naming the file.
void export_vectors(const std::string& dir, ArrayShape shape, const std::vector<ArrayTile>& tiles);

// The weight row carried by beat `beat` of a tile: bottom row first (see npu_systolic_array).
inline int beat_row(ArrayShape shape, int beat) { return shape.rows - 1 - beat; }

}  // namespace npu::tb::array
