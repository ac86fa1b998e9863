#!/usr/bin/python3
"""Runs Atelier's exported models in runtimes Atelier did not write, and says how they agree.

Usage: check_exports.py MANIFEST.json

The manifest (written by tests/tst_model_export.cpp) names the Fashion-MNIST test files and,
per case, an ONNX file, a TorchScript file, and Atelier's own probabilities for every test
image (float32, images x classes). For each case this prints one JSON object per line:
ONNX's checker verdict (full check, with shape inference), the ONNX output shapes of every
layer as shape inference sees them, and for OpenCV's DNN module and for PyTorch the share of
images whose predicted class agrees with Atelier, the largest probability difference and the
accuracy on the test labels. It never decides pass or fail: the test does.
"""
import gzip
import json
import sys

import numpy as np


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def compare(probabilities, expected, labels):
    predicted = probabilities.argmax(1)
    return {
        "agree": float((predicted == expected.argmax(1)).mean()),
        "max_difference": float(np.abs(probabilities - expected).max()),
        "accuracy": float((predicted == labels).mean()),
        "shape": list(probabilities.shape),
    }


def layer_shapes(model):
    """The inferred shape of each layer's last tensor (nodes are named layerK_...)."""
    import onnx
    inferred = onnx.shape_inference.infer_shapes(model)
    shapes = {}
    for value in list(inferred.graph.value_info) + list(inferred.graph.output):
        dims = [d.dim_value if d.HasField("dim_value") else d.dim_param
                for d in value.type.tensor_type.shape.dim]
        shapes[value.name] = dims
    last = {}
    for node in inferred.graph.node:
        if node.name.startswith("layer"):
            last[node.name.split("_")[0]] = node.output[0]
    return {layer: shapes.get(tensor) for layer, tensor in last.items()}


def layer_values(path, pixels, layer_files, count):
    """Each layer's output in OpenCV against Atelier's for the first `count` images: the
    largest difference relative to 1 + |Atelier's value|, or what differs in size. Layers
    without a node (dropout is the identity at inference) are left out."""
    import cv2
    import onnx
    last = {}
    for node in onnx.load(path).graph.node:
        if node.name.startswith("layer"):
            last[node.name.split("_")[0]] = "onnx_node!" + node.name
    present = [layer for layer in layer_files if layer in last]
    net = cv2.dnn.readNetFromONNX(path)
    net.setInput(pixels[:count])
    outputs = net.forward([last[layer] for layer in present])
    result = {}
    for layer, output in zip(present, outputs):
        atelier = np.fromfile(layer_files[layer], dtype=np.float32).reshape(count, -1)
        theirs = output.reshape(count, -1)
        if theirs.shape != atelier.shape:
            result[layer] = "OpenCV gives %s, Atelier %d values per image" % (
                list(output.shape), atelier.shape[1])
        else:
            result[layer] = float((np.abs(theirs - atelier) / (1 + np.abs(atelier))).max())
    return result


def check_onnx(path, pixels, expected, labels, case):
    import cv2
    import onnx
    result = {}
    model = onnx.load(path)
    try:
        onnx.checker.check_model(model, full_check=True)
        result["checker"] = "ok"
    except Exception as error:  # the checker's own words go to the test's failure message
        result["checker"] = str(error)
    result["opset"] = [op.version for op in model.opset_import if op.domain in ("", "ai.onnx")]
    result["metadata"] = {p.key: p.value for p in model.metadata_props}
    result["layer_shapes"] = layer_shapes(model)
    net = cv2.dnn.readNetFromONNX(path)
    outputs = []
    for start in range(0, len(pixels), 1000):  # also proves the batch size is not fixed
        net.setInput(pixels[start:start + 1000])
        outputs.append(net.forward().copy())
    result["opencv"] = compare(np.concatenate(outputs), expected, labels)
    if case.get("layer_files"):
        result["layer_values"] = layer_values(path, pixels, case["layer_files"],
                                              case["layer_images"])
    return result


def check_torchscript(path, pixels, expected, labels):
    import torch
    extra = {"atelier.json": ""}
    module = torch.jit.load(path, _extra_files=extra)
    with torch.no_grad():
        probabilities = module(torch.from_numpy(pixels)).numpy()
    return {"torch": compare(probabilities, expected, labels),
            "metadata": json.loads(extra["atelier.json"] or "{}")}


def main():
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    images = read_idx(manifest["images"])
    labels = read_idx(manifest["labels"]).astype(np.int64)
    pixels = (images.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    for case in manifest["cases"]:
        expected = np.fromfile(case["expected"], dtype=np.float32).reshape(len(pixels), -1)
        report = {"name": case["name"]}
        if case.get("onnx"):
            report["onnx"] = check_onnx(case["onnx"], pixels, expected, labels, case)
        if case.get("torchscript"):
            report["torchscript"] = check_torchscript(case["torchscript"], pixels, expected,
                                                      labels)
        print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
