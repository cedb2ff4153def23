// The command-level device model (npu-run --backend model): a functional model of npu_top at
// the command level, no RTL. The register file of docs/registers.md, a sparse DRAM, and on
// START the command stream interpreted in stream order: the decode checks of npu_ctrl, the token
// rule (a pop of an empty counter in stream order is DEADLOCK: the compiler must emit streams that
// are well formed in stream order; a push past 255 is TOKEN_OVERFLOW), LOAD / STORE / COMPUTE by
// GoldenEngine.
//
// Timing: none. The run happens at wait_for_interrupt() (or a STATUS read) after START; cycle()
// stays 0. Counters it knows exactly: MAC_ACTIVE (array vectors), DMA_RD_BYTES, DMA_WR_BYTES;
// CYCLES and the busy / stall counters read 0. Differences from npu_top on malformed streams:
// the error is found in stream order (npu_top may have run later commands of other engines
// before it stops, and a stream that only works because engines overlap is DEADLOCK here);
// ERROR_INFO of DEADLOCK is the blocked command; bus errors do not exist (DRAM is sparse).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sw/config/hw_config.h"
#include "sw/runtime/device.h"
#include "sw/runtime/device_params.h"
#include "sw/runtime/golden_engine.h"
#include "sw/runtime/sparse_memory.h"

namespace npu::runtime {

class CommandModelDevice : public Device {
 public:
  explicit CommandModelDevice(const config::HwConfig& hw);
  explicit CommandModelDevice(const DeviceParams& params);

  std::string backend_name() const override { return "model"; }
  uint32_t read_reg(uint32_t offset) override;
  void write_reg(uint32_t offset, uint32_t value) override;
  void write_memory(uint64_t addr, const std::vector<uint8_t>& bytes) override;
  std::vector<uint8_t> read_memory(uint64_t addr, std::size_t size) override;
  bool wait_for_interrupt(uint64_t max_cycles) override;
  uint64_t cycle() const override { return 0; }

  const DeviceParams& params() const { return params_; }

 private:
  static constexpr int kCounters = 14;  // CYCLES_LO at 0x100 .. DMA_WR_BYTES_LO at 0x168
  struct RunError {
    uint32_t code = 0, info = 0, addr = 0;
  };

  void start();
  void run_pending();
  RunError execute_stream();
  void count(int counter, uint64_t n);
  void clear_counters();
  bool irq_line() const;

  DeviceParams params_;
  SparseMemory dram_;
  GoldenEngine engine_;
  // Register state (npu_regfile).
  uint32_t irq_enable_ = 0, irq_status_ = 0, base_lo_ = 0, base_hi_ = 0, size_ = 0;
  uint32_t perf_ctrl_ = 0, err_code_ = 0, err_info_ = 0, err_addr_ = 0;
  bool busy_ = false, done_ = false;
  std::array<uint64_t, kCounters> counters_{};
  std::array<uint32_t, kCounters> shadow_hi_{};
  // The run's start registers (latched at START).
  uint64_t run_base_ = 0;
  uint32_t run_size_ = 0;
};

}  // namespace npu::runtime
