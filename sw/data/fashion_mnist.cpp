#include "sw/data/fashion_mnist.h"

#include <cstdlib>
#include <filesystem>
#include <string>

#include "sw/data/data_error.h"
#include "sw/data/idx_file.h"

#ifndef NPU_FASHION_MNIST_DIR
#error "NPU_FASHION_MNIST_DIR must be defined by the build"
#endif

namespace npu::data {
namespace {

std::string find_file(const std::string& dir, const std::string& stem) {
  namespace fs = std::filesystem;
  const fs::path gz = fs::path(dir) / (stem + ".gz");
  if (fs::exists(gz)) return gz.string();
  const fs::path plain = fs::path(dir) / stem;
  if (fs::exists(plain)) return plain.string();
  throw DataError("Fashion-MNIST file '" + gz.string() + "' not found (nor '" + plain.string() +
                  "'); install the Debian package dataset-fashion-mnist or set "
                  "NPU_FASHION_MNIST_DIR");
}

}  // namespace

std::vector<std::string> fashion_mnist_classes() {
  return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
}

std::string fashion_mnist_dir() {
  const char* env = std::getenv("NPU_FASHION_MNIST_DIR");
  if (env && *env) return env;
  return NPU_FASHION_MNIST_DIR;
}

Dataset load_fashion_mnist(const std::string& dir, const std::string& split) {
  std::string prefix;
  if (split == "train") {
    prefix = "train";
  } else if (split == "test") {
    prefix = "t10k";
  } else {
    throw DataError("unknown Fashion-MNIST split '" + split + "' (expected train or test)");
  }
  const std::vector<std::string> classes = fashion_mnist_classes();
  const std::string images = find_file(dir, prefix + "-images-idx3-ubyte");
  const std::string labels = find_file(dir, prefix + "-labels-idx1-ubyte");
  Dataset ds = load_idx_dataset(images, labels, static_cast<int>(classes.size()));
  if (ds.height != 28 || ds.width != 28) {
    throw DataError("Fashion-MNIST " + split + " images in '" + dir + "' are " +
                    std::to_string(ds.height) + "x" + std::to_string(ds.width) +
                    ", expected 28x28");
  }
  ds.name = "fashion-mnist-" + split;
  ds.class_names = classes;
  return ds;
}

Dataset load_fashion_mnist(const std::string& split) {
  return load_fashion_mnist(fashion_mnist_dir(), split);
}

}  // namespace npu::data
