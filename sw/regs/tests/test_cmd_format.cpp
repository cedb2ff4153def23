// The command format parser (hand-written descriptions) and the generated header for the real
// format (positions checked against docs/control.md by hand, not against the tool).
#include <gtest/gtest.h>

#include <string>

#include "npu_cmd/npu_cmd.h"
#include "sw/regs/cmd_format.h"

namespace {

using npu::cmd_desc::CmdFormatError;
using npu::cmd_desc::parse_cmd_format;
using npu::regs_desc::parse_reg_map;

npu::regs_desc::RegMap tiny_regs() {
  return parse_reg_map(
      "format: npu-regs-1\nname: t\ndata_bits: 32\nwindow_bytes: 256\n"
      "version: {major: 1, minor: 0}\nerror_codes:\n  - {name: NONE, value: 0, doc: ok}\n"
      "  - {name: BAD, value: 1, doc: bad}\n  - {name: REG, value: 2, doc: reg}\n"
      "registers:\n  - name: A\n    offset: 0x0\n    doc: a\n    fields:\n"
      "      - {name: X, lsb: 0, width: 4, access: RW, reset: 0, doc: x}\n",
      "regs.yaml");
}

std::string desc(const std::string& layouts) {
  return "format: npu-cmd-1\nbytes: 16\nerror_codes: {from: regs.yaml, ctrl_error_last: BAD}\n"
         "enums:\n  - name: opcode\n    doc: o\n    values:\n      - {name: GO, value: 1, doc: g}\n"
         "  - name: engine\n    doc: e\n    values:\n      - {name: ONE, value: 0, doc: one}\n"
         "opcode: {word: 0, lsb: 0, width: 4}\nlayouts:\n"
         "  - name: deps\n    cpp_struct: Deps\n    cpp_bool: true\n    doc: d\n    fields:\n"
         "      - {name: pop, word: 0, lsb: 4, width: 1, doc: p}\n" +
         layouts;
}

TEST(CmdFormatTest, ParsesLayoutsAndDerivesTheErrorWidth) {
  const auto f = parse_cmd_format(
      desc("  - name: go\n    cpp_struct: GoCmd\n    opcodes: [GO]\n    doc: g\n    fields:\n"
           "      - {name: n, word: 1, lsb: 8, width: 12, default: 3, doc: n}\n"),
      "t.yaml", tiny_regs());
  ASSERT_EQ(f.layouts.size(), 2u);
  EXPECT_EQ(f.layouts[1].fields[0].bit(), 40);
  EXPECT_EQ(f.layouts[1].fields[0].def, 3u);
  EXPECT_EQ(f.ctrl_errors, 2);  // NONE, BAD; REG is the register file's
  EXPECT_EQ(f.ctrl_error_bits, 1);
  EXPECT_EQ(f.enum_named("opcode").bits, 1);
}

TEST(CmdFormatTest, OverlapNamesTheFileAndTheField) {
  try {
    parse_cmd_format(
        desc("  - name: go\n    cpp_struct: GoCmd\n    opcodes: [GO]\n    doc: g\n    fields:\n"
             "      - {name: n, word: 0, lsb: 3, width: 2, doc: n}\n"),
        "t.yaml", tiny_regs());
    FAIL() << "no error";
  } catch (const CmdFormatError& e) {
    EXPECT_STREQ(e.what(), "t.yaml: field 'layouts[1] (go).fields[0] (n)': overlaps opcode");
  }
}

TEST(CmdFormatTest, RejectsUnknownOpcodeAndWideDefault) {
  EXPECT_THROW(parse_cmd_format(desc("  - name: go\n    cpp_struct: GoCmd\n    opcodes: [STOP]\n"
                                     "    doc: g\n    fields:\n"
                                     "      - {name: n, word: 1, lsb: 0, width: 2, doc: n}\n"),
                                "t.yaml", tiny_regs()),
               CmdFormatError);
  EXPECT_THROW(
      parse_cmd_format(desc("  - name: go\n    cpp_struct: GoCmd\n    opcodes: [GO]\n"
                            "    doc: g\n    fields:\n"
                            "      - {name: n, word: 1, lsb: 0, width: 2, default: 4, doc: n}\n"),
                       "t.yaml", tiny_regs()),
      CmdFormatError);
}

TEST(CmdFormatTest, RealFormatLoadsAndMatchesTheDocument) {
  const auto f = npu::cmd_desc::load_cmd_format(NPU_CMD_DESC);
  EXPECT_EQ(f.bytes, 64);
  EXPECT_EQ(f.ctrl_errors, 16);
  EXPECT_EQ(f.ctrl_error_bits, 4);
  // Spot checks against docs/control.md (hand-written numbers).
  namespace c = npu::cmd;
  c::ComputeCmd cc;
  cc.in_base = 0x1234;
  cc.pad_right = 5;
  cc.add_shift_out = 0x3F;
  c::CmdWords w{};
  c::put_compute(w, cc);
  EXPECT_EQ(w[3] & 0xFFFFu, 0x1234u);
  EXPECT_EQ(w[4] >> 28, 5u);
  EXPECT_EQ((w[15] >> 16) & 0xFFu, 0x3Fu);
  EXPECT_EQ(c::get_compute(w).in_base, 0x1234u);
  c::DmaCmd d;
  EXPECT_EQ(d.cnt1, 1u);  // the description's default
  d.bank = 1;
  d.dst = static_cast<uint32_t>(c::LoadDst::kWeight);
  c::CmdWords v{};
  c::put_dma(v, d);
  EXPECT_EQ(v[0], 0x1100u);
  EXPECT_STREQ(c::error_name(static_cast<uint32_t>(c::CtrlError::kBadQueue)), "BAD_QUEUE");
  EXPECT_STREQ(c::error_name(17), "START_BUSY");
}

}  // namespace
