#!/usr/bin/python3
"""The iCE40 UP5K build of the accelerator on the iCEBreaker board (`make fpga`, docs/fpga.md).

Yosys synth_ice40 (-dsp -spram) maps rtl/npu_fpga_top.sv with configs/fpga.yaml's sizes,
nextpnr-ice40 (--up5k --package sg48, constraints/icebreaker.pcf, --freq = clock_mhz) places
and routes it, icepack writes the bitstream. Resources (LUT, FF, carry, EBR, SPRAM, DSP: in
total, per block, against the device), whether timing is met and the achieved Fmax go to
<out>/report.md and <out>/report.json. A design that does not fit still gets its report
(what was measured and by how much it misses) and the script exits with status 2.

    npu_fpga.py [--config configs/fpga.yaml] [--out build/fpga] [--seed N]
    npu_fpga.py --params-only [--config configs/fpga.yaml]   # print the top parameters, no tools

Only the Python standard library; the config reader and RTL helpers are scripts/synth's
(npu_config.py, rtl_tools.py).
"""

import argparse
import json
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "synth"))
from npu_config import ROOT, FlowError, read_config  # noqa: E402
from rtl_tools import display_name, module_files, read_hier_stats  # noqa: E402

TOP = "npu_fpga_top"
PCF = ROOT / "constraints" / "icebreaker.pcf"
REGS_PKG = ROOT / "rtl" / "csr" / "npu_regs_pkg.sv"
BAUD = 115200

# Board parameter of npu_fpga_top (not a property of the accelerator, so not a hardware-config
# field): 128 KiB of on-chip RAM standing in for DRAM (4 SPRAMs at 4x4).
BOARD_PARAMS = {"MemDepth": 32768}

# iCE40UP5K-SG48 capacities.
DEVICE = {"LUT4": 5280, "FF": 5280, "EBR": 30, "SPRAM": 4, "DSP": 8, "IO": 39}
CELL_CLASSES = {"LUT4": ["SB_LUT4"], "FF": ["SB_DFF"], "carry": ["SB_CARRY"],
                "EBR": ["SB_RAM40_4K"], "SPRAM": ["SB_SPRAM256KA"], "DSP": ["SB_MAC16"]}

# Blocks reported separately (kept as hierarchy for the count, flattened before P&R).
BLOCKS = ["npu_regfile", "npu_ctrl", "npu_dma", "npu_datapath", "npu_im2col", "npu_weight_feed",
          "npu_systolic_array", "npu_accum", "npu_ppu", "npu_pool", "npu_core", "npu_top",
          "npu_fpga_uart_bridge", "npu_fpga_axi_ram", "npu_uart_rx", "npu_uart_tx"]

PNR_TIMEOUT_S = 1800


def run(cmd, log, timeout=None):
    """Runs cmd with its output in log; (exit status, seconds)."""
    start = time.monotonic()
    with open(log, "w") as fh:
        try:
            proc = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, timeout=timeout)
            status = proc.returncode
        except subprocess.TimeoutExpired:
            status = "timeout"
    return status, round(time.monotonic() - start, 1)


def top_params(cfg):
    """npu_fpga_top's parameters: the config's generated npu_core parameters (array, banks,
    PPU), the UART bit period at the config's clock and the board's RAM."""
    params = dict(cfg["npu_core_params"])
    params["ClksPerBit"] = round(cfg["clock_mhz"] * 1e6 / BAUD)
    params.update(BOARD_PARAMS)
    return params


def classify(cells):
    return {cls: sum(n for c, n in cells.items() if any(c.startswith(p) for p in prefixes))
            for cls, prefixes in CELL_CLASSES.items()}


def synthesize(out, params):
    files = [REGS_PKG] + module_files(TOP)
    keep = " ".join(f"*{b}" for b in BLOCKS)
    ys = [
        "read_verilog -sv -DSYNTHESIS " + " ".join(shlex.quote(str(f)) for f in files),
        "chparam " + " ".join(f"-set {k} {v}" for k, v in params.items()) + f" {TOP}",
        f"hierarchy -check -top {TOP}",
        f"rename -top {TOP}",
        f"setattr -mod -set keep_hierarchy 1 {keep}",
        f"synth_ice40 -dsp -spram -top {TOP}",
        f"tee -q -o {out}/stat_blocks.json stat -json -top {TOP}",
        # flatten keeps modules marked keep_hierarchy: unmark them first.
        "setattr -mod -unset keep_hierarchy *",
        "flatten",
        "opt_clean -purge",
        f"tee -q -o {out}/stat.json stat -json -top {TOP}",
        f"write_json {out}/{TOP}.json",
    ]
    (out / "synth.ys").write_text("\n".join(ys) + "\n")
    print(f"[fpga] yosys synth_ice40 ({len(files)} files), log {out}/yosys.log", flush=True)
    status, secs = run(["yosys", "-q", "-l", str(out / "yosys.log"), "-s", str(out / "synth.ys")],
                       out / "yosys.out")
    if status != 0:
        tail = (out / "yosys.log").read_text(errors="replace").splitlines()[-15:]
        raise FlowError(f"yosys failed ({status}), log {out}/yosys.log:\n  " + "\n  ".join(tail))

    mods, _ = read_hier_stats(out / "stat_blocks.json")
    memo = {}

    def subtree(mod):
        if mod not in memo:
            cells = {}
            for ctype, n in mods[mod].items():
                if ctype in mods:
                    for k, v in subtree(ctype).items():
                        cells[k] = cells.get(k, 0) + v * n
                else:
                    cells[ctype] = cells.get(ctype, 0) + n
            memo[mod] = cells
        return memo[mod]

    instances = {}

    def count(mod, mult):
        for ctype, n in mods[mod].items():
            if ctype in mods:
                instances[ctype] = instances.get(ctype, 0) + mult * n
                count(ctype, mult * n)

    top_key = next(k for k in mods if display_name(k) == TOP)
    count(top_key, 1)
    blocks = []
    for mod, n in instances.items():
        blocks.append({"block": display_name(mod), "instances": n,
                       "each_including_submodules": classify(subtree(mod))})
    order = {b: i for i, b in enumerate(BLOCKS)}
    blocks.sort(key=lambda b: order.get(b["block"], 99))
    total = classify(subtree(top_key))
    return {"seconds": secs, "total": total, "blocks": blocks,  # total: flattened in P&R
            "files": [str(Path(f).relative_to(ROOT)) for f in files]}


def place_and_route(out, freq_mhz, seed):
    asc = out / f"{TOP}.asc"
    for stale in (asc, out / f"{TOP}.bin", out / "nextpnr.json"):
        stale.unlink(missing_ok=True)
    cmd = ["nextpnr-ice40", "--up5k", "--package", "sg48", "--json", str(out / f"{TOP}.json"),
           "--pcf", str(PCF), "--freq", f"{freq_mhz:g}", "--seed", str(seed),
           "--asc", str(asc), "--report", str(out / "nextpnr.json")]
    print("[fpga] " + " ".join(cmd), flush=True)
    status, secs = run(cmd, out / "nextpnr.log", timeout=PNR_TIMEOUT_S)
    log = (out / "nextpnr.log").read_text(errors="replace")
    res = {"command": " ".join(cmd), "exit": status, "seconds": secs, "routed": False,
           "utilisation": {}, "errors": [ln.strip() for ln in log.splitlines()
                                         if ln.startswith("ERROR")][:5]}
    # Utilisation is printed after packing, so it is there even when placement fails.
    for m in re.finditer(r"Info:\s+(\w+):\s+(\d+)/\s*(\d+)\s+(\d+)%", log):
        res["utilisation"][m.group(1)] = {"used": int(m.group(2)), "available": int(m.group(3))}
    fmax = re.findall(r"Max frequency for clock\s+'([^']+)':\s+([\d.]+) MHz \((PASS|FAIL) at "
                      r"([\d.]+) MHz\)", log)
    if fmax:
        clock, mhz, verdict, target = fmax[-1]  # the last one: after routing
        res.update({"clock_net": clock, "fmax_mhz": float(mhz), "timing_met": verdict == "PASS",
                    "target_mhz": float(target)})
    res["routed"] = status == 0 and asc.exists()
    return res


def pack(out):
    cmd = ["icepack", str(out / f"{TOP}.asc"), str(out / f"{TOP}.bin")]
    status, secs = run(cmd, out / "icepack.log")
    return {"command": " ".join(cmd), "exit": status, "seconds": secs,
            "bitstream": str(out / f"{TOP}.bin") if status == 0 else None}


def fmt_res(r):
    return " | ".join(str(r[k]) for k in CELL_CLASSES)


def write_report(out, rep):
    (out / "report.json").write_text(json.dumps(rep, indent=2) + "\n")
    syn, pnr = rep["synth"], rep.get("pnr", {})
    L = [f"# FPGA build: {TOP} on iCE40 UP5K (iCEBreaker)", "",
         f"Generated by `make fpga` (scripts/fpga/npu_fpga.py) on {rep['date']}; "
         f"{rep['tools']}. See docs/fpga.md.", "",
         f"Config `{rep['config']}`; top parameters: "
         + ", ".join(f"{k}={v}" for k, v in rep["params"].items()) + ".", "",
         "## Verdict", "", rep["verdict"], "",
         "## Resources after synthesis (Yosys synth_ice40 -dsp -spram)", "",
         "| | " + " | ".join(CELL_CLASSES) + " |",
         "|---|" + "---:|" * len(CELL_CLASSES),
         "| whole design | " + fmt_res(syn["total"]) + " |",
         "| UP5K has | " + " | ".join(str(DEVICE.get(k, "-")) if k != "carry" else "(in LUT "
                                      "tiles)" for k in CELL_CLASSES) + " |",
         "| ratio | " + " | ".join(f"{syn['total'][k] / DEVICE[k]:.2f}x" if k in DEVICE else "-"
                                  for k in CELL_CLASSES) + " |", "",
         "Per block, one instance including its submodules (kept as hierarchy for this count,"
         " flattened before place and route):", "",
         "| block | instances | " + " | ".join(CELL_CLASSES) + " |",
         "|---|---:|" + "---:|" * len(CELL_CLASSES)]
    for b in syn["blocks"]:
        L.append(f"| {b['block']} | {b['instances']} | {fmt_res(b['each_including_submodules'])} |")
    L += ["", "## Place and route (nextpnr-ice40 --up5k --package sg48)", ""]
    if pnr:
        L.append(f"Command: `{pnr['command']}`; exit {pnr['exit']} after {pnr['seconds']} s.")
        L.append("")
        if pnr["utilisation"]:
            L += ["| resource | used | available |", "|---|---:|---:|"]
            L += [f"| {k} | {v['used']} | {v['available']} |"
                  for k, v in pnr["utilisation"].items()]
            L.append("")
        if "fmax_mhz" in pnr:
            L.append(f"Timing: Fmax {pnr['fmax_mhz']:.2f} MHz on `{pnr['clock_net']}` against "
                     f"{pnr['target_mhz']:g} MHz: {'met' if pnr['timing_met'] else 'NOT met'}.")
        else:
            L.append("Timing: no Fmax (the design was not placed and routed).")
        if pnr["errors"]:
            L += ["", "nextpnr errors:", ""] + [f"    {e}" for e in pnr["errors"]]
    bit = rep.get("pack", {}).get("bitstream")
    L += ["", "## Bitstream", "",
          f"`{bit}` (load: `iceprog {bit}`)" if bit else "Not produced (see the verdict)."]
    (out / "report.md").write_text("\n".join(L) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=str(ROOT / "configs" / "fpga.yaml"))
    ap.add_argument("--out", default=str(ROOT / "build" / "fpga"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--params-only", action="store_true",
                    help="print the npu_fpga_top parameters of the config as JSON and exit")
    args = ap.parse_args(argv)
    if args.params_only:
        try:
            print(json.dumps(top_params(read_config(args.config))))
            return 0
        except FlowError as e:
            print(f"npu_fpga.py: {e}", file=sys.stderr)
            return 1
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    try:
        cfg = read_config(args.config)
        params = top_params(cfg)
        yv = subprocess.run(["yosys", "-V"], capture_output=True, text=True).stdout.split(" (")[0]
        nv = subprocess.run(["nextpnr-ice40", "--version"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True).stdout.strip()
        nv = nv.splitlines()[0] if nv else "nextpnr-ice40 ?"
        rep = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "tools": f"{yv}, {nv}",
               "config": cfg["file"], "clock_mhz": cfg["clock_mhz"], "params": params,
               "device": DEVICE}
        rep["synth"] = synthesize(out, params)
        t = rep["synth"]["total"]
        print("[fpga] synthesis: " + ", ".join(f"{k} {v}" + (f"/{DEVICE[k]}" if k in DEVICE
                                                             else "") for k, v in t.items()),
              flush=True)
        rep["pnr"] = place_and_route(out, cfg["clock_mhz"], args.seed)
        p = rep["pnr"]
        if p["routed"]:
            rep["pack"] = pack(out)
        over = {k: f"{t[k]}/{DEVICE[k]}" for k in DEVICE if k in t and t[k] > DEVICE[k]}
        pnr_over = {k: f"{v['used']}/{v['available']} ({v['used'] / v['available']:.1f}x)"
                    for k, v in p["utilisation"].items() if v["used"] > v["available"]}
        if rep.get("pack", {}).get("bitstream"):
            rep["fits"] = True
            rep["verdict"] = (f"Fits and routes: Fmax {p.get('fmax_mhz', 0):.2f} MHz, timing "
                              f"{'met' if p.get('timing_met') else 'NOT met'} at "
                              f"{cfg['clock_mhz']:g} MHz; bitstream written.")
        else:
            rep["fits"] = False
            rep["verdict"] = ("Does NOT fit the iCE40UP5K: no bitstream. Over capacity after "
                              "synthesis: " + (", ".join(f"{k} {v}" for k, v in over.items())
                                               or "none by Yosys' count")
                              + "; after packing (nextpnr): "
                              + (", ".join(f"{k} {v}" for k, v in pnr_over.items()) or "none")
                              + "; nextpnr: " + ("; ".join(p["errors"]) or f"exit {p['exit']}")
                              + ".")
        write_report(out, rep)
        print(f"[fpga] {rep['verdict']}\n[fpga] report: {out}/report.md, {out}/report.json")
        return 0 if rep["fits"] else 2
    except FlowError as e:
        print(f"npu_fpga.py: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
