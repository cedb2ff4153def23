// Encoder of the command processor's 64-byte commands (docs/control.md, "Command format"), for
// the compiler and the benches. The format itself (enums, field structs with their defaults,
// positions) is generated from rtl/csr/npu_cmd.yaml into npu_cmd/npu_cmd.h; this header gives
// it the compiler's names and the whole-command encoders. Every field is a plain integer;
// encode_*() puts it at its place (masked to the field's width) without checking ranges, so a
// test can build illegal commands on purpose (the hardware's checks are under test).
#pragma once

#include <cstdint>
#include <vector>

#include "npu_cmd/npu_cmd.h"

namespace npu::compiler {

using cmd::CmdWords;
using cmd::ComputeCmd;  // COMPUTE: every npu_datapath job field, same names
using cmd::CtrlError;   // npu_ctrl's error codes (err_code_o); 1..5 are npu_dma's own
using cmd::Deps;        // dependency tokens: pops before the command runs, pushes after it
using cmd::DmaCmd;      // LOAD (DRAM -> on-chip) and STORE (activation bank -> DRAM)
using cmd::kCmdBytes;
using cmd::LoadDst;
using cmd::Opcode;
using Queue = cmd::Engine;  // the engine (queue) a command runs on

// The name of an error code ("BAD_FIELD"), "?" if it has none.
inline const char* ctrl_error_name(uint32_t code) { return cmd::error_name(code); }

CmdWords encode_load(const DmaCmd& c, const Deps& d);
CmdWords encode_store(const DmaCmd& c, const Deps& d);
CmdWords encode_compute(const ComputeCmd& c, const Deps& d);
CmdWords encode_sync(Queue q, const Deps& d);
CmdWords encode_end();

// A stream as it lies in DRAM: 64 bytes per command, in order.
std::vector<uint8_t> to_bytes(const std::vector<CmdWords>& stream);

}  // namespace npu::compiler
