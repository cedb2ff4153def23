#include "sw/cli/predictions_file.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace npu::cli {

void write_predictions(const std::string& path, const std::vector<int>& classes) {
  std::ofstream f(path);
  if (!f) {
    throw std::runtime_error("cannot create predictions file '" + path +
                             "': " + std::strerror(errno));
  }
  for (int c : classes) f << c << "\n";
  if (!f.flush()) throw std::runtime_error("error writing predictions file '" + path + "'");
}

std::vector<int> read_predictions(const std::string& path) {
  std::ifstream f(path);
  if (!f) {
    throw std::runtime_error("cannot open predictions file '" + path +
                             "': " + std::strerror(errno));
  }
  std::vector<int> out;
  std::string line;
  for (int number = 1; std::getline(f, line); ++number) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.pop_back();
    }
    if (!line.empty() && line[0] == '#') continue;
    int value = -1;
    const char* end = line.data() + line.size();
    const auto [ptr, ec] = std::from_chars(line.data(), end, value);
    if (line.empty() || ec != std::errc() || ptr != end || value < 0) {
      throw std::runtime_error("predictions file '" + path + "' line " + std::to_string(number) +
                               ": expected a class index, got '" + line + "'");
    }
    out.push_back(value);
  }
  if (f.bad()) throw std::runtime_error("error reading predictions file '" + path + "'");
  return out;
}

PredictionComparison compare_predictions(const std::vector<int>& ours,
                                         const std::vector<std::size_t>& source_index,
                                         std::size_t source_size, const std::vector<int>& theirs,
                                         const std::string& their_file, std::size_t max_listed) {
  const bool per_run = theirs.size() == ours.size();
  if (!per_run && theirs.size() != source_size) {
    throw std::runtime_error(
        "predictions file '" + their_file + "' has " + std::to_string(theirs.size()) +
        " lines; expected one per image of this run (" + std::to_string(ours.size()) +
        ") or of the whole source (" + std::to_string(source_size) + ")");
  }
  PredictionComparison cmp;
  for (std::size_t i = 0; i < ours.size(); ++i) {
    const std::size_t src = source_index.at(i);
    const int other = theirs.at(per_run ? i : src);
    ++cmp.compared;
    if (other == ours[i]) {
      ++cmp.agreeing;
    } else {
      ++cmp.differing_total;
      if (cmp.differing.size() < max_listed) cmp.differing.push_back(src);
    }
  }
  return cmp;
}

}  // namespace npu::cli
