#include "sw/runtime/axi_slave_memory.h"

#include <cstring>

namespace npu::runtime {

AxiSlaveMemory::AxiSlaveMemory(SparseMemory& memory, int bus_bytes, const MemoryTiming& timing)
    : memory_(memory), bytes_(bus_bytes), timing_(timing), rng_(timing.seed) {
  decide_outputs();
}

bool AxiSlaveMemory::chance() {
  if (timing_.mode == MemoryTiming::Mode::kFast) return true;
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < timing_.ready;
}

int AxiSlaveMemory::latency(bool read) {
  if (timing_.mode == MemoryTiming::Mode::kFast) {
    return read ? timing_.read_latency : timing_.write_latency;
  }
  return std::uniform_int_distribution<int>(timing_.latency_min, timing_.latency_max)(rng_);
}

// INCR: the first beat at the burst address, the next ones at aligned addresses after it.
uint64_t AxiSlaveMemory::beat_addr(const Burst& b) const {
  const uint64_t step = uint64_t{1} << b.size;
  if (b.beat == 0) return b.addr;
  return (b.addr & ~(step - 1)) + uint64_t{b.beat} * step;
}

void AxiSlaveMemory::step(const AxiSlaveIn& in) {
  // Handshakes of this edge, with the outputs decided before it.
  if (out_.r_valid && in.r_ready) {
    Burst& b = reads_.front();
    if (++b.beat == b.beats) reads_.pop_front();
  }
  if (out_.w_ready && in.w_valid) {
    Burst* b = nullptr;
    for (Burst& w : writes_) {  // the oldest AW with beats still to come
      if (w.beat < w.beats) {
        b = &w;
        break;
      }
    }
    const uint64_t a = beat_addr(*b) & ~uint64_t(bytes_ - 1);
    uint8_t* page = memory_.page(a);
    const uint64_t off = a % SparseMemory::kPageBytes;
    for (int i = 0; i < bytes_; ++i) {
      if ((in.w_strb >> i) & 1)
        page[off + static_cast<uint64_t>(i)] = in.w_data[static_cast<std::size_t>(i)];
    }
    if (++b->beat == b->beats) {
      Burst r = *b;
      r.due = now_ + 1 + static_cast<uint64_t>(latency(false));
      bresps_.push_back(r);
      writes_.pop_front();  // bursts complete in order
    }
  }
  if (out_.b_valid && in.b_ready) bresps_.pop_front();
  if (out_.ar_ready && in.ar_valid) {
    Burst b;
    b.addr = in.ar_addr;
    b.beats = in.ar_len + 1;
    b.size = in.ar_size;
    b.id = in.ar_id;
    b.due = now_ + 1 + static_cast<uint64_t>(latency(true));
    reads_.push_back(b);
  }
  if (out_.aw_ready && in.aw_valid) {
    Burst b;
    b.addr = in.aw_addr;
    b.beats = in.aw_len + 1;
    b.size = in.aw_size;
    b.id = in.aw_id;
    writes_.push_back(b);
  }
  ++now_;
  decide_outputs();
}

void AxiSlaveMemory::decide_outputs() {
  const auto max = static_cast<std::size_t>(timing_.max_outstanding);
  out_.ar_ready = reads_.size() < max && chance();
  out_.aw_ready = writes_.size() < max && chance();
  bool w_open = false;
  for (const Burst& w : writes_) w_open = w_open || w.beat < w.beats;
  out_.w_ready = w_open && chance();
  const bool r_due = !reads_.empty() && reads_.front().due <= now_;
  out_.r_valid = r_due && chance();
  if (out_.r_valid) {
    const Burst& b = reads_.front();
    const uint64_t a = beat_addr(b) & ~uint64_t(bytes_ - 1);
    const uint8_t* page = memory_.find_page(a);
    if (page) {
      std::memcpy(out_.r_data.data(), page + a % SparseMemory::kPageBytes,
                  static_cast<std::size_t>(bytes_));
    } else {
      std::memset(out_.r_data.data(), 0, static_cast<std::size_t>(bytes_));
    }
    out_.r_last = b.beat + 1 == b.beats;
    out_.r_id = b.id;
  } else {
    out_.r_last = false;
  }
  out_.r_resp = 0;
  const bool b_due = !bresps_.empty() && bresps_.front().due <= now_;
  out_.b_valid = b_due && chance();
  out_.b_id = b_due ? bresps_.front().id : 0;
  out_.b_resp = 0;
}

}  // namespace npu::runtime
