// Byte-addressed sparse DRAM in 4 KiB pages: never-written bytes read as 0.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>

namespace npu::runtime {

class SparseMemory {
 public:
  static constexpr uint64_t kPageBytes = 4096;

  void write(uint64_t addr, const uint8_t* data, std::size_t n);
  void read(uint64_t addr, uint8_t* data, std::size_t n) const;
  // The page holding `addr` (created on demand): for callers that move whole bus words.
  uint8_t* page(uint64_t addr);
  // The page, or null if never written.
  const uint8_t* find_page(uint64_t addr) const;

 private:
  using Page = std::array<uint8_t, kPageBytes>;
  std::unordered_map<uint64_t, std::unique_ptr<Page>> pages_;
};

}  // namespace npu::runtime
