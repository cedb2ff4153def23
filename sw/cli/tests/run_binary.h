// Runs the npu-run executable the way a user does and captures what it prints.
#pragma once

#include <string>
#include <vector>

namespace npu::cli::testing {

struct Invocation {
  int exit_code = -1;  // -1 if it did not exit normally (crash)
  std::string out;
  std::string err;
};

// Arguments are single-quoted for the shell; stderr goes through a temporary file.
Invocation run_npu_run_binary(const std::vector<std::string>& args);

std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);

}  // namespace npu::cli::testing
