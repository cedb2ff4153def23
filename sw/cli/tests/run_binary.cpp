#include "sw/cli/tests/run_binary.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#ifndef NPU_RUN_BINARY
#error "NPU_RUN_BINARY must be defined by the build"
#endif

namespace npu::cli::testing {
namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

Invocation run_npu_run_binary(const std::vector<std::string>& args) {
  std::string templ = (std::filesystem::temp_directory_path() / "npu_run_stderr_XXXXXX").string();
  const int fd = ::mkstemp(templ.data());
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  ::close(fd);
  const std::string err_path = templ;
  std::string cmd = shell_quote(NPU_RUN_BINARY);
  for (const std::string& a : args) cmd += " " + shell_quote(a);
  cmd += " 2>" + shell_quote(err_path);

  Invocation inv;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed for " + cmd);
  std::array<char, 4096> buf;
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) inv.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  inv.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  inv.err = read_text(err_path);
  std::filesystem::remove(err_path);
  return inv;
}

}  // namespace npu::cli::testing
