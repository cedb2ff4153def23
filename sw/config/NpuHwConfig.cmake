# The hardware configs (configs/*.yaml) as CMake sees them, at configure time: for each config
# <name>, configs/generated/<name>.cmake (written by npu-gen-config, committed because CMake
# needs it before anything is built) sets NPU_HW_<name>_<CONSTANT> (ARRAY_ROWS,
# WEIGHT_BANK_DEPTH, PPU_MAX_CHANNELS, ...; the list is in the file) and the RTL parameter lists
#   NPU_HW_<name>_CORE_PARAMS  Rows=.. ActDepth=.. WgtDepth=.. AccDepth=.. PpuMaxChannels=..
#                              PpuSerial=..  (npu_core, npu_fpga_top)
#   NPU_HW_<name>_TOP_PARAMS   the same plus AddrW=.. IdW=..  (npu_top)
# NPU_HW_CONFIGS lists the names. Every RTL build of a config passes these lists and records
# what it passed with npu_hw_view(); the test config_views_match_yaml compares every recorded
# view, the committed files and the Python flows' reading with a fresh npu-gen-config run.
include_guard(GLOBAL)

set(NPU_HW_GENERATED_DIR ${CMAKE_SOURCE_DIR}/configs/generated)
set(NPU_HW_VIEWS_FILE ${CMAKE_BINARY_DIR}/generated/hw/views.txt)

file(GLOB npu_hw_yamls CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/configs/*.yaml)
set(NPU_HW_CONFIGS)
foreach(yaml IN LISTS npu_hw_yamls)
  get_filename_component(name ${yaml} NAME_WE)
  list(APPEND NPU_HW_CONFIGS ${name})
  set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${yaml})
  file(SHA256 ${yaml} NPU_HW_${name}_YAML_SHA256)
  set(generated ${NPU_HW_GENERATED_DIR}/${name}.cmake)
  if(NOT EXISTS ${generated})
    # A new config: the first build generates its files; the target config_update_committed
    # copies them here. Until then no RTL build can use it.
    message(WARNING "configs/${name}.yaml has no configs/generated/${name}.cmake yet: build the "
      "target config_update_committed and configure again")
    continue()
  endif()
  set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${generated})
  include(${generated})
  if(NOT NPU_HW_${name}_SOURCE_SHA256 STREQUAL NPU_HW_${name}_YAML_SHA256)
    message(WARNING "configs/generated/${name}.cmake was generated from another version of "
      "configs/${name}.yaml: RTL builds use the old values until you build the target "
      "config_update_committed and configure again (config_generated_files_up_to_date fails)")
  endif()
endforeach()

# npu_hw_view(<consumer> <config> <top module> <Name=value>...): records the RTL parameters a
# build passes for a config, for config_views_match_yaml.
set_property(GLOBAL PROPERTY NPU_HW_VIEWS "")
function(npu_hw_view consumer config top)
  if(NOT DEFINED NPU_HW_${config}_CORE_PARAMS)
    message(FATAL_ERROR "${consumer}: no hardware config '${config}' (configs/${config}.yaml, "
      "configs/generated/${config}.cmake)")
  endif()
  list(JOIN ARGN " " params)
  set_property(GLOBAL APPEND_STRING PROPERTY NPU_HW_VIEWS "${consumer}\t${config}\t${top}\t${params}\n")
endfunction()

function(npu_hw_write_views)
  get_property(views GLOBAL PROPERTY NPU_HW_VIEWS)
  file(CONFIGURE OUTPUT ${NPU_HW_VIEWS_FILE} CONTENT "${views}" @ONLY)
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL npu_hw_write_views)
