#include "sw/data/named_dataset.h"

#include "sw/data/data_error.h"
#include "sw/data/fashion_mnist.h"

namespace npu::data {

std::vector<std::string> dataset_names() { return {"fashion-mnist-test", "fashion-mnist-train"}; }

Dataset load_named_dataset(const std::string& name) {
  if (name == "fashion-mnist-test") return load_fashion_mnist("test");
  if (name == "fashion-mnist-train") return load_fashion_mnist("train");
  std::string known;
  for (const std::string& n : dataset_names()) known += (known.empty() ? "" : ", ") + n;
  throw DataError("unknown dataset '" + name + "' (known: " + known + ")");
}

}  // namespace npu::data
