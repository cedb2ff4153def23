#include <gtest/gtest.h>

#include <string>

#include "sw/config/hw_config.h"

namespace npu::config {
namespace {

const std::string kValid = R"(format: npu-hw-1
name: t
array: {rows: 8, cols: 4}
buffers: {activation_kib: 64, weight_kib: 32, accumulator_kib: 16}
ppu: {max_channels: 256, serial: true}
axi: {data_bits: 64, addr_bits: 40, id_bits: 2, max_burst_beats: 16, max_outstanding_reads: 3}
clock_mhz: 125.5
)";

// Replaces the first occurrence of `from` in the valid config.
std::string with(const std::string& from, const std::string& to) {
  std::string text = kValid;
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

std::string error_of(const std::string& text) {
  try {
    parse_hw_config(text, "cfg.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(HwConfig, ParsesEveryField) {
  const HwConfig c = parse_hw_config(kValid, "cfg.yaml");
  EXPECT_EQ(c.name, "t");
  EXPECT_EQ(c.array_rows, 8);
  EXPECT_EQ(c.array_cols, 4);
  EXPECT_EQ(c.activation_kib, 64);
  EXPECT_EQ(c.weight_kib, 32);
  EXPECT_EQ(c.accumulator_kib, 16);
  EXPECT_EQ(c.ppu_max_channels, 256);
  EXPECT_TRUE(c.ppu_serial);
  EXPECT_EQ(c.axi_data_bits, 64);
  EXPECT_EQ(c.axi_addr_bits, 40);
  EXPECT_EQ(c.axi_id_bits, 2);
  EXPECT_EQ(c.max_burst_beats, 16);
  EXPECT_EQ(c.max_outstanding_reads, 3);
  EXPECT_DOUBLE_EQ(c.clock_mhz, 125.5);
  EXPECT_EQ(c.macs_per_cycle(), 32);
  EXPECT_EQ(c.bus_bytes_per_cycle(), 8);
}

TEST(HwConfig, ShippedConfigsLoad) {
  const HwConfig d = load_hw_config(NPU_CONFIGS_DIR "/default.yaml");
  EXPECT_EQ(d.array_rows, 16);
  EXPECT_EQ(d.array_cols, 16);
  EXPECT_EQ(d.axi_data_bits, 128);
  const HwConfig s = load_hw_config(NPU_CONFIGS_DIR "/small.yaml");
  EXPECT_EQ(s.array_rows, 4);
  EXPECT_EQ(s.array_cols, 4);
  const HwConfig m = load_hw_config(NPU_CONFIGS_DIR "/medium.yaml");
  EXPECT_EQ(m.array_rows, 8);
}

TEST(HwConfig, MissingFileNamesThePath) {
  EXPECT_THROW(
      {
        try {
          load_hw_config("/nonexistent/hw.yaml");
        } catch (const ConfigError& e) {
          EXPECT_NE(std::string(e.what()).find("/nonexistent/hw.yaml"), std::string::npos);
          throw;
        }
      },
      ConfigError);
}

struct BadCase {
  std::string from, to, expected_substring;
};

class HwConfigRejects : public ::testing::TestWithParam<BadCase> {};

TEST_P(HwConfigRejects, WithAMessageNamingFileAndField) {
  const BadCase& c = GetParam();
  const std::string message = error_of(with(c.from, c.to));
  EXPECT_NE(message.find("cfg.yaml"), std::string::npos) << message;
  EXPECT_NE(message.find(c.expected_substring), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    BadValues, HwConfigRejects,
    ::testing::Values(
        BadCase{"rows: 8", "rows: 6", "'array.rows': must be a power of two (got 6)"},
        BadCase{"rows: 8", "rows: 2", "'array.rows': must be in [4, 64] (got 2)"},
        BadCase{"rows: 8", "rows: 128", "'array.rows': must be in [4, 64]"},
        BadCase{"cols: 4", "cols: -4", "'array.cols'"},
        BadCase{"rows: 8", "rows: eight", "'array.rows': must be an integer (got 'eight')"},
        BadCase{"rows: 8", "rows: 8.5", "'array.rows': must be an integer"},
        BadCase{"rows: 8, ", "", "'array.rows': missing"},
        BadCase{"activation_kib: 64", "activation_kib: 0", "'buffers.activation_kib'"},
        BadCase{"weight_kib: 32", "weight_kib: 48", "'buffers.weight_kib': must be a power of two"},
        BadCase{"accumulator_kib: 16", "accumulator_kib: 32768", "'buffers.accumulator_kib'"},
        BadCase{"max_channels: 256", "max_channels: 4", "'ppu.max_channels': must be in [8,"},
        BadCase{"max_channels: 256", "max_channels: 96",
                "'ppu.max_channels': must be a power of two (got 96)"},
        BadCase{"serial: true", "serial: maybe", "'ppu.serial': must be true or false"},
        BadCase{"ppu: {max_channels: 256, serial: true}\n", "", "'ppu': missing"},
        BadCase{"data_bits: 64", "data_bits: 48", "'axi.data_bits'"},
        BadCase{"data_bits: 64", "data_bits: 1024", "'axi.data_bits': must be in [32, 512]"},
        BadCase{"data_bits: 64", "data_bits: 128", "'axi.data_bits': must be array.rows * 8 = 64"},
        BadCase{"addr_bits: 40", "addr_bits: 16", "'axi.addr_bits'"},
        BadCase{"id_bits: 2", "id_bits: 0", "'axi.id_bits'"},
        BadCase{"max_burst_beats: 16", "max_burst_beats: 512", "'axi.max_burst_beats'"},
        BadCase{"max_outstanding_reads: 3", "max_outstanding_reads: 0",
                "'axi.max_outstanding_reads'"},
        BadCase{"clock_mhz: 125.5", "clock_mhz: 0", "'clock_mhz': must be in (0, 2000]"},
        BadCase{"clock_mhz: 125.5", "clock_mhz: fast", "'clock_mhz': must be a number"},
        BadCase{"format: npu-hw-1", "format: npu-hw-2", "'format': must be 'npu-hw-1'"},
        BadCase{"name: t", "name: t\nrow: 3", "'row': unknown field"},
        BadCase{"array: {rows: 8, cols: 4}", "array: {rows: 8, cols: 4, depth: 2}",
                "'array.depth': unknown field"},
        BadCase{"array: {rows: 8, cols: 4}", "array: 16", "'array': must be a mapping"},
        BadCase{"buffers: {activation_kib: 64, weight_kib: 32, accumulator_kib: 16}\n", "",
                "'buffers': missing"},
        BadCase{"array: {rows: 8, cols: 4}", "array: {rows: 8, cols: [4",
                "malformed YAML at line"}));

TEST(HwConfig, WeightBankMustHoldATile) {
  std::string text = with("array: {rows: 8, cols: 4}", "array: {rows: 64, cols: 64}");
  text.replace(text.find("weight_kib: 32"), 14, "weight_kib: 4");
  const std::string message = error_of(text);
  EXPECT_NE(message.find("'buffers.weight_kib': one bank (2048 bytes) cannot hold a 64x64"),
            std::string::npos)
      << message;
}

// A default-constructed HwConfig is configs/default.yaml: valid, and the same in every field.
TEST(HwConfig, DefaultsAreTheDefaultYaml) {
  const HwConfig d;
  EXPECT_NO_THROW(validate(d, "HwConfig{}"));
  const HwConfig y = load_hw_config(NPU_CONFIGS_DIR "/default.yaml");
  EXPECT_EQ(d.name, y.name);
  EXPECT_EQ(d.array_rows, y.array_rows);
  EXPECT_EQ(d.array_cols, y.array_cols);
  EXPECT_EQ(d.activation_kib, y.activation_kib);
  EXPECT_EQ(d.weight_kib, y.weight_kib);
  EXPECT_EQ(d.accumulator_kib, y.accumulator_kib);
  EXPECT_EQ(d.ppu_max_channels, y.ppu_max_channels);
  EXPECT_EQ(d.ppu_serial, y.ppu_serial);
  EXPECT_EQ(d.axi_data_bits, y.axi_data_bits);
  EXPECT_EQ(d.axi_addr_bits, y.axi_addr_bits);
  EXPECT_EQ(d.axi_id_bits, y.axi_id_bits);
  EXPECT_EQ(d.max_burst_beats, y.max_burst_beats);
  EXPECT_EQ(d.max_outstanding_reads, y.max_outstanding_reads);
  EXPECT_DOUBLE_EQ(d.clock_mhz, y.clock_mhz);
}

TEST(HwConfig, EmptyOrNonMappingDocument) {
  EXPECT_NE(error_of("- 1\n- 2\n").find("top level must be a mapping"), std::string::npos);
  EXPECT_NE(error_of("").find("top level must be a mapping"), std::string::npos);
}

}  // namespace
}  // namespace npu::config
