#include "sw/compiler/target.h"

namespace npu::compiler {

Target Target::from_config(const config::HwConfig& c) {
  if (c.array_rows != c.array_cols) {
    throw config::ConfigError("hardware config '" + c.name + "': array.rows (" +
                              std::to_string(c.array_rows) + ") must equal array.cols (" +
                              std::to_string(c.array_cols) +
                              "): an output word is the next layer's input word");
  }
  Target t;
  t.name = c.name;
  t.rows = c.array_rows;
  t.cols = c.array_cols;
  t.act_depth = c.activation_kib * 1024 / 2 / c.array_rows;
  t.wgt_depth = c.weight_kib * 1024 / 2 / c.array_cols;
  t.acc_depth = c.accumulator_kib * 1024 / 2 / (c.array_cols * 4);
  t.clock_mhz = c.clock_mhz;
  return t;
}

}  // namespace npu::compiler
