# The RTL source list of each level of the hierarchy, written once: every Verilator build,
# lint, Yosys and Icarus gate of a block, and the runtime's models, use these lists.
# Order: packages first (Yosys and Icarus read files in order), then leaf modules.
function(npu_rtl_list out)
  set(files)
  foreach(name IN LISTS ARGN)
    list(APPEND files ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/${name}.sv)
  endforeach()
  set(${out} ${files} PARENT_SCOPE)
endfunction()

# Simulation-only checkers (instantiated under `ifndef SYNTHESIS`): every Verilator bench and
# the lint / Icarus gates add them (tb/common/NpuBench.cmake, scripts/check_rtl.sh).
npu_rtl_list(NPU_RTL_SIM_CHECKS npu_assert_stream)

npu_rtl_list(NPU_RTL_DATAPATH
  npu_sram npu_fifo npu_im2col npu_weight_feed npu_accum npu_datapath
  npu_pe npu_delay_line npu_skid_buffer npu_systolic_array
  npu_ppu npu_ppu_finish npu_ppu_lane npu_ppu_mbqm npu_ppu_rdbpot npu_ppu_srdhm npu_ppu_table
  npu_pool_agen npu_pool_div npu_pool)
npu_rtl_list(NPU_RTL_CTRL csr/npu_cmd_pkg npu_fifo npu_ctrl_engine npu_ctrl)
npu_rtl_list(NPU_RTL_DMA npu_dma_agen npu_dma_rd npu_dma_wr npu_dma)
npu_rtl_list(npu_core_file npu_core)
set(NPU_RTL_CORE ${NPU_RTL_CTRL} ${NPU_RTL_DMA} ${NPU_RTL_DATAPATH} ${npu_core_file})
list(REMOVE_DUPLICATES NPU_RTL_CORE)
npu_rtl_list(npu_top_pre csr/npu_regs_pkg npu_regfile)
npu_rtl_list(npu_top_file npu_top)
set(NPU_RTL_TOP ${NPU_RTL_SIM_CHECKS} ${npu_top_pre} ${NPU_RTL_CORE} ${npu_top_file})
npu_rtl_list(npu_fpga_files
  npu_uart_rx npu_uart_tx npu_fpga_uart_bridge npu_fpga_ram npu_fpga_axi_ram npu_fpga_top)
set(NPU_RTL_FPGA_TOP ${NPU_RTL_TOP} ${npu_fpga_files})
