// npu-run: the project's command-line tool (see --help and docs).
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "sw/cli/run_command.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return npu::cli::run_npu_run(args, std::cout, std::cerr, ::isatty(STDERR_FILENO) != 0);
}
