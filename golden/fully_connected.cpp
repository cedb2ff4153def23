#include "golden/fully_connected.h"

#include <stdexcept>
#include <string>

namespace npu::golden {

Tensor fully_connected(const Tensor& in, const ConvWeights& w, QuantParams output, bool relu) {
  validate_tensor(in, "fully_connected input");
  if (w.kernel_h != 1 || w.kernel_w != 1) {
    throw std::invalid_argument("fully_connected: weights kernel must be 1x1, got " +
                                std::to_string(w.kernel_h) + "x" + std::to_string(w.kernel_w));
  }
  const int features = in.shape.h * in.shape.w * in.shape.c;
  if (w.in_channels != features) {
    throw std::invalid_argument("fully_connected: weights.in_channels (" +
                                std::to_string(w.in_channels) + ") differs from h*w*c (" +
                                std::to_string(features) + ") of input " + to_string(in.shape));
  }
  // NHWC memory order already is the (h, w, c) flatten order: a 1x1 conv over [n, 1, 1, h*w*c].
  Tensor flat = in;
  flat.shape = Shape{in.shape.n, 1, 1, features};
  try {
    return conv2d(flat, w, ConvGeometry{}, output, relu);
  } catch (const std::overflow_error& e) {
    throw std::overflow_error(std::string("fully_connected: ") + e.what());
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("fully_connected: ") + e.what());
  }
}

}  // namespace npu::golden
