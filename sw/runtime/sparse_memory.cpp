#include "sw/runtime/sparse_memory.h"

#include <algorithm>
#include <cstring>

namespace npu::runtime {

uint8_t* SparseMemory::page(uint64_t addr) {
  std::unique_ptr<Page>& p = pages_[addr / kPageBytes];
  if (!p) p = std::make_unique<Page>(Page{});
  return p->data();
}

const uint8_t* SparseMemory::find_page(uint64_t addr) const {
  const auto it = pages_.find(addr / kPageBytes);
  return it == pages_.end() ? nullptr : it->second->data();
}

void SparseMemory::write(uint64_t addr, const uint8_t* data, std::size_t n) {
  while (n > 0) {
    const uint64_t off = addr % kPageBytes;
    const std::size_t chunk = std::min<std::size_t>(n, kPageBytes - off);
    std::memcpy(page(addr) + off, data, chunk);
    addr += chunk;
    data += chunk;
    n -= chunk;
  }
}

void SparseMemory::read(uint64_t addr, uint8_t* data, std::size_t n) const {
  while (n > 0) {
    const uint64_t off = addr % kPageBytes;
    const std::size_t chunk = std::min<std::size_t>(n, kPageBytes - off);
    const uint8_t* p = find_page(addr);
    if (p) {
      std::memcpy(data, p + off, chunk);
    } else {
      std::memset(data, 0, chunk);
    }
    addr += chunk;
    data += chunk;
    n -= chunk;
  }
}

}  // namespace npu::runtime
