#include "sw/cli/tensor_file_inputs.h"

#include <fstream>
#include <iterator>
#include <vector>

#include "sw/data/data_error.h"

namespace npu::cli {
namespace {

class TensorFileInputs : public InputSet {
 public:
  TensorFileInputs(std::string path, std::vector<int8_t> bytes, const model::Network& net)
      : path_(std::move(path)), bytes_(std::move(bytes)), net_(net) {}
  std::size_t size() const override { return bytes_.size() / tensor_bytes(); }
  golden::Tensor input(std::size_t i) const override {
    golden::Tensor t(net_.input_shape, net_.input_quant);
    const auto first = bytes_.begin() + static_cast<std::ptrdiff_t>(i * tensor_bytes());
    std::copy(first, first + static_cast<std::ptrdiff_t>(tensor_bytes()), t.data.begin());
    return t;
  }
  std::string name(std::size_t i) const override { return path_ + " #" + std::to_string(i); }
  std::string description() const override { return path_; }

 private:
  std::size_t tensor_bytes() const { return net_.input_shape.elements(); }

  std::string path_;
  std::vector<int8_t> bytes_;
  const model::Network& net_;
};

}  // namespace

std::unique_ptr<InputSet> make_tensor_file_inputs(const std::string& path,
                                                  const model::Network& net) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw data::DataError("tensor file '" + path + "': cannot be opened");
  std::vector<char> raw((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) throw data::DataError("tensor file '" + path + "': read error");
  const std::size_t one = net.input_shape.elements();
  if (raw.empty() || raw.size() % one != 0) {
    throw data::DataError("tensor file '" + path + "': " + std::to_string(raw.size()) +
                          " bytes is not a whole number of " + golden::to_string(net.input_shape) +
                          " int8 input tensors (" + std::to_string(one) + " bytes each)");
  }
  std::vector<int8_t> bytes(raw.size());
  std::copy(raw.begin(), raw.end(), bytes.begin());
  return std::make_unique<TensorFileInputs>(path, std::move(bytes), net);
}

}  // namespace npu::cli
