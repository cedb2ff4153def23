#include "tb/common/axi_memory.h"

#include <algorithm>
#include <sstream>
#include <utility>

namespace npu::tb {
namespace {

constexpr uint64_t kPage = 4096;

std::string hex(uint64_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << v;
  return s.str();
}

std::string describe(const AxiAddrBeat& a) {
  std::ostringstream s;
  s << "addr " << hex(a.addr) << " len " << a.len << " size " << a.size << " burst " << a.burst
    << " id " << a.id;
  return s.str();
}

bool same_payload(const AxiAddrBeat& a, const AxiAddrBeat& b) {
  return a.addr == b.addr && a.len == b.len && a.size == b.size && a.burst == b.burst &&
         a.id == b.id;
}

}  // namespace

const char* axi_resp_name(uint32_t resp) {
  switch (resp) {
    case 0:
      return "OKAY";
    case 1:
      return "EXOKAY";
    case 2:
      return "SLVERR";
    case 3:
      return "DECERR";
    default:
      return "?";
  }
}

AxiMemory::AxiMemory(AxiMemoryConfig config) : config_(config), rng_(config.seed) {
  set_config(config);
  decide_outputs(false, false);
}

void AxiMemory::set_config(const AxiMemoryConfig& config) {
  const int b = config.data_bytes;
  if (b < 1 || b > 128 || (b & (b - 1)) != 0) {
    throw std::invalid_argument("AxiMemoryConfig.data_bytes must be a power of two in 1..128");
  }
  if (config.read_latency_min < 1 || config.read_latency_max < config.read_latency_min ||
      config.write_latency_min < 1 || config.write_latency_max < config.write_latency_min) {
    throw std::invalid_argument("AxiMemoryConfig latencies: need 1 <= min <= max");
  }
  if (config.max_reads < 1 || config.max_writes < 1) {
    throw std::invalid_argument("AxiMemoryConfig.max_reads/max_writes must be >= 1");
  }
  if (config.data_bytes != config_.data_bytes && !idle()) {
    throw std::invalid_argument("AxiMemoryConfig.data_bytes changed with bursts outstanding");
  }
  const uint64_t seed = config_.seed;
  config_ = config;
  if (config.seed != seed) rng_.seed(config.seed);
}

void AxiMemory::write(uint64_t addr, const std::vector<uint8_t>& bytes) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const uint64_t a = addr + i;
    auto& page = pages_[a / kPage];
    if (!page) page = std::make_unique<std::array<uint8_t, kPage>>();  // zero-filled
    (*page)[a % kPage] = bytes[i];
  }
}

uint8_t AxiMemory::byte(uint64_t addr) const {
  const auto it = pages_.find(addr / kPage);
  return it == pages_.end() ? 0 : (*it->second)[addr % kPage];
}

std::vector<uint8_t> AxiMemory::read(uint64_t addr, std::size_t n) const {
  std::vector<uint8_t> bytes(n);
  for (std::size_t i = 0; i < n; ++i) bytes[i] = byte(addr + i);
  return bytes;
}

void AxiMemory::add_error_range(uint64_t lo, uint64_t hi, AxiResp resp, bool reads, bool writes) {
  error_ranges_.push_back({lo, hi, static_cast<uint32_t>(resp), reads, writes});
}

void AxiMemory::fail_nth_read(uint64_t n, AxiResp resp) {
  fail_reads_[n] = static_cast<uint32_t>(resp);
}

void AxiMemory::fail_nth_write(uint64_t n, AxiResp resp) {
  fail_writes_[n] = static_cast<uint32_t>(resp);
}

void AxiMemory::clear_errors() {
  error_ranges_.clear();
  fail_reads_.clear();
  fail_writes_.clear();
}

void AxiMemory::fail(const std::string& channel, const std::string& what) const {
  throw AxiProtocolError("AXI protocol error on " + channel + " at cycle " +
                         std::to_string(cycle_) + ": " + what);
}

uint64_t AxiMemory::beat_addr(const AxiAddrBeat& a, uint32_t beat) {
  const uint64_t bytes = 1ULL << a.size;
  if (beat == 0) return a.addr;
  return (a.addr & ~(bytes - 1)) + static_cast<uint64_t>(beat) * bytes;
}

void AxiMemory::check_addr(const char* ch, const AxiAddrBeat& a) const {
  if (a.burst != 1) {
    fail(ch, "burst type " + std::to_string(a.burst) +
                 (a.burst == 3 ? " is reserved" : " (only INCR is modelled)") + " in " +
                 describe(a));
  }
  if (a.len > 255) fail(ch, "length " + std::to_string(a.len + 1) + " beats > 256");
  if ((1ULL << a.size) > static_cast<uint64_t>(config_.data_bytes)) {
    fail(ch, "size " + std::to_string(1ULL << a.size) + " bytes wider than the " +
                 std::to_string(config_.data_bytes) + "-byte bus in " + describe(a));
  }
  const uint64_t last = beat_addr(a, a.len) + (1ULL << a.size) - 1;
  if (a.addr / kPage != last / kPage) {
    fail(ch, "burst crosses a 4 KiB boundary (bytes " + hex(a.addr) + ".." + hex(last) + ") in " +
                 describe(a));
  }
}

uint32_t AxiMemory::range_resp(uint64_t lo, uint64_t hi, bool is_read) const {
  for (const ErrorRange& r : error_ranges_) {
    if ((is_read ? r.reads : r.writes) && lo < r.hi && r.lo < hi) return r.resp;
  }
  return 0;
}

int AxiMemory::latency(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

bool AxiMemory::chance(double p) {
  if (p >= 1.0) return true;
  return std::bernoulli_distribution(std::max(0.0, p))(rng_);
}

void AxiMemory::check_stability(const AxiMasterOut& in) const {
  if (!have_prev_) return;
  const AxiMasterOut& p = prev_in_;
  auto addr_channel = [&](const char* ch, const AxiAddrBeat& before, const AxiAddrBeat& now,
                          bool ready) {
    if (!before.valid || ready) return;
    if (!now.valid) fail(ch, std::string(ch) + "VALID dropped before " + ch + "READY");
    if (!same_payload(before, now)) {
      fail(ch,
           "payload changed while VALID && !READY: " + describe(before) + " -> " + describe(now));
    }
  };
  addr_channel("AR", p.ar, in.ar, out_prev_ar_ready_);
  addr_channel("AW", p.aw, in.aw, out_prev_aw_ready_);
  if (p.w_valid && !out_prev_w_ready_) {
    if (!in.w_valid) fail("W", "WVALID dropped before WREADY");
    if (in.w_data != p.w_data || in.w_strb != p.w_strb || in.w_last != p.w_last) {
      fail("W", "WDATA/WSTRB/WLAST changed while WVALID && !WREADY");
    }
  }
}

void AxiMemory::apply_w(WriteBurst& burst, const WBeat& beat) {
  const AxiAddrBeat& aw = burst.aw;
  const bool last = burst.beat == aw.len;
  if (beat.last != last) {
    fail("W", std::string(beat.last ? "WLAST on beat " : "no WLAST on beat ") +
                  std::to_string(burst.beat + 1) + " of a " + std::to_string(aw.len + 1) +
                  "-beat burst (" + describe(aw) + ", W beat of cycle " +
                  std::to_string(beat.cycle) + ")");
  }
  // Only the lanes of this beat's bytes may carry strobes.
  const uint64_t bytes = 1ULL << aw.size;
  const uint64_t addr = beat_addr(aw, burst.beat);
  const uint64_t lane_lo = addr % config_.data_bytes;
  const uint64_t lane_hi = (addr & ~(bytes - 1)) % config_.data_bytes + bytes;
  for (int l = 0; l < config_.data_bytes; ++l) {
    const uint64_t lane = static_cast<uint64_t>(l);
    if (beat.strb[l] && (lane < lane_lo || lane >= lane_hi)) {
      fail("W", "WSTRB lane " + std::to_string(l) + " set outside the active lanes " +
                    std::to_string(lane_lo) + ".." + std::to_string(lane_hi - 1) + " of beat " +
                    std::to_string(burst.beat) + " (" + describe(aw) + ")");
    }
    if (beat.strb[l] && burst.resp == 0) {
      const uint64_t a = addr - addr % config_.data_bytes + lane;
      write(a, {beat.data[l]});
    }
  }
  ++stats_.w_beats;
  ++burst.beat;
}

void AxiMemory::accept_w(WBeat beat) {
  early_w_.push_back(std::move(beat));
  match_w();
}

void AxiMemory::match_w() {
  while (!early_w_.empty() && !awaiting_data_.empty()) {
    WriteBurst& burst = awaiting_data_.front();
    apply_w(burst, early_w_.front());
    early_w_.pop_front();
    if (burst.beat > burst.aw.len) {
      burst.due = cycle_ + static_cast<uint64_t>(
                               latency(config_.write_latency_min, config_.write_latency_max));
      awaiting_b_.push_back(burst);
      awaiting_data_.pop_front();
    }
  }
}

void AxiMemory::step(const AxiMasterOut& in) {
  if (in.w_valid && (in.w_data.size() != static_cast<std::size_t>(config_.data_bytes) ||
                     in.w_strb.size() != static_cast<std::size_t>(config_.data_bytes))) {
    fail("W", "WDATA/WSTRB do not have data_bytes lanes");
  }
  check_stability(in);

  const bool ar_fire = in.ar.valid && out_.ar_ready;
  const bool aw_fire = in.aw.valid && out_.aw_ready;
  const bool w_fire = in.w_valid && out_.w_ready;
  const bool r_fire = out_.r_valid && in.r_ready;
  const bool b_fire = out_.b_valid && in.b_ready;

  if (ar_fire) {
    check_addr("AR", in.ar);
    ReadBurst burst;
    burst.ar = in.ar;
    burst.due =
        cycle_ + static_cast<uint64_t>(latency(config_.read_latency_min, config_.read_latency_max));
    const auto nth = fail_reads_.find(stats_.reads);
    for (uint32_t i = 0; i <= in.ar.len; ++i) {
      const uint64_t a = beat_addr(in.ar, i);
      const uint64_t end = (a & ~((1ULL << in.ar.size) - 1)) + (1ULL << in.ar.size);
      burst.resp.push_back(nth != fail_reads_.end() ? nth->second : range_resp(a, end, true));
    }
    reads_.push_back(std::move(burst));
    ++stats_.reads;
  }
  if (aw_fire) {
    check_addr("AW", in.aw);
    WriteBurst burst;
    burst.aw = in.aw;
    const auto nth = fail_writes_.find(stats_.writes);
    const uint64_t end = beat_addr(in.aw, in.aw.len) + (1ULL << in.aw.size);
    burst.resp = nth != fail_writes_.end() ? nth->second : range_resp(in.aw.addr, end, false);
    awaiting_data_.push_back(std::move(burst));
    ++stats_.writes;
    match_w();  // W beats that came before this AW
  }
  if (w_fire) accept_w({in.w_data, in.w_strb, in.w_last, cycle_});
  if (r_fire) {
    ReadBurst& burst = reads_.front();
    if (out_.r_resp != 0) ++stats_.error_responses;
    ++stats_.r_beats;
    if (++burst.beat > burst.ar.len) reads_.pop_front();
  }
  if (b_fire) {
    if (out_.b_resp != 0) ++stats_.error_responses;
    awaiting_b_.pop_front();
  }

  out_prev_ar_ready_ = out_.ar_ready;
  out_prev_aw_ready_ = out_.aw_ready;
  out_prev_w_ready_ = out_.w_ready;
  prev_in_ = in;
  have_prev_ = true;
  ++cycle_;
  // An offered R beat or B response stays, unchanged, until taken.
  decide_outputs(out_.r_valid && !r_fire, out_.b_valid && !b_fire);
}

void AxiMemory::decide_outputs(bool keep_r, bool keep_b) {
  const int writes = static_cast<int>(awaiting_data_.size() + awaiting_b_.size());
  out_.ar_ready = static_cast<int>(reads_.size()) < config_.max_reads && chance(config_.ar_ready);
  out_.aw_ready = writes < config_.max_writes && chance(config_.aw_ready);
  out_.w_ready = chance(config_.w_ready);

  // R: the head burst's next beat, once due (data read when first offered).
  if (!keep_r) {
    out_.r_valid = !reads_.empty() && cycle_ >= reads_.front().due && chance(config_.r_valid);
    out_.r_data.assign(static_cast<std::size_t>(config_.data_bytes), 0);
  }
  if (!keep_r && !reads_.empty()) {
    const ReadBurst& burst = reads_.front();
    const uint64_t a = beat_addr(burst.ar, burst.beat);
    const uint64_t window = a - a % static_cast<uint64_t>(config_.data_bytes);
    out_.r_data = read(window, static_cast<std::size_t>(config_.data_bytes));
    out_.r_resp = burst.resp[burst.beat];
    out_.r_id = burst.ar.id;
    out_.r_last = burst.beat == burst.ar.len;
  }
  if (!keep_b) out_.b_valid = false;
  if (!keep_b && !awaiting_b_.empty()) {
    out_.b_valid = cycle_ >= awaiting_b_.front().due && chance(config_.b_valid);
    out_.b_resp = awaiting_b_.front().resp;
    out_.b_id = awaiting_b_.front().aw.id;
  }
}

bool AxiMemory::idle() const {
  return reads_.empty() && awaiting_data_.empty() && early_w_.empty() && awaiting_b_.empty();
}

void AxiMemory::check_idle() const {
  std::ostringstream s;
  if (!reads_.empty()) {
    uint64_t beats = 0;
    for (const ReadBurst& b : reads_) beats += b.ar.len + 1 - b.beat;
    s << reads_.size() << " read burst(s) with " << beats
      << " R beat(s) not taken (first: " << describe(reads_.front().ar) << "); ";
  }
  if (!awaiting_data_.empty()) {
    s << awaiting_data_.size()
      << " write burst(s) still waiting for W beats (first: " << describe(awaiting_data_.front().aw)
      << ", " << awaiting_data_.front().beat << " beat(s) received); ";
  }
  if (!early_w_.empty()) s << early_w_.size() << " W beat(s) without an AW; ";
  if (!awaiting_b_.empty()) {
    s << awaiting_b_.size()
      << " B response(s) not taken (first: " << describe(awaiting_b_.front().aw) << "); ";
  }
  if (!s.str().empty()) {
    throw AxiProtocolError("AXI memory not idle at cycle " + std::to_string(cycle_) + ": " +
                           s.str());
  }
}

}  // namespace npu::tb
