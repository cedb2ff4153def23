#include "sw/runtime/tests/layer_streams.h"

#include <iostream>

#include "npu_regs/npu_regs.h"
#include "tb/ctrl/ctrl_job.h"

namespace npu::runtime::test {
namespace {

namespace r = npu::regs;
using compiler::CmdWords;
using compiler::Deps;
using tb::ctrl::flatten;
using tb::ctrl::one_row;

uint32_t u(std::size_t v) { return static_cast<uint32_t>(v); }

// The conv's loads (params, weights, residual, input with push) and its COMPUTE.
std::vector<CmdWords> conv_prefix(Device& dev, const tb::DpLayer& L, int rows, Job& job) {
  const tb::DpJob& j = L.job;
  const std::vector<uint8_t> prm = tb::ctrl::param_records(L.params);
  dev.write_memory(kPrm, prm);
  dev.write_memory(kWgt, flatten(L.w_words));
  dev.write_memory(kIn, flatten(L.act_words));
  std::vector<CmdWords> s;
  s.push_back(compiler::encode_load(one_row(2, 0, 0, kPrm, u(prm.size())), {}));
  s.push_back(compiler::encode_load(
      one_row(1, u(j.w_bank), u(j.w_base), kWgt, u(L.w_words.size() * rows)), {}));
  job.rd_bytes = prm.size() + (L.w_words.size() + L.act_words.size()) * rows;
  if (L.kase.residual) {
    dev.write_memory(kRes, flatten(L.res_words));
    s.push_back(compiler::encode_load(
        one_row(0, u(j.res_bank), u(j.res_base), kRes, u(L.res_words.size() * rows)), {}));
    job.rd_bytes += L.res_words.size() * rows;
  }
  s.push_back(compiler::encode_load(
      one_row(0, u(j.in_bank), u(j.in_base), kIn, u(L.act_words.size() * rows)),
      Deps{false, false, false, true}));
  job.mac_vectors = uint64_t(j.pixels) * j.kchunks * j.ntiles;
  return s;
}

}  // namespace

tb::DpHw dp_hw(const DeviceParams& p) {
  tb::DpHw hw;
  hw.rows = hw.cols = p.rows;
  hw.act_depth = p.act_depth;
  hw.wgt_depth = p.wgt_depth;
  hw.acc_depth = p.acc_depth;
  return hw;
}

Job place_conv(Device& dev, const tb::DpLayer& L, int rows) {
  Job job;
  job.name = L.describe();
  job.stream = conv_prefix(dev, L, rows, job);
  const tb::DpJob& j = L.job;
  job.stream.push_back(
      compiler::encode_compute(tb::ctrl::to_command(j), Deps{true, false, false, true}));
  job.out_bytes = u(j.pixels * j.out_groups * rows);
  job.stream.push_back(compiler::encode_store(
      one_row(0, u(j.out_bank), u(j.out_base), kOut, job.out_bytes), Deps{true, false, false, false}));
  job.stream.push_back(compiler::encode_end());
  job.expected = L.expected;
  job.groups = j.out_groups;
  dev.write_memory(kOut, std::vector<uint8_t>(job.out_bytes, 0xA5));  // poison
  return job;
}

Job place_conv_pool(Device& dev, const tb::DpLayer& L, const tb::DpPoolCase& pool, int rows) {
  Job job;
  job.stream = conv_prefix(dev, L, rows, job);
  const tb::DpJob& j = L.job;
  // Pool from the conv's output bank into bank 0 (the conv's input is no longer needed).
  tb::DpPoolPlace place;
  place.in_bank = j.out_bank;
  place.in_base = j.out_base;
  place.out_bank = j.in_bank;
  place.out_base = 0;
  const tb::DpPoolLayer P = tb::make_dp_pool(pool, L.expected, L.hw, place, false);
  job.name = L.describe() + " -> " + P.describe();
  job.stream.push_back(compiler::encode_compute(tb::ctrl::to_command(j), Deps{true, false, false, false}));
  job.stream.push_back(
      compiler::encode_compute(tb::ctrl::to_command(P.job), Deps{false, false, false, true}));
  job.out_bytes = u(P.out_words * rows);
  job.stream.push_back(compiler::encode_store(
      one_row(0, u(place.out_bank), 0, kOut, job.out_bytes), Deps{true, false, false, false}));
  job.stream.push_back(compiler::encode_end());
  job.expected = P.expected;
  job.groups = P.job.in_groups;
  dev.write_memory(kOut, std::vector<uint8_t>(job.out_bytes, 0xA5));
  return job;
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
  const std::vector<uint8_t> out = dev.read_memory(kOut, job.out_bytes);
  const golden::Shape& s = job.expected.shape;
  int bad = 0;
  for (int y = 0; y < s.h; ++y)
    for (int x = 0; x < s.w; ++x)
      for (int c = 0; c < s.c; ++c) {
        const std::size_t at = static_cast<std::size_t>(((y * s.w + x) * job.groups + c / rows) * rows + c % rows);
        const int expect = job.expected.at(0, y, x, c);
        const int got = static_cast<int8_t>(out[at]);
        if (expect != got && ++bad <= 5) {
          std::cout << "[ mismatch ] " << dev.backend_name() << " " << job.name << " (y " << y
                    << ", x " << x << ", c " << c << "): expected " << expect << ", got " << got
                    << std::endl;
        }
      }
  return bad;
}

}  // namespace npu::runtime::test
