#!/usr/bin/env python3
"""Re-runs a committed model on its whole test set through npu-run and fails unless the golden
accuracy and the top-1 agreement with PyTorch int8 equal the figures in its record.json.

    check_model_record.py <npu-run> <model dir>
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    npu_run, model_dir = sys.argv[1], Path(sys.argv[2])
    record = json.loads((model_dir / "record.json").read_text())
    images = record["test_images"]
    with tempfile.TemporaryDirectory() as tmp:
        report_path = Path(tmp) / "report.json"
        cmd = [npu_run, "--model", str(model_dir / "model.yaml"),
               "--dataset", "fashion-mnist-test", "--count", str(images),
               "--compare-predictions", str(model_dir / "pytorch_int8_predictions.txt"),
               "--report", str(report_path)]
        print(" ".join(cmd), flush=True)
        subprocess.run(cmd, check=True)
        report = json.loads(report_path.read_text())

    failures = []
    recorded_correct = round(record["golden_int8_accuracy"] * images)
    if report["images"] != images:
        failures.append(f"ran {report['images']} images, record says {images}")
    if report["correct"] != recorded_correct:
        failures.append(f"golden accuracy {report['correct']}/{images}, "
                        f"record.json golden_int8_accuracy says {recorded_correct}/{images}")
    recorded_agreeing = round(record["agreement"] * images)
    agreeing = report["comparison"]["agreeing"]
    if agreeing != recorded_agreeing:
        failures.append(f"agreement with PyTorch int8 {agreeing}/{images}, "
                        f"record.json agreement says {recorded_agreeing}/{images}")
    for f in failures:
        print(f"{model_dir}/record.json: {f}", file=sys.stderr)
    if failures:
        return 1
    print(f"{model_dir}: golden {report['correct']}/{images} and agreement "
          f"{agreeing}/{images} match record.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
