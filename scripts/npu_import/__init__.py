"""npu-import: PyTorch / TorchScript / ONNX models to the npu model format (docs/import.md).

Modules: frontends/ (file -> float torch.fx module), graph (checks the float graph and
reports folds), quantize (FX post-training quantization), lower (quantized graph -> layers),
writer (model.yaml + model.bin), data (calibration images and preprocessing), selfcheck
(runs the C++ golden model and compares).
"""
