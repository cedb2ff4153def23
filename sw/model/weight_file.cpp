#include "sw/model/weight_file.h"

#include <cstring>

#include "sw/model/model_error.h"

namespace npu::model {

namespace {

std::size_t padding_after(std::size_t n) { return (4 - n % 4) % 4; }

std::size_t weight_count(const golden::ConvWeights& w) {
  return static_cast<std::size_t>(w.out_channels) * w.kernel_h * w.kernel_w * w.in_channels;
}

// Byte by byte, so the file is little-endian whatever the host is.
void put_u32(uint32_t v, std::vector<uint8_t>& out) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

uint32_t get_u32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

}  // namespace

std::size_t weight_section_bytes(const golden::ConvWeights& w) {
  const std::size_t n = weight_count(w);
  return n + padding_after(n) + 8 * static_cast<std::size_t>(w.out_channels);
}

void append_weight_sections(const golden::ConvWeights& w, std::vector<uint8_t>& out) {
  for (int8_t v : w.data) out.push_back(static_cast<uint8_t>(v));
  out.insert(out.end(), padding_after(w.data.size()), 0);
  for (int32_t b : w.bias) put_u32(static_cast<uint32_t>(b), out);
  for (float s : w.scales) {
    uint32_t bits = 0;
    std::memcpy(&bits, &s, sizeof bits);
    put_u32(bits, out);
  }
}

void read_weight_sections(const std::vector<uint8_t>& bytes, std::size_t& offset,
                          golden::ConvWeights& w, const std::string& file,
                          const std::string& layer) {
  const std::size_t count = weight_count(w);
  const std::size_t out = static_cast<std::size_t>(w.out_channels);
  struct Section {
    const char* field;
    std::size_t size;
  };
  const Section sections[] = {
      {"weights", count + padding_after(count)}, {"bias", 4 * out}, {"weight_scales", 4 * out}};
  std::size_t end = offset;
  for (const Section& s : sections) {
    if (bytes.size() - end < s.size) {
      ErrorSite{file, layer, s.field}.fail(
          "section runs past the end of the file: needs bytes " + std::to_string(end) + ".." +
          std::to_string(end + s.size) + " but the file has " + std::to_string(bytes.size()) +
          " bytes (weight file too short, or the YAML does not match it)");
    }
    end += s.size;
  }

  const uint8_t* p = bytes.data() + offset;
  w.data.resize(count);
  for (std::size_t i = 0; i < count; ++i) w.data[i] = static_cast<int8_t>(p[i]);
  for (std::size_t i = count; i < count + padding_after(count); ++i) {
    if (p[i] != 0) {
      ErrorSite{file, layer, "weights"}.fail(
          "padding byte at file offset " + std::to_string(offset + i) +
          " is not zero (is the weight file aligned with the YAML?)");
    }
  }
  p += count + padding_after(count);
  w.bias.resize(out);
  for (std::size_t c = 0; c < out; ++c, p += 4) w.bias[c] = static_cast<int32_t>(get_u32(p));
  w.scales.resize(out);
  for (std::size_t c = 0; c < out; ++c, p += 4) {
    const uint32_t bits = get_u32(p);
    std::memcpy(&w.scales[c], &bits, sizeof bits);
  }
  offset = end;
}

}  // namespace npu::model
