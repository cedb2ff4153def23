// The one device interface every backend implements: what a driver sees of the accelerator
// (the AXI4-Lite registers of docs/registers.md, the DRAM behind the AXI4 master, the
// interrupt line). The compiler never sees a backend; the runtime drives only this.
// Backends: golden (command-stream interpreter, no RTL), Verilator (npu_top, cycle-accurate);
// a SystemC or FPGA backend implements the same five calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace npu::runtime {

// A failure of the device itself (not of the job): bad address, protocol violation, timeout.
struct DeviceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Device {
 public:
  virtual ~Device() = default;
  Device() = default;
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  virtual std::string backend_name() const = 0;

  // AXI4-Lite register access, byte offsets of docs/registers.md.
  virtual uint32_t read_reg(uint32_t offset) = 0;
  virtual void write_reg(uint32_t offset, uint32_t value) = 0;

  // DRAM (byte addresses, any alignment). Reads of never-written bytes return 0.
  virtual void write_memory(uint64_t addr, const std::vector<uint8_t>& bytes) = 0;
  virtual std::vector<uint8_t> read_memory(uint64_t addr, std::size_t size) = 0;

  // Runs the device until the interrupt line is high (true) or `max_cycles` device clock
  // cycles passed without it (false). Returns at once when the line is already high.
  virtual bool wait_for_interrupt(uint64_t max_cycles) = 0;

  // Device clock cycles since construction (0 on backends without a clock).
  virtual uint64_t cycle() const = 0;

  // Moves the waveform trace's cycle window (e.g. to one layer) on backends that trace;
  // false where there is no trace.
  virtual bool set_trace_window(uint64_t /*first_cycle*/, uint64_t /*last_cycle*/) { return false; }
};

}  // namespace npu::runtime
