#include "sw/data/image_file.h"

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

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
#include "sw/data/pnm_decoder.h"

namespace npu::data {
namespace {

struct StbiFree {
  void operator()(stbi_uc* p) const { stbi_image_free(p); }
};

std::vector<uint8_t> read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw DataError("cannot open image file '" + path + "': it is a directory");
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    throw DataError("cannot open image file '" + path + "': " + std::strerror(errno));
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) throw DataError("error reading image file '" + path + "'");
  return bytes;
}

}  // namespace

Image decode_image(const std::vector<uint8_t>& bytes, const std::string& what) {
  if (bytes.empty()) throw DataError("image '" + what + "' is empty");
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw DataError("image '" + what + "' is too large");
  }
  if (std::optional<Image> pnm = decode_binary_pnm(bytes, what)) return std::move(*pnm);
  int w = 0, h = 0, c = 0;
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
