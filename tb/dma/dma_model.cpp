#include "tb/dma/dma_model.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace npu::tb::dma {

std::string DmaDesc::describe() const {
  std::ostringstream s;
  s << (write ? "write" : "read") << " tag " << tag << " addr 0x" << std::hex << addr << std::dec
    << " len " << len << " cnt " << cnt[0] << "/" << cnt[1] << "/" << cnt[2] << " stride "
    << static_cast<int32_t>(stride[0]) << "/" << static_cast<int32_t>(stride[1]) << "/"
    << static_cast<int32_t>(stride[2]) << " sp " << sp_addr;
  return s.str();
}

std::vector<uint32_t> row_addresses(const DmaDesc& d) {
  std::vector<uint32_t> rows;
  for (uint32_t i3 = 0; i3 < d.cnt[2]; ++i3) {
    for (uint32_t i2 = 0; i2 < d.cnt[1]; ++i2) {
      for (uint32_t i1 = 0; i1 < d.cnt[0]; ++i1) {
        rows.push_back(d.addr + i1 * d.stride[0] + i2 * d.stride[1] + i3 * d.stride[2]);
      }
    }
  }
  return rows;
}

uint32_t words_per_row(const DmaDesc& d, int bus_bytes) {
  return (d.len + static_cast<uint32_t>(bus_bytes) - 1) / static_cast<uint32_t>(bus_bytes);
}

std::vector<SpWord> expected_read_words(const DmaDesc& d, int bus_bytes,
                                        const std::function<uint8_t(uint64_t)>& dram) {
  std::vector<SpWord> words;
  uint32_t sp = d.sp_addr;
  const auto bytes = static_cast<uint32_t>(bus_bytes);
  for (const uint32_t row : row_addresses(d)) {
    for (uint32_t k = 0; k < words_per_row(d, bus_bytes); ++k) {
      SpWord w;
      w.addr = sp++ & 0xffff;
      w.data.assign(bytes, 0);
      w.strb.assign(bytes, 0);
      for (uint32_t l = 0; l < bytes && k * bytes + l < d.len; ++l) {
        w.data[l] = dram(static_cast<uint32_t>(row + k * bytes + l));
        w.strb[l] = 1;
      }
      words.push_back(std::move(w));
    }
  }
  return words;
}

std::map<uint64_t, uint8_t> expected_write_bytes(
    const DmaDesc& d, int bus_bytes, const std::function<uint8_t(uint32_t, int)>& onchip) {
  std::map<uint64_t, uint8_t> out;
  uint32_t sp = d.sp_addr;
  const auto bytes = static_cast<uint32_t>(bus_bytes);
  for (const uint32_t row : row_addresses(d)) {
    for (uint32_t r = 0; r < d.len; ++r) {
      out[static_cast<uint32_t>(row + r)] =
          onchip((sp + r / bytes) & 0xffff, static_cast<int>(r % bytes));
    }
    sp += words_per_row(d, bus_bytes);
  }
  return out;
}

DmaDesc random_desc(std::mt19937_64& rng, bool write, uint32_t window, uint32_t window_size,
                    int bus_bytes) {
  auto uni = [&](uint32_t lo, uint32_t hi) {
    return std::uniform_int_distribution<uint32_t>(lo, hi)(rng);
  };
  DmaDesc d;
  d.write = write;
  d.tag = uni(0, 255);
  // Lengths: short (a few channels, as C=3 pixels), around the bus width, or long rows.
  switch (uni(0, 3)) {
    case 0:
      d.len = uni(1, 3 * static_cast<uint32_t>(bus_bytes));
      break;
    case 1:
      d.len = uni(1, 64);
      break;
    case 2:
      d.len = uni(64, 700);
      break;
    default:
      d.len = uni(1500, 5000);
      break;  // several bursts and 4 KiB boundaries
  }
  const bool long_rows = d.len > 1000;
  d.cnt[0] = uni(1, long_rows ? 2 : 6);
  d.cnt[1] = uni(1, long_rows ? 2 : 4);
  d.cnt[2] = uni(1, 3);
  d.stride[0] = d.len + uni(0, 40) * (uni(0, 3) == 0 ? 0 : 1);
  d.stride[1] = d.cnt[0] * d.stride[0] + uni(0, 100);
  d.stride[2] = d.cnt[1] * d.stride[1] + uni(0, 300);
  if (!write && uni(0, 4) == 0) {
    d.stride[1] = static_cast<uint32_t>(-static_cast<int64_t>(d.stride[1]));  // walk upwards
  }
  if (!write && uni(0, 6) == 0) d.stride[0] = uni(0, d.len);  // overlapping reads
  d.sp_addr = uni(0, 200);
  // Place the lowest row at a random byte offset inside the window.
  d.addr = 0;
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  for (const uint32_t row : row_addresses(d)) {
    const int64_t r = static_cast<int32_t>(row);
    lo = std::min(lo, r);
    hi = std::max(hi, r + static_cast<int64_t>(d.len));
  }
  const int64_t span = hi - lo;
  if (span + 64 > static_cast<int64_t>(window_size)) {
    throw std::logic_error("random_desc: footprint larger than the window");
  }
  const int64_t slack = static_cast<int64_t>(window_size) - span;
  d.addr = static_cast<uint32_t>(static_cast<int64_t>(window) - lo +
                                 std::uniform_int_distribution<int64_t>(0, slack - 1)(rng));
  return d;
}

}  // namespace npu::tb::dma
