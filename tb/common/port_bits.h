// Bit-field access to Verilated ports of any width, so a bench can be written once for every
// array size: Verilator maps a port to uint8/16/32 (CData/SData/IData) up to 32 bits, to
// uint64 (QData) up to 64, and to VlWide<N> (32-bit words, LSB first) beyond.
#pragma once

#include <verilated.h>

#include <cstdint>
#include <type_traits>

namespace npu::tb {

namespace detail {
inline uint64_t mask(int width) { return width >= 64 ? ~0ULL : ((1ULL << width) - 1); }
}  // namespace detail

// Reads bits [lsb, lsb + width) (width <= 32) of a port.
template <typename Port>
uint32_t get_bits(const Port& port, int lsb, int width) {
  static_assert(std::is_integral_v<Port>, "use the VlWide overload");
  return static_cast<uint32_t>((static_cast<uint64_t>(port) >> lsb) & detail::mask(width));
}

template <std::size_t Words>
uint32_t get_bits(const VlWide<Words>& port, int lsb, int width) {
  uint64_t value = 0;
  const std::size_t word = static_cast<std::size_t>(lsb) / 32;
  const int shift = lsb % 32;
  value = port.at(word);
  if (word + 1 < Words) value |= static_cast<uint64_t>(port.at(word + 1)) << 32;
  return static_cast<uint32_t>((value >> shift) & detail::mask(width));
}

// Writes bits [lsb, lsb + width) (width <= 32) of a port.
template <typename Port>
void set_bits(Port& port, int lsb, int width, uint32_t value) {
  static_assert(std::is_integral_v<Port>, "use the VlWide overload");
  const uint64_t m = detail::mask(width) << lsb;
  const uint64_t v = (static_cast<uint64_t>(value) << lsb) & m;
  port = static_cast<Port>((static_cast<uint64_t>(port) & ~m) | v);
}

template <std::size_t Words>
void set_bits(VlWide<Words>& port, int lsb, int width, uint32_t value) {
  for (int i = 0; i < width; ++i) {
    const std::size_t word = static_cast<std::size_t>(lsb + i) / 32;
    const uint32_t bit = 1U << ((lsb + i) % 32);
    if ((value >> i) & 1U) {
      port.at(word) |= bit;
    } else {
      port.at(word) &= ~bit;
    }
  }
}

// Signed read of a field (two's complement of `width` bits).
template <typename Port>
int32_t get_signed(const Port& port, int lsb, int width) {
  const uint32_t raw = get_bits(port, lsb, width);
  if (width >= 32) return static_cast<int32_t>(raw);
  const uint32_t sign = 1U << (width - 1);
  return static_cast<int32_t>((raw ^ sign)) - static_cast<int32_t>(sign);
}

}  // namespace npu::tb
