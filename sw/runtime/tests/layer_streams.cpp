#include "sw/runtime/tests/layer_streams.h"

#include <iostream>

#include "npu_regs/npu_regs.h"
#include "sw/test_support/tensor_check.h"

namespace npu::runtime::test {
namespace {

namespace r = npu::regs;
using compiler::CmdWords;

uint32_t u(std::size_t v) { return static_cast<uint32_t>(v); }

Job place(Device& dev, Job job) {
  for (const ts::DramWrite& w : job.writes) dev.write_memory(w.addr, w.bytes);
  return job;
}

}  // namespace

ts::DpHw dp_hw(const DeviceParams& p) {
  ts::DpHw hw;
  hw.rows = hw.cols = p.rows;
  hw.act_depth = p.act_depth;
  hw.wgt_depth = p.wgt_depth;
  hw.acc_depth = p.acc_depth;
  return hw;
}

Job place_conv(Device& dev, const ts::DpLayer& L) { return place(dev, ts::conv_image(L, kDram)); }

Job place_conv_pool(Device& dev, const ts::DpLayer& L, const ts::DpPoolCase& pool) {
  return place(dev, ts::conv_pool_image(L, pool, 0, kDram));
}

uint64_t read_counter(Device& dev, uint32_t lo_offset) {
  const uint64_t lo = dev.read_reg(lo_offset);
  const uint64_t hi = dev.read_reg(lo_offset + 4);
  return lo | hi << 32;
}

RunResult run_stream(Device& dev, const std::vector<CmdWords>& stream, uint64_t max_cycles) {
  dev.write_memory(kQueue, compiler::to_bytes(stream));
  dev.write_reg(r::kCmdqBaseLo, kQueue);
  dev.write_reg(r::kCmdqBaseHi, 0);
  dev.write_reg(r::kCmdqSize, u(stream.size()));
  dev.write_reg(r::kPerfCtrl, r::perf_ctrl::kClearMask);
  dev.write_reg(r::kIrqEnable, r::irq_enable::kDoneMask | r::irq_enable::kErrorMask);
  RunResult res;
  const uint64_t start = dev.cycle();
  dev.write_reg(r::kControl, r::control::kStartMask);
  res.irq = dev.wait_for_interrupt(max_cycles);
  res.cycles = dev.cycle() - start;
  if (!res.irq) return res;
  res.status = dev.read_reg(r::kStatus);
  for (int polls = 0; (res.status & r::status::kBusyMask) != 0 && polls < 100000; ++polls) {
    res.status = dev.read_reg(r::kStatus);
  }
  res.irq_status = dev.read_reg(r::kIrqStatus);
  res.code = dev.read_reg(r::kErrorCode);
  res.info = dev.read_reg(r::kErrorInfo);
  res.addr = dev.read_reg(r::kErrorAddr);
  res.mac = read_counter(dev, r::kMacActiveLo);
  res.rd_bytes = read_counter(dev, r::kDmaRdBytesLo);
  res.wr_bytes = read_counter(dev, r::kDmaWrBytesLo);
  dev.write_reg(r::kIrqStatus, res.irq_status);
  return res;
}

int count_mismatches(Device& dev, const Job& job, int rows) {
  const golden::Tensor got =
      ts::unpack_words(dev.read_memory(kOut, job.out_bytes), job.expected.shape, job.expected.quant,
                       job.groups, rows);
  const std::vector<ts::TensorDiff> diffs = ts::tensor_diffs(job.expected, got);
  for (std::size_t i = 0; i < diffs.size() && i < 5; ++i) {
    const ts::TensorDiff& d = diffs[i];
    std::cout << "[ mismatch ] " << dev.backend_name() << " " << job.name << " (y " << d.y << ", x "
              << d.x << ", c " << d.c << "): expected " << d.expected << ", got " << d.actual
              << std::endl;
  }
  return static_cast<int>(diffs.size());
}

}  // namespace npu::runtime::test
