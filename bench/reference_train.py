#!/usr/bin/python3
"""Plain PyTorch reference for bench/train_throughput.sh: the same architectures, optimizer,
batch size and data as Atelier's presets, the way a Python user would write them.
Usage: reference_train.py MODEL BATCH EPOCHS DATA_DIR [fp32|bf16]; bf16 wraps every forward
pass in torch.autocast("cpu", dtype=torch.bfloat16), as the PyTorch documentation shows.
Prints one line: samples_per_second epoch_seconds eval_samples_per_second."""
import gzip
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def load_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def conv_relu_pool(channels_in, channels_out, ceil_mode=False):
    # ceil_mode: Keras's "same" pooling of an odd size (7 -> 4), as Atelier's presets ask.
    return [nn.Conv2d(channels_in, channels_out, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=ceil_mode)]


def conv_bn_relu(channels_in, channels_out):
    # Atelier's batch-norm defaults are PyTorch's (momentum 0.1, epsilon 1e-5).
    return [nn.Conv2d(channels_in, channels_out, 3, padding=1), nn.BatchNorm2d(channels_out), nn.ReLU()]


def model_for(name):
    if name == "mlp_medium":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                             nn.Linear(128, 10))
    if name == "cnn_medium":
        return nn.Sequential(*conv_relu_pool(1, 32), *conv_relu_pool(32, 64), nn.Flatten(), nn.Linear(3136, 10))
    if name == "cnn_large":
        return nn.Sequential(*conv_relu_pool(1, 32), *conv_relu_pool(32, 64), *conv_relu_pool(64, 128, True),
                             *conv_relu_pool(128, 256), nn.Flatten(), nn.Linear(1024, 10))
    if name == "cnn_best":
        return nn.Sequential(*conv_bn_relu(1, 32), nn.MaxPool2d(2), *conv_bn_relu(32, 64), *conv_bn_relu(64, 64),
                             nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(), nn.Linear(3136, 256),
                             nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.5),
                             nn.Linear(256, 10))
    raise SystemExit("unknown model " + name)


def optimizer_for(name, parameters):
    if name == "cnn_best":
        return torch.optim.Adam(parameters, lr=0.001)
    return torch.optim.SGD(parameters, lr=0.01, momentum=0.9, nesterov=True)


def augment(name, x):
    # cnn_best trains on random horizontal flips, drawn per image.
    if name != "cnn_best":
        return x
    flip = torch.rand(x.shape[0], 1, 1, 1) < 0.5
    return torch.where(flip, x.flip(3), x)


def main():
    name, batch, epochs, data_dir = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    mixed = len(sys.argv) > 5 and sys.argv[5] == "bf16"
    torch.set_num_threads(os.cpu_count())
    torch.manual_seed(42)
    images = torch.from_numpy(load_idx(data_dir + "/train-images-idx3-ubyte.gz").copy()).float().div_(255)
    labels = torch.from_numpy(load_idx(data_dir + "/train-labels-idx1-ubyte.gz").astype(np.int64))
    x_train, y_train = images[:48000].reshape(-1, 1, 28, 28), labels[:48000]
    x_dev, y_dev = images[48000:].reshape(-1, 1, 28, 28), labels[48000:]
    model = model_for(name)
    optimizer = optimizer_for(name, model.parameters())
    train_seconds, eval_seconds, epoch_seconds = 0.0, 0.0, 0.0
    for _ in range(epochs):
        start = time.perf_counter()
        model.train()
        order = torch.randperm(len(x_train))
        for i in range(0, len(x_train), batch):
            idx = order[i:i + batch]
            optimizer.zero_grad()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=mixed):
                logits = model(augment(name, x_train[idx]))
            loss = F.cross_entropy(logits.float(), y_train[idx])
            loss.backward()
            optimizer.step()
        trained = time.perf_counter()
        model.eval()
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=mixed):
            for i in range(0, len(x_dev), 128):
                model(x_dev[i:i + 128])
        end = time.perf_counter()
        # Summed over all epochs, as Atelier's samples_per_second is.
        train_seconds += trained - start
        eval_seconds += end - trained
        epoch_seconds = end - start
    print(f"{epochs * len(x_train) / train_seconds:.0f} {epoch_seconds:.2f} {epochs * len(x_dev) / eval_seconds:.0f}")


if __name__ == "__main__":
    main()
