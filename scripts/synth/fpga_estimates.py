"""FPGA resource estimates of one block (npu_synth.py): Yosys synth_ice40 / synth_ecp5 /
synth_xilinx cell counts (LUT, FF, DSP, BRAM) before place and route.

Only the Python standard library.
"""

from pathlib import Path

from rtl_tools import display_name, flatten_counts, module_files, read_hier_stats, run, \
    yosys_read

FPGA_ARCHS = {
    # name: (yosys command, device note)
    "ice40": ("synth_ice40 -dsp -top {top}", "iCE40 UltraPlus (SB_MAC16 DSPs)"),
    "ecp5": ("synth_ecp5 -top {top}", "ECP5"),
    "xilinx": ("synth_xilinx -family xc7 -flatten -top {top}", "Xilinx 7-series"),
}

# An FPGA run that takes longer is reported as timed out rather than holding up the sweep.
FPGA_TIMEOUT_S = 600


FPGA_CLASSES = {
    "ice40": {"LUT": ["SB_LUT4"], "FF": ["SB_DFF"], "DSP": ["SB_MAC16"],
              "BRAM": ["SB_RAM40_4K"], "SPRAM": ["SB_SPRAM256KA"], "carry": ["SB_CARRY"]},
    "ecp5": {"LUT": ["LUT4"], "FF": ["TRELLIS_FF"], "DSP": ["MULT18X18D", "ALU54B"],
             "BRAM": ["DP16KD"], "LUTRAM": ["TRELLIS_DPR16X4"], "carry": ["CCU2C"]},
    "xilinx": {"LUT": ["LUT1", "LUT2", "LUT3", "LUT4", "LUT5", "LUT6", "SRL16E", "SRLC32E"],
               "FF": ["FDRE", "FDSE", "FDCE", "FDPE"], "DSP": ["DSP48E1"],
               "BRAM": ["RAMB18E1", "RAMB36E1"],
               "LUTRAM": ["RAM32M", "RAM64M", "RAM32X1D", "RAM64X1D", "RAM128X1D",
                          "RAM256X1S", "RAM32X1S", "RAM64X1S", "RAM128X1S"],
               "carry": ["CARRY4"]},
}


def fpga_block(work, arch, top, params, keep):
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    files = module_files(top)
    ys = yosys_read(files, top, params, keep) + [
        FPGA_ARCHS[arch][0].format(top=top),
        f"tee -q -o {work}/stat.json stat -json -top {top}",
    ]
    (work / "fpga.ys").write_text("\n".join(ys) + "\n")
    t = run(["yosys", "-q", "-l", str(work / "yosys.log"), "-s", str(work / "fpga.ys")],
            work / "yosys.out", work, timeout=FPGA_TIMEOUT_S)
    mods, _ = read_hier_stats(work / "stat.json")
    top_key = next(k for k in mods if display_name(k) == top)
    cells, _ = flatten_counts(mods, top_key)
    out = {}
    for cls, prefixes in FPGA_CLASSES[arch].items():
        out[cls] = sum(n for c, n in cells.items() if any(c.startswith(p) for p in prefixes))
    if arch == "xilinx":
        # RAMB36 = two RAMB18: report 18 Kbit blocks.
        out["BRAM"] = (sum(n for c, n in cells.items() if c.startswith("RAMB18"))
                       + 2 * sum(n for c, n in cells.items() if c.startswith("RAMB36")))
    out["yosys_s"] = round(t, 1)
    return out
