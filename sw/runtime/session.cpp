#include "sw/runtime/session.h"

#include <map>
#include <sstream>

#include "npu_regs/npu_regs.h"
#include "sw/compiler/tensor_layout.h"
#include "sw/model/reference_executor.h"

namespace npu::runtime {
namespace {

namespace r = npu::regs;

std::string hex(uint64_t v) {
  std::ostringstream o;
  o << "0x" << std::hex << v;
  return o.str();
}

// First differing element of a layer's output, as "(y, x, c) index i: expected e, got a".
void compare(const std::string& layer, const golden::Tensor& expected,
             const golden::Tensor& actual) {
  const golden::Shape& s = expected.shape;
  for (size_t i = 0; i < expected.data.size(); ++i) {
    if (expected.data[i] == actual.data[i]) continue;
    const int c = static_cast<int>(i % s.c), x = static_cast<int>(i / s.c % s.w),
              y = static_cast<int>(i / s.c / s.w % s.h);
    std::ostringstream m;
    m << "check: layer '" << layer << "' differs from golden at (y " << y << ", x " << x << ", c "
      << c << "), tensor index " << i << ": expected " << int{expected.data[i]} << ", got "
      << int{actual.data[i]};
    throw CheckError(m.str());
  }
}

}  // namespace

uint64_t RunResult::total_cycles() const {
  uint64_t t = 0;
  for (const LayerStats& l : layers) t += l.cycles;
  return t;
}

Session::Session(Device& device, const compiler::Program& program)
    : device_(device), program_(program) {
  const uint32_t id = device_.read_reg(r::kId);
  if ((id >> r::id::kMagicShift) != 0x4E50u)
    throw DeviceError(device_.backend_name() + ": register ID reads " + hex(id) +
                      ", not an NPU ('NP' magic)");
  const uint32_t hw = device_.read_reg(r::kHwConfig);
  const uint32_t rows = hw & r::hw_config::kRowsMask,
                 cols = (hw & r::hw_config::kColsMask) >> r::hw_config::kColsShift;
  const compiler::Target& t = program_.target;
  if (rows != static_cast<uint32_t>(t.rows) || cols != static_cast<uint32_t>(t.cols))
    throw DeviceError(device_.backend_name() + ": register HW_CONFIG says a " +
                      std::to_string(rows) + "x" + std::to_string(cols) +
                      " array, the program was compiled for '" + t.name + "' (" +
                      std::to_string(t.rows) + "x" + std::to_string(t.cols) + ")");
  for (const compiler::DramSegment& s : program_.constants) device_.write_memory(s.addr, s.bytes);
  device_.write_reg(r::kPerfCtrl, r::perf_ctrl::kClearOnStartMask);
  device_.write_reg(r::kIrqEnable, r::irq_enable::kDoneMask | r::irq_enable::kErrorMask);
}

uint64_t Session::counter(uint32_t lo_offset) {
  const uint64_t lo = device_.read_reg(lo_offset);
  const uint64_t hi = device_.read_reg(lo_offset + 4);
  return lo | hi << 32;
}

LayerStats Session::run_layer(const compiler::LayerProgram& l, uint64_t max_cycles) {
  device_.write_reg(r::kPerfCtrl, r::perf_ctrl::kClearOnStartMask);
  device_.write_reg(r::kCmdqBaseLo, static_cast<uint32_t>(l.stream_addr));
  device_.write_reg(r::kCmdqBaseHi, static_cast<uint32_t>(l.stream_addr >> 32));
  device_.write_reg(r::kCmdqSize, l.commands);
  device_.write_reg(r::kControl, r::control::kStartMask);
  if (!device_.wait_for_interrupt(max_cycles)) {
    device_.write_reg(r::kControl, r::control::kSoftResetMask);
    throw DeviceError(device_.backend_name() + ": layer '" + l.name + "': no interrupt within " +
                      std::to_string(max_cycles) + " cycles (device soft-reset)");
  }
  // Freeze first: the counters then describe the job, not the register reads after it.
  device_.write_reg(r::kPerfCtrl, r::perf_ctrl::kClearOnStartMask | r::perf_ctrl::kFreezeMask);
  uint32_t status = device_.read_reg(r::kStatus);
  for (int polls = 0; (status & r::status::kBusyMask) != 0; ++polls) {
    if (polls == 100000)
      throw DeviceError(device_.backend_name() + ": layer '" + l.name +
                        "': STATUS.BUSY stays set after the interrupt");
    status = device_.read_reg(r::kStatus);
  }
  const uint32_t code = device_.read_reg(r::kErrorCode);
  device_.write_reg(r::kIrqStatus, device_.read_reg(r::kIrqStatus));
  if (code != 0) {
    const uint32_t info = device_.read_reg(r::kErrorInfo), addr = device_.read_reg(r::kErrorAddr);
    device_.write_reg(r::kControl, r::control::kSoftResetMask);
    JobError e(device_.backend_name() + ": layer '" + l.name + "': ERROR_CODE " +
               std::to_string(code) + " " + r::error_code_name(code) + " at command " +
               std::to_string(info) + " of " + std::to_string(l.commands) + " (stream at " +
               hex(l.stream_addr) + "), ERROR_ADDR " + hex(addr));
    e.code = code;
    throw e;
  }
  LayerStats s;
  s.name = l.name;
  s.kind = l.kind;
  s.tiling = l.tiling.describe();
  s.jobs = l.jobs;
  s.macs = l.macs;
  s.est_cycles = l.tiling.est_cycles;
  s.cycles = counter(r::kCyclesLo);
  s.mac_active = counter(r::kMacActiveLo);
  s.dma_ld_busy = counter(r::kDmaLdBusyLo);
  s.dma_ld_stall = counter(r::kDmaLdStallLo);
  s.dma_st_busy = counter(r::kDmaStBusyLo);
  s.dma_st_stall = counter(r::kDmaStStallLo);
  s.compute_busy = counter(r::kComputeBusyLo);
  s.compute_stall = counter(r::kComputeStallLo);
  s.ppu_busy = counter(r::kPpuBusyLo);
  s.ppu_stall = counter(r::kPpuStallLo);
  s.pool_busy = counter(r::kPoolBusyLo);
  s.pool_stall = counter(r::kPoolStallLo);
  s.dma_rd_bytes = counter(r::kDmaRdBytesLo);
  s.dma_wr_bytes = counter(r::kDmaWrBytesLo);
  device_.write_reg(r::kPerfCtrl, r::perf_ctrl::kClearOnStartMask);
  return s;
}

RunResult Session::run(const golden::Tensor& input, const RunOptions& o) {
  const compiler::TensorPlacement& in = program_.input;
  if (input.shape.h != in.shape.h || input.shape.w != in.shape.w || input.shape.c != in.shape.c ||
      input.quant.zero_point != in.quant.zero_point || input.quant.scale != in.quant.scale)
    throw std::invalid_argument("input tensor " + golden::to_string(input.shape) +
                                " does not match the network input " + golden::to_string(in.shape) +
                                " and its quantization");
  const int rows = program_.target.rows;
  std::map<std::string, golden::Tensor> reference;
  if (o.check_against != nullptr) {
    model::run_reference(
        *o.check_against, input,
        [&](const model::Layer& l, const golden::Tensor& t) { reference[l.name] = t; });
  }
  device_.write_memory(in.addr, compiler::pack_tensor(input, rows));
  RunResult res;
  for (size_t i = 0; i < program_.layers.size(); ++i) {
    const compiler::LayerProgram& l = program_.layers[i];
    if (o.on_layer_start) o.on_layer_start(i, program_.layers.size(), l);
    res.layers.push_back(run_layer(l, o.max_cycles_per_layer));
    if (o.on_layer_done) o.on_layer_done(res.layers.back());
    if (o.check_against != nullptr) {
      const compiler::TensorPlacement& t = l.output;
      const golden::Tensor actual = compiler::unpack_tensor(
          device_.read_memory(t.addr, static_cast<size_t>(t.bytes)), t.shape, t.quant, rows);
      compare(l.name, reference.at(l.name), actual);
    }
  }
  const compiler::TensorPlacement& out = program_.tensor(program_.output);
  res.output = compiler::unpack_tensor(
      device_.read_memory(out.addr, static_cast<size_t>(out.bytes)), out.shape, out.quant, rows);
  return res;
}

}  // namespace npu::runtime
