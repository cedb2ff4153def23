#include "sw/compiler/fc_lowering.h"

#include "sw/compiler/tensor_layout.h"

namespace npu::compiler {
namespace {

constexpr int kMaxKernel = 7;    // COMPUTE kernel fields the compiler uses
constexpr int kMaxGroups = 255;  // 8-bit in_groups field

}  // namespace

std::optional<FcView> fc_view(const golden::Shape& in, int rows) {
  const int64_t tensor_words = int64_t{in.h} * in.w * word_groups(in.c, rows);
  std::optional<FcView> best;
  for (int g = kMaxGroups; g >= 1; --g) {
    const int64_t taps = (tensor_words + g - 1) / g;
    if (taps > int64_t{kMaxKernel} * kMaxKernel) break;  // fewer groups only need more taps
    for (int kh = 1; kh <= kMaxKernel; ++kh) {
      const int kw = static_cast<int>((taps + kh - 1) / kh);
      if (kw > kMaxKernel) continue;
      const FcView v{kh, kw, g};
      if (!best || v.words() < best->words()) best = v;
    }
  }
  return best;
}

golden::ConvWeights fc_view_weights(const golden::ConvWeights& fc, const golden::Shape& in,
                                    const FcView& view, int rows) {
  const int G = word_groups(in.c, rows);
  const int64_t tensor_words = int64_t{in.h} * in.w * G;
  const int64_t features = int64_t{in.h} * in.w * in.c;
  golden::ConvWeights w;
  w.out_channels = fc.out_channels;
  w.kernel_h = view.kernel_h;
  w.kernel_w = view.kernel_w;
  w.in_channels = view.groups * rows;
  w.bias = fc.bias;
  w.scales = fc.scales;
  const int64_t per_out = view.words() * rows;  // = kernel_h * kernel_w * in_channels
  w.data.assign(static_cast<size_t>(fc.out_channels * per_out), 0);
  for (int o = 0; o < fc.out_channels; ++o)
    for (int64_t n = 0; n < tensor_words; ++n)  // word n of the tensor = virtual word n
      for (int lane = 0; lane < rows; ++lane) {
        const int64_t pixel = n / G, c = (n % G) * rows + lane;
        if (c >= in.c) continue;
        w.data[static_cast<size_t>(o * per_out + n * rows + lane)] =
            fc.data[static_cast<size_t>(o * features + pixel * in.c + c)];
      }
  return w;
}

}  // namespace npu::compiler
