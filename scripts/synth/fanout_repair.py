"""Buffer trees on high-fanout nets of a mapped Yosys JSON netlist (npu_synth.py).

ABC (Yosys 0.23's yosys-abc) buffers the fanout of gates it maps, but not of its primary
inputs: flop outputs and module input ports. So a global enable or a configuration register
drives hundreds of gate inputs directly, and OpenSTA then reports nanoseconds of slew on it.
A real flow repairs such nets after placement (OpenROAD repair_design and the like); this is a
placement-free stand-in: every net with more than MAX_FANOUT sinks gets a tree of BUFX4
cells, MAX_FANOUT sinks per buffer. Clock nets are left alone (the SDC's clock is ideal).
A sink is a cell input pin, an input port of a kept submodule instance or a module output.
"""

import json

MAX_FANOUT = 8
BUFFER = ("BUFX4", "A", "Y")


def repair(in_json, out_json, macros=(), max_fanout=MAX_FANOUT):
    """Buffers high-fanout nets; renames instances of the modules in `macros` (kept as
    boxes) to one parameter-free cell type per shape, e.g. npu_sram_512x128,
    because OpenSTA's netlist reader takes no parameters. Returns (buffers added,
    {cell type: {"module", "params", "ports": {port: (direction, width)}, "count"}})."""
    data = json.load(open(in_json))
    added = 0
    found = {}
    for mod in data["modules"].values():
        for cell in mod.get("cells", {}).values():
            base = cell["type"].split("\\")[-1]
            if base in macros:
                _rename_macro(cell, base, found)
    for mod in data["modules"].values():
        if mod.get("attributes", {}).get("blackbox") or "cells" not in mod:
            continue
        added += _repair_module(mod, max_fanout)
    with open(out_json, "w") as fh:
        json.dump(data, fh)
    return added, found


def macro_shape(base, widths):
    """Shape parameters of a memory box from its port widths (the depths are powers of two;
    the derived box has no parameters left to read)."""
    if base == "npu_sram":
        return {"depth": 2 ** widths["rd_addr_i"], "width": widths["rd_data_o"]}
    if base == "npu_ppu_table":
        lanes = 2 ** widths["wr_lane_i"]
        return {"lanes": lanes, "groups": 2 ** widths["rd_group_i"],
                "entry": widths["rd_entries_o"] // lanes}
    raise ValueError(f"no shape rule for macro module {base}")


def _rename_macro(cell, base, found):
    widths = {p: len(bits) for p, bits in cell["connections"].items()}
    params = macro_shape(base, widths)
    name = base + "_" + "x".join(str(v) for v in params.values())
    dirs = cell.get("port_directions", {})
    entry = found.setdefault(name, {"module": base, "params": params, "count": 0, "ports": {
        p: (dirs.get(p, "input"), w) for p, w in widths.items()}})
    entry["count"] += 1
    cell["type"] = name
    cell["parameters"] = {}


def _repair_module(mod, max_fanout):
    cells = mod["cells"]
    next_bit = 1 + max([b for p in mod.get("ports", {}).values() for b in p["bits"]
                        if isinstance(b, int)]
                       + [b for c in cells.values() for bits in c["connections"].values()
                          for b in bits if isinstance(b, int)]
                       + [b for n in mod.get("netnames", {}).values() for b in n["bits"]
                          if isinstance(b, int)] + [1])
    sinks, clock_bits = {}, set()
    for cname, cell in cells.items():
        dirs = cell.get("port_directions", {})
        for port, bits in cell["connections"].items():
            if dirs.get(port) != "input":
                continue
            for i, b in enumerate(bits):
                if isinstance(b, int):
                    sinks.setdefault(b, []).append((cname, port, i))
                    if port == "CLK":
                        clock_bits.add(b)
    for pname, port in mod.get("ports", {}).items():
        if pname == "clk_i":
            clock_bits.update(b for b in port["bits"] if isinstance(b, int))
        if port["direction"] == "output":
            for b in port["bits"]:
                if isinstance(b, int):
                    sinks.setdefault(b, []).append((None, pname, None))
    added = 0
    for bit, loads in sinks.items():
        if bit in clock_bits or len(loads) <= max_fanout:
            continue
        # Output-port sinks stay on the original net (the port bit is that net).
        movable = [s for s in loads if s[0] is not None]
        level = movable
        while len(level) > max_fanout:
            groups = [level[i:i + max_fanout] for i in range(0, len(level), max_fanout)]
            parents = []
            for g in groups:
                nb = next_bit
                next_bit += 1
                name = f"$fanout_buf${bit}${added}"
                cells[name] = {"hide_name": 1, "type": BUFFER[0], "parameters": {},
                               "attributes": {},
                               "port_directions": {BUFFER[1]: "input", BUFFER[2]: "output"},
                               "connections": {BUFFER[1]: [None], BUFFER[2]: [nb]}}
                added += 1
                for s in g:
                    _reconnect(cells, s, nb)
                parents.append((name, BUFFER[1], 0))
            level = parents
        for s in level:
            _reconnect(cells, s, bit)
    return added


def _reconnect(cells, sink, bit):
    cname, port, idx = sink
    cells[cname]["connections"][port][idx] = bit

