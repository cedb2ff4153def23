#include "sw/data/image_file.h"

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <utility>

#include "sw/data/data_error.h"
#include "sw/data/jpeg_decoder.h"
#include "sw/data/pnm_decoder.h"

namespace npu::data {
namespace {

struct StbiFree {
  void operator()(stbi_uc* p) const { stbi_image_free(p); }
};

std::vector<uint8_t> read_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (fs::is_directory(status)) {
    throw DataError("cannot open image file '" + path + "': it is a directory");
  }
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    throw DataError("cannot open image file '" + path + "': not a regular file");
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    throw DataError("cannot open image file '" + path + "': " + std::strerror(errno));
  }
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) throw DataError("cannot get the size of image file '" + path + "': " + ec.message());
  if (size > kMaxImageFileBytes) {
    throw DataError("image file '" + path + "' has " + std::to_string(size) +
                    " bytes, more than the limit of " + std::to_string(kMaxImageFileBytes));
  }
  std::vector<uint8_t> bytes(static_cast<std::size_t>(size));
  f.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (static_cast<std::uintmax_t>(f.gcount()) != size ||
      f.peek() != std::ifstream::traits_type::eof()) {
    throw DataError("error reading image file '" + path + "': its size changed while reading");
  }
  return bytes;
}

void check_pixel_count(int64_t height, int64_t width, const std::string& what) {
  if (height * width > kMaxImagePixels) {
    throw DataError("image '" + what + "' is " + std::to_string(height) + "x" +
                    std::to_string(width) + " (" + std::to_string(height * width) +
                    " pixels), more than the limit of " + std::to_string(kMaxImagePixels));
  }
}

bool is_png(const std::vector<uint8_t>& bytes) {
  static const uint8_t kSignature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  return bytes.size() >= sizeof kSignature &&
         std::equal(std::begin(kSignature), std::end(kSignature), bytes.begin());
}

bool is_pnm(const std::vector<uint8_t>& bytes) {
  return bytes.size() >= 2 && bytes[0] == 'P' && (bytes[1] == '5' || bytes[1] == '6');
}

}  // namespace

Image decode_image(const std::vector<uint8_t>& bytes, const std::string& what) {
  if (bytes.empty()) throw DataError("image '" + what + "' is empty");
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw DataError("image '" + what + "' is too large");
  }
  if (std::optional<Image> pnm = decode_binary_pnm(bytes, what)) return std::move(*pnm);
  int w = 0, h = 0, c = 0;
  if (stbi_info_from_memory(bytes.data(), static_cast<int>(bytes.size()), &w, &h, &c)) {
    check_pixel_count(h, w, what);
  }
  std::unique_ptr<stbi_uc, StbiFree> pixels(
      stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &w, &h, &c, 0));
  if (!pixels) {
    const char* reason = stbi_failure_reason();
    throw DataError("cannot decode image '" + what + "': " + (reason ? reason : "unknown format") +
                    " (supported: PNG, JPEG, PGM/PPM, BMP, TGA, GIF)");
  }
  if (w <= 0 || h <= 0 || c < 1 || c > 4) {
    throw DataError("image '" + what + "' has unusable dimensions " + std::to_string(h) + "x" +
                    std::to_string(w) + "x" + std::to_string(c));
  }
  Image img(h, w, c);
  std::memcpy(img.pixels.data(), pixels.get(), img.pixels.size());
  return img;
}

Image load_image_file(const std::string& path) { return decode_image(read_file(path), path); }

Image load_image_file_like_pil(const std::string& path) {
  const std::vector<uint8_t> bytes = read_file(path);
  if (bytes.empty()) throw DataError("image '" + path + "' is empty");
  if (is_jpeg(bytes)) return decode_jpeg(bytes, path, kMaxImagePixels);
  if (is_png(bytes)) {
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
        stbi_is_16_bit_from_memory(bytes.data(), static_cast<int>(bytes.size()))) {
      throw DataError("image '" + path + "': 16-bit PNGs are not supported with a preprocess " +
                      "list (PIL opens gray ones as 32-bit integers); save it with 8 bits");
    }
    return decode_image(bytes, path);
  }
  if (is_pnm(bytes)) {
    std::optional<Image> img = decode_binary_pnm(bytes, path, 255);
    return std::move(*img);
  }
  throw DataError("cannot decode image '" + path + "' for a model with a preprocess list: " +
                  "only JPEG, PNG and binary PGM/PPM (maxval 255) are supported");
}

Image load_image_for_input(const std::string& path, int height, int width, int channels) {
  const Image img = load_image_file(path);
  try {
    return fit_image(img, height, width, channels);
  } catch (const DataError& e) {
    throw DataError("image '" + path + "': " + e.what());
  }
}

void write_pnm(const std::string& path, const Image& image) {
  if (image.channels != 1 && image.channels != 3) {
    throw DataError("cannot write '" + path + "' as PGM/PPM: " + std::to_string(image.channels) +
                    " channels (need 1 or 3)");
  }
  std::ofstream f(path, std::ios::binary);
  if (!f) throw DataError("cannot create '" + path + "': " + std::strerror(errno));
  f << (image.channels == 1 ? "P5" : "P6") << "\n"
    << image.width << " " << image.height << "\n255\n";
  f.write(reinterpret_cast<const char*>(image.pixels.data()),
          static_cast<std::streamsize>(image.pixels.size()));
  if (!f) throw DataError("error writing '" + path + "'");
}

void write_png(const std::string& path, const Image& image) {
  if (image.channels < 1 || image.channels > 4 || image.pixels.empty()) {
    throw DataError("cannot write '" + path + "' as PNG: bad image");
  }
  if (!stbi_write_png(path.c_str(), image.width, image.height, image.channels, image.pixels.data(),
                      image.width * image.channels)) {
    throw DataError("cannot write PNG '" + path + "'");
  }
}

}  // namespace npu::data
