// Encoder of the command processor's 64-byte commands (docs/control.md, "Command format"):
// the field layout in one place, for the bench and for the driver that will emit the streams.
// Every field is a plain integer; encode_*() puts it at its place without checking ranges,
// so a test can build illegal commands on purpose (the hardware's checks are under test).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace npu::compiler {

enum class Opcode : uint32_t { kLoad = 1, kCompute = 2, kStore = 3, kSync = 4, kEnd = 5 };
enum class Queue : uint32_t { kLoad = 0, kCompute = 1, kStore = 2 };
enum class LoadDst : uint32_t { kActivation = 0, kWeight = 1, kPpuParams = 2 };

// Error codes of npu_ctrl (err_code_o); 1..5 are npu_dma's own status codes.
enum class CtrlError : uint32_t {
  kNone = 0,
  kZeroSize = 1,
  kRdSlvErr = 2,
  kRdDecErr = 3,
  kWrSlvErr = 4,
  kWrDecErr = 5,
  kFetchSlvErr = 6,
  kFetchDecErr = 7,
  kBadOpcode = 8,
  kBadBank = 9,
  kBadField = 10,
  kJobConfig = 11,
  kTokenOverflow = 12,
  kDeadlock = 13,
  kWatchdog = 14,
  kBadQueue = 15,
};
const char* ctrl_error_name(uint32_t code);

// Dependency tokens (VTA-style): "prev" is the stage before (load for compute, compute for
// store), "next" the stage after. Pops happen before the command runs, pushes after it.
struct Deps {
  bool pop_prev = false, pop_next = false, push_prev = false, push_next = false;
};

// LOAD (DRAM -> on-chip) and STORE (activation bank -> DRAM): one npu_dma descriptor.
struct DmaCmd {
  uint32_t dst = 0;  // LOAD: LoadDst; STORE: 0
  uint32_t bank = 0;
  uint32_t sp_addr = 0;  // on-chip word address
  uint32_t addr = 0;     // DRAM byte address
  uint32_t len = 0;      // bytes per row
  uint32_t cnt1 = 1, cnt2 = 1, cnt3 = 1;
  uint32_t stride1 = 0, stride2 = 0, stride3 = 0;
};

// COMPUTE: every npu_datapath cfg_* field, same names (docs/architecture.md, job fields).
struct ComputeCmd {
  uint32_t job = 0;  // 0 conv / FC, 1 pool
  uint32_t in_bank = 0, in_base = 0, in_h = 1, in_w = 1, in_groups = 1, slot = 1;
  uint32_t taps_per_chunk = 1, in_zp = 0, in_row_words = 0;
  uint32_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
  uint32_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0, pool_mode = 0;
  uint32_t out_w = 1, pixels = 1, kchunks = 1, ntiles = 1, mblock = 1, mblocks = 1;
  uint32_t w_bank = 0, w_base = 0, w_words = 1;
  uint32_t out_bank = 0, out_base = 0, out_groups = 1, res_bank = 0, res_base = 0;
  uint32_t mode = 0, zp = 0, relu = 0;
  uint32_t add_zp_a = 0, add_zp_b = 0, add_zp_out = 0;
  uint32_t add_mult_a = 0, add_mult_b = 0, add_mult_out = 0;
  uint32_t add_shift_a = 0, add_shift_b = 0, add_shift_out = 0, add_relu = 0;
};

using CmdWords = std::array<uint32_t, 16>;  // word i = bytes 4i..4i+3, little-endian
constexpr int kCmdBytes = 64;

CmdWords encode_load(const DmaCmd& c, const Deps& d);
CmdWords encode_store(const DmaCmd& c, const Deps& d);
CmdWords encode_compute(const ComputeCmd& c, const Deps& d);
CmdWords encode_sync(Queue q, const Deps& d);
CmdWords encode_end();

// A stream as it lies in DRAM: 64 bytes per command, in order.
std::vector<uint8_t> to_bytes(const std::vector<CmdWords>& stream);

}  // namespace npu::compiler
