#include "sw/cli/model_source.h"

#include <filesystem>

#include "sw/model/model_loader.h"
#include "sw/model/synthetic_resnet.h"

namespace npu::cli {

std::vector<std::string> synthetic_model_names() { return {"resnet18-cifar", "resnet18-imagenet"}; }

bool is_synthetic_model(const std::string& model) {
  for (const std::string& name : synthetic_model_names()) {
    if (model == name) return true;
  }
  return false;
}

model::Network load_model(const std::string& model, uint64_t seed) {
  if (model == "resnet18-cifar") return model::make_resnet18_cifar(seed);
  if (model == "resnet18-imagenet") return model::make_resnet18_imagenet(seed);
  // Checked here so that a typo in a synthetic name gets a hint, not just "cannot open".
  std::error_code ec;
  if (!std::filesystem::is_regular_file(model, ec)) {
    std::string names;
    for (const std::string& n : synthetic_model_names()) names += (names.empty() ? "" : ", ") + n;
    throw model::ModelError("model file '" + model + "' not found (and not a synthetic " +
                            "network: " + names + ")");
  }
  return model::load_network(model);
}

}  // namespace npu::cli
