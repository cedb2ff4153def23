// The whole npu-run command, callable in-process (the tests do) as well as from main().
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace npu::cli {

// Exit status: 0 success, 1 bad input or failed run (message on err), 2 bad command line.
// Results go to out; notes, progress and errors to err; err_is_tty selects the progress
// style.
int run_npu_run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                bool err_is_tty);

}  // namespace npu::cli
