// Hand-built command streams for the device tests: a layer from sw/test_support
// (make_dp_layer, make_dp_pool) placed in a device's DRAM with the command stream that runs
// it (sw/test_support/layer_image.h, the streams the RTL benches run), and the driver's
// sequence that runs a stream through the registers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/tensor.h"
#include "sw/compiler/command.h"
#include "sw/runtime/device.h"
#include "sw/runtime/device_params.h"
#include "sw/test_support/dp_layer.h"
#include "sw/test_support/layer_image.h"

namespace npu::runtime::test {

namespace ts = ::npu::test_support;

// DRAM layout of the tests (test_support's default map).
inline constexpr ts::DramMap kDram{};
inline constexpr uint32_t kQueue = kDram.queue, kOut = kDram.out;

ts::DpHw dp_hw(const DeviceParams& p);

// A stream and where its result lands: `out_bytes` bytes at kOut, expected = golden's tensor
// in the scratchpad word layout (`groups` words of `rows` bytes per pixel).
using Job = ts::LayerImage;

// ts::conv_image / conv_pool_image (pool output at the start of the conv's input bank),
// written into `dev`.
Job place_conv(Device& dev, const ts::DpLayer& L);
Job place_conv_pool(Device& dev, const ts::DpLayer& L, const ts::DpPoolCase& pool);

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
