#include "sw/data/idx_file.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>

#include "sw/data/data_error.h"

namespace npu::data {
namespace {

constexpr uint8_t kUnsignedByteType = 0x08;
constexpr std::size_t kMaxDimension = 1u << 16;  // far above any real image; catches garbage

struct GzClose {
  void operator()(gzFile_s* f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzClose>;

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

uint32_t big_endian_u32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// The whole decompressed content; zlib passes uncompressed files through unchanged.
std::vector<uint8_t> read_all(const std::string& path) {
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) throw DataError("cannot open IDX file '" + path + "': " + std::strerror(errno));
  std::vector<uint8_t> out;
  std::vector<uint8_t> chunk(1 << 20);
  for (;;) {
    const int n = gzread(f.get(), chunk.data(), static_cast<unsigned>(chunk.size()));
    if (n < 0) {
      int err = 0;
      const char* msg = gzerror(f.get(), &err);
      throw DataError("cannot read IDX file '" + path + "': corrupt data (" +
                      (msg ? msg : "zlib error") + ")");
    }
    if (n == 0) break;
    out.insert(out.end(), chunk.begin(), chunk.begin() + n);
  }
  int err = 0;
  const char* msg = gzerror(f.get(), &err);
  if (err != Z_OK && err != Z_STREAM_END) {
    // A gzip stream cut short ends here with "unexpected end of file".
    throw DataError("cannot read IDX file '" + path + "': " + (msg ? msg : "zlib error") +
                    " (truncated or corrupt gzip data)");
  }
  return out;
}

// Checks the magic number and returns the dimensions.
std::vector<uint32_t> parse_header(const std::vector<uint8_t>& bytes, const std::string& path,
                                   int expected_dims, const char* kind) {
  const uint32_t expected_magic = (uint32_t{kUnsignedByteType} << 8) | expected_dims;
  if (bytes.size() < 4) {
    throw DataError("IDX " + std::string(kind) + " file '" + path + "' is truncated: " +
                    std::to_string(bytes.size()) + " bytes, too short for a header");
  }
  const uint32_t magic = big_endian_u32(bytes.data());
  if (magic != expected_magic) {
    std::string hint;
    if (magic == 0x00000801u) hint = " (this is an IDX label file)";
    if (magic == 0x00000803u) hint = " (this is an IDX image file)";
    throw DataError("IDX " + std::string(kind) + " file '" + path + "' has magic number " +
                    hex32(magic) + ", expected " + hex32(expected_magic) + hint);
  }
  const std::size_t header = 4 + 4 * static_cast<std::size_t>(expected_dims);
  if (bytes.size() < header) {
    throw DataError("IDX " + std::string(kind) + " file '" + path +
                    "' is truncated: " + std::to_string(bytes.size()) +
                    " bytes, the header alone needs " + std::to_string(header));
  }
  std::vector<uint32_t> dims;
  for (int d = 0; d < expected_dims; ++d) dims.push_back(big_endian_u32(&bytes[4 + 4 * d]));
  if (dims[0] == 0 || dims[0] > static_cast<uint32_t>(std::numeric_limits<int>::max())) {
    throw DataError("IDX " + std::string(kind) + " file '" + path + "' declares " +
                    std::to_string(dims[0]) + " items");
  }
  for (int d = 1; d < expected_dims; ++d) {
    if (dims[d] == 0 || dims[d] > kMaxDimension) {
      throw DataError("IDX " + std::string(kind) + " file '" + path + "' has dimension " +
                      std::to_string(d) + " = " + std::to_string(dims[d]) + " (expected 1.." +
                      std::to_string(kMaxDimension) + ")");
    }
  }
  std::size_t payload = 1;
  for (uint32_t d : dims) payload *= d;
  const std::size_t have = bytes.size() - header;
  if (have < payload) {
    throw DataError("IDX " + std::string(kind) + " file '" + path + "' is truncated: header " +
                    "declares " + std::to_string(dims[0]) + " items (" + std::to_string(payload) +
                    " data bytes) but only " + std::to_string(have) + " bytes follow");
  }
  if (have > payload) {
    throw DataError("IDX " + std::string(kind) + " file '" + path + "' has " +
                    std::to_string(have - payload) + " bytes after the " + std::to_string(dims[0]) +
                    " items its header declares");
  }
  return dims;
}

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

void write_all(const std::string& path, const std::vector<uint8_t>& bytes, bool gzip) {
  // "T" asks zlib for a plain (transparent) write.
  GzFile f(gzopen(path.c_str(), gzip ? "wb" : "wbT"));
  if (!f) throw DataError("cannot create '" + path + "': " + std::strerror(errno));
  if (!bytes.empty() && gzwrite(f.get(), bytes.data(), static_cast<unsigned>(bytes.size())) !=
                            static_cast<int>(bytes.size())) {
    throw DataError("error writing '" + path + "'");
  }
  if (gzclose(f.release()) != Z_OK) throw DataError("error closing '" + path + "'");
}

}  // namespace

IdxImages read_idx_images(const std::string& path) {
  std::vector<uint8_t> bytes = read_all(path);
  const std::vector<uint32_t> dims = parse_header(bytes, path, 3, "image");
  IdxImages out;
  out.count = static_cast<int>(dims[0]);
  out.rows = static_cast<int>(dims[1]);
  out.cols = static_cast<int>(dims[2]);
  out.pixels.assign(bytes.begin() + 16, bytes.end());
  return out;
}

std::vector<uint8_t> read_idx_labels(const std::string& path) {
  std::vector<uint8_t> bytes = read_all(path);
  parse_header(bytes, path, 1, "label");
  return std::vector<uint8_t>(bytes.begin() + 8, bytes.end());
}

Dataset load_idx_dataset(const std::string& images_path, const std::string& labels_path,
                         int num_classes) {
  IdxImages images = read_idx_images(images_path);
  const std::vector<uint8_t> labels = read_idx_labels(labels_path);
  if (labels.size() != static_cast<std::size_t>(images.count)) {
    throw DataError("IDX label file '" + labels_path + "' has " + std::to_string(labels.size()) +
                    " labels but image file '" + images_path + "' has " +
                    std::to_string(images.count) + " images");
  }
  Dataset ds;
  ds.name = images_path;
  ds.height = images.rows;
  ds.width = images.cols;
  ds.channels = 1;
  ds.pixels = std::move(images.pixels);
  ds.labels.reserve(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (num_classes > 0 && labels[i] >= num_classes) {
      throw DataError("IDX label file '" + labels_path + "': label " + std::to_string(i) + " is " +
                      std::to_string(labels[i]) + ", expected 0.." +
                      std::to_string(num_classes - 1));
    }
    ds.labels.push_back(labels[i]);
  }
  return ds;
}

void write_idx_images(const std::string& path, const IdxImages& images, bool gzip) {
  std::vector<uint8_t> bytes;
  put_u32(bytes, 0x00000803u);
  put_u32(bytes, static_cast<uint32_t>(images.count));
  put_u32(bytes, static_cast<uint32_t>(images.rows));
  put_u32(bytes, static_cast<uint32_t>(images.cols));
  bytes.insert(bytes.end(), images.pixels.begin(), images.pixels.end());
  write_all(path, bytes, gzip);
}

void write_idx_labels(const std::string& path, const std::vector<uint8_t>& labels, bool gzip) {
  std::vector<uint8_t> bytes;
  put_u32(bytes, 0x00000801u);
  put_u32(bytes, static_cast<uint32_t>(labels.size()));
  bytes.insert(bytes.end(), labels.begin(), labels.end());
  write_all(path, bytes, gzip);
}

}  // namespace npu::data
