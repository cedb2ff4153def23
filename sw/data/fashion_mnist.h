// Fashion-MNIST (Zalando; Debian package dataset-fashion-mnist): 28x28 gray, 10 classes.
#pragma once

#include <string>
#include <vector>

#include "sw/data/dataset.h"

namespace npu::data {

// "T-shirt/top", "Trouser", ..., "Ankle boot", in label order.
std::vector<std::string> fashion_mnist_classes();

// $NPU_FASHION_MNIST_DIR if set and non-empty, else the directory configured at build time
// (CMake cache variable NPU_FASHION_MNIST_DIR).
std::string fashion_mnist_dir();

// split is "train" (60,000 images) or "test" (10,000). Reads
// {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz from dir (or the uncompressed files if
// the .gz ones are absent). The dataset is named "fashion-mnist-<split>".
Dataset load_fashion_mnist(const std::string& dir, const std::string& split);
Dataset load_fashion_mnist(const std::string& split);

}  // namespace npu::data
