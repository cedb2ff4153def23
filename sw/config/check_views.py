#!/usr/bin/python3
"""Checks that every consumer of the hardware configs sees what the YAML says (ctest -L config).

    check_views.py --fresh-dir <build>/generated/hw committed
        configs/generated/<name>.{cmake,json} are byte for byte what npu-gen-config writes
        from configs/<name>.yaml now (<fresh-dir>/<name>/<name>.{cmake,json}).
    check_views.py --fresh-dir <build>/generated/hw views --views <build>/generated/hw/views.txt
        every RTL build of a config (benches, runtime models: the lines npu_hw_view() wrote at
        configure time) passed the config's generated parameters and all of them, and the
        Python flows (scripts/synth/synth_blocks.py, scripts/fpga/npu_fpga.py) read the same.

Every mismatch is printed, naming the consumer, the config and the parameter; exit status 1.
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "synth"))
sys.path.insert(0, str(ROOT / "scripts" / "fpga"))


def config_names():
    return sorted(p.stem for p in (ROOT / "configs").glob("*.yaml"))


def fresh_json(fresh_dir, name):
    path = Path(fresh_dir) / name / f"{name}.json"
    if not path.is_file():
        raise SystemExit(f"{path}: missing (build the npu_hw_config_{name}_files target)")
    return json.loads(path.read_text())


def check_committed(fresh_dir):
    problems = []
    for name in config_names():
        for ext in ("cmake", "json"):
            fresh = Path(fresh_dir) / name / f"{name}.{ext}"
            committed = ROOT / "configs" / "generated" / f"{name}.{ext}"
            if not committed.is_file():
                problems.append(f"configs/generated/{name}.{ext}: missing")
            elif fresh.read_bytes() != committed.read_bytes():
                problems.append(f"configs/generated/{name}.{ext}: differs from what "
                                f"configs/{name}.yaml gives ({fresh})")
        # The build regenerates only when it runs: a YAML edited since is caught by its hash.
        yaml_sha = hashlib.sha256((ROOT / "configs" / f"{name}.yaml").read_bytes()).hexdigest()
        committed_json = ROOT / "configs" / "generated" / f"{name}.json"
        if committed_json.is_file() and \
                json.loads(committed_json.read_text()).get("source_sha256") != yaml_sha:
            problems.append(f"configs/generated/{name}.json: generated from another version of "
                            f"configs/{name}.yaml")
    if problems:
        problems.append("rebuild the target config_update_committed (cmake --build <dir> "
                        "--target config_update_committed)")
    return problems


def as_int(value):
    """5, "5" or a Verilog literal "1'b1" as an int (None when it is none of these)."""
    text = str(value).strip()
    if "'" in text:
        _, lit = text.split("'", 1)
        bases = {"b": 2, "d": 10, "h": 16, "o": 8}
        try:
            return int(lit[1:], bases[lit[0].lower()])
        except (KeyError, ValueError, IndexError):
            return None
    try:
        return int(text)
    except ValueError:
        return None


def compare(consumer, config, want, got, required):
    """Mismatches between the generated parameters `want` and a consumer's `got`; parameters
    of `required` must be present (an RTL default would silently stand in)."""
    out = []
    for key in required:
        if key not in got:
            out.append(f"{consumer} (config {config}): {key} not passed (generated: {want[key]})")
    for key, value in got.items():
        if key in want and as_int(value) != as_int(want[key]):
            out.append(f"{consumer} (config {config}): {key}={value}, but configs/{config}.yaml "
                       f"gives {key}={want[key]}")
    return out


def check_rtl_views(views_file, fresh_dir):
    problems, seen = [], 0
    for line in Path(views_file).read_text().splitlines():
        if not line.strip():
            continue
        consumer, config, top, params = line.split("\t")
        gen = fresh_json(fresh_dir, config)
        want = gen["npu_top_params"] if top == "npu_top" else gen["npu_core_params"]
        got = dict(p.split("=", 1) for p in params.split())
        problems += compare(consumer, config, want, got, want.keys())
        seen += 1
    if seen == 0:
        problems.append(f"{views_file}: no RTL build recorded its parameters")
    return problems, seen


def check_python_flows(fresh_dir):
    import npu_config
    import npu_fpga
    import synth_blocks
    problems = []
    for name in config_names():
        gen = fresh_json(fresh_dir, name)
        try:
            cfg = npu_config.read_config(ROOT / "configs" / f"{name}.yaml")
        except npu_config.FlowError as e:
            problems.append(f"scripts/synth, scripts/fpga (config {name}): {e}")
            continue
        blocks, sram = synth_blocks.block_defs(cfg)
        core, top = gen["npu_core_params"], gen["npu_top_params"]
        problems += compare("scripts/synth npu_top block", name, top, blocks["top"]["params"],
                            top.keys())
        problems += compare("scripts/synth npu_datapath block", name, core,
                            blocks["datapath"]["params"], core.keys())
        ctrl = {k: v for k, v in blocks["ctrl"]["params"].items() if k in core}
        problems += compare("scripts/synth npu_ctrl block", name, core, ctrl, ())
        ppu = blocks["ppu"]["params"]
        problems += compare("scripts/synth npu_ppu block", name, core,
                            {"PpuMaxChannels": ppu["MaxChannels"], "PpuSerial": ppu["Serial"]},
                            ())
        kib = {"activation": "ActivationKib", "weight": "WeightKib",
               "accumulator": "AccumulatorKib"}
        for mem, const in kib.items():
            if sram[mem]["bits"] != gen["constants"][const] * 8192:
                problems.append(f"scripts/synth SRAM model (config {name}): {mem} "
                                f"{sram[mem]['bits']} bits, configs/{name}.yaml gives "
                                f"{gen['constants'][const]} KiB")
        problems += compare("scripts/fpga npu_fpga_top", name, core, npu_fpga.top_params(cfg),
                            core.keys())
        if cfg["clock_mhz"] != gen["clock_mhz"]:
            problems.append(f"scripts/synth clock (config {name}): {cfg['clock_mhz']} MHz, the "
                            f"YAML gives {gen['clock_mhz']}")
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fresh-dir", required=True)
    ap.add_argument("what", choices=("committed", "views"))
    ap.add_argument("--views")
    args = ap.parse_args(argv)
    if args.what == "committed":
        problems = check_committed(args.fresh_dir)
        ok = f"configs/generated/ matches configs/*.yaml ({len(config_names())} configs)"
    else:
        if not args.views:
            ap.error("views needs --views")
        problems, seen = check_rtl_views(args.views, args.fresh_dir)
        problems += check_python_flows(args.fresh_dir)
        ok = (f"{seen} RTL builds and the synth / fpga flows see configs/*.yaml's parameters "
              f"({len(config_names())} configs)")
    for p in problems:
        print("MISMATCH:", p)
    if problems:
        return 1
    print(ok)
    return 0


if __name__ == "__main__":
    sys.exit(main())
