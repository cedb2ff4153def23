// Byte-exact reference of one DMA descriptor (docs/dma.md): which DRAM rows it touches and
// which on-chip words it produces or consumes. Independent of the RTL and of any simulator.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace npu::tb::dma {

struct DmaDesc {
  bool write = false;  // false: DRAM -> on-chip, true: on-chip -> DRAM
  uint32_t tag = 0;
  uint32_t addr = 0;               // byte address of row (0, 0, 0)
  uint32_t len = 0;                // bytes per row
  uint32_t cnt[3] = {1, 1, 1};     // innermost first
  uint32_t stride[3] = {0, 0, 0};  // bytes, modulo 2^32 (negative strides wrap)
  uint32_t sp_addr = 0;            // on-chip word address of the first row

  std::string describe() const;
};

// One on-chip word: address, bytes (unused lanes 0) and which lanes hold data.
struct SpWord {
  uint32_t addr = 0;
  std::vector<uint8_t> data;
  std::vector<uint8_t> strb;
};

// Row start addresses in transfer order (innermost loop fastest).
std::vector<uint32_t> row_addresses(const DmaDesc& d);

// On-chip words per row: ceil(len / bus_bytes); each row starts a new word.
uint32_t words_per_row(const DmaDesc& d, int bus_bytes);

// The on-chip words a read descriptor writes, in order, given the DRAM contents.
std::vector<SpWord> expected_read_words(const DmaDesc& d, int bus_bytes,
                                        const std::function<uint8_t(uint64_t)>& dram);

// The DRAM bytes a write descriptor stores (address -> value; later rows win), given the
// on-chip word contents.
std::map<uint64_t, uint8_t> expected_write_bytes(
    const DmaDesc& d, int bus_bytes, const std::function<uint8_t(uint32_t, int)>& onchip);

// Random legal descriptor whose rows all lie in [window, window + window_size); byte-granular
// addresses, lengths and strides, sometimes a negative outer stride (reads only: writes keep
// rows disjoint so that the expected DRAM image does not depend on the write order).
DmaDesc random_desc(std::mt19937_64& rng, bool write, uint32_t window, uint32_t window_size,
                    int bus_bytes);

}  // namespace npu::tb::dma
