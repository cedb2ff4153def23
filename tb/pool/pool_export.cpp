// Writes the Icarus vectors of tb/pool/pool_tb.sv: npu-pool-export <dir> <lanes>.
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>

#include "tb/pool/pool_cases.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " <output dir> <lanes>\n";
    return 2;
  }
  try {
    const int lanes = std::stoi(argv[2]);
    std::filesystem::create_directories(argv[1]);
    for (const auto& c : npu::tb::exported_cases(lanes)) {
      npu::tb::export_vectors(c, argv[1]);
      std::cout << "exported " << c.name << " (lanes " << lanes << ") to " << argv[1] << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "npu-pool-export: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
