"""dlib's face-recognition ResNet, run with numpy instead of inside dlib.

The ``dlib-bin`` wheel is built without BLAS, so ``compute_face_descriptor`` spends about
150 ms of CPU per face in dlib's own convolution loops. The same network with its
convolutions as matrix products goes through numpy's BLAS and takes a fraction of that;
the weights are read from the very model file dlib uses, and the output equals dlib's
descriptor to float rounding (``tests/faces/test_resnet.py`` compares them), so the
calibration of distances carries over unchanged.

The architecture is that of dlib's ``dnn_face_recognition_ex.cpp``: a 7×7/2 convolution,
3×3/2 max pooling, then residual stages of 32, 64, 128, 256 and 256 filters (3, 4, 3, 3 and
1 blocks; each stage after the first starts with a block of stride 2 whose shortcut is a
2×2 average pooling), global average pooling and a 128-wide linear layer without bias.
Batch normalisation was folded into per-channel scale and shift (dlib's ``affine_``).
Two dlib conventions matter: a stride-1 convolution pads by half its kernel, a strided one
not at all; and adding two tensors of different sizes zero-pads the smaller one (channels
and, in the 256-filter stages, rows and columns) instead of failing.

The model file is a dlib serialisation; we read only what we need, found by each layer's
name tag in file order (innermost layer first), and check every count and shape.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kyc_sdk.errors import KycError

CHIP = 150  # the network's input: a 150 × 150 RGB face chip
MEAN_RGB = np.array([122.782, 117.001, 104.298], dtype=np.float32)  # dlib input_rgb_image
STAGES = ((32, 3, False), (64, 4, True), (128, 3, True), (256, 3, True), (256, 1, True))


@dataclass(frozen=True, slots=True)
class Conv:
    weights: np.ndarray  # (kh * kw * in, out): im2col order (row, column, channel)
    bias: np.ndarray
    kernel: int
    stride: int
    pad: int


@dataclass(frozen=True, slots=True)
class Network:
    convs: tuple[tuple[Conv, np.ndarray, np.ndarray], ...]  # conv, scale, shift
    fc: np.ndarray  # (256, 128)


def descriptors(chips: np.ndarray, network: Network) -> np.ndarray:
    """128-d descriptors of N × 150 × 150 × 3 uint8 RGB chips (one row per chip)."""
    x = (chips.astype(np.float32) - MEAN_RGB) / 256.0
    # One BLAS thread, set and restored by the same thread under a lock (OpenBLAS ignores
    # a restore made from another thread): a second BLAS thread's spin-waiting made a chip
    # take 560 ms instead of 13 ms while another process kept both cores busy. Two cores
    # are used instead by splitting a batch between this thread and a helper (numpy
    # releases the GIL in its array work).
    with _BLAS_LOCK, _blas_controller().limit(limits=1, user_api="blas"):
        if len(x) < 2:
            return _forward(x, network)
        half = (len(x) + 1) // 2
        other = _helper().submit(_forward, x[half:], network)
        mine = _forward(x[:half], network)
        return np.concatenate([mine, other.result()])


def _forward(x: np.ndarray, network: Network) -> np.ndarray:
    layers = iter(network.convs)
    x = _relu(_layer(x, next(layers)))
    x = _pool(x, 3, 2, np.max)
    for _, blocks, downsample in STAGES:
        for block in range(blocks):
            shortcut = _pool(x, 2, 2, np.mean) if downsample and block == 0 else x
            y = _relu(_layer(x, next(layers)))
            y = _layer(y, next(layers))
            x = _relu(_add_padded(y, shortcut))
    pooled = x.mean(axis=(1, 2))
    return pooled @ network.fc


_BLAS_LOCK = threading.Lock()


@functools.cache
def _helper() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="kyc-resnet")


def _after_fork_in_child() -> None:
    # The child has none of the parent's threads: a new helper, and a lock that no
    # vanished thread can still be holding.
    global _BLAS_LOCK  # noqa: PLW0603 -- a fork hook must rebind the lock every caller takes
    _BLAS_LOCK = threading.Lock()
    _helper.cache_clear()


os.register_at_fork(after_in_child=_after_fork_in_child)


@functools.cache
def _blas_controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@functools.cache
def load(path: Path) -> Network:
    """The network's weights from dlib's ``dlib_face_recognition_resnet_model_v1.dat``."""
    data = path.read_bytes()
    convs = [_read_conv(data, at) for at in _tags(data, b"con_4")]
    affines = [_read_affine(data, at) for at in _tags(data, b"affine_")]
    fcs = [_read_fc(data, at) for at in _tags(data, b"fc_2")]
    expected = 1 + 2 * sum(blocks for _, blocks, _ in STAGES)
    if len(convs) != expected or len(affines) != expected or len(fcs) != 1:
        raise KycError(
            f"{path.name}: not dlib's face-recognition ResNet "
            f"({len(convs)} convolutions, {len(affines)} affine layers, {len(fcs)} fc)"
        )
    return Network(tuple((c, *a) for c, a in zip(convs, affines, strict=False)), fcs[0])


def _layer(x: np.ndarray, layer: tuple[Conv, np.ndarray, np.ndarray]) -> np.ndarray:
    """A convolution followed by its folded batch normalisation."""
    conv, scale, shift = layer
    y = _conv(x, conv)
    y *= scale
    y += shift
    return y


def _conv(x: np.ndarray, conv: Conv) -> np.ndarray:
    if conv.pad:
        p = conv.pad
        x = np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)))
    n, h, w, c = x.shape
    k, s = conv.kernel, conv.stride
    rows, cols = (h - k) // s + 1, (w - k) // s + 1
    # im2col as a strided view, copied once into the matrix product's left operand
    sn, sh, sw, sc = x.strides
    patches = np.lib.stride_tricks.as_strided(
        x, (n, rows, cols, k, k, c), (sn, sh * s, sw * s, sh, sw, sc), writeable=False
    )
    out = patches.reshape(n * rows * cols, k * k * c) @ conv.weights + conv.bias
    return out.reshape(n, rows, cols, -1)


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0, out=x)


def _pool(x: np.ndarray, k: int, s: int, reduce: Callable[..., np.ndarray]) -> np.ndarray:
    n, h, w, c = x.shape
    rows, cols = (h - k) // s + 1, (w - k) // s + 1
    sn, sh, sw, sc = x.strides
    windows = np.lib.stride_tricks.as_strided(
        x, (n, rows, cols, k, k, c), (sn, sh * s, sw * s, sh, sw, sc), writeable=False
    )
    return reduce(windows, axis=(3, 4)).astype(np.float32)


def _add_padded(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a + b`` as dlib adds tensors: the smaller one counts as zero outside its bounds."""
    if a.shape == b.shape:
        return a + b
    shape = tuple(max(i, j) for i, j in zip(a.shape, b.shape, strict=False))
    out = np.zeros(shape, dtype=np.float32)
    out[tuple(slice(0, i) for i in a.shape)] += a
    out[tuple(slice(0, i) for i in b.shape)] += b
    return out


# --- reading dlib's serialisation -------------------------------------------------------
# Integers: one byte holding the count of little-endian bytes that follow (0x80 = negative).
# Tensors: version 2, then num_samples, k, nr, nc, then the values as float32 little-endian.


def _tags(data: bytes, name: bytes) -> list[int]:
    """Offsets just past every serialised string ``name`` (length-prefixed), in file order."""
    needle = bytes([1, len(name)]) + name
    found, at = [], data.find(needle)
    while at >= 0:
        found.append(at + len(needle))
        at = data.find(needle, at + 1)
    return found


def _int(data: bytes, at: int) -> tuple[int, int]:
    head = data[at]
    size = head & 0x0F
    value = int.from_bytes(data[at + 1 : at + 1 + size], "little")
    return (-value if head & 0x80 else value), at + 1 + size


def _tensor(data: bytes, at: int) -> tuple[np.ndarray, int]:
    version, at = _int(data, at)
    dims = []
    for _ in range(4):
        value, at = _int(data, at)
        dims.append(value)
    count = int(np.prod(dims))
    if version != 2 or count <= 0 or at + 4 * count > len(data):
        raise KycError("face model file: unexpected tensor encoding")
    values = np.frombuffer(data, dtype="<f4", count=count, offset=at).astype(np.float32)
    return values, at + 4 * count


def _read_conv(data: bytes, at: int) -> Conv:
    params, at = _tensor(data, at)
    fields = []
    for _ in range(7):  # filters, rows, columns, stride y, stride x, padding y, padding x
        value, at = _int(data, at)
        fields.append(value)
    filters, rows, cols, stride, stride_x, pad, pad_x = fields
    inputs = (params.size - filters) // (filters * rows * cols)
    if (
        rows != cols
        or stride != stride_x
        or pad != pad_x
        or params.size != filters * (inputs * rows * cols + 1)
    ):
        raise KycError("face model file: unexpected convolution layout")
    kernel = params[: filters * inputs * rows * cols].reshape(filters, inputs, rows, cols)
    weights = np.ascontiguousarray(kernel.transpose(2, 3, 1, 0).reshape(rows * cols * inputs, filters))
    return Conv(weights, params[filters * inputs * rows * cols :].copy(), rows, stride, pad)


def _read_affine(data: bytes, at: int) -> tuple[np.ndarray, np.ndarray]:
    params, _ = _tensor(data, at)
    half = params.size // 2
    return params[:half].copy(), params[half:].copy()  # scale (gamma), shift (beta)


def _read_fc(data: bytes, at: int) -> np.ndarray:
    outputs, at = _int(data, at)
    inputs, at = _int(data, at)
    params, _ = _tensor(data, at)
    if params.size != inputs * outputs:
        raise KycError("face model file: unexpected fully connected layout")
    return params.reshape(inputs, outputs)
