# npu_add_verilated_bench(): one GoogleTest executable around one Verilated model.
#
#   npu_add_verilated_bench(<name>
#     TOP <module>                  top module of the model
#     RTL <file>...                 SystemVerilog sources (absolute, or relative to the caller)
#     SOURCES <file>...             C++ GoogleTest sources (gtest_main is linked)
#     [PREFIX <class>]              model class (default V<module>); the test includes
#                                   "<class>.h". Targets are separate, so several benches may
#                                   use the same prefix for different parameter sets.
#     [PARAMS <Name>=<value>...]    top-level parameter overrides (verilator -G)
#     [HW_CONFIG <config>]          the model is configs/<config>.yaml's build: PARAMS must
#                                   hold its generated parameters (NPU_HW_<config>_CORE_PARAMS
#                                   or _TOP_PARAMS); recorded for config_views_match_yaml.
#                                   Its clock_mhz times the trace (without: configs/default.yaml)
#     [VERILATOR_ARGS <arg>...]     extra Verilator arguments
#     [MODEL_OPT <flag>]            optimisation of the generated C++ (default -O1: big arrays
#                                   compile much faster and simulate nearly as fast)
#     [LIBS <target>...]            more libraries for the test (e.g. npu_golden)
#     [DEFINES <def>...]            compile definitions for the test sources
#     [LABELS <label>...]           CTest labels of every discovered test (e.g. rtl array)
#     [PROPERTIES <prop> <value>...] other CTest properties of every discovered test
#     [TEST_PREFIX <text>]          CTest name prefix (default none), e.g. "array_8x8.", so
#                                   that one test source built for several parameter sets
#                                   gives unique CTest names (or use a suite name per set)
#   )
#
# The model is verilated with --assert (the simulation-only checkers of rtl/README.md, added to
# RTL here, stop the bench at the first protocol violation) and --trace-fst into a static library <name>_model compiled without
# warnings (generated code is not ours to fix); the Verilator headers are SYSTEM includes of
# the test, so -Werror applies to the bench code only. Tests are registered through
# gtest_discover_tests, named [<TEST_PREFIX>]<Suite>.<Test>.
include_guard(GLOBAL)

function(npu_add_verilated_bench name)
  cmake_parse_arguments(PARSE_ARGV 1 NB ""
    "TOP;PREFIX;MODEL_OPT;TEST_PREFIX;HW_CONFIG"
    "RTL;SOURCES;PARAMS;VERILATOR_ARGS;LIBS;DEFINES;PROPERTIES;LABELS")
  if(NOT NB_TOP OR NOT NB_RTL OR NOT NB_SOURCES)
    message(FATAL_ERROR "npu_add_verilated_bench(${name}): TOP, RTL and SOURCES are required")
  endif()
  if(NOT NB_PREFIX)
    set(NB_PREFIX V${NB_TOP})
  endif()
  if(NOT DEFINED NB_TEST_PREFIX)
    set(NB_TEST_PREFIX "")
  endif()
  # The config whose clock_mhz times the trace (tb/common/verilated_bench.h).
  set(NB_CLOCK_CONFIG default)
  if(NB_HW_CONFIG)
    set(NB_CLOCK_CONFIG ${NB_HW_CONFIG})
  endif()
  if(NOT NB_MODEL_OPT)
    set(NB_MODEL_OPT -O1)
  endif()
  set(gparams)
  foreach(p IN LISTS NB_PARAMS)
    list(APPEND gparams -G${p})
  endforeach()
  if(NB_HW_CONFIG)
    npu_hw_view(${name} ${NB_HW_CONFIG} ${NB_TOP} ${NB_PARAMS})
  endif()

  set(rtl ${NPU_RTL_SIM_CHECKS} ${NB_RTL})
  list(REMOVE_DUPLICATES rtl)

  set(model ${name}_model)
  # Verilator's output directory, named here so the test can include the model's headers.
  set(vdir ${CMAKE_CURRENT_BINARY_DIR}/${model}_verilated)
  add_library(${model} STATIC)
  verilate(${model}
    SOURCES ${rtl}
    TOP_MODULE ${NB_TOP}
    PREFIX ${NB_PREFIX}
    DIRECTORY ${vdir}
    TRACE_FST
    VERILATOR_ARGS -O3 --assert --x-assign fast --x-initial fast ${gparams} ${NB_VERILATOR_ARGS})
  target_compile_options(${model} PRIVATE -w ${NB_MODEL_OPT})
  target_link_libraries(${model} PUBLIC Threads::Threads)

  add_executable(${name} ${NB_SOURCES})
  target_include_directories(${name} SYSTEM PRIVATE
    ${vdir} ${VERILATOR_ROOT}/include ${VERILATOR_ROOT}/include/vltstd)
  target_compile_definitions(${name} PRIVATE VM_TRACE=1 VM_TRACE_FST=1 ${NB_DEFINES}
    NPU_BENCH_HW_HEADER="npu_hw/${NB_CLOCK_CONFIG}.h" NPU_BENCH_HW=npu::hw::${NB_CLOCK_CONFIG}_config)
  target_link_libraries(${name} PRIVATE ${model} npu_tb_common GTest::gtest_main ${NB_LIBS}
    npu_hw_config_${NB_CLOCK_CONFIG})
  if(NB_PROPERTIES)
    gtest_discover_tests(${name} TEST_PREFIX "${NB_TEST_PREFIX}" DISCOVERY_TIMEOUT 60
                         PROPERTIES ${NB_PROPERTIES})
  else()
    gtest_discover_tests(${name} TEST_PREFIX "${NB_TEST_PREFIX}" DISCOVERY_TIMEOUT 60)
  endif()
  if(NB_LABELS)
    # gtest_discover_tests (CMake 3.25) flattens list-valued PROPERTIES, so several labels
    # are set by a script CTest reads after the discovered tests.
    set(labels_file ${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake)
    file(WRITE ${labels_file} "if(DEFINED ${name}_TESTS)\n"
      "  set_tests_properties(\${${name}_TESTS} PROPERTIES LABELS \"${NB_LABELS}\")\n"
      "endif()\n")
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${labels_file})
  endif()
endfunction()
