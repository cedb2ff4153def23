# cmake -DPAIRS=<generated>=<committed>,... [-DUPDATE_TARGET=<target>] -P check_generated.cmake
# Fails, naming the stale committed file, when a generated file differs from its committed copy.
if(NOT UPDATE_TARGET)
  set(UPDATE_TARGET regs_update_committed)
endif()
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
    "rebuild the target ${UPDATE_TARGET} (cmake --build <dir> --target ${UPDATE_TARGET})")
endif()
message(STATUS "committed generated files match the description")
