// Decoder of the command processor's 64-byte commands (docs/control.md, "Command format"):
// the fields come from the generated get_* of npu_cmd/npu_cmd.h (rtl/csr/npu_cmd.yaml), with
// the decode checks of npu_ctrl: BAD_OPCODE,
// BAD_BANK, ZERO_SIZE, BAD_FIELD, in the RTL's order of precedence (rtl/npu_ctrl.sv, "decode
// and checks"), and the datapath's own job check (JOB_CONFIG).
#pragma once

#include <cstdint>

#include "sw/compiler/command.h"
#include "sw/runtime/device_params.h"

namespace npu::runtime {

struct DecodedCommand {
  uint32_t opcode = 0;  // word 0 bits 3:0 (compiler::Opcode when legal)
  compiler::Deps deps;
  compiler::Queue queue = compiler::Queue::kLoad;  // the engine that runs it (SYNC: its field)
  compiler::DmaCmd dma;                            // LOAD, STORE
  compiler::ComputeCmd compute;                    // COMPUTE
  uint32_t error = 0;  // compiler::CtrlError of the decode checks, 0 if none
};

// Command words from the 64 bytes at `bytes` (little-endian).
compiler::CmdWords command_words(const uint8_t* bytes);

// Decodes and checks one command for a build with parameters `p`.
DecodedCommand decode_command(const compiler::CmdWords& w, const DeviceParams& p);

// The datapath's cfg_err_o for a checked COMPUTE (JOB_CONFIG): in mode 1 an add input shift
// outside -31..0 or an output shift outside -31..30.
bool job_config_error(const compiler::ComputeCmd& c);

// Two's complement of the low `bits` bits.
int32_t sign_extend(uint32_t v, int bits);

}  // namespace npu::runtime
