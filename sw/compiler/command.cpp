#include "sw/compiler/command.h"

namespace npu::compiler {
namespace {

CmdWords with_header(Opcode op, const Deps& d) {
  CmdWords w{};
  cmd::put_opcode(w, op);
  cmd::put_deps(w, d);
  return w;
}

}  // namespace

CmdWords encode_load(const DmaCmd& c, const Deps& d) {
  CmdWords w = with_header(Opcode::kLoad, d);
  cmd::put_dma(w, c);
  return w;
}

CmdWords encode_store(const DmaCmd& c, const Deps& d) {
  CmdWords w = with_header(Opcode::kStore, d);
  cmd::put_dma(w, c);
  return w;
}

CmdWords encode_compute(const ComputeCmd& c, const Deps& d) {
  CmdWords w = with_header(Opcode::kCompute, d);
  cmd::put_compute(w, c);
  return w;
}

CmdWords encode_sync(Queue q, const Deps& d) {
  CmdWords w = with_header(Opcode::kSync, d);
  cmd::SyncCmd s;
  s.engine = static_cast<uint32_t>(q);
  cmd::put_sync(w, s);
  return w;
}

CmdWords encode_end() {
  CmdWords w{};
  cmd::put_opcode(w, Opcode::kEnd);
  return w;
}

std::vector<uint8_t> to_bytes(const std::vector<CmdWords>& stream) {
  std::vector<uint8_t> out;
  out.reserve(stream.size() * kCmdBytes);
  for (const CmdWords& c : stream) {
    for (uint32_t v : c) {
      for (int b = 0; b < 4; ++b) out.push_back(static_cast<uint8_t>(v >> (8 * b)));
    }
  }
  return out;
}

}  // namespace npu::compiler
