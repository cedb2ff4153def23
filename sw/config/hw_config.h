// The hardware configuration (configs/*.yaml): one source for RTL parameters and for the
// driver's view of the hardware.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace npu::config {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The fields of configs/*.yaml. The defaults are configs/default.yaml (a test checks it), so a
// default-constructed HwConfig is a valid configuration.
struct HwConfig {
  std::string name = "default";
  int array_rows = 16;  // reduction dimension
  int array_cols = 16;  // output channels in parallel
  int activation_kib = 256;
  int weight_kib = 256;
  int accumulator_kib = 64;
  int ppu_max_channels = 1024;  // PPU parameter table entries (output channels of a layer)
  bool ppu_serial = false;      // one time-multiplexed PPU lane instead of one per column
  int axi_data_bits = 128;
  int axi_addr_bits = 32;
  int axi_id_bits = 4;
  int max_burst_beats = 256;
  int max_outstanding_reads = 8;
  double clock_mhz = 200.0;

  int macs_per_cycle() const { return array_rows * array_cols; }
  int bus_bytes_per_cycle() const { return axi_data_bits / 8; }
};

// Parses and validates; every error names the file and the field (e.g. "array.rows").
HwConfig load_hw_config(const std::string& yaml_path);

// Same, from YAML text; `source` names it in messages.
HwConfig parse_hw_config(const std::string& yaml_text, const std::string& source);

// Throws ConfigError naming `source` and the first out-of-range field.
void validate(const HwConfig& config, const std::string& source);

}  // namespace npu::config
