"""The hardware config as the Python flows see it: configs/generated/<name>.json, written by
npu-gen-config from configs/<name>.yaml with the derivation the C++ software uses
(sw/config/hw_params.cpp). Nothing is derived or parsed from the YAML here; the YAML's SHA-256
recorded in the JSON tells whether the JSON is stale.

Only the Python standard library.
"""

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "configs" / "generated"
UPDATE_HINT = "build the target config_update_committed (cmake --build build --target " \
              "config_update_committed)"


class FlowError(RuntimeError):
    pass


# The flat field names the flows and their reports use, and the generated constant of each.
FIELDS = {
    "array.rows": "ArrayRows",
    "array.cols": "ArrayCols",
    "buffers.activation_kib": "ActivationKib",
    "buffers.weight_kib": "WeightKib",
    "buffers.accumulator_kib": "AccumulatorKib",
    "ppu.max_channels": "PpuMaxChannels",
    "axi.data_bits": "AxiDataBits",
    "axi.addr_bits": "AxiAddrBits",
    "axi.id_bits": "AxiIdBits",
    "axi.max_burst_beats": "AxiMaxBurstBeats",
    "axi.max_outstanding_reads": "AxiMaxOutstandingReads",
}


def display_path(path):
    path = Path(path).resolve()
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def generated_json(yaml_path):
    """configs/generated/<name>.json of configs/<name>.yaml (a YAML outside configs/ has its
    JSON beside it in a generated/ folder)."""
    yaml_path = Path(yaml_path).resolve()
    return yaml_path.parent / "generated" / (yaml_path.stem + ".json")


def read_config(yaml_path):
    """The config of yaml_path: flat fields (FIELDS, plus name, clock_mhz, file), the derived
    constants under "constants" and the RTL parameter lists under "npu_core_params" and
    "npu_top_params", all read from the generated JSON."""
    yaml_path = Path(yaml_path)
    if not yaml_path.is_file():
        raise FlowError(f"{yaml_path}: no such hardware config")
    json_path = generated_json(yaml_path)
    if not json_path.is_file():
        raise FlowError(f"{display_path(json_path)}: missing (generated from "
                        f"{display_path(yaml_path)}): {UPDATE_HINT}")
    try:
        gen = json.loads(json_path.read_text())
    except json.JSONDecodeError as e:
        raise FlowError(f"{display_path(json_path)}: not JSON ({e})") from None
    sha = hashlib.sha256(yaml_path.read_bytes()).hexdigest()
    if gen.get("source_sha256") != sha:
        raise FlowError(f"{display_path(json_path)} was generated from another version of "
                        f"{display_path(yaml_path)}: {UPDATE_HINT}")
    const = gen["constants"]
    cfg = {"file": display_path(yaml_path), "name": gen["name"], "clock_mhz": gen["clock_mhz"]}
    for field, name in FIELDS.items():
        cfg[field] = const[name]
    cfg["ppu.serial"] = bool(const["PpuSerial"])
    cfg["constants"] = dict(const)
    cfg["npu_core_params"] = dict(gen["npu_core_params"])
    cfg["npu_top_params"] = dict(gen["npu_top_params"])
    return cfg
