// The register description parser (hand-written maps with hand-computed masks) and the
// generated header for the real map (values checked against the spec, not against the tool).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "npu_regs/npu_regs.h"
#include "sw/regs/reg_map.h"

namespace {

using npu::regs_desc::Access;
using npu::regs_desc::parse_reg_map;
using npu::regs_desc::RegMapError;

const char* kHead =
    "format: npu-regs-1\nname: t\ndata_bits: 32\nwindow_bytes: 256\n"
    "version: {major: 2, minor: 3}\nerror_codes:\n  - {name: NONE, value: 0, doc: ok}\n";

std::string with_registers(const std::string& regs) { return std::string(kHead) + regs; }

TEST(RegMapTest, MasksResetAndCounterExpansion) {
  const auto m = parse_reg_map(
      with_registers("registers:\n"
                     "  - name: CTRL\n    offset: 0x8\n    doc: c\n    fields:\n"
                     "      - {name: GO, lsb: 0, width: 1, access: W1P, reset: 0, doc: g}\n"
                     "      - {name: MODE, lsb: 4, width: 3, access: RW, reset: 5, doc: m}\n"
                     "      - {name: IRQ, lsb: 8, width: 2, access: W1C, reset: 2, doc: i}\n"
                     "      - {name: N, lsb: 16, width: 8, access: RO, reset_param: Rows, doc: n}\n"
                     "counters:\n  - {name: CYC, offset: 0x10, doc: cycles}\n"),
      "t.yaml");
  ASSERT_EQ(m.registers.size(), 3u);
  const auto& r = m.registers[0];
  EXPECT_EQ(r.name, "CTRL");
  EXPECT_EQ(r.reset(), 0x250u);  // MODE 5 << 4, IRQ 2 << 8
  EXPECT_EQ(r.mask_of(Access::kW1P), 0x1u);
  EXPECT_EQ(r.mask_of(Access::kRW), 0x70u);
  EXPECT_EQ(r.mask_of(Access::kW1C), 0x300u);
  EXPECT_EQ(r.param_mask(), 0xFF0000u);
  EXPECT_EQ(m.registers[1].name, "CYC_LO");
  EXPECT_EQ(m.registers[1].offset, 0x10u);
  EXPECT_EQ(m.registers[2].name, "CYC_HI");
  EXPECT_EQ(m.registers[2].offset, 0x14u);
  EXPECT_TRUE(m.registers[2].counter_hi);
  EXPECT_FALSE(m.registers[2].writable());
}

void expect_error(const std::string& yaml, const std::string& message) {
  try {
    parse_reg_map(yaml, "bad.yaml");
    ADD_FAILURE() << "no error, expected: " << message;
  } catch (const RegMapError& e) {
    EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
  }
}

TEST(RegMapTest, RejectsBadDescriptionsNamingTheField) {
  const std::string reg = "registers:\n  - name: A\n    offset: 0x4\n    doc: a\n    fields:\n";
  expect_error(
      with_registers(reg + "      - {name: X, lsb: 30, width: 4, access: RW, reset: 0, doc: x}\n"),
      "bad.yaml: field 'registers[0] (A).fields[0] (X).width': field leaves bits 31:0");
  expect_error(
      with_registers(reg + "      - {name: X, lsb: 0, width: 2, access: RW, reset: 4, doc: x}\n"),
      "field 'registers[0] (A).fields[0] (X).reset': must be <= 3 (got 4)");
  expect_error(
      with_registers(reg + "      - {name: X, lsb: 0, width: 2, access: WO, reset: 0, doc: x}\n"),
      "field 'registers[0] (A).fields[0] (X).access': must be RO, RW, W1C or W1P");
  expect_error(
      with_registers("registers:\n  - name: A\n    offset: 0x6\n    doc: a\n    fields:\n"
                     "      - {name: X, lsb: 0, width: 1, access: RW, reset: 0, doc: x}\n"),
      "field 'registers[0] (A).offset': must be a multiple of 4");
  expect_error(
      with_registers(
          reg +
          "      - {name: X, lsb: 0, width: 1, access: RW, reset: 0, doc: x}\n"
          "counters:\n  - {name: C, offset: 0x0, doc: c}\n  - {name: D, offset: 0x8, doc: d}\n"),
      "A and C_HI share offset 4");
  expect_error(
      with_registers(reg + "      - {name: x, lsb: 0, width: 1, access: RW, reset: 0, doc: x}\n"),
      "must be UPPER_SNAKE_CASE (got 'x')");
  expect_error(
      with_registers(
          reg + "      - {name: X, lsb: 0, width: 1, access: RW, reset: 0, doc: x, colour: red}\n"),
      "field 'registers[0] (A).fields[0] (X).colour': unknown key");
}

// The generated header of the real map against the register spec of issue 4 and docs/dma.md.
TEST(GeneratedHeaderTest, MatchesTheSpecification) {
  using namespace npu::regs;
  EXPECT_EQ(kWindowBytes, 4096u);
  EXPECT_EQ(kId, 0x000u);
  EXPECT_EQ(kIrqStatus % 4, 0u);
  // The DMA engine reports 1 zero size, 2/3 read SLVERR/DECERR, 4/5 write SLVERR/DECERR: the
  // shared codes must keep those numbers.
  EXPECT_EQ(static_cast<uint32_t>(ErrorCode::kZeroSize), 1u);
  EXPECT_EQ(static_cast<uint32_t>(ErrorCode::kDmaRdSlverr), 2u);
  EXPECT_EQ(static_cast<uint32_t>(ErrorCode::kDmaRdDecerr), 3u);
  EXPECT_EQ(static_cast<uint32_t>(ErrorCode::kDmaWrSlverr), 4u);
  EXPECT_EQ(static_cast<uint32_t>(ErrorCode::kDmaWrDecerr), 5u);
  EXPECT_STREQ(error_code_name(16), "ILLEGAL_REG");
  EXPECT_STREQ(error_code_name(200), "UNKNOWN");
  EXPECT_EQ(control::kStartMask, 0x1u);
  EXPECT_EQ(control::kSoftResetMask, 0x2u);
  EXPECT_EQ(id::kMagicMask, 0xFFFF0000u);
  EXPECT_EQ(kCounterLoOffsets[counter::kCycles] + 4, kCyclesHi);
  // Every offset distinct and inside the window; counters are read-only pairs.
  std::set<uint32_t> offsets;
  int counter_halves = 0;
  for (const RegisterInfo& r : kRegisters) {
    EXPECT_TRUE(offsets.insert(r.offset).second) << r.name;
    EXPECT_LT(r.offset, kWindowBytes) << r.name;
    if (r.counter >= 0) {
      ++counter_halves;
      EXPECT_FALSE(r.writable()) << r.name;
    }
  }
  EXPECT_EQ(counter_halves, 2 * kNumCounters);
  EXPECT_EQ(kNumCounters, 14);
}

}  // namespace
