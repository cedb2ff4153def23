"""CTest `import.*`: npu-import on small torchvision-style networks with random weights.

Each test imports a model, lets the importer's self-check run it on the C++ golden model
(npu-run, path in $NPU_RUN) and checks the result: the model loads and runs, the golden
model agrees with PyTorch, and bad input fails with a message naming the culprit.
"""

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

import torch
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, SCRIPTS)
sys.path.insert(0, HERE)

import tiny_nets  # noqa: E402
from npu_import import cli  # noqa: E402

NPU_RUN = os.environ.get("NPU_RUN", "")
FMNIST_32 = ["--calib-dataset", "fashion-mnist-train", "--pad", "2",
             "--mean", "0.5,0.5,0.5", "--std", "0.5,0.5,0.5"]


def run_importer(args):
    """In-process run (torch is imported once per test file): (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(args + (["--npu-run", NPU_RUN] if NPU_RUN else []))
    return status, out.getvalue(), err.getvalue()


class ImporterTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="npu_import_test_")
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def save_tiny_state_dict(self, classes=7):
        model = tiny_nets.tiny_resnet(seed=3, num_classes=classes)
        torch.save(model.state_dict(), self.path("tiny.pth"))
        return model

    def check_result(self, out_dir, min_agreement):
        with open(os.path.join(out_dir, "import_check.json")) as f:
            check = json.load(f)
        n = check["images"]
        self.assertGreaterEqual(check["golden_vs_pytorch_int8_top1"], min_agreement * n)
        self.assertGreaterEqual(check["golden_vs_float_top1"], min_agreement * n)
        return check


class StateDict(ImporterTest):
    def test_executable_imports_state_dict_and_golden_agrees(self):
        self.save_tiny_state_dict(classes=7)
        out = self.path("model")
        cmd = [os.path.join(SCRIPTS, "npu-import"),
               "--arch", os.path.join(HERE, "tiny_nets.py") + ":TinyResNet",
               "--weights", self.path("tiny.pth"), "--out", out, "--calib-count", "32",
               "--check-count", "32", "--classes", "a,b,c,d,e,f,g"] + FMNIST_32
        if NPU_RUN:
            cmd += ["--npu-run", NPU_RUN]
        res = subprocess.run(cmd, capture_output=True, text=True, check=False)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("fc: Linear(16, 7) as in the state_dict", res.stdout)
        self.assertIn("folded BatchNorm2d 'bn1' into Conv2d 'conv1'", res.stdout)
        self.assertIn("fused ReLU 'layer1_relu_1' into 'add'", res.stdout)
        check = self.check_result(out, 0.9)
        self.assertGreater(check["sqnr_db"]["fc"], 20.0)
        with open(os.path.join(out, "model.yaml")) as f:
            yaml_text = f.read()
        self.assertIn("format: npu-model-2", yaml_text)
        self.assertIn("  - pad: 2\n", yaml_text)
        self.assertIn("  - normalize: {mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5]}\n", yaml_text)
        self.assertIn('classes: ["a", "b", "c", "d", "e", "f", "g"]', yaml_text)
        # The independent Python reader of the format accepts it too.
        res = subprocess.run(["/usr/bin/python3", os.path.join(SCRIPTS, "check_npu_model.py"),
                              os.path.join(out, "model.yaml")], capture_output=True, text=True,
                             check=False)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("OK, 11 layers", res.stdout)

    def test_npu_run_preprocesses_images_as_the_importer_does(self):
        """The recorded preprocess list, applied by npu-run --image to PNG files, gives the
        same int8 network input as the importer's torchvision preprocessing."""
        from npu_import import data, selfcheck
        self.save_tiny_state_dict()
        out = self.path("pre")
        status, _, err = run_importer(
            ["--arch", os.path.join(HERE, "tiny_nets.py") + ":TinyResNet", "--weights",
             self.path("tiny.pth"), "--out", out, "--calib-count", "8", "--check-count", "0"]
            + FMNIST_32)
        self.assertEqual(status, 0, err)
        source = data.dataset_source("fashion-mnist-test")
        pngs = []
        for i in range(4):
            pngs.append(self.path(f"test{i}.png"))
            source.image(i).save(pngs[-1])
        pre = data.Preprocess(pad=[2] * 4, mean=[0.5] * 3, std=[0.5] * 3, channels=3)
        with open(os.path.join(out, "model.yaml")) as f:
            doc = yaml.safe_load(f)
        scale, zp = doc["input"]["scale"], doc["input"]["zero_point"]
        ours = selfcheck.quantize_input(data.tensors(source, range(4), pre), scale, zp)
        cmd = [NPU_RUN, "--model", os.path.join(out, "model.yaml"), "--dump-layers",
               self.path("dump"), "--quiet"]
        for png in pngs:
            cmd += ["--image", png]
        res = subprocess.run(cmd, capture_output=True, text=True, check=False)
        self.assertEqual(res.returncode, 0, res.stderr)
        tensors = self.path("inputs.bin")
        ours.tofile(tensors)
        dumped = self.path("dump_tensors")
        res = subprocess.run([NPU_RUN, "--model", os.path.join(out, "model.yaml"), "--tensors",
                              tensors, "--dump-layers", dumped, "--quiet"],
                             capture_output=True, text=True, check=False)
        self.assertEqual(res.returncode, 0, res.stderr)
        for layer in ("conv1", "fc"):   # the first layer sees the input directly
            with open(os.path.join(self.path("dump"), layer + ".bin"), "rb") as a, \
                    open(os.path.join(dumped, layer + ".bin"), "rb") as b:
                self.assertEqual(a.read(), b.read(), layer)

    def test_linear_over_a_feature_map_and_average_pool(self):
        torch.save(tiny_nets.tiny_avgpool_net().state_dict(), self.path("avg.pth"))
        out = self.path("avg")
        status, text, err = run_importer(
            ["--arch", os.path.join(HERE, "tiny_nets.py") + ":TinyAvgPoolNet", "--weights",
             self.path("avg.pth"), "--out", out, "--calib-count", "16", "--check-count", "16",
             "--observer", "minmax", "--input-size", "16x16", "--calib-dataset",
             "fashion-mnist-train", "--resize", "16"])
        self.assertEqual(status, 0, err)
        self.assertIn("weights reordered from PyTorch's CHW flattening", text)
        check = self.check_result(out, 0.9)
        self.assertGreater(check["sqnr_db"]["fc"], 20.0)

    def test_relu6_only_where_the_int8_range_makes_it_exact(self):
        results = {}
        for builder in ("conv_relu6_small", "conv_relu6_large"):
            torch.save(getattr(tiny_nets, builder)().state_dict(), self.path(builder + ".pth"))
            results[builder] = run_importer(
                ["--arch", os.path.join(HERE, "tiny_nets.py") + ":" + builder, "--weights",
                 self.path(builder + ".pth"), "--out", self.path(builder), "--calib-count", "8",
                 "--check-count", "8", "--observer", "minmax", "--calib-dataset",
                 "fashion-mnist-train", "--resize", "8"])
        status, text, err = results["conv_relu6_small"]
        self.assertEqual(status, 0, err)
        self.assertIn("ReLU6 'act' is exact: the int8 range ends at", text)
        with open(self.path("conv_relu6_small/model.yaml")) as f:
            self.assertIn("relu: true", f.read())
        self.check_result(self.path("conv_relu6_small"), 1.0)
        status, _, err = results["conv_relu6_large"]
        self.assertEqual(status, 1)
        self.assertIn("node 'act' (op ReLU6): ReLU6 is not exact in int8: the output range "
                      "reaches", err)

    def test_image_folder_and_percentile_observer(self):
        from PIL import Image
        self.save_tiny_state_dict()
        folder = self.path("images")
        os.makedirs(os.path.join(folder, "sub"))
        gen = torch.Generator().manual_seed(7)
        for i in range(12):   # RGB and gray, of different sizes: all resized to 32x32
            size = (40 + i, 36) if i % 2 else (32, 32)
            pixels = torch.randint(0, 256, (size[1], size[0], 3), generator=gen).byte().numpy()
            im = Image.fromarray(pixels, "RGB")
            im = im.convert("L") if i % 3 == 0 else im
            im.save(os.path.join(folder, "sub" if i % 4 == 0 else "", f"img{i}.png"))
        out = self.path("folder")
        status, text, err = run_importer(
            ["--arch", os.path.join(HERE, "tiny_nets.py") + ":TinyResNet", "--weights",
             self.path("tiny.pth"), "--out", out, "--calib-images", folder, "--resize", "32",
             "--center-crop", "32", "--observer", "percentile", "--percentile", "99.9",
             "--check-count", "12"])
        self.assertEqual(status, 0, err)
        self.assertIn(f"calibration: 12 images of {folder}, preprocessed to 3x32x32; "
                      "observer percentile", text)
        self.check_result(out, 0.9)
        with open(os.path.join(out, "model.yaml")) as f:
            yaml_text = f.read()
        self.assertIn("  - resize: 32\n  - center_crop: 32\n", yaml_text)

    def test_wrong_state_dict_key_is_named(self):
        state = self.save_tiny_state_dict().state_dict()
        state["layer1.conv9.weight"] = state.pop("layer1.conv1.weight")
        torch.save(state, self.path("bad.pth"))
        status, _, err = run_importer(
            ["--arch", os.path.join(HERE, "tiny_nets.py") + ":TinyResNet", "--weights",
             self.path("bad.pth"), "--out", self.path("bad")] + FMNIST_32)
        self.assertEqual(status, 1)
        self.assertIn("missing keys 'layer1.conv1.weight'", err)
        self.assertIn("unexpected keys 'layer1.conv9.weight'", err)

    def test_unsupported_op_and_attribute_are_named(self):
        for cls, expected in (("WithSigmoid", "node 'sig' (op Sigmoid): op not supported"),
                              ("GroupedConv", "node 'conv' (op Conv2d): attribute groups=2")):
            model = getattr(tiny_nets, cls)()
            torch.save(model.state_dict(), self.path(cls + ".pth"))
            status, _, err = run_importer(
                ["--arch", os.path.join(HERE, "tiny_nets.py") + ":" + cls, "--weights",
                 self.path(cls + ".pth"), "--out", self.path(cls), "--calib-count", "2",
                 "--calib-dataset", "fashion-mnist-train", "--resize", "8"])
            self.assertEqual(status, 1)
            self.assertIn(expected, err)


class Onnx(ImporterTest):
    def export(self, model, name, opset):
        path = self.path(name)
        torch.onnx.export(model, torch.zeros(1, 3, 32, 32), path, opset_version=opset)
        return path

    def import_file(self, option, path, out, check=16):
        return run_importer([option, path, "--out", out, "--calib-count", "16", "--check-count",
                             str(check)] + FMNIST_32)

    def test_onnx_export_of_the_same_model_at_opsets_11_and_17(self):
        model = self.save_tiny_state_dict()
        for opset in (11, 17):
            out = self.path(f"onnx{opset}")
            status, text, err = self.import_file("--onnx", self.export(model, f"m{opset}.onnx",
                                                                      opset), out)
            self.assertEqual(status, 0, err)
            self.check_result(out, 0.9)
            with open(os.path.join(out, "model.yaml")) as f:
                yaml_text = f.read()
            # Layer names follow the PyTorch module names, as from the state_dict.
            for layer in ("conv1", "maxpool", "layer1_conv1", "layer2_downsample_0", "add_1",
                          "avgpool", "fc"):
                self.assertIn(f"  - name: {layer}\n", yaml_text)

    def test_dynamic_batch_and_pad_exports(self):
        cases = (("dyn", tiny_nets.tiny_avgpool_net(), 16, {"x": {0: "N"}}),
                 ("pad", tiny_nets.PadConvNet().eval(), 16, None))
        for name, model, size, axes in cases:
            path = self.path(name + ".onnx")
            torch.onnx.export(model, torch.zeros(1, 3, size, size), path, opset_version=13,
                              input_names=["x"], dynamic_axes=axes)
            out = self.path(name)
            status, text, err = run_importer(
                ["--onnx", path, "--out", out, "--calib-count", "8", "--check-count", "8",
                 "--calib-dataset", "fashion-mnist-train", "--resize", str(size)])
            self.assertEqual(status, 0, err)
            self.check_result(out, 1.0)
        self.assertIn("folded Pad '/p/Pad' into AveragePool '/p/AveragePool'", text)

    def test_torchscript_traced_and_scripted(self):
        model = self.save_tiny_state_dict()
        for kind, sm in (("traced", torch.jit.trace(model, torch.zeros(1, 3, 32, 32))),
                         ("scripted", torch.jit.script(model))):
            path = self.path(f"{kind}.pt")
            torch.jit.save(sm, path)
            out = self.path(kind)
            status, text, err = self.import_file("--torchscript", path, out)
            self.assertEqual(status, 0, err)
            self.assertIn("exported to ONNX opset 13", text)
            self.check_result(out, 0.9)

    def test_unsupported_onnx_node_and_attribute_are_named(self):
        path = self.export(tiny_nets.WithSigmoid().eval(), "sig.onnx", 13)
        status, _, err = self.import_file("--onnx", path, self.path("sig"), check=0)
        self.assertEqual(status, 1)
        self.assertIn("node '/sig/Sigmoid' (op Sigmoid): op not supported", err)
        path = self.export(tiny_nets.GroupedConvRGB().eval(), "grouped.onnx", 13)
        status, _, err = self.import_file("--onnx", path, self.path("grouped"), check=0)
        self.assertEqual(status, 1)
        self.assertIn("node '/conv/Conv' (op Conv): attribute group=3", err)

    def test_qdq_export_of_pytorch_int8_keeps_every_scale_and_weight(self):
        from npu_import import graph, lower, quantize, selfcheck
        model = tiny_nets.tiny_resnet(seed=5, num_classes=7)
        x = torch.rand(8, 3, 32, 32)
        prepared, converted = quantize.quantize(graph.canonicalize(graph.trace(model)), [x],
                                                "minmax")
        direct = lower.lower(prepared, converted, (32, 32, 3)).writer
        path = self.path("qdq.onnx")
        torch.onnx.export(converted, x[:1], path, opset_version=13)
        out = self.path("qdq")
        status, text, err = run_importer(["--onnx", path, "--out", out, "--calib-dataset",
                                          "fashion-mnist-train", "--pad", "2",
                                          "--check-count", "16"])
        self.assertEqual(status, 0, err)
        self.assertIn("scales and zero points imported as given", text)
        self.assertIn("16 images ran on", text)
        from npu_import.frontends import onnx_model, qdq
        imported, output, _ = qdq.load(onnx_model.read(path), path)
        self.assertEqual([l[-1] for l in imported.layers], [l[-1] for l in direct.layers])
        self.assertEqual(imported.quant("input"), direct.quant("input"))
        self.assertEqual(len(imported.blob), len(direct.blob))
        # Weights and scales are PyTorch's; its exporter rounds some int32 biases one step
        # differently, and those are imported as given.
        diff = [abs(a - b) for a, b in zip(imported.blob, direct.blob) if a != b]
        self.assertLess(len(diff), len(direct.blob) // 50)
        scale, zp = imported.quant("input")
        with tempfile.TemporaryDirectory() as tmp:
            golden = selfcheck.run_golden(NPU_RUN, os.path.join(out, "model.yaml"),
                                          selfcheck.quantize_input(x, scale, zp), tmp)
        ours = golden[output].reshape(8, -1).argmax(1)
        self.assertGreaterEqual(int((ours == converted(x).argmax(1).numpy()).sum()), 7)

    def test_onnx_input_size_must_match_the_preprocessing(self):
        path = self.export(self.save_tiny_state_dict(), "m.onnx", 13)
        status, _, err = run_importer(["--onnx", path, "--out", self.path("x"),
                                       "--calib-dataset", "fashion-mnist-train", "--resize",
                                       "40"])
        self.assertEqual(status, 1)
        self.assertIn("the model's input is 32x32, the preprocessed images are 40x40", err)


if __name__ == "__main__":
    unittest.main()
