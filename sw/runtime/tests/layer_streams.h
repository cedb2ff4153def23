// Hand-built command streams for the device tests: a layer from tb/datapath (make_dp_layer,
// make_dp_pool) placed in a device's DRAM with the command stream that runs it, built with
// tb/ctrl ctrl_job, and the driver's sequence that runs a stream through the registers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/tensor.h"
#include "sw/compiler/command.h"
#include "sw/runtime/device.h"
#include "sw/runtime/device_params.h"
#include "tb/datapath/dp_layer.h"

namespace npu::runtime::test {

// DRAM layout of the tests.
inline constexpr uint32_t kQueue = 0x10000, kIn = 0x100000, kWgt = 0x200000, kPrm = 0x300000,
                          kRes = 0x380000, kOut = 0x400000;

tb::DpHw dp_hw(const DeviceParams& p);

// A stream and where its result lands: `out_bytes` bytes at kOut, expected = golden's tensor
// in the scratchpad word layout (`groups` words of `rows` bytes per pixel).
struct Job {
  std::string name;
  std::vector<compiler::CmdWords> stream;
  golden::Tensor expected;
  int groups = 1;
  uint32_t out_bytes = 0;
  uint64_t mac_vectors = 0;  // MAC_ACTIVE the job must count
  uint64_t rd_bytes = 0;     // DMA_RD_BYTES
};

// LOAD params, LOAD weights, [LOAD residual], LOAD input (push), COMPUTE (pop, push),
// STORE (pop), END; writes the layer's data (and a poisoned output region) into `dev`.
Job place_conv(Device& dev, const tb::DpLayer& L, int rows);
// The same conv followed by a pool job on its output (compute engine, in order), then the
// store of the pooled tensor.
Job place_conv_pool(Device& dev, const tb::DpLayer& L, const tb::DpPoolCase& pool, int rows);

// What a job left in the registers.
struct RunResult {
  bool irq = false;
  uint32_t status = 0, irq_status = 0, code = 0, info = 0, addr = 0;
  uint64_t cycles = 0, mac = 0, rd_bytes = 0, wr_bytes = 0;
};

// The driver's sequence: the queue into DRAM, CMDQ_*, PERF_CTRL clear, IRQ_ENABLE, START,
// wait for the interrupt, STATUS until not busy, ERROR_*, counters, IRQ_STATUS cleared.
RunResult run_stream(Device& dev, const std::vector<compiler::CmdWords>& stream,
                     uint64_t max_cycles = 20'000'000);

uint64_t read_counter(Device& dev, uint32_t lo_offset);

// Mismatches between the job's output in DRAM and its expected tensor (first few printed).
int count_mismatches(Device& dev, const Job& job, int rows);

}  // namespace npu::runtime::test
