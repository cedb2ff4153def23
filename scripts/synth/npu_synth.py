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
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asic_flow import LIBERTY, SDC, SRAM_UM2_PER_BIT, SRAM_UM2_PER_MACRO, asic_block, \
    liberty_areas  # noqa: E402
from fpga_estimates import FPGA_ARCHS, fpga_block  # noqa: E402
from npu_config import ROOT, FlowError, read_config  # noqa: E402
from synth_blocks import BLOCK_ORDER, block_defs  # noqa: E402
from synth_report import totals_for, tool_versions, where, write_report  # noqa: E402


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
