#include "sw/config/hw_params.h"

#include <cstdint>

namespace npu::config {
namespace {

// Bank words of `word_bytes`: each scratchpad is two banks. validate() bounds the sizes, so
// the products fit; the check keeps a future wider range from wrapping silently.
int bank_words(int kib, int word_bytes) {
  const int64_t words = int64_t{kib} * 1024 / 2 / word_bytes;
  if (words <= 0 || words > INT32_MAX) throw ConfigError("bank depth out of range");
  return static_cast<int>(words);
}

}  // namespace

HwParams::HwParams() : HwParams(from_config(HwConfig{})) {}

HwParams HwParams::from_config(const HwConfig& c) {
  validate(c, "hardware config '" + c.name + "'");
  if (c.array_rows != c.array_cols) {
    throw ConfigError("hardware config '" + c.name + "': array.rows (" +
                      std::to_string(c.array_rows) + ") must equal array.cols (" +
                      std::to_string(c.array_cols) +
                      "): an output word is the next layer's input word");
  }
  HwParams p{Blank{}};
  p.name = c.name;
  p.rows = c.array_rows;
  p.cols = c.array_cols;
  p.act_depth = bank_words(c.activation_kib, c.array_rows);
  p.wgt_depth = bank_words(c.weight_kib, c.array_cols);
  p.acc_depth = bank_words(c.accumulator_kib, 4 * c.array_cols);
  p.ppu_channels = c.ppu_max_channels;
  p.ppu_serial = c.ppu_serial;
  p.addr_bits = c.axi_addr_bits;
  p.id_bits = c.axi_id_bits;
  p.clock_mhz = c.clock_mhz;
  return p;
}

}  // namespace npu::config
