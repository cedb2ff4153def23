// The images of one run, whatever their source, as quantized network inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "golden/tensor.h"
#include "sw/cli/run_options.h"
#include "sw/model/network.h"

namespace npu::cli {

class InputSet {
 public:
  virtual ~InputSet() = default;
  virtual std::size_t size() const = 0;
  // Safe to call from several threads at once. Throws data::DataError.
  virtual golden::Tensor input(std::size_t i) const = 0;
  virtual std::optional<int> label(std::size_t /*i*/) const { return std::nullopt; }
  // E.g. "cat.png", "fashion-mnist-test #17", "random #3 (seed 1)".
  virtual std::string name(std::size_t i) const = 0;
  // Position of image i in its whole source (the dataset index; i otherwise), and that
  // source's size: how --compare-predictions lines up a full-dataset predictions file.
  virtual std::size_t source_index(std::size_t i) const { return i; }
  virtual std::size_t source_size() const { return size(); }
  virtual std::string description() const = 0;  // for the summary and the report
  virtual bool has_labels() const { return false; }
  virtual std::vector<std::string> class_names() const { return {}; }
};

// Builds the input set the options ask for, checking everything that can be checked
// before running: files readable and decodable, dataset present, --first/--count within
// it. Notes about conversions (resizing, channel changes) go to `notes`. Throws
// data::DataError or UsageError.
std::unique_ptr<InputSet> make_input_set(const RunOptions& options, const model::Network& net,
                                         std::ostream& notes);

// Writes input(0), input(1), ... as raw int8 bytes (NHWC) to `path` (--dump-input).
// Throws data::DataError if the file cannot be written.
void write_input_tensors(const InputSet& inputs, const std::string& path);

}  // namespace npu::cli
