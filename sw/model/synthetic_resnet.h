// ResNet-18 with deterministic synthetic weights and calibrated activation scales: the
// size and shape of a real deployment, reproducible from a seed on any platform.
#pragma once

#include <cstdint>

#include "sw/model/network.h"

namespace npu::model {

Network make_resnet18_cifar(uint64_t seed);  // 32x32x3 input, 10 classes
Network make_resnet18_imagenet(
    uint64_t seed);  // 224x224x3, 7x7/s2/p3 stem + 3x3/s2/p1 max pool, 1000 classes

enum class ResNetShape { kCifar, kImageNet };

// Calibration inputs the two functions above use.
constexpr int kResNetCalibrationInputs = 3;

// The general form. calibration_inputs = 0 skips calibration (no inference at all): every
// activation scale is then a placeholder (1.0) and the biases zero, which is enough for
// structure (shapes, MACs, parameters) but not for meaningful activations. The weights
// are the same for a given seed whatever calibration_inputs is.
Network make_resnet18(ResNetShape shape, uint64_t seed, int calibration_inputs);

}  // namespace npu::model
