"""RTL files and Yosys helpers shared by the synthesis flows (npu_synth.py) and the FPGA build
(scripts/fpga/npu_fpga.py): which files a top needs, running a tool with a log, reading
Yosys' hierarchical statistics.

Only the Python standard library.
"""

import json
import re
import shlex
import subprocess
import time
from pathlib import Path

from npu_config import ROOT, FlowError

RTL = ROOT / "rtl"

INSTANCE_RE = re.compile(r"^\s*(npu_\w+)\s*(?:#\s*\(|\w+\s*\()", re.M)
PACKAGE_RE = re.compile(r"\b(npu_\w+_pkg)\s*::")


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
