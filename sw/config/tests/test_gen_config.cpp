// The generated hardware headers carry the YAML's values (read by hand from configs/*.yaml),
// and the SV package of the same config says the same.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "npu_hw/default.h"
#include "npu_hw/small.h"
#include "sw/config/hw_config.h"

namespace {

namespace def = npu::hw::default_config;
namespace small = npu::hw::small_config;

TEST(GenConfig, DefaultHeaderHasTheYamlValues) {
  EXPECT_STREQ(def::kName, "default");
  EXPECT_EQ(def::kArrayRows, 16);
  EXPECT_EQ(def::kArrayCols, 16);
  EXPECT_EQ(def::kActivationKib, 256);
  EXPECT_EQ(def::kWeightKib, 256);
  EXPECT_EQ(def::kAccumulatorKib, 64);
  EXPECT_EQ(def::kActivationBankBytes, 128 * 1024);
  EXPECT_EQ(def::kWeightBankBytes, 128 * 1024);
  EXPECT_EQ(def::kAccumulatorBankBytes, 32 * 1024);
  EXPECT_EQ(def::kActivationBankDepth, 8192);  // 128 KiB / 16 bytes per word
  EXPECT_EQ(def::kWeightBankDepth, 8192);      // 128 KiB / 16 bytes per word
  EXPECT_EQ(def::kAccumulatorBankDepth, 512);  // 32 KiB / (16 x 4 bytes)
  EXPECT_EQ(def::kPpuMaxChannels, 1024);
  EXPECT_EQ(def::kPpuSerial, 0);
  EXPECT_EQ(def::kAxiDataBits, 128);  // one 16-byte scratchpad word per beat
  EXPECT_EQ(def::kAxiAddrBits, 32);
  EXPECT_EQ(def::kAxiIdBits, 4);
  EXPECT_EQ(def::kAxiMaxBurstBeats, 256);
  EXPECT_EQ(def::kAxiMaxOutstandingReads, 8);
  EXPECT_EQ(def::kClockKhz, 200000);
  EXPECT_DOUBLE_EQ(def::kClockMhz, 200.0);
}

TEST(GenConfig, SmallHeaderHasTheYamlValues) {
  EXPECT_STREQ(small::kName, "small");
  EXPECT_EQ(small::kArrayRows, 4);
  EXPECT_EQ(small::kArrayCols, 4);
  EXPECT_EQ(small::kWeightBankDepth, 2048);      // 8 KiB / 4 bytes
  EXPECT_EQ(small::kAccumulatorBankDepth, 256);  // 4 KiB / 16 bytes
}

TEST(GenConfig, HeaderAgreesWithTheLoader) {
  const auto c = npu::config::load_hw_config(std::string(NPU_CONFIGS_DIR) + "/default.yaml");
  EXPECT_EQ(def::kArrayRows, c.array_rows);
  EXPECT_EQ(def::kArrayCols, c.array_cols);
  EXPECT_EQ(def::kAxiDataBits, c.axi_data_bits);
  EXPECT_DOUBLE_EQ(def::kClockMhz, c.clock_mhz);
}

TEST(GenConfig, SvPackageHasTheSameValues) {
  std::ifstream in(NPU_DEFAULT_SV_PACKAGE);
  ASSERT_TRUE(in) << NPU_DEFAULT_SV_PACKAGE;
  std::ostringstream text;
  text << in.rdbuf();
  const std::string sv = text.str();
  EXPECT_NE(sv.find("package npu_config_pkg;"), std::string::npos);
  EXPECT_NE(sv.find("localparam int ArrayRows = 16;"), std::string::npos);
  EXPECT_NE(sv.find("localparam int ArrayCols = 16;"), std::string::npos);
  EXPECT_NE(sv.find("localparam int WeightBankDepth = 8192;"), std::string::npos);
  EXPECT_NE(sv.find("localparam int ClockKhz = 200000;"), std::string::npos);
  EXPECT_NE(sv.find("endpackage"), std::string::npos);
}

}  // namespace
