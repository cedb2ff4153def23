#include "sw/data/jpeg_decoder.h"

#include <csetjmp>

// jpeglib.h needs size_t and FILE declared before it, jerror.h needs jpeglib.h.
// clang-format off
#include <cstddef>
#include <cstdio>
#include <jpeglib.h>
#include <jerror.h>  // JWRN_JPEG_EOF
// clang-format on

#include "sw/data/data_error.h"

namespace npu::data {
namespace {

// libjpeg reports fatal errors through error_exit, which must not return. Unwinding a C++
// exception through the C library is not safe, so error_exit longjmps back into the two
// small functions below; they hold only trivially destructible locals, which makes the
// jump well defined. The message is kept for the DataError thrown afterwards.
struct ErrorManager {
  jpeg_error_mgr pub;  // first member: libjpeg hands back a pointer to it
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void on_error(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// Warnings (level -1) about corrupt data are what Pillow ignores too, except a premature
// end of file, which libjpeg would silently pad with gray and Pillow reports as truncated.
void on_message(j_common_ptr cinfo, int level) {
  if (level == -1 && cinfo->err->msg_code == JWRN_JPEG_EOF) on_error(cinfo);
}

// Owns the decompressor so that it is destroyed however decoding ends.
class Decompressor {
 public:
  Decompressor() {
    cinfo_.err = jpeg_std_error(&err_.pub);
    err_.pub.error_exit = on_error;
    err_.pub.emit_message = on_message;
    err_.message[0] = '\0';
  }
  ~Decompressor() {
    if (created_) jpeg_destroy_decompress(&cinfo_);
  }
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;

  // Each returns false after a libjpeg error; message() says which.
  bool read_header(const uint8_t* data, std::size_t size) {
    if (setjmp(err_.jump)) return false;
    jpeg_create_decompress(&cinfo_);
    created_ = true;
    jpeg_mem_src(&cinfo_, data, static_cast<unsigned long>(size));
    jpeg_read_header(&cinfo_, TRUE);
    return true;
  }
  // `out` holds height rows of width * components bytes, the sizes the header gave.
  bool decode_into(uint8_t* out, JDIMENSION width, JDIMENSION height, int components) {
    if (setjmp(err_.jump)) return false;
    jpeg_start_decompress(&cinfo_);
    if (cinfo_.output_width != width || cinfo_.output_height != height ||
        cinfo_.output_components != components) {
      std::snprintf(err_.message, sizeof err_.message,
                    "decoder output size differs from the header");
      return false;
    }
    const std::size_t row_bytes = std::size_t{width} * static_cast<std::size_t>(components);
    while (cinfo_.output_scanline < cinfo_.output_height) {
      JSAMPROW row = out + row_bytes * cinfo_.output_scanline;
      jpeg_read_scanlines(&cinfo_, &row, 1);
    }
    jpeg_finish_decompress(&cinfo_);
    return true;
  }

  jpeg_decompress_struct& info() { return cinfo_; }
  const char* message() const { return err_.message; }

 private:
  jpeg_decompress_struct cinfo_{};
  ErrorManager err_{};
  bool created_ = false;
};

}  // namespace

bool is_jpeg(const std::vector<uint8_t>& bytes) {
  return bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
}

Image decode_jpeg(const std::vector<uint8_t>& bytes, const std::string& what, int64_t max_pixels) {
  Decompressor d;
  if (!d.read_header(bytes.data(), bytes.size())) {
    throw DataError("cannot decode JPEG '" + what + "': " + d.message());
  }
  jpeg_decompress_struct& info = d.info();
  if (info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK) {
    throw DataError("cannot decode JPEG '" + what +
                    "': CMYK/YCCK JPEGs are not supported (convert it to RGB first)");
  }
  info.out_color_space = info.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  const int64_t pixels = int64_t{info.image_width} * info.image_height;
  if (pixels > max_pixels) {
    throw DataError("image '" + what + "' is " + std::to_string(info.image_height) + "x" +
                    std::to_string(info.image_width) + " (" + std::to_string(pixels) +
                    " pixels), more than the limit of " + std::to_string(max_pixels));
  }
  const int channels = info.out_color_space == JCS_GRAYSCALE ? 1 : 3;
  Image img(static_cast<int>(info.image_height), static_cast<int>(info.image_width), channels);
  if (!d.decode_into(img.pixels.data(), info.image_width, info.image_height, channels)) {
    throw DataError("cannot decode JPEG '" + what + "': " + d.message());
  }
  return img;
}

}  // namespace npu::data
