#include "sw/runtime/verilator_device.h"

namespace npu::runtime {

// One declaration per model (generated from verilator_model.cpp.in by sw/runtime/CMakeLists).
namespace models {
#define NPU_RUNTIME_MODEL(cfg) VerilatorModelInfo model_##cfg();
#include "verilator_models.inc"
#undef NPU_RUNTIME_MODEL
}  // namespace models

std::vector<VerilatorModelInfo> verilator_models() {
  return {
#define NPU_RUNTIME_MODEL(cfg) models::model_##cfg(),
#include "verilator_models.inc"
#undef NPU_RUNTIME_MODEL
  };
}

namespace {

bool same_sizes(const DeviceParams& a, const DeviceParams& b) {
  return a.rows == b.rows && a.act_depth == b.act_depth && a.wgt_depth == b.wgt_depth &&
         a.acc_depth == b.acc_depth && a.ppu_channels == b.ppu_channels &&
         a.ppu_serial == b.ppu_serial && a.addr_bits == b.addr_bits && a.id_bits == b.id_bits;
}

std::string describe(const DeviceParams& p) {
  return p.name + " (" + std::to_string(p.rows) + "x" + std::to_string(p.rows) + ", banks " +
         std::to_string(p.act_depth) + "/" + std::to_string(p.wgt_depth) + "/" +
         std::to_string(p.acc_depth) + " words)";
}

}  // namespace

std::unique_ptr<Device> make_verilator_device(const config::HwConfig& hw,
                                              const VerilatorOptions& options) {
  const DeviceParams want = DeviceParams::from_config(hw);
  VerilatorOptions o = options;
  if (o.trace.clock_mhz == 0) o.trace.clock_mhz = hw.clock_mhz;
  const std::vector<VerilatorModelInfo> all = verilator_models();
  for (const VerilatorModelInfo& m : all) {
    if (m.params.name == want.name && same_sizes(m.params, want)) return m.make(m.params, o);
  }
  for (const VerilatorModelInfo& m : all) {
    if (same_sizes(m.params, want)) return m.make(m.params, o);
  }
  std::string have;
  for (const VerilatorModelInfo& m : all) have += (have.empty() ? "" : ", ") + describe(m.params);
  throw DeviceError("verilator device: no npu_top model built for hardware config " +
                    describe(want) + "; built: " + have);
}

}  // namespace npu::runtime
