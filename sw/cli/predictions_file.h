// Files of predicted classes, one integer per line, as written by --predictions-out and by
// the PyTorch scripts; and the top-1 comparison of two runs.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace npu::cli {

void write_predictions(const std::string& path, const std::vector<int>& classes);

// Lines starting with '#' are comments. Throws std::runtime_error naming the file and the
// line of anything else that is not a non-negative integer.
std::vector<int> read_predictions(const std::string& path);

struct PredictionComparison {
  std::size_t compared = 0;
  std::size_t agreeing = 0;
  std::vector<std::size_t> differing;  // source indices, ascending, at most max_listed
  std::size_t differing_total = 0;
};

// ours[i] is compared with theirs[source_index[i]]: theirs is either one line per image of
// this run (source_index[i] == i) or one per image of the whole dataset. Throws
// std::runtime_error naming `their_file` if neither fits.
PredictionComparison compare_predictions(const std::vector<int>& ours,
                                         const std::vector<std::size_t>& source_index,
                                         std::size_t source_size, const std::vector<int>& theirs,
                                         const std::string& their_file,
                                         std::size_t max_listed = 20);

}  // namespace npu::cli
