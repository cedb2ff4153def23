# cmake -DPAIRS=<generated>=<committed>,... -P check_generated.cmake
# Fails, naming the stale committed file, when a generated file differs from its committed copy.
string(REPLACE "," ";" pairs "${PAIRS}")
set(stale "")
foreach(pair IN LISTS pairs)
  string(REPLACE "=" ";" files "${pair}")
  list(GET files 0 generated)
  list(GET files 1 committed)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${generated} ${committed}
                  RESULT_VARIABLE differ)
  if(differ)
    list(APPEND stale ${committed})
  endif()
endforeach()
if(stale)
  message(FATAL_ERROR "stale generated files: ${stale}\n"
    "rebuild the target regs_update_committed (cmake --build <dir> --target regs_update_committed)")
endif()
message(STATUS "committed register files match the description")
