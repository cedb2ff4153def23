// The host side of npu_fpga_top's UART (rtl/npu_fpga_uart_bridge.sv, docs/fpga.md), at the
// bit level: frames go out on uart_rx_i, replies are decoded from uart_tx_o, each sampled in
// the middle of its bit. One frame at a time, as a host program runs it: send, then wait for
// the whole reply. A reply that does not come within a bound fails the test naming the frame.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "tb/common/verilated_bench.h"

namespace npu::tb::fpga {

template <typename Top>
class UartHost {
 public:
  UartHost(VerilatedBench<Top>& bench, int clks_per_bit)
      : bench_(bench), clks_per_bit_(clks_per_bit) {
    bench_.top().uart_rx_i = 1;
  }

  uint32_t reg_write(uint32_t addr, uint32_t data) {
    std::vector<uint8_t> f{0x77};
    put32(f, addr);
    put32(f, data);
    return transact(f, 1, "register write")[0];
  }

  // RDATA; the RRESP byte goes to *resp when given.
  uint32_t reg_read(uint32_t addr, uint32_t* resp = nullptr) {
    std::vector<uint8_t> f{0x72};
    put32(f, addr);
    const std::vector<uint8_t> r = transact(f, 5, "register read");
    if (resp != nullptr) *resp = r[4];
    return get32(r, 0);
  }

  // Whole memory words of `word_bytes` (the accelerator's bus width); `bytes` is padded.
  void mem_write(uint32_t addr, const std::vector<uint8_t>& bytes, int word_bytes) {
    for (std::size_t at = 0; at < bytes.size(); at += std::size_t(word_bytes)) {
      std::vector<uint8_t> f{0x57};
      put32(f, addr + static_cast<uint32_t>(at));
      for (int b = 0; b < word_bytes; ++b) {
        const std::size_t i = at + std::size_t(b);
        f.push_back(i < bytes.size() ? bytes[i] : 0);
      }
      const std::vector<uint8_t> r = transact(f, 1, "memory write");
      EXPECT_EQ(r[0], 0) << "[fpga] memory write ack at 0x" << std::hex << addr + at;
    }
  }

  std::vector<uint8_t> mem_read(uint32_t addr, std::size_t count, int word_bytes) {
    std::vector<uint8_t> out;
    for (std::size_t at = 0; at < count; at += std::size_t(word_bytes)) {
      std::vector<uint8_t> f{0x52};
      put32(f, addr + static_cast<uint32_t>(at));
      const std::vector<uint8_t> r = transact(f, std::size_t(word_bytes), "memory read");
      out.insert(out.end(), r.begin(), r.end());
    }
    out.resize(count);
    return out;
  }

  // Idle cycles with the line high (the accelerator runs meanwhile).
  void idle(int cycles) {
    for (int i = 0; i < cycles; ++i) cycle();
  }

  uint64_t frames() const { return frames_; }

 private:
  static void put32(std::vector<uint8_t>& f, uint32_t v) {
    for (int i = 0; i < 4; ++i) f.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  static uint32_t get32(const std::vector<uint8_t>& r, std::size_t at) {
    uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v |= static_cast<uint32_t>(r[at + i]) << (8 * i);
    return v;
  }

  std::vector<uint8_t> transact(const std::vector<uint8_t>& frame, std::size_t reply_bytes,
                                const std::string& what) {
    ++frames_;
    for (uint8_t b : frame) send_bits(b);
    rx_bytes_.clear();
    // A reply byte is 10 bit periods; allow the accelerator's bus a generous margin.
    const uint64_t limit = (reply_bytes + 4) * 10 * uint64_t(clks_per_bit_) + 20000;
    const uint64_t start = bench_.cycle();
    while (rx_bytes_.size() < reply_bytes || rx_phase_ != 0) {
      if (bench_.cycle() - start > limit) {
        ADD_FAILURE() << "[fpga] no reply to a " << what << " frame within " << limit
                      << " cycles (got " << rx_bytes_.size() << " of " << reply_bytes
                      << " bytes, cycle " << bench_.cycle() << ")";
        rx_bytes_.resize(reply_bytes, 0);
        break;
      }
      cycle();
    }
    bench_.progress();
    return {rx_bytes_.begin(), rx_bytes_.begin() + std::ptrdiff_t(reply_bytes)};
  }

  // Start bit, 8 data bits LSB first, stop bit, each clks_per_bit_ cycles.
  void send_bits(uint8_t byte) {
    const int bits = (1 << 9) | (int(byte) << 1);
    for (int i = 0; i < 10; ++i) {
      bench_.top().uart_rx_i = (bits >> i) & 1;
      for (int c = 0; c < clks_per_bit_; ++c) cycle();
    }
    bench_.top().uart_rx_i = 1;
  }

  // One clock; the receiver samples uart_tx_o after the edge.
  void cycle() {
    bench_.tick();
    const int line = bench_.top().uart_tx_o;
    if (rx_phase_ == 0) {
      if (line == 0) {  // start bit seen: sample the next bits in their middles
        rx_phase_ = 1;
        rx_count_ = clks_per_bit_ / 2;
        rx_bit_ = 0;
        rx_shift_ = 0;
      }
      return;
    }
    if (--rx_count_ > 0) return;
    rx_count_ = clks_per_bit_;
    if (rx_bit_ == 0) {
      EXPECT_EQ(line, 0) << "[fpga] UART start bit not low in its middle";
    } else if (rx_bit_ <= 8) {
      rx_shift_ |= line << (rx_bit_ - 1);
    } else {
      EXPECT_EQ(line, 1) << "[fpga] UART stop bit not high (framing error)";
      rx_bytes_.push_back(static_cast<uint8_t>(rx_shift_));
      rx_phase_ = 0;
      return;
    }
    ++rx_bit_;
  }

  VerilatedBench<Top>& bench_;
  int clks_per_bit_;
  uint64_t frames_ = 0;
  std::deque<uint8_t> rx_bytes_;
  int rx_phase_ = 0, rx_count_ = 0, rx_bit_ = 0, rx_shift_ = 0;
};

}  // namespace npu::tb::fpga
