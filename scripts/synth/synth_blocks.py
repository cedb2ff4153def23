"""The blocks a synthesis sweep runs for one configuration and the parameters of each, from
the configuration's generated parameters (npu_config.read_config): npu_top and npu_core
parameters exactly as the RTL builds pass them, nothing derived here.

Only the Python standard library.
"""

from asic_flow import SRAM_UM2_PER_BIT, SRAM_UM2_PER_MACRO
from rtl_tools import RTL

# The blocks of a sweep, in report order (default: all that block_defs() has).
BLOCK_ORDER = ("pe", "array", "ppu", "pool", "dma", "ctrl", "regfile", "datapath", "top")

def block_defs(cfg):
    """The blocks of one configuration: name -> synthesis job description."""
    rows, cols = cfg["array.rows"], cfg["array.cols"]
    core = cfg["npu_core_params"]
    act_depth, wgt_depth, acc_depth = core["ActDepth"], core["WgtDepth"], core["AccDepth"]
    ppu_channels = core["PpuMaxChannels"]
    blocks = {
        "pe": dict(top="npu_pe", params={}, keep=[]),
        "array": dict(top="npu_systolic_array", params={"Rows": rows, "Cols": cols},
                      keep=["npu_pe"]),
        "ppu": dict(top="npu_ppu", params={"Lanes": cols, "MaxChannels": ppu_channels,
                                            "Serial": core["PpuSerial"]},
                    keep=["npu_ppu_lane", "*npu_ppu_table"],
                    table_bits=ppu_channels * 70, table_macros=cols),
        "pool": dict(top="npu_pool", params={"Lanes": cols}, keep=[]),
    }
    if (RTL / "npu_datapath.sv").exists():
        blocks["datapath"] = dict(
            top="npu_datapath",
            params=dict(core, Cols=cols),
            keep=["npu_pe", "npu_systolic_array", "*npu_systolic_array", "npu_ppu_lane",
                  "*npu_ppu", "*npu_im2col", "*npu_accum", "*npu_pool", "*npu_dma",
                  "*npu_weight_feed"],
            macros=["npu_sram", "npu_ppu_table"])
    if (RTL / "npu_dma.sv").exists():
        axi = {"DataW": "axi.data_bits", "AddrW": "axi.addr_bits", "IdW": "axi.id_bits",
               "MaxBurst": "axi.max_burst_beats", "MaxOutstanding": "axi.max_outstanding_reads"}
        blocks["dma"] = dict(top="npu_dma", params={p: cfg[k] for p, k in axi.items() if k in cfg},
                             keep=[])
    # npu_datapath and npu_top take the generated parameter lists as npu_core / npu_top get
    # them in every RTL build. Control, parameterised as npu_core / npu_top do: the bus word is one scratchpad word
    # (DataW = Rows * 8, = axi.data_bits in every config), AXI address and ID widths from the
    # config, the other widths (SpAddrW, LenW, CntW, TagW, watchdog) the modules' defaults,
    # which are the core's values.
    bus = {p: cfg[k] for p, k in (("AddrW", "axi.addr_bits"), ("IdW", "axi.id_bits")) if k in cfg}
    if (RTL / "npu_ctrl.sv").exists():
        blocks["ctrl"] = dict(
            top="npu_ctrl",
            params=dict({"DataW": rows * 8}, **bus, AxiId=1, Rows=rows, ActDepth=act_depth,
                        WgtDepth=wgt_depth, AccDepth=acc_depth),
            keep=[])
    if (RTL / "npu_regfile.sv").exists():
        blocks["regfile"] = dict(
            top="npu_regfile",
            params=dict(Rows=rows, Cols=cols, AxiBytes=rows,
                        **{k: v for k, v in bus.items() if k == "AddrW"}),
            keep=[])
    if (RTL / "npu_top.sv").exists() and "datapath" in blocks and rows == cols:
        # The whole chip: register file, control, both DMAs, datapath and npu_core's glue,
        # memories as macros, the big submodules kept (each synthesized once). npu_top has
        # a square array (Cols = Rows).
        blocks["top"] = dict(
            top="npu_top",
            params=dict(cfg["npu_top_params"]),
            keep=blocks["datapath"]["keep"] + ["*npu_datapath", "*npu_ctrl", "*npu_regfile"],
            macros=["npu_sram", "npu_ppu_table"])
    # Scratchpads: two banks each of activations, weights, accumulators (configs/README.md).
    sram = {
        "activation": dict(bits=cfg["buffers.activation_kib"] * 8192, macros=2,
                           shape=f"2 x {act_depth} x {rows * 8}"),
        "weight": dict(bits=cfg["buffers.weight_kib"] * 8192, macros=2,
                       shape=f"2 x {wgt_depth} x {cols * 8}"),
        "accumulator": dict(bits=cfg["buffers.accumulator_kib"] * 8192, macros=2,
                            shape=f"2 x {acc_depth} x {cols * 32}"),
        "ppu_table": dict(bits=ppu_channels * 70, macros=cols,
                          shape=f"{cols} x {ppu_channels // cols} x 70"),
    }
    for s in sram.values():
        s["area_um2"] = s["bits"] * SRAM_UM2_PER_BIT + s["macros"] * SRAM_UM2_PER_MACRO
    return blocks, sram
