#include "sw/runtime/command_model_device.h"

#include "npu_regs/npu_regs.h"
#include "sw/runtime/command_decoder.h"

namespace npu::runtime {
namespace {

namespace r = npu::regs;
using compiler::CtrlError;
using compiler::Opcode;
using compiler::Queue;

constexpr uint32_t kIdValue = 0x4E500100;  // ID reset value (docs/registers.md)
constexpr int kCntMacActive = 1, kCntDmaRdBytes = 12, kCntDmaWrBytes = 13;
constexpr uint32_t kTokenMax = 255;  // TokW = 8

uint32_t code(CtrlError c) { return static_cast<uint32_t>(c); }

// Token counters: l2c, c2l, c2s, s2c (docs/control.md).
enum Token { kL2c = 0, kC2l = 1, kC2s = 2, kS2c = 3, kNone = -1 };

// The counter each flag of each engine pops / pushes.
struct EngineTokens {
  int pop_prev, pop_next, push_prev, push_next;
};
EngineTokens tokens_of(Queue q) {
  switch (q) {
    case Queue::kLoad:
      return {kNone, kC2l, kNone, kL2c};
    case Queue::kCompute:
      return {kL2c, kS2c, kC2l, kC2s};
    case Queue::kStore:
      return {kC2s, kNone, kS2c, kNone};
  }
  return {kNone, kNone, kNone, kNone};
}

}  // namespace

CommandModelDevice::CommandModelDevice(const config::HwConfig& hw)
    : CommandModelDevice(DeviceParams::from_config(hw)) {}

CommandModelDevice::CommandModelDevice(const DeviceParams& params)
    : params_(params), engine_(params) {}

bool CommandModelDevice::irq_line() const { return (irq_status_ & irq_enable_) != 0; }

void CommandModelDevice::count(int counter, uint64_t n) {
  if ((perf_ctrl_ & r::perf_ctrl::kFreezeMask) == 0) counters_[counter] += n;
}

void CommandModelDevice::clear_counters() { counters_.fill(0); }

uint32_t CommandModelDevice::read_reg(uint32_t offset) {
  offset &= 0xffc;
  if (offset == r::kStatus) run_pending();  // a polling driver sees the run end
  switch (offset) {
    case r::kId:
      return kIdValue;
    case r::kHwConfig: {
      const auto n = static_cast<uint32_t>(params_.rows);
      return n | n << 8 | static_cast<uint32_t>(params_.bus_bytes()) << 16;
    }
    case r::kControl:
      return 0;
    case r::kStatus:
      return (busy_ ? r::status::kBusyMask : 0) | (done_ ? r::status::kDoneMask : 0) |
             (err_code_ != 0 ? r::status::kErrorMask : 0);
    case r::kErrorCode:
      return err_code_;
    case r::kErrorInfo:
      return err_info_;
    case r::kErrorAddr:
      return err_addr_;
    case r::kIrqEnable:
      return irq_enable_;
    case r::kIrqStatus:
      return irq_status_;
    case r::kCmdqBaseLo:
      return base_lo_;
    case r::kCmdqBaseHi:
      return base_hi_;
    case r::kCmdqSize:
      return size_;
    case r::kPerfCtrl:
      return perf_ctrl_ & (r::perf_ctrl::kFreezeMask | r::perf_ctrl::kClearOnStartMask);
    default:
      break;
  }
  if (offset >= r::kCyclesLo && offset <= r::kDmaWrBytesHi) {
    const int i = static_cast<int>((offset - r::kCyclesLo) / 8);
    if ((offset & 4) == 0) {
      shadow_hi_[i] = static_cast<uint32_t>(counters_[i] >> 32);
      return static_cast<uint32_t>(counters_[i]);
    }
    return shadow_hi_[i];
  }
  return 0;  // unmapped (SLVERR on the bus)
}

void CommandModelDevice::write_reg(uint32_t offset, uint32_t value) {
  offset &= 0xffc;
  switch (offset) {
    case r::kControl:
      if ((value & r::control::kSoftResetMask) != 0) {
        // Soft reset wins over a START written with it; the pending run is dropped.
        busy_ = false;
        done_ = false;
        err_code_ = err_info_ = err_addr_ = 0;
        irq_status_ = 0;
        engine_.reset();
      } else if ((value & r::control::kStartMask) != 0) {
        start();
      }
      break;
    case r::kIrqEnable:
      irq_enable_ = value & (r::irq_enable::kDoneMask | r::irq_enable::kErrorMask);
      break;
    case r::kIrqStatus:
      irq_status_ &= ~(value & (r::irq_status::kDoneMask | r::irq_status::kErrorMask));
      break;
    case r::kCmdqBaseLo:
      base_lo_ = value;
      break;
    case r::kCmdqBaseHi:
      base_hi_ = value;
      break;
    case r::kCmdqSize:
      size_ = value & r::cmdq_size::kCountMask;
      break;
    case r::kPerfCtrl:
      perf_ctrl_ = value & (r::perf_ctrl::kFreezeMask | r::perf_ctrl::kClearOnStartMask);
      if ((value & r::perf_ctrl::kClearMask) != 0) clear_counters();
      break;
    default:
      break;  // read-only or unmapped: ignored (SLVERR on the bus)
  }
}

// npu_regfile's START: refused while busy (START_BUSY), checked (ILLEGAL_REG), else the run.
void CommandModelDevice::start() {
  if (busy_) {
    if (err_code_ == 0) {
      err_code_ = static_cast<uint32_t>(r::ErrorCode::kStartBusy);
      err_info_ = err_addr_ = 0;
      irq_status_ |= r::irq_status::kErrorMask;
    }
    return;
  }
  const bool misaligned = base_lo_ % r::kCmdqAlignBytes != 0;
  const bool hi_bad =
      params_.addr_bits <= 32 ? base_hi_ != 0 : (base_hi_ >> (params_.addr_bits - 32)) != 0;
  if (size_ == 0 || misaligned || hi_bad) {
    err_code_ = static_cast<uint32_t>(r::ErrorCode::kIllegalReg);
    err_info_ = size_ == 0   ? r::kCmdqSize
                : misaligned ? r::kCmdqBaseLo
                : hi_bad     ? r::kCmdqBaseHi
                             : r::kCmdqBaseLo;
    err_addr_ = base_lo_;
    done_ = true;
    irq_status_ |= r::irq_status::kDoneMask | r::irq_status::kErrorMask;
    return;
  }
  err_code_ = err_info_ = err_addr_ = 0;
  done_ = false;
  if ((perf_ctrl_ & r::perf_ctrl::kClearOnStartMask) != 0) clear_counters();
  busy_ = true;
  run_base_ = uint64_t{base_hi_} << 32 | base_lo_;
  run_size_ = size_;
}

void CommandModelDevice::run_pending() {
  if (!busy_) return;
  const RunError e = execute_stream();
  busy_ = false;
  done_ = true;
  irq_status_ |= r::irq_status::kDoneMask;
  if (e.code != 0 && err_code_ == 0) {  // the first error of the job sticks (e.g. START_BUSY)
    err_code_ = e.code;
    err_info_ = e.info;
    err_addr_ = e.addr;
    irq_status_ |= r::irq_status::kErrorMask;
  }
}

CommandModelDevice::RunError CommandModelDevice::execute_stream() {
  std::array<uint32_t, 4> tokens{};  // START clears every counter
  uint8_t bytes[compiler::kCmdBytes];
  for (uint32_t idx = 0;; ++idx) {
    if (idx >= run_size_) return {code(CtrlError::kBadQueue), idx, 0};  // no END
    dram_.read(run_base_ + uint64_t{idx} * compiler::kCmdBytes, bytes, sizeof bytes);
    const DecodedCommand d = decode_command(command_words(bytes), params_);
    if (d.error != 0) return {d.error, idx, 0};
    if (d.opcode == static_cast<uint32_t>(Opcode::kEnd)) return {};
    const EngineTokens t = tokens_of(d.queue);
    // Pops, in stream order: an empty counter can never be filled by a later command.
    const int pops[2] = {d.deps.pop_prev ? t.pop_prev : kNone,
                         d.deps.pop_next ? t.pop_next : kNone};
    for (int p : pops) {
      if (p != kNone && tokens[p] == 0) return {code(CtrlError::kDeadlock), idx, 0};
    }
    for (int p : pops) {
      if (p != kNone) --tokens[p];
    }
    switch (static_cast<Opcode>(d.opcode)) {
      case Opcode::kLoad:
        count(kCntDmaRdBytes, engine_.load(d.dma, dram_));
        break;
      case Opcode::kStore:
        count(kCntDmaWrBytes, engine_.store(d.dma, dram_));
        break;
      case Opcode::kCompute:
        if (job_config_error(d.compute)) return {code(CtrlError::kJobConfig), idx, 0};
        count(kCntMacActive, engine_.compute(d.compute));
        break;
      default:
        break;  // SYNC: tokens only
    }
    const int pushes[2] = {d.deps.push_prev ? t.push_prev : kNone,
                           d.deps.push_next ? t.push_next : kNone};
    for (int p : pushes) {
      if (p == kNone) continue;
      if (tokens[p] >= kTokenMax) return {code(CtrlError::kTokenOverflow), idx, 0};
      ++tokens[p];
    }
  }
}

void CommandModelDevice::write_memory(uint64_t addr, const std::vector<uint8_t>& bytes) {
  dram_.write(addr, bytes.data(), bytes.size());
}

std::vector<uint8_t> CommandModelDevice::read_memory(uint64_t addr, std::size_t size) {
  std::vector<uint8_t> out(size);
  dram_.read(addr, out.data(), size);
  return out;
}

bool CommandModelDevice::wait_for_interrupt(uint64_t /*max_cycles*/) {
  run_pending();
  return irq_line();
}

}  // namespace npu::runtime
