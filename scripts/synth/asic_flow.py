"""ASIC flow of one block (npu_synth.py): Yosys 0.23 maps it to the OSU 0.18 um standard cells
with a delay-oriented ABC script constrained to the clock period, memories become SRAM macros
with an area and timing model, OpenSTA reads the netlist, the liberty and
constraints/npu.sdc and reports worst slack, Fmax and the critical path.

Only the Python standard library.
"""

import re
from pathlib import Path

import fanout_repair
from npu_config import ROOT, FlowError
from rtl_tools import display_name, flatten_counts, module_files, read_hier_stats, run, \
    yosys_read

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
