#include "sw/cli/input_set.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>

#include "sw/cli/tensor_file_inputs.h"
#include "sw/data/data_error.h"
#include "sw/data/image_file.h"
#include "sw/data/input_quantization.h"
#include "sw/data/named_dataset.h"
#include "sw/data/preprocess.h"

namespace npu::cli {
namespace {

std::string shape_text(int h, int w, int c) {
  return std::to_string(h) + "x" + std::to_string(w) + "x" + std::to_string(c);
}

// Image files are decoded up front so that a bad file stops the run before it starts.
class ImageFileInputs : public InputSet {
 public:
  ImageFileInputs(const std::vector<std::string>& paths, const model::Network& net,
                  const std::string& model_file, std::ostream& notes)
      : paths_(paths) {
    const golden::Shape& s = net.input_shape;
    for (const std::string& path : paths) {
      if (!net.preprocess.empty()) {
        const data::Image raw = data::load_image_file_like_pil(path);
        notes << "note: " << path << " is " << shape_text(raw.height, raw.width, raw.channels)
              << ", preprocessed by the model's list to " << shape_text(s.h, s.w, s.c) << "\n";
        tensors_.push_back(data::preprocess_image(raw, net, model_file));
        continue;
      }
      const data::Image raw = data::load_image_file(path);
      if (raw.height != s.h || raw.width != s.w || raw.channels != s.c) {
        notes << "note: " << path << " is " << shape_text(raw.height, raw.width, raw.channels)
              << ", converted to the model input " << shape_text(s.h, s.w, s.c) << "\n";
      }
      data::Image fitted;
      try {
        fitted = data::fit_image(raw, s.h, s.w, s.c);
      } catch (const data::DataError& e) {
        throw data::DataError("image '" + path + "': " + e.what());
      }
      tensors_.push_back(data::quantize_image(fitted, net));
    }
  }
  std::size_t size() const override { return tensors_.size(); }
  golden::Tensor input(std::size_t i) const override { return tensors_.at(i); }
  std::string name(std::size_t i) const override { return paths_.at(i); }
  std::string description() const override {
    return paths_.size() == 1 ? paths_[0] : "image files";
  }

 private:
  std::vector<std::string> paths_;
  std::vector<golden::Tensor> tensors_;
};

class DatasetInputs : public InputSet {
 public:
  DatasetInputs(data::Dataset ds, std::size_t first, std::size_t count, const model::Network& net,
                const std::string& model_file)
      : ds_(std::move(ds)), first_(first), count_(count), net_(net), model_file_(model_file) {}
  std::size_t size() const override { return count_; }
  golden::Tensor input(std::size_t i) const override {
    const golden::Shape& s = net_.input_shape;
    try {
      if (!net_.preprocess.empty()) {
        return data::preprocess_image(ds_.image(first_ + i), net_, model_file_);
      }
      return data::quantize_image(data::fit_image(ds_.image(first_ + i), s.h, s.w, s.c), net_);
    } catch (const data::DataError& e) {
      throw data::DataError(name(i) + ": " + e.what());
    }
  }
  std::optional<int> label(std::size_t i) const override {
    if (!ds_.has_labels()) return std::nullopt;
    return ds_.labels.at(first_ + i);
  }
  std::string name(std::size_t i) const override {
    return ds_.name + " #" + std::to_string(first_ + i);
  }
  std::size_t source_index(std::size_t i) const override { return first_ + i; }
  std::size_t source_size() const override { return ds_.size(); }
  std::string description() const override {
    return ds_.name + " [" + std::to_string(first_) + ", " + std::to_string(first_ + count_) + ")";
  }
  bool has_labels() const override { return ds_.has_labels(); }
  std::vector<std::string> class_names() const override { return ds_.class_names; }

 private:
  data::Dataset ds_;
  std::size_t first_, count_;
  const model::Network& net_;
  std::string model_file_;
};

class RandomInputs : public InputSet {
 public:
  RandomInputs(std::size_t count, uint64_t seed, const model::Network& net)
      : count_(count), seed_(seed), net_(net) {}
  std::size_t size() const override { return count_; }
  golden::Tensor input(std::size_t i) const override { return data::random_input(net_, seed_, i); }
  std::string name(std::size_t i) const override {
    return "random #" + std::to_string(i) + " (seed " + std::to_string(seed_) + ")";
  }
  std::string description() const override {
    return "random input (seed " + std::to_string(seed_) + ")";
  }

 private:
  std::size_t count_;
  uint64_t seed_;
  const model::Network& net_;
};

// Images and datasets are converted to the model input; random tensors need no conversion
// and feed any channel count.
void require_image_channels(const model::Network& net) {
  const int c = net.input_shape.c;
  if (c == 1 || c == 3) return;
  throw data::DataError("model input has " + std::to_string(c) +
                        " channels; images can only feed 1-channel (gray) or 3-channel (RGB) "
                        "inputs (--random and --tensors feed any channel count)");
}

}  // namespace

std::unique_ptr<InputSet> make_input_set(const RunOptions& options, const model::Network& net,
                                         std::ostream& notes) {
  // Raw tensors need no image conversion, so they feed any channel count.
  if (options.input == InputKind::kTensors) return make_tensor_file_inputs(options.tensors, net);
  const golden::Shape& s = net.input_shape;
  switch (options.input) {
    case InputKind::kImages:
      require_image_channels(net);
      return std::make_unique<ImageFileInputs>(options.images, net, options.model, notes);
    case InputKind::kDataset: {
      require_image_channels(net);
      data::Dataset ds = data::load_named_dataset(options.dataset);
      const auto total = static_cast<int64_t>(ds.size());
      if (options.first >= total) {
        throw data::DataError("--first " + std::to_string(options.first) + " is beyond " + ds.name +
                              " (" + std::to_string(total) + " images, 0.." +
                              std::to_string(total - 1) + ")");
      }
      const int64_t count = options.count.value_or(total - options.first);
      if (count > total - options.first) {
        throw data::DataError("--first " + std::to_string(options.first) + " --count " +
                              std::to_string(count) + " goes beyond " + ds.name + " (" +
                              std::to_string(total) + " images)");
      }
      if (!net.preprocess.empty()) {
        notes << "note: " << ds.name << " images are "
              << shape_text(ds.height, ds.width, ds.channels)
              << ", preprocessed by the model's list to " << shape_text(s.h, s.w, s.c) << "\n";
      } else if (ds.height != s.h || ds.width != s.w || ds.channels != s.c) {
        notes << "note: " << ds.name << " images are "
              << shape_text(ds.height, ds.width, ds.channels) << ", converted to the model input "
              << shape_text(s.h, s.w, s.c) << "\n";
      }
      return std::make_unique<DatasetInputs>(std::move(ds), static_cast<std::size_t>(options.first),
                                             static_cast<std::size_t>(count), net, options.model);
    }
    case InputKind::kRandom:
      return std::make_unique<RandomInputs>(static_cast<std::size_t>(options.random_count),
                                            options.seed, net);
    case InputKind::kTensors:  // returned above
    case InputKind::kNone:
      break;
  }
  throw UsageError(
      "missing input: give --image FILE, --dataset NAME, --random N or --tensors FILE");
}

void write_input_tensors(const InputSet& inputs, const std::string& path) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw data::DataError("cannot create '" + path + "': " + std::strerror(errno));
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const golden::Tensor t = inputs.input(i);
    f.write(reinterpret_cast<const char*>(t.data.data()),
            static_cast<std::streamsize>(t.data.size()));
  }
  f.close();
  if (!f) throw data::DataError("error writing '" + path + "'");
}

}  // namespace npu::cli
