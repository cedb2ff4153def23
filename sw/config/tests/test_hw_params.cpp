// HwParams::from_config, the one derivation of the sizes software uses (compiler::Target and
// runtime::DeviceParams are HwParams), on the shipped configs; values worked out by hand from
// the YAML files.
#include <gtest/gtest.h>

#include <string>

#include "sw/config/hw_params.h"

namespace npu::config {
namespace {

HwParams params_of(const std::string& name) {
  return HwParams::from_config(load_hw_config(std::string(NPU_CONFIGS_DIR) + "/" + name + ".yaml"));
}

TEST(HwParams, Default) {
  const HwParams p = params_of("default");
  EXPECT_EQ(p.name, "default");
  EXPECT_EQ(p.rows, 16);
  EXPECT_EQ(p.cols, 16);
  EXPECT_EQ(p.act_depth, 8192);  // 256 KiB / 2 banks / 16 bytes
  EXPECT_EQ(p.wgt_depth, 8192);  // 256 KiB / 2 / 16
  EXPECT_EQ(p.acc_depth, 512);   // 64 KiB / 2 / (16 x 4)
  EXPECT_EQ(p.ppu_channels, 1024);
  EXPECT_FALSE(p.ppu_serial);
  EXPECT_EQ(p.addr_bits, 32);
  EXPECT_EQ(p.id_bits, 4);
  EXPECT_DOUBLE_EQ(p.clock_mhz, 200.0);
  EXPECT_EQ(p.bus_bytes(), 16);
  EXPECT_EQ(p.macs_per_cycle(), 256);
  EXPECT_EQ(p.record_words(), 1);
}

TEST(HwParams, MediumSmallFpga) {
  const HwParams m = params_of("medium");
  EXPECT_EQ(m.rows, 8);
  EXPECT_EQ(m.act_depth, 8192);  // 128 KiB / 2 / 8
  EXPECT_EQ(m.wgt_depth, 8192);  // 128 KiB / 2 / 8
  EXPECT_EQ(m.acc_depth, 512);   // 32 KiB / 2 / 32
  EXPECT_EQ(m.record_words(), 2);
  const HwParams s = params_of("small");
  EXPECT_EQ(s.rows, 4);
  EXPECT_EQ(s.act_depth, 4096);  // 32 KiB / 2 / 4
  EXPECT_EQ(s.wgt_depth, 2048);  // 16 KiB / 2 / 4
  EXPECT_EQ(s.acc_depth, 256);   // 8 KiB / 2 / 16
  EXPECT_EQ(s.record_words(), 4);
  const HwParams f = params_of("fpga");
  EXPECT_EQ(f.act_depth, 256);
  EXPECT_EQ(f.wgt_depth, 256);
  EXPECT_EQ(f.acc_depth, 64);
  EXPECT_EQ(f.ppu_channels, 16);
  EXPECT_TRUE(f.ppu_serial);
  EXPECT_DOUBLE_EQ(f.clock_mhz, 12.0);
}

// A default-constructed HwParams is the default config's, not a blank or invalid one.
TEST(HwParams, DefaultConstructedIsTheDefaultConfig) {
  const HwParams d;
  const HwParams y = params_of("default");
  EXPECT_EQ(d.name, y.name);
  EXPECT_EQ(d.rows, y.rows);
  EXPECT_EQ(d.act_depth, y.act_depth);
  EXPECT_EQ(d.wgt_depth, y.wgt_depth);
  EXPECT_EQ(d.acc_depth, y.acc_depth);
  EXPECT_EQ(d.ppu_channels, y.ppu_channels);
}

TEST(HwParams, RejectsANonSquareArray) {
  HwConfig c;
  c.name = "wide";
  c.array_cols = 32;
  try {
    HwParams::from_config(c);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("'wide': array.rows (16) must equal array.cols (32)"),
              std::string::npos)
        << e.what();
  }
}

TEST(HwParams, RejectsAnInvalidConfig) {
  HwConfig c;
  c.axi_data_bits = 64;  // 16 rows need 128
  EXPECT_THROW(HwParams::from_config(c), ConfigError);
}

}  // namespace
}  // namespace npu::config
