#!/bin/sh
# CXX_COMPILER_LAUNCHER of npu_runtime_models (sw/runtime/CMakeLists.txt): compiles with the
# compiler given as $1 instead of the project's compiler, which CMake passes as $2.
cxx=$1
shift 2
exec "$cxx" "$@"
