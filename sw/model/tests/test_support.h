// Shared by the model tests: a temporary folder per test, a tiny hand-made network that
// exercises every op, file edits to break a saved model, and field-by-field comparison.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "sw/model/network.h"

namespace npu::model::testing {

// A fresh folder under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
};

// input [4, 4, 2] -> conv1 (3x3 p1, 3 ch, relu) -> conv2 (1x1, 3 ch)
//   -> add(conv2, conv1, relu) -> pool (max 2x2 s2) -> gap -> fc (2 outputs)
// Weight file layout (bytes): conv1 0..80 (weights 54 + 2 pad, bias 56..68, scales
// 68..80), conv2 80..116 (weights 9 + 3 pad, bias 92..104, scales 104..116), fc 116..140
// (weights 6 + 2 pad, bias 124..132, scales 132..140).
Network tiny_network();

std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);
std::vector<uint8_t> read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes);
void put_u32(std::vector<uint8_t>& bytes, std::size_t offset, uint32_t value);
void put_float(std::vector<uint8_t>& bytes, std::size_t offset, float value);

// Loads the YAML as a node tree, lets `edit` change it and writes it back.
void edit_yaml(const std::string& path, const std::function<void(YAML::Node&)>& edit);
// The YAML map of the layer called `name`.
YAML::Node layer_node(YAML::Node& root, const std::string& name);
// Replaces the first occurrence of `from` (which must exist) in the file.
void replace_text(const std::string& path, const std::string& from, const std::string& to);

// Every field of both networks, with the layer name in failure messages.
void expect_same_network(const Network& a, const Network& b);

// `f` throws ModelError whose message contains every one of `parts`.
void expect_model_error(const std::function<void()>& f, std::initializer_list<std::string> parts);

}  // namespace npu::model::testing
