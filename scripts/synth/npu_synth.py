#!/usr/bin/python3
"""Area and timing estimates of the accelerator's RTL blocks (`make synth`, docs/synth.md).

ASIC-style: Yosys 0.23 maps each block to the OSU 0.18 um standard cells (qflow-tech-osu018)
with a delay-oriented ABC script constrained to the clock period; OpenSTA reads the netlist,
the liberty and constraints/npu.sdc and reports worst slack, Fmax and the critical path.
FPGA: Yosys synth_ice40 / synth_ecp5 / synth_xilinx resource counts (LUT, FF, DSP, BRAM).
Scratchpads and the PPU parameter table are estimated as SRAM macros with a per-bit model
(SRAM_UM2_PER_BIT below).

    npu_synth.py sweep [--configs a.yaml ...] [--blocks pe,array,...] [--fpga ice40,ecp5,...]
                                # blocks: pe array ppu pool dma ctrl regfile datapath top
    npu_synth.py quick          # CTest check: 4x4 array to OSU018, no latch/undriven, < 1 min
    npu_synth.py module --top M [-G Name=Value]... [--keep M]... [--period NS]
                                # one module (its files found from rtl/ by instantiation)

Only the Python standard library; run with /usr/bin/python3 or any python3.
"""

import argparse
import concurrent.futures
import json
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fanout_repair  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
RTL = ROOT / "rtl"
HERE = Path(__file__).resolve().parent
LIBERTY = Path("/usr/share/qflow/tech/osu018/osu018_stdcells.lib")
SDC = ROOT / "constraints" / "npu.sdc"
STA_TCL = HERE / "sta.tcl"
ABC_DELAY = HERE / "abc_delay.script"

# ABC's delay target as a fraction of the period: the margin is left for what ABC does not
# see (port delays of constraints/npu.sdc, flop setup, the loads of kept submodules' pins).
ABC_TARGET_FRACTION = 0.9

# SRAM area model (assumption, not a measured or vendor figure; see docs/synth.md): a 0.18 um
# 6T bit cell is about 4.5-5 um^2 in published foundry processes; every scratchpad here is a
# 1R1W (two-port) memory, whose 8T cell is about 1.3x larger; decoders, sense amplifiers and
# I/O add roughly 40% (array efficiency about 60% for macros of a few kbit to 1 Mbit). So
# 4.65 * 1.3 / 0.6 ~= 10 um^2 per bit, and a fixed 0.02 mm^2 of periphery per macro.
SRAM_UM2_PER_BIT = 10.0
SRAM_UM2_PER_MACRO = 20000.0

# SRAM macro timing for OpenSTA (assumption, see docs/synth.md): read data 2.5 ns after the
# clock (a registered-output 0.18 um macro of tens of kbit), inputs set up 0.3 ns before it.
SRAM_ACCESS_NS = 2.5
SRAM_SETUP_NS = 0.3
SRAM_HOLD_NS = 0.1

PPU_MAX_CHANNELS = 1024  # npu_ppu's default, every layer of the reference networks

# The blocks of a sweep, in report order (default: all that block_defs() has).
BLOCK_ORDER = ("pe", "array", "ppu", "pool", "dma", "ctrl", "regfile", "datapath", "top")

FPGA_ARCHS = {
    # name: (yosys command, device note)
    "ice40": ("synth_ice40 -dsp -top {top}", "iCE40 UltraPlus (SB_MAC16 DSPs)"),
    "ecp5": ("synth_ecp5 -top {top}", "ECP5"),
    "xilinx": ("synth_xilinx -family xc7 -flatten -top {top}", "Xilinx 7-series"),
}

# An FPGA run that takes longer is reported as timed out rather than holding up the sweep.
FPGA_TIMEOUT_S = 600

INSTANCE_RE = re.compile(r"^\s*(npu_\w+)\s*(?:#\s*\(|\w+\s*\()", re.M)
PACKAGE_RE = re.compile(r"\b(npu_\w+_pkg)\s*::")


class FlowError(RuntimeError):
    pass


# --------------------------------------------------------------------------- configuration

def read_config(path):
    """The few fields needed from a configs/*.yaml (flat two-level YAML, no dependency)."""
    text = Path(path).read_text()
    values = {}
    section = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        m = re.match(r"^(\s*)([A-Za-z_][\w]*)\s*:\s*(.*)$", line)
        if not m:
            continue
        indent, key, val = len(m.group(1)), m.group(2), m.group(3).strip()
        if indent == 0:
            section = key if val == "" else None
            values[key] = val
        elif section:
            values[f"{section}.{key}"] = val
    cfg = {"file": str(Path(path).resolve().relative_to(ROOT)) if str(Path(path).resolve())
           .startswith(str(ROOT)) else str(path)}
    fields = {"name": str, "array.rows": int, "array.cols": int, "buffers.activation_kib": int,
              "buffers.weight_kib": int, "buffers.accumulator_kib": int, "clock_mhz": float}
    for key, conv in fields.items():
        if key not in values or values[key] == "":
            raise FlowError(f"{path}: missing field '{key}'")
        try:
            cfg[key] = conv(values[key].strip("'\""))
        except ValueError:
            raise FlowError(f"{path}: field '{key}': cannot read '{values[key]}' as "
                            f"{conv.__name__}") from None
    for key in ("axi.data_bits", "axi.addr_bits", "axi.id_bits", "axi.max_burst_beats",
                "axi.max_outstanding_reads"):
        if values.get(key):
            cfg[key] = int(values[key])
    if cfg["clock_mhz"] <= 0:
        raise FlowError(f"{path}: field 'clock_mhz' must be positive")
    return cfg


# --------------------------------------------------------------------------- RTL files

def module_files(top, blackbox=()):
    """top's file and every npu_* module it instantiates, transitively (file = module name),
    after the npu_*_pkg packages they use (rtl/ or a subdirectory such as rtl/csr/): Yosys
    reads the files in order and a package must be read before its first use."""
    files, packages, todo, seen = [], [], [top], set()
    while todo:
        mod = todo.pop()
        if mod in seen or mod in blackbox:
            continue
        seen.add(mod)
        path = RTL / f"{mod}.sv"
        if not path.exists():
            raise FlowError(f"rtl/{mod}.sv: module '{mod}' not found (needed by {top})")
        files.append(path)
        text = re.sub(r"//.*", "", path.read_text())
        for inst in INSTANCE_RE.findall(text):
            if inst != mod:
                todo.append(inst)
        for pkg in PACKAGE_RE.findall(text):
            found = sorted(RTL.rglob(f"{pkg}.sv"))
            if not found:
                raise FlowError(f"rtl/**/{pkg}.sv: package '{pkg}' not found (used by "
                                f"rtl/{mod}.sv)")
            if found[0] not in packages:
                packages.append(found[0])
    return packages + files


def block_defs(cfg):
    """The blocks of one configuration: name -> synthesis job description."""
    rows, cols = cfg["array.rows"], cfg["array.cols"]
    act_depth = cfg["buffers.activation_kib"] * 1024 // 2 // rows
    wgt_depth = cfg["buffers.weight_kib"] * 1024 // 2 // cols
    acc_depth = cfg["buffers.accumulator_kib"] * 1024 // 2 // (cols * 4)
    blocks = {
        "pe": dict(top="npu_pe", params={}, keep=[]),
        "array": dict(top="npu_systolic_array", params={"Rows": rows, "Cols": cols},
                      keep=["npu_pe"]),
        "ppu": dict(top="npu_ppu", params={"Lanes": cols, "MaxChannels": PPU_MAX_CHANNELS},
                    keep=["npu_ppu_lane", "*npu_ppu_table"],
                    table_bits=PPU_MAX_CHANNELS * 70, table_macros=cols),
        "pool": dict(top="npu_pool", params={"Lanes": cols}, keep=[]),
    }
    if (RTL / "npu_datapath.sv").exists():
        blocks["datapath"] = dict(
            top="npu_datapath",
            params={"Rows": rows, "Cols": cols, "ActDepth": act_depth, "WgtDepth": wgt_depth,
                    "AccDepth": acc_depth, "PpuMaxChannels": PPU_MAX_CHANNELS},
            keep=["npu_pe", "npu_systolic_array", "*npu_systolic_array", "npu_ppu_lane",
                  "*npu_ppu", "*npu_im2col", "*npu_accum", "*npu_pool", "*npu_dma",
                  "*npu_weight_feed"],
            macros=["npu_sram", "npu_ppu_table"])
    if (RTL / "npu_dma.sv").exists():
        axi = {"DataW": "axi.data_bits", "AddrW": "axi.addr_bits", "IdW": "axi.id_bits",
               "MaxBurst": "axi.max_burst_beats", "MaxOutstanding": "axi.max_outstanding_reads"}
        blocks["dma"] = dict(top="npu_dma", params={p: cfg[k] for p, k in axi.items() if k in cfg},
                             keep=[])
    # Control, parameterised as npu_core / npu_top do: the bus word is one scratchpad word
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
            params=dict(Rows=rows, ActDepth=act_depth, WgtDepth=wgt_depth, AccDepth=acc_depth,
                        PpuMaxChannels=PPU_MAX_CHANNELS, **bus),
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
        "ppu_table": dict(bits=PPU_MAX_CHANNELS * 70, macros=cols,
                          shape=f"{cols} x {PPU_MAX_CHANNELS // cols} x 70"),
    }
    for s in sram.values():
        s["area_um2"] = s["bits"] * SRAM_UM2_PER_BIT + s["macros"] * SRAM_UM2_PER_MACRO
    return blocks, sram


# --------------------------------------------------------------------------- tools

def run(cmd, log, cwd, timeout=None):
    start = time.monotonic()
    with open(log, "w") as fh:
        proc = subprocess.run(cmd, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT,
                              timeout=timeout)
    secs = time.monotonic() - start
    if proc.returncode != 0:
        tail = Path(log).read_text(errors="replace").splitlines()[-15:]
        raise FlowError(f"{cmd[0]} failed (exit {proc.returncode}), log {log}:\n  "
                        + "\n  ".join(tail))
    return secs


def liberty_areas(path=LIBERTY):
    areas, cell = {}, None
    for line in Path(path).read_text().splitlines():
        m = re.match(r"\s*cell\s*\(\s*\"?(\w+)\"?\s*\)", line)
        if m:
            cell = m.group(1)
            continue
        m = re.match(r"\s*area\s*:\s*([\d.]+)", line)
        if m and cell:
            areas[cell] = float(m.group(1))
            cell = None
    return areas


def display_name(mod):
    """'$paramod$abc\\npu_ppu_table' -> 'npu_ppu_table'."""
    return mod.split("\\")[-1]


def read_hier_stats(stat_json):
    """Per-module cell counts and the instance count of each module under the top."""
    # Yosys 0.23 leaks the text hierarchy listing ("  npu_pe  16") into the JSON's design
    # section when submodules have submodules: drop those lines.
    text = "\n".join(ln for ln in Path(stat_json).read_text().splitlines()
                     if not re.match(r"^\s*[^\s\"{}\[\],]\S*\s+\d+\s*$", ln))
    data = json.loads(text)
    # Public module names carry Yosys' leading backslash here but not in cell types.
    mods = {(name[1:] if name.startswith("\\") else name): m.get("num_cells_by_type", {})
            for name, m in data["modules"].items()}
    return mods, data["design"].get("num_cells_by_type", {})


def flatten_counts(mods, top):
    """Leaf-cell totals of top, and of each distinct submodule (x instances) below it."""
    per_module = {}

    def total(mod, mult):
        cells = {}
        for ctype, n in mods[mod].items():
            if mods.get(ctype):
                sub = total(ctype, mult * n)
                for k, v in sub.items():
                    cells[k] = cells.get(k, 0) + v * n
                entry = per_module.setdefault(display_name(ctype), {"instances": 0})
                entry["instances"] += mult * n
            else:
                cells[ctype] = cells.get(ctype, 0) + n
        return cells

    return total(top, 1), per_module


def yosys_read(files, top, params, keep, macros=()):
    lines = ["read_verilog -sv -DSYNTHESIS " + " ".join(shlex.quote(str(f)) for f in files)]
    if params:
        # chparam before hierarchy: Yosys 0.23 trips an assertion on the datapath with
        # 'hierarchy -chparam' (re-derivation of the top).
        lines.append("chparam " + " ".join(f"-set {k} {v}" for k, v in params.items())
                     + f" {top}")
    lines.append(f"hierarchy -check -top {top}")
    # chparam gives the top a derived name; synth -top and the reports want the plain one.
    lines.append(f"rename -top {top}")
    if macros:
        # Memories become empty boxes with the derived (parameter-true) ports; the cells are
        # kept, or they would be swept away as cells of unknown use.
        pats = " ".join(f"*{m}" for m in macros)
        lines.append(f"blackbox {pats}")
        lines.append("setattr -set keep 1 " + " ".join(f"t:*{m}" for m in macros))
    if keep:
        # Each kept module is synthesized once however often it is instantiated (the PE,
        # the PPU lane), which keeps the 16x16 runs to minutes.
        lines.append("setattr -mod -set keep_hierarchy 1 " + " ".join(keep))
    return lines


def macro_bits(module, params):
    """(bits, banks) of one macro instance, from its shape (fanout_repair.macro_shape)."""
    if module == "npu_sram":
        return params["depth"] * params["width"], 1
    if module == "npu_ppu_table":
        return params["lanes"] * params["groups"] * params["entry"], params["lanes"]
    raise FlowError(f"no SRAM model for macro module {module}")


def macro_area(module, params):
    bits, banks = macro_bits(module, params)
    return bits * SRAM_UM2_PER_BIT + banks * SRAM_UM2_PER_MACRO


# --------------------------------------------------------------------------- ASIC

def write_macro_liberty(path, macros):
    """A timing model per macro shape for OpenSTA: inputs set up to clk_i, outputs
    SRAM_ACCESS_NS after it (registered read, as npu_sram and npu_ppu_table are)."""
    def constraint(kind, value):
        return (f'      timing () {{ related_pin : "clk_i"; timing_type : {kind};\n'
                f'        rise_constraint (scalar) {{ values ("{value}"); }}\n'
                f'        fall_constraint (scalar) {{ values ("{value}"); }} }}\n')

    widths = sorted({w for m in macros.values() for d, w in m["ports"].values() if w > 1})
    out = ["library (npu_macros) {", "  delay_model : table_lookup;",
           '  time_unit : "1ns"; voltage_unit : "1V"; current_unit : "1uA";',
           '  pulling_resistance_unit : "1kohm"; leakage_power_unit : "1nW";',
           "  capacitive_load_unit (1, pf);",
           "  nom_process : 1; nom_voltage : 1.8; nom_temperature : 25;",
           "  slew_upper_threshold_pct_rise : 80; slew_lower_threshold_pct_rise : 20;",
           "  slew_upper_threshold_pct_fall : 80; slew_lower_threshold_pct_fall : 20;",
           "  input_threshold_pct_rise : 50; input_threshold_pct_fall : 50;",
           "  output_threshold_pct_rise : 50; output_threshold_pct_fall : 50;"]
    for w in widths:
        out.append(f"  type (bus{w}) {{ base_type : array; data_type : bit; bit_width : {w};"
                   f" bit_from : {w - 1}; bit_to : 0; downto : true; }}")
    for name, m in sorted(macros.items()):
        out.append(f"  cell ({name}) {{\n    area : {macro_area(m['module'], m['params']):.0f};")
        for port, (direction, width) in sorted(m["ports"].items()):
            head = (f"    bus ({port}) {{ bus_type : bus{width};" if width > 1
                    else f"    pin ({port}) {{")
            if port == "clk_i":
                out.append("    pin (clk_i) { direction : input; capacitance : 0.05;"
                           " clock : true; }")
            elif direction == "input":
                out.append(head + " direction : input; capacitance : 0.02;\n"
                           + constraint("setup_rising", SRAM_SETUP_NS)
                           + constraint("hold_rising", SRAM_HOLD_NS) + "    }")
            else:
                out.append(head + " direction : output;\n"
                           '      timing () { related_pin : "clk_i"; timing_type : rising_edge;\n'
                           f'        cell_rise (scalar) {{ values ("{SRAM_ACCESS_NS}"); }}\n'
                           f'        cell_fall (scalar) {{ values ("{SRAM_ACCESS_NS}"); }}\n'
                           '        rise_transition (scalar) { values ("0.2"); }\n'
                           '        fall_transition (scalar) { values ("0.2"); } }\n    }')
        out.append("  }")
    out.append("}")
    Path(path).write_text("\n".join(out) + "\n")


def asic_block(work, top, params, keep, period_ns, files=None, macros=(), areas=None):
    """Synthesize one block to OSU018 and time it. Returns a result dict."""
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    files = files or module_files(top)
    abc_script = ABC_DELAY.read_text().strip()
    target_ps = int(period_ns * 1000 * ABC_TARGET_FRACTION)
    lib = LIBERTY
    ys = yosys_read(files, top, params, keep, macros) + [
        # Undriven nets are only counted as problems before synthesis: after 'synth',
        # Yosys 0.23's check prints them but its -assert passes.
        "proc",
        "check -assert",
        f"synth -top {top} -flatten",
        # No latch, no undriven or multiply driven net, no combinational loop.
        "select -assert-none t:$_DLATCH*_ t:$_DLATCHSR_*_ t:$_SR_*_ t:$dlatch t:$adlatch",
        "check -assert",
        # The cells as boxes with port directions, so that the second check sees their drivers.
        f"read_liberty -lib {lib}",
        f"dfflibmap -liberty {lib}",
        f"abc -liberty {lib} -D {target_ps} -script \"{abc_script}\"",
        "opt_clean -purge",
        "check -assert",
        # OpenSTA's netlist reader takes no concatenations in assigns: bit-blast internal
        # buses (ports stay buses, so kept submodules still connect by name).
        "splitnets",
        "opt_clean -purge",
        f"write_json {work}/mapped.json",
    ]
    (work / "asic.ys").write_text("\n".join(ys) + "\n")
    t_yosys = run(["yosys", "-q", "-l", str(work / "yosys.log"), "-s", str(work / "asic.ys")],
                  work / "yosys.out", work)
    buffers, found = fanout_repair.repair(work / "mapped.json", work / "repaired.json", macros)
    extra_lib = []
    if found:
        write_macro_liberty(work / "macros.lib", found)
        extra_lib = [work / "macros.lib"]
    ys2 = [f"read_liberty -lib {x}" for x in extra_lib] + [
        f"read_json {work}/repaired.json", f"hierarchy -top {top}", "check -assert",
           f"tee -q -o {work}/stat.json stat -json -top {top}",
           f"write_verilog -noattr -noexpr -nohex -nodec {work}/netlist.v"]
    (work / "netlist.ys").write_text("\n".join(ys2) + "\n")
    t_yosys += run(["yosys", "-q", "-l", str(work / "yosys_netlist.log"), "-s",
                    str(work / "netlist.ys")], work / "yosys_netlist.out", work)
    log = (work / "yosys.log").read_text(errors="replace")
    if re.search(r"Latch inferred", log):
        raise FlowError(f"{top}: latch inferred, see {work}/yosys.log")
    mods, _ = read_hier_stats(work / "stat.json")
    top_key = next(k for k in mods if display_name(k) == top)
    cells, per_module = flatten_counts(mods, top_key)
    areas = areas or liberty_areas()
    unknown = sorted(c for c in cells if c not in areas and not mods.get(c))
    unknown = [c for c in unknown if c not in found]
    macro_list = {name: dict(module=m["module"], params=m["params"], instances=cells.get(name, 0),
                             bits=macro_bits(m["module"], m["params"])[0],
                             area_um2_each=round(macro_area(m["module"], m["params"]), 1))
                  for name, m in found.items()}
    if unknown:
        raise FlowError(f"{top}: cells not in the liberty after mapping: {unknown}")
    area = sum(n * areas[c] for c, n in cells.items() if c in areas)
    flops = sum(n for c, n in cells.items() if c.startswith("DFF"))
    for name, entry in per_module.items():
        key = next(k for k in mods if display_name(k) == name)
        sub_cells, _ = flatten_counts(mods, key)
        entry["cells"] = sum(n for c, n in sub_cells.items() if c in areas)
        entry["area_um2"] = sum(n * areas[c] for c, n in sub_cells.items() if c in areas)
        entry["flops"] = sum(n for c, n in sub_cells.items() if c.startswith("DFF"))
    sta = run_sta(work, top, period_ns, extra_lib)
    return dict(top=top, params=params, period_ns=period_ns,
                area_um2=round(area, 1), cells=sum(n for c, n in cells.items() if c in areas),
                flops=flops, cell_types=dict(sorted(cells.items())),
                submodules={k: {kk: (round(vv, 1) if isinstance(vv, float) else vv)
                                for kk, vv in v.items()} for k, v in per_module.items()},
                fanout_buffers=buffers, macros=macro_list, sta=sta, yosys_s=round(t_yosys, 1))


PATH_RE = {
    "start": re.compile(r"^Startpoint:\s*(\S+)(?:\s*\((.*)\))?", re.M),
    "end": re.compile(r"^Endpoint:\s*(\S+)(?:\s*\((.*)\))?", re.M),
    "arrival": re.compile(r"^\s*(-?[\d.]+)\s+data arrival time", re.M),
    "required": re.compile(r"^\s*(-?[\d.]+)\s+data required time", re.M),
    "slack": re.compile(r"^\s*(-?[\d.]+)\s+slack \((MET|VIOLATED)\)", re.M),
}


def parse_path(text):
    if "No paths found" in text or not PATH_RE["slack"].search(text):
        return None
    out = {}
    for key, rx in PATH_RE.items():
        m = rx.search(text)
        if m:
            out[key] = m.group(1)
            if key in ("start", "end") and m.group(2):
                out[key + "_kind"] = m.group(2)
    for key in ("arrival", "required", "slack"):
        if key in out:
            out[key] = float(out[key])
    # The flops and gates on the way: the instance names show which module the path is in.
    insts = re.findall(r"^\s*[-\d.]+\s+[-\d.]+\s+[\^v]\s+(\S+)/\S+\s+\((\w+)\)", text, re.M)
    out["depth"] = len(insts)
    m = re.search(r"^NPU-POINTS (\S+) (\S+)", text, re.M)
    if m:
        # The register (Q net) names behind the generated flop instance names.
        out["start_reg"], out["end_reg"] = m.group(1), m.group(2)
    return out


def run_sta(work, top, period_ns, extra_liberty=()):
    work = Path(work)
    tcl = [f"set npu_liberty {LIBERTY}",
           "set npu_extra_liberty {" + " ".join(str(x) for x in extra_liberty) + "}",
           f"set npu_netlist {work}/netlist.v", f"set npu_top {top}",
           f"set npu_sdc {SDC}", f"set npu_clock_period_ns {period_ns}",
           f"source {STA_TCL}"]
    (work / "sta_run.tcl").write_text("\n".join(tcl) + "\n")
    t = run(["sta", "-no_splash", "-exit", str(work / "sta_run.tcl")], work / "sta.log", work)
    text = (work / "sta.log").read_text(errors="replace")
    errors = [ln for ln in text.splitlines() if ln.startswith("Error")]
    if errors:
        raise FlowError(f"{top}: OpenSTA errors (log {work}/sta.log):\n  " + "\n  ".join(errors[:10]))
    sections = dict(re.findall(r"NPU-STA (\w+)\n(.*?)(?=NPU-STA \w+\n)", text, re.S))
    res = {k: parse_path(sections.get(k, "")) for k in
           ("worst", "reg2reg", "in2reg", "reg2out", "in2out", "hold")}
    worst = res["worst"]
    if worst is None:
        raise FlowError(f"{top}: no timed path in {work}/sta.log")
    res["wns"] = worst["slack"]
    res["fmax_mhz"] = round(1000.0 / (period_ns - worst["slack"]), 1)
    if res["reg2reg"]:
        res["fmax_reg2reg_mhz"] = round(1000.0 / (period_ns - res["reg2reg"]["slack"]), 1)
    res["sta_s"] = round(t, 1)
    return res


# --------------------------------------------------------------------------- FPGA

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


# --------------------------------------------------------------------------- report

def fmt(x, nd=0):
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:,.{nd}f}"
    return f"{x:,}"


def where(path):
    """Which module a path runs through, from its start/end instance names."""
    if not path:
        return "-"
    return (f"{path.get('start_reg', path.get('start', '?'))} -> "
            f"{path.get('end_reg', path.get('end', '?'))}")


def write_report(out_dir, results):
    out_dir = Path(out_dir)
    (out_dir / "report.json").write_text(json.dumps(results, indent=1) + "\n")
    md = ["# Synthesis report", "",
          f"Generated by `scripts/synth/npu_synth.py` ({results['tools']}). "
          "Method and assumptions: docs/synth.md. Cell area = OSU 0.18 um standard cells "
          "(liberty area, um^2) without placement utilisation or wires; SRAM = model, "
          f"{SRAM_UM2_PER_BIT} um^2/bit + {SRAM_UM2_PER_MACRO / 1e6} mm^2 per macro.", ""]
    for cname, c in results["configs"].items():
        cfg = c["config"]
        md += [f"## {cname}: {cfg['array.rows']}x{cfg['array.cols']}, "
               f"{cfg['clock_mhz']:g} MHz target ({c['period_ns']} ns), {cfg['file']}", ""]
        md += ["| block | top (params) | cells | flops | cell area mm^2 | worst slack ns | "
               "Fmax MHz | reg-to-reg Fmax MHz | critical path (start -> end) |",
               "|---|---|---|---|---|---|---|---|---|"]
        for bname, b in c["asic"].items():
            if "error" in b:
                md.append(f"| {bname} | {b.get('top', '')} | failed: {b['error'][:80]} |"
                          " | | | | | |")
                continue
            s = b["sta"]
            p = ", ".join(f"{k}={v}" for k, v in b["params"].items())
            md.append(f"| {bname} | `{b['top']}` ({p}) | {fmt(b['cells'])} | {fmt(b['flops'])}"
                      f" | {b['area_um2'] / 1e6:.3f} | {s['wns']:+.2f} | {s['fmax_mhz']:.0f} | "
                      f"{fmt(s.get('fmax_reg2reg_mhz'), 0)} | `{where(s['worst'])}` |")
        md.append("")
        subs = [(b, n, e) for b, r in c["asic"].items() if "submodules" in r
                for n, e in r["submodules"].items() if e.get("cells")]
        if subs:
            md += ["Kept submodules (synthesized once, counted per instance):", "",
                   "| block | module | instances | cells (all) | flops (all) | area mm^2 (all) |",
                   "|---|---|---|---|---|---|"]
            for b, n, e in subs:
                md.append(f"| {b} | `{n}` | {e['instances']} | {fmt(e['cells'] * e['instances'])}"
                          f" | {fmt(e['flops'] * e['instances'])} | "
                          f"{e['area_um2'] * e['instances'] / 1e6:.3f} |")
            md.append("")
        macros = [(b, n, m) for b, r in c["asic"].items() if r.get("macros")
                  for n, m in r["macros"].items()]
        if macros:
            md += ["Memories kept as macros (not in the cell area; SRAM model area):", "",
                   "| block | macro | instances | kbit each | est. mm^2 (all) |",
                   "|---|---|---|---|---|"]
            for b, n, m in macros:
                md.append(f"| {b} | `{n}` | {m['instances']} | {m['bits'] / 1024:.1f} | "
                          f"{m['instances'] * m['area_um2_each'] / 1e6:.2f} |")
            md.append("")
        md += ["Memories of the configuration (SRAM model; the PPU block above has its table as "
               "flops, as in the RTL):", "",
               "| memory | banks x words x bits | kbit | est. area mm^2 |", "|---|---|---|---|"]
        for n, s in c["sram"].items():
            md.append(f"| {n} | {s['shape']} | {s['bits'] / 1024:.0f} | "
                      f"{s['area_um2'] / 1e6:.2f} |")
        md.append("")
        t = c.get("totals")
        if t:
            md += ["| total | value |", "|---|---|"]
            for k, v in t.items():
                md.append(f"| {k} | {v} |")
            md.append("")
        if c.get("fpga"):
            md += ["FPGA resources (Yosys estimates before place and route):", "",
                   "| block | arch | LUT | FF | DSP | BRAM | other |", "|---|---|---|---|---|---|---|"]
            for bname, archs in c["fpga"].items():
                for arch, r in archs.items():
                    if "error" in r:
                        md.append(f"| {bname} | {arch} | failed: {r['error'][:60]} | | | | |")
                        continue
                    other = ", ".join(f"{k} {v}" for k, v in r.items()
                                      if k not in ("LUT", "FF", "DSP", "BRAM", "yosys_s") and v)
                    md.append(f"| {bname} | {arch} | {fmt(r['LUT'])} | {fmt(r['FF'])} | "
                              f"{fmt(r['DSP'])} | {fmt(r['BRAM'])} | {other} |")
            md.append("")
    (out_dir / "report.md").write_text("\n".join(md) + "\n")


# How often each block is in the chip (rtl/npu_top.sv, rtl/npu_core.sv): one register file,
# one command processor, two npu_dma (the load DMA reads, the store DMA writes; each is a full
# npu_dma with the other direction tied off) and one datapath. Pooling is counted only if the
# datapath does not hold it.
CHIP_BLOCK_COUNT = {"datapath": 1, "pool": 1, "dma": 2, "ctrl": 1, "regfile": 1}
CONTROL_BLOCKS = ("dma", "ctrl", "regfile")


def chip_blocks(ok):
    """{block: instances} of the sum-of-blocks chip estimate, and the control blocks that
    are missing from it (not run, or failed)."""
    inside = set(ok.get("datapath", {}).get("submodules", {}))
    if "datapath" in ok:
        # The datapath holds array, PPU, im2col, accumulator and the scratchpads; its
        # memories (npu_sram banks, PPU table) are macros there.
        counts = {"datapath": 1}
    else:
        counts = {b: 1 for b in ("array", "ppu") if b in ok}
    for b in ("pool",) + CONTROL_BLOCKS:
        if b in ok and ok[b]["top"] not in inside:
            counts[b] = CHIP_BLOCK_COUNT[b]
    missing = [b for b in CONTROL_BLOCKS if b not in counts]
    return counts, missing


def counted(counts):
    """'datapath + 2 x dma + ctrl + regfile'."""
    return " + ".join(b if n == 1 else f"{n} x {b}" for b, n in counts.items())


def totals_for(c):
    """Chip estimate and peak GOPS = 2 * R * C * f, f = min(target, slowest block's Fmax).

    With a 'top' block (npu_top: the whole chip, memories as macros) the chip estimate is
    its cells plus its macros; otherwise it is the sum of the blocks, each times its
    instance count in npu_top (CHIP_BLOCK_COUNT), plus the SRAM model."""
    cfg, asic, sram = c["config"], c["asic"], c["sram"]
    r, k = cfg["array.rows"], cfg["array.cols"]
    ok = {b: v for b, v in asic.items() if "error" not in v}
    if "array" not in ok and "top" not in ok:
        return None
    counts, missing = chip_blocks(ok)
    sum_area = sum(ok[b]["area_um2"] * n for b, n in counts.items())
    table_flop_area = 0.0
    if "datapath" in ok:
        sram_area = sum(m["instances"] * m["area_um2_each"]
                        for m in ok["datapath"]["macros"].values())
        sram_src = "datapath macros"
    else:
        table = ok.get("ppu", {}).get("submodules", {}).get("npu_ppu_table")
        table_flop_area = table["area_um2"] * table["instances"] if "ppu" in counts and table \
            else 0.0
        sram_area = sum(s["area_um2"] for s in sram.values())
        sram_src = "configuration (scratchpads + PPU table)"
    sum_chip = (sum_area - table_flop_area + sram_area) / 1e6
    if "top" in ok:
        timed = {"top": 1}
        subs = ok["top"].get("submodules", {})
        parts = [m if subs[m]["instances"] == 1 else f"{subs[m]['instances']} x {m}"
                 for m in ("npu_regfile", "npu_ctrl", "npu_dma", "npu_datapath") if m in subs]
        logic_area = ok["top"]["area_um2"]
        table_flop_area = 0.0
        sram_area = sum(m["instances"] * m["area_um2_each"] for m in ok["top"]["macros"].values())
        sram_src = "top macros"
        missing = []
    else:
        timed = counts
        logic_area = sum_area
    fmax_all = min(ok[b]["sta"]["fmax_mhz"] for b in timed)
    slowest = min(timed, key=lambda b: ok[b]["sta"]["fmax_mhz"])
    fmax = min(fmax_all, cfg["clock_mhz"])
    chip = (logic_area - table_flop_area + sram_area) / 1e6
    gops = 2 * r * k * fmax / 1000.0
    out = {
        "blocks in the chip estimate (x instances)":
            f"top (whole chip: {' + '.join(parts)} + npu_core glue)" if "top" in ok
            else counted(timed),
        "control blocks missing from the chip estimate": ", ".join(missing) or "none",
        "logic cell area mm^2": f"{logic_area / 1e6:.2f}",
        "minus PPU table as flops mm^2": f"{table_flop_area / 1e6:.2f}",
        f"plus SRAM model mm^2 ({sram_src})": f"{sram_area / 1e6:.2f}",
        "chip estimate mm^2": f"{chip:.2f}",
    }
    if "top" in ok and counts:
        # Cross-check: the standalone blocks, whose ports carry the SDC's I/O delays.
        out[f"sum of blocks mm^2 ({counted(counts)} + SRAM model)"] = f"{sum_chip:.2f}"
        sum_slowest = min(counts, key=lambda b: ok[b]["sta"]["fmax_mhz"])
        out["sum of blocks: slowest block, Fmax MHz"] = \
            f"{sum_slowest}, {ok[sum_slowest]['sta']['fmax_mhz']:.0f}"
    out.update({
        "slowest block Fmax MHz": f"{fmax_all:.0f}",
        "slowest block": slowest,
        "clock for GOPS MHz": f"{fmax:.0f}",
        "peak GOPS": f"{gops:.1f}",
        "GOPS/mm^2": f"{gops / chip:.2f}",
    })
    if "array" in ok:
        fmax_array = ok["array"]["sta"]["fmax_mhz"]
        gops_array = 2 * r * k * fmax_array / 1000.0
        out.update({
            "array Fmax MHz": f"{fmax_array:.0f}",
            "peak GOPS at array Fmax": f"{gops_array:.1f}",
            "GOPS/mm^2 of the array cells at array Fmax":
                f"{gops_array / (ok['array']['area_um2'] / 1e6):.2f}",
        })
    return out


def tool_versions():
    try:
        y = subprocess.run(["yosys", "-V"], capture_output=True, text=True).stdout.strip()
    except OSError:
        y = "yosys ?"
    try:
        s = subprocess.run(["sta", "-version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        s = "?"
    return f"{y.split(' (')[0]}, OpenSTA {s}"


# --------------------------------------------------------------------------- commands

def cmd_sweep(args):
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    configs = [read_config(p) for p in args.configs]
    wanted = args.blocks.split(",") if args.blocks else None
    archs = [a for a in args.fpga.split(",") if a] if args.fpga else []
    for a in archs:
        if a not in FPGA_ARCHS:
            raise FlowError(f"--fpga: unknown architecture '{a}' (have {', '.join(FPGA_ARCHS)})")
    areas = liberty_areas()
    results = {"tools": tool_versions(), "liberty": str(LIBERTY), "sdc": str(SDC.relative_to(ROOT)),
               "sram_um2_per_bit": SRAM_UM2_PER_BIT, "sram_um2_per_macro": SRAM_UM2_PER_MACRO,
               "configs": {}}
    pe_done = None
    jobs = []
    for cfg in configs:
        period = round(1000.0 / cfg["clock_mhz"], 4)
        blocks, sram = block_defs(cfg)
        if wanted:
            unknown = [b for b in wanted if b not in blocks]
            if unknown:
                raise FlowError(f"--blocks: unknown or missing block(s) {unknown} "
                                f"(have {', '.join(blocks)})")
            blocks = {b: v for b, v in blocks.items() if b in wanted}
        c = results["configs"].setdefault(cfg["name"], {"config": cfg, "period_ns": period,
                                                        "asic": {}, "sram": sram, "fpga": {}})
        for bname, b in blocks.items():
            # The PE has no parameter: synthesize it once, report it with every config.
            if bname == "pe" and pe_done and pe_done[0] == period:
                jobs.append(("asic-copy", c, bname, pe_done[1]))
                continue
            jobs.append(("asic", c, bname, dict(
                work=out / cfg["name"] / bname / "asic", top=b["top"], params=b["params"],
                keep=b["keep"], period_ns=period, macros=b.get("macros", ()), areas=areas)))
            if bname == "pe":
                pe_done = (period, c)
            for arch in archs:
                # The datapath's (and the whole chip's) FPGA view is the blocks above plus
                # the scratchpads (BRAM); docs/fpga.md has the place-and-route of a 4x4 top.
                if bname in ("datapath", "top"):
                    continue
                if arch in args.skip_fpga.get(cfg["name"], {}).get(bname, ()):
                    continue
                jobs.append(("fpga", c, bname, dict(
                    work=out / cfg["name"] / bname / arch, arch=arch, top=b["top"],
                    params=b["params"], keep=b["keep"])))

    def do(job):
        kind, c, bname, kw = job
        t0 = time.monotonic()
        try:
            if kind == "asic":
                res = asic_block(**kw)
            elif kind == "fpga":
                res = fpga_block(**kw)
            else:
                return job, None
        except FlowError as e:
            res = {"error": str(e), "top": kw.get("top")}
        except subprocess.TimeoutExpired as e:
            res = {"error": f"timed out after {e.timeout:.0f} s", "top": kw.get("top")}
        label = f"{c['config']['name']:>8} {bname:<9} {kind if kind != 'fpga' else kw['arch']:<7}"
        if "error" in res:
            print(f"{label} FAILED: {res['error']}", flush=True)
        elif kind == "asic":
            s = res["sta"]
            print(f"{label} {res['area_um2'] / 1e6:8.3f} mm^2 {res['cells']:>8} cells "
                  f"slack {s['wns']:+.2f} ns Fmax {s['fmax_mhz']:6.1f} MHz "
                  f"({time.monotonic() - t0:.0f} s)", flush=True)
        else:
            print(f"{label} LUT {res['LUT']:>7} FF {res['FF']:>7} DSP {res['DSP']:>4} "
                  f"BRAM {res['BRAM']:>4} ({time.monotonic() - t0:.0f} s)", flush=True)
        return job, res

    real = [j for j in jobs if j[0] != "asic-copy"]
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for job, res in pool.map(do, real):
            kind, c, bname, kw = job
            if kind == "asic":
                c["asic"][bname] = res
            else:
                c["fpga"].setdefault(bname, {})[kw["arch"]] = res
    for kind, c, bname, src in jobs:
        if kind == "asic-copy" and bname in src["asic"]:
            c["asic"][bname] = dict(src["asic"][bname], shared_with=src["config"]["name"])
            if bname in src["fpga"]:
                c["fpga"][bname] = src["fpga"][bname]
    print()
    for cname, c in results["configs"].items():
        c["totals"] = totals_for(c)
        a = c["asic"]
        # Keep the block order stable in the report.
        c["asic"] = {b: a[b] for b in BLOCK_ORDER if b in a}
        if c["totals"]:
            t = c["totals"]
            print(f"{cname}: chip estimate {t['chip estimate mm^2']} mm^2 "
                  f"({t['blocks in the chip estimate (x instances)']} + SRAM model; control "
                  f"missing: {t['control blocks missing from the chip estimate']}), "
                  f"peak {t['peak GOPS']} GOPS at {t['clock for GOPS MHz']} MHz, "
                  f"{t['GOPS/mm^2']} GOPS/mm^2; slowest block {t['slowest block']}, Fmax "
                  f"{t['slowest block Fmax MHz']} MHz")
        for bname, b in c["asic"].items():
            if "error" not in b:
                w = b["sta"]["worst"]
                print(f"  {bname:<9} critical path {where(w)} "
                      f"(arrival {w['arrival']:.2f} ns, slack {w['slack']:+.2f})")
    write_report(out, results)
    print(f"\nreport: {out / 'report.md'}, {out / 'report.json'}")
    failed = [(c, b) for c, v in results["configs"].items() for b, r in v["asic"].items()
              if "error" in r]
    return 1 if failed else 0


def cmd_quick(args):
    """CTest: the 4x4 array through the whole ASIC flow, with hand-set sanity bounds."""
    out = Path(args.out)
    t0 = time.monotonic()
    problems = []
    # The gates must be able to fail: a latch and an undriven output are rejected.
    bad = {
        "latch": "module npu_bad(input logic clk_i, input logic en_i, input logic d_i,"
                 " output logic q_o);\n  always_latch if (en_i) q_o = d_i;\nendmodule\n",
        "undriven": "module npu_bad(input logic clk_i, input logic d_i, output logic [1:0] q_o);"
                    "\n  always_ff @(posedge clk_i) q_o[0] <= d_i;\nendmodule\n",
    }
    for what, src in bad.items():
        work = out / f"quick_reject_{what}"
        work.mkdir(parents=True, exist_ok=True)
        (work / "npu_bad.sv").write_text(src)
        try:
            asic_block(work, "npu_bad", {}, [], args.period, files=[work / "npu_bad.sv"])
            problems.append(f"a module with a{'n' if what[0] == 'u' else ''} {what} "
                            "output passed the checks")
        except FlowError:
            print(f"rejected as expected: module with {what} ({work}/yosys.out)")
    res = asic_block(out / "quick_array4x4", "npu_systolic_array", {"Rows": 4, "Cols": 4},
                     ["npu_pe"], args.period)
    s = res["sta"]
    print(f"npu_systolic_array 4x4 @ {args.period} ns: {res['cells']} cells, "
          f"{res['flops']} flops, {res['area_um2'] / 1e6:.3f} mm^2, worst slack {s['wns']:+.2f} ns,"
          f" Fmax {s['fmax_mhz']:.1f} MHz; critical path {where(s['worst'])}")
    # 16 PEs each hold at least a_q 8 + w_act 8 + w_sh 8 + first 1 + psum 32 = 57 flops.
    if res["flops"] < 16 * 57:
        problems.append(f"only {res['flops']} flops, expected at least {16 * 57}")
    if res["submodules"].get("npu_pe", {}).get("instances") != 16:
        problems.append("expected 16 npu_pe instances")
    if not 0 < s["fmax_mhz"] < 2000:
        problems.append(f"implausible Fmax {s['fmax_mhz']}")
    for p in problems:
        print("FAIL:", p)
    print(f"({time.monotonic() - t0:.0f} s, logs in {out / 'quick_array4x4'})")
    return 1 if problems else 0


def cmd_module(args):
    params = {}
    for g in args.G:
        if "=" not in g:
            raise FlowError(f"-G {g}: expected Name=Value")
        k, v = g.split("=", 1)
        params[k] = v
    res = asic_block(Path(args.out) / args.top, args.top, params, args.keep, args.period)
    s = res["sta"]
    w = s["worst"]
    print(f"{args.top} @ {args.period} ns: worst path {w['arrival']:.2f} ns, slack "
          f"{s['wns']:+.2f} ns, Fmax {s['fmax_mhz']:.1f} MHz, cell area {res['area_um2']:.0f} um^2,"
          f" {res['cells']} cells, {res['flops']} flops")
    print(f"critical path: {where(w)}")
    if s.get("reg2reg"):
        r = s["reg2reg"]
        print(f"worst reg-to-reg: {where(r)}, slack {r['slack']:+.2f} ns")
    print(f"(reports in {Path(args.out) / args.top}: sta.log, yosys.log, netlist.v)")
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "build" / "synth"), help="work/report directory")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sw = sub.add_parser("sweep", help="every block of every config, report.md/json")
    # configs/fpga.yaml is left out by default: its 12 MHz clock gives ABC a relaxed target,
    # so its ASIC Fmax says nothing; its FPGA build is make fpga (docs/fpga.md).
    sw.add_argument("--configs", nargs="+", default=[str(p) for p in
                    sorted((ROOT / "configs").glob("*.yaml")) if p.name != "fpga.yaml"])
    sw.add_argument("--blocks", help="comma list from " + ",".join(BLOCK_ORDER)
                    + " (default all)")
    sw.add_argument("--fpga", default="ice40,ecp5,xilinx", help="comma list, '' for none")
    sw.add_argument("--skip-fpga", default="", help="config:block:arch,... to leave out")
    sw.add_argument("-j", "--jobs", type=int, default=1)
    q = sub.add_parser("quick", help="CTest check (4x4 array)")
    q.add_argument("--period", type=float, default=5.0)
    m = sub.add_parser("module", help="one module to OSU018 + OpenSTA")
    m.add_argument("--top", required=True)
    m.add_argument("-G", action="append", default=[], help="Name=Value parameter")
    m.add_argument("--keep", action="append", default=[], help="module kept as hierarchy")
    m.add_argument("--period", type=float, default=5.0)
    args = ap.parse_args(argv)
    # Absolute: the tools run in per-block work directories (make synth passes build/synth).
    args.out = str(Path(args.out).resolve())
    try:
        if args.cmd == "sweep":
            skip = {}
            for item in filter(None, args.skip_fpga.split(",")):
                parts = item.split(":")
                if len(parts) != 3:
                    raise FlowError(f"--skip-fpga {item}: expected config:block:arch")
                skip.setdefault(parts[0], {}).setdefault(parts[1], set()).add(parts[2])
            args.skip_fpga = skip
            return cmd_sweep(args)
        if args.cmd == "quick":
            return cmd_quick(args)
        return cmd_module(args)
    except FlowError as e:
        print(f"npu_synth: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
