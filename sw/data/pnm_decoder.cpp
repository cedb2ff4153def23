#include "sw/data/pnm_decoder.h"

#include "sw/data/data_error.h"
#include "sw/data/image_file.h"

namespace npu::data {
namespace {

bool is_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class HeaderReader {
 public:
  HeaderReader(const std::vector<uint8_t>& bytes, const std::string& what)
      : bytes_(bytes), what_(what) {}

  // A decimal field, skipping whitespace and '#' comments before it.
  long field(const char* name) {
    for (;;) {
      while (pos_ < bytes_.size() && is_space(bytes_[pos_])) ++pos_;
      if (pos_ < bytes_.size() && bytes_[pos_] == '#') {
        while (pos_ < bytes_.size() && bytes_[pos_] != '\n') ++pos_;
        continue;
      }
      break;
    }
    if (pos_ >= bytes_.size() || bytes_[pos_] < '0' || bytes_[pos_] > '9') {
      throw DataError("cannot decode image '" + what_ + "': PGM/PPM header has no valid " + name);
    }
    long v = 0;
    while (pos_ < bytes_.size() && bytes_[pos_] >= '0' && bytes_[pos_] <= '9') {
      v = v * 10 + (bytes_[pos_++] - '0');
      if (v > (1L << 24)) {
        throw DataError("cannot decode image '" + what_ + "': PGM/PPM " + name + " is too large");
      }
    }
    return v;
  }

  // The header ends with exactly one whitespace byte after maxval.
  std::size_t payload_start() {
    if (pos_ >= bytes_.size() || !is_space(bytes_[pos_])) {
      throw DataError("cannot decode image '" + what_ + "': PGM/PPM header is not followed " +
                      "by whitespace");
    }
    return pos_ + 1;
  }

 private:
  const std::vector<uint8_t>& bytes_;
  const std::string& what_;
  std::size_t pos_ = 2;
};

}  // namespace

std::optional<Image> decode_binary_pnm(const std::vector<uint8_t>& bytes, const std::string& what,
                                       long required_maxval) {
  if (bytes.size() < 2 || bytes[0] != 'P' || (bytes[1] != '5' && bytes[1] != '6')) {
    return std::nullopt;
  }
  HeaderReader header(bytes, what);
  const long width = header.field("width");
  const long height = header.field("height");
  const long maxval = header.field("maxval");
  const std::size_t start = header.payload_start();
  if (width == 0 || height == 0 || maxval == 0 || maxval > 65535) {
    throw DataError("cannot decode image '" + what + "': PGM/PPM has width " +
                    std::to_string(width) + ", height " + std::to_string(height) + ", maxval " +
                    std::to_string(maxval) + " (need positive sizes and maxval in 1..65535)");
  }
  if (required_maxval != 0 && maxval != required_maxval) {
    throw DataError("cannot decode image '" + what + "': PGM/PPM maxval is " +
                    std::to_string(maxval) + ", only " + std::to_string(required_maxval) +
                    " is supported here");
  }
  if (width > kMaxImagePixels / height) {
    throw DataError("image '" + what + "' is " + std::to_string(height) + "x" +
                    std::to_string(width) + ", more than the limit of " +
                    std::to_string(kMaxImagePixels) + " pixels");
  }
  const int channels = bytes[1] == '5' ? 1 : 3;
  const std::size_t sample_bytes = maxval > 255 ? 2 : 1;
  Image img(static_cast<int>(height), static_cast<int>(width), channels);
  const std::size_t need = img.pixels.size() * sample_bytes;
  const std::size_t have = bytes.size() - start;
  if (have < need) {
    throw DataError("cannot decode image '" + what + "': truncated PGM/PPM: header declares " +
                    std::to_string(width) + "x" + std::to_string(height) + " (" +
                    std::to_string(need) + " bytes of pixels) but " + std::to_string(have) +
                    " bytes follow");
  }
  const uint8_t* p = bytes.data() + start;
  for (std::size_t i = 0; i < img.pixels.size(); ++i) {
    const long v = sample_bytes == 2 ? (long{p[2 * i]} << 8) | p[2 * i + 1] : long{p[i]};
    if (v > maxval) {
      throw DataError("cannot decode image '" + what + "': PGM/PPM sample " + std::to_string(i) +
                      " is " + std::to_string(v) + ", above maxval " + std::to_string(maxval));
    }
    img.pixels[i] = static_cast<uint8_t>((v * 255 + maxval / 2) / maxval);
  }
  return img;
}

}  // namespace npu::data
