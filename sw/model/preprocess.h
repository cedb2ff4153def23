// The image transforms a model records (format npu-model-2, docs/model-format.md): what
// the user's torchvision pipeline did to an image before the network saw it.
#pragma once

#include <array>
#include <vector>

namespace npu::model {

enum class PreprocessOp { kPad, kResize, kCenterCrop, kNormalize };

const char* preprocess_op_name(PreprocessOp op);  // the YAML spelling, e.g. "center_crop"

struct PreprocessStep {
  PreprocessOp op = PreprocessOp::kResize;
  std::array<int, 4> pad{};             // kPad: left, top, right, bottom (black pixels)
  int resize = 0;                       // kResize: the shorter side becomes this
  int crop_height = 0, crop_width = 0;  // kCenterCrop
  std::vector<double> mean, std;        // kNormalize: one per channel, as written
};

}  // namespace npu::model
