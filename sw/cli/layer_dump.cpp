#include "sw/cli/layer_dump.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "sw/data/data_error.h"
#include "sw/model/reference_executor.h"

namespace npu::cli {
namespace {

void check_file_name(const std::string& layer) {
  if (layer.empty() || layer[0] == '.' || layer.find('/') != std::string::npos ||
      layer.find('\\') != std::string::npos) {
    throw data::DataError("--dump-layers: layer name '" + layer + "' is not usable as a file name");
  }
}

std::ofstream open_out(const std::filesystem::path& path) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw data::DataError("--dump-layers: cannot write '" + path.string() + "'");
  return f;
}

std::string layer_line(const model::Layer& l) {
  char scale[32];
  std::snprintf(scale, sizeof scale, "%.9g", static_cast<double>(l.output_quant.scale));
  const golden::Shape& s = l.output_shape;
  return l.name + " " + std::to_string(s.h) + " " + std::to_string(s.w) + " " +
         std::to_string(s.c) + " " + scale + " " + std::to_string(l.output_quant.zero_point) + "\n";
}

}  // namespace

void dump_layers(const model::Network& net, const InputSet& inputs, const std::string& dir) {
  const std::filesystem::path root(dir);
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  if (ec) throw data::DataError("--dump-layers: cannot create '" + dir + "': " + ec.message());
  std::map<std::string, std::ofstream> files;
  std::ofstream index = open_out(root / "layers.txt");
  for (const model::Layer& l : net.layers) {
    check_file_name(l.name);
    files.emplace(l.name, open_out(root / (l.name + ".bin")));
  }
  // run_reference calls back in execution order: layers.txt follows it.
  bool first_image = true;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    model::run_reference(net, inputs.input(i), [&](const model::Layer& l, const golden::Tensor& t) {
      if (first_image) index << layer_line(l);
      files.at(l.name).write(reinterpret_cast<const char*>(t.data.data()),
                             static_cast<std::streamsize>(t.data.size()));
    });
    first_image = false;
  }
  for (auto& [name, f] : files) {
    f.flush();
    if (!f) throw data::DataError("--dump-layers: write error on '" + name + ".bin'");
  }
  index.flush();
  if (!index) throw data::DataError("--dump-layers: write error on layers.txt");
}

}  // namespace npu::cli
