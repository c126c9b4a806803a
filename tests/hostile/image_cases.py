"""Hostile images for every image entry point, and the worker that runs them under a cap.

A case is ``(maker, seed)``: ``make(case)`` rebuilds the same input in any process. The
worker (``python -m tests.hostile.image_cases``) warms every model on real inputs, then
caps its own address space (``RLIMIT_AS``) at what it uses plus ``HEADROOM`` and runs
the case numbers it reads on stdin through every entry point, printing one JSON line a
case: each entry point's outcome (``ok``, ``typed:<reason>`` or ``crash:<type>``) and the
seconds it took. Crashing the worker, or hanging, is left for the parent to notice.
"""

from __future__ import annotations

import io
import json
import os
import random
import struct
import sys
import tempfile
import time
import traceback
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

# Over what the warmed worker already maps (~0.9 GB: models, thread stacks and arenas).
# The heaviest legitimate input, the CLI's face-match decoding two 48 MP photos at once,
# raised VmPeak by 1.2 GB in the long sweep; read_mrz's 20 × 12,000 strip asked for 6.5.
HEADROOM = 2048 * 1024 * 1024

SIZES = [
    (1, 1),
    (1, 3),
    (3, 1),
    (2, 40),
    (40, 3),
    (3, 3),
    (15, 300),
    (16, 16),
    (16, 400),
    (400, 16),
    (20, 12_000),
    (12_000, 20),
    (1, 12_000),
    (12_000, 1),
    (17, 425),
    (640, 480),
    (480, 640),
    (1000, 40),
    (40, 1000),
    (1200, 800),
]
FORMATS = {
    "PNG": ["RGB", "L", "P", "RGBA", "LA", "1", "I;16"],
    "JPEG": ["RGB", "L", "CMYK"],
    "WEBP": ["RGB", "RGBA"],
    "BMP": ["RGB", "L", "P", "1"],
    "TIFF": ["RGB", "L", "CMYK", "I;16", "I", "F", "1"],
    "GIF": ["P", "L"],
}
CONTENTS = ("solid", "noise", "card", "face")
HUGE = [
    (60_000, 60_000),
    (20, 12_000),
    (12_000, 20),
    (1, 100_000),
    (100_000, 1),
    (10_000, 10_000),
    (8_000, 6_000),
    (65_535, 65_535),
    (0, 0),
    (0, 500),
]
DTYPES = [np.uint8, np.float32, np.float64, bool, np.uint16, np.int64, np.int8]


# --- the inputs ----------------------------------------------------------------------------


def _samples() -> dict[str, np.ndarray]:
    from kyc_sdk.imaging import load_rgb
    from kyc_sdk.registration import samples

    return {"card": load_rgb(samples.card_front()), "face": np.array(samples.selfie_frame())}


_SAMPLES: dict[str, np.ndarray] = {}


def content(kind: str, size: tuple[int, int], rng: random.Random) -> np.ndarray:
    import cv2

    width, height = size
    if kind == "solid":
        return np.full((height, width, 3), rng.randrange(256), np.uint8)
    if kind == "noise":
        return np.random.default_rng(rng.randrange(2**32)).integers(
            0, 256, (height, width, 3), dtype=np.uint8
        )
    if not _SAMPLES:
        _SAMPLES.update(_samples())
    return cv2.resize(_SAMPLES[kind], (width, height), interpolation=cv2.INTER_AREA)


def encode(rgb: np.ndarray, fmt: str, mode: str = "RGB", **kw: Any) -> bytes:
    from PIL import Image

    img = Image.fromarray(rgb)
    if mode in ("I;16", "I", "F"):
        img = (
            Image.fromarray(rgb[:, :, 0].astype(np.uint16) * 257).convert(mode)
            if mode != "I;16"
            else Image.fromarray(rgb[:, :, 0].astype(np.uint16) * 257)
        )
    elif mode == "P" and fmt != "GIF":
        img = img.quantize(16)
    elif mode != "RGB":
        img = img.convert(mode)
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def _encoded(rng: random.Random) -> tuple[str, object]:
    fmt = rng.choice(sorted(FORMATS))
    mode = rng.choice(FORMATS[fmt])
    size = rng.choice(SIZES)
    kind = rng.choice(CONTENTS)
    return f"{fmt}/{mode}/{size[0]}x{size[1]}/{kind}", encode(content(kind, size, rng), fmt, mode)


def _valid(rng: random.Random) -> tuple[str, bytes]:
    fmt = rng.choice(sorted(FORMATS))
    size = rng.choice([(640, 480), (480, 640), (300, 470)])
    kind = rng.choice(("card", "face", "noise"))
    return f"{fmt}/{size[0]}x{size[1]}/{kind}", encode(content(kind, size, rng), fmt)


def _truncated(rng: random.Random) -> tuple[str, object]:
    name, data = _valid(rng)
    cut = rng.choice([1, 4, 8, 16, 33, 100, len(data) // 3, len(data) // 2, len(data) - 10, len(data) - 1])
    return f"truncated/{name}/{cut}", data[: max(cut, 1)]


def _corrupted(rng: random.Random) -> tuple[str, object]:
    name, data = _valid(rng)
    buf = bytearray(data)
    flips = rng.choice([1, 3, 20, 200])
    for _ in range(flips):
        buf[rng.randrange(8, len(buf))] = rng.randrange(256)
    return f"corrupted/{name}/{flips}", bytes(buf)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _huge_header(rng: random.Random) -> tuple[str, object]:
    width, height = rng.choice(HUGE)
    fmt = rng.choice(["PNG", "JPEG", "BMP", "TIFF"])
    if fmt == "PNG":
        depth, colour = rng.choice([(8, 2), (1, 0), (16, 6), (8, 3)])
        rows = zlib.compress(b"\0" * rng.choice([1, 1000, 100_000]))
        data = (
            b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))
            + _chunk(b"IDAT", rows)
            + _chunk(b"IEND", b"")
        )
    elif fmt == "JPEG":
        data = bytearray(encode(np.full((16, 16, 3), 128, np.uint8), "JPEG"))
        sof = data.index(b"\xff\xc0")
        data[sof + 5 : sof + 9] = struct.pack(">HH", min(height, 65_535), min(width, 65_535))
        data = bytes(data)
    elif fmt == "BMP":
        data = bytearray(encode(np.full((16, 16, 3), 128, np.uint8), "BMP"))
        data[18:26] = struct.pack("<ii", min(width, 2**31 - 1), rng.choice([1, -1]) * min(height, 2**31 - 1))
        data = bytes(data)
    else:  # a minimal uncompressed TIFF: 8 entries, one strip, claiming the size
        entries = [
            (256, 4, 1, width),
            (257, 4, 1, height),
            (258, 3, 1, 8),
            (259, 3, 1, 1),
            (262, 3, 1, 1),
            (273, 4, 1, 8 + 2 + 8 * 12 + 4),
            (278, 4, 1, height),
            (279, 4, 1, width * height),
        ]
        ifd = (
            struct.pack("<H", len(entries))
            + b"".join(
                struct.pack("<HHII" if t == 4 else "<HHIHxx", tag, t, n, v) for tag, t, n, v in entries
            )
            + b"\0\0\0\0"
        )
        data = b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x80" * 64
    return f"huge/{fmt}/{width}x{height}", data


def _multi_frame(rng: random.Random) -> tuple[str, object]:
    from PIL import Image

    fmt = rng.choice(["PNG", "WEBP", "TIFF", "GIF"])
    count = rng.choice([2, 50])
    frames = [Image.fromarray(content("noise", (64, 48), rng)) for _ in range(count)]
    buf = io.BytesIO()
    frames[0].save(buf, fmt, save_all=True, append_images=frames[1:])
    return f"frames/{fmt}/{count}", buf.getvalue()


def _magic_junk(rng: random.Random) -> tuple[str, object]:
    magic = rng.choice(
        [
            b"\xff\xd8\xff",
            b"\x89PNG\r\n\x1a\n",
            b"RIFF\0\0\0\0WEBPVP8 ",
            b"BM",
            b"II*\x00",
            b"MM\x00*",
            b"GIF89a",
            b"",
            b"\0",
        ]
    )
    tail = bytes(rng.randrange(256) for _ in range(rng.choice([0, 10, 100, 5000])))
    return f"junk/{magic[:4]!r}/{len(tail)}", magic + tail


def _array(rng: random.Random) -> tuple[str, object]:
    dtype = rng.choice(DTYPES)
    width, height = rng.choice([*SIZES, (0, 0), (0, 40), (40, 0)])
    channels = rng.choice([None, 1, 2, 3, 3, 4, 5])
    shape = (height, width) if channels is None else (height, width, channels)
    arr = np.random.default_rng(rng.randrange(2**32)).integers(0, 256, shape).astype(dtype)
    view = rng.choice(["plain", "flipped", "fortran", "readonly"])
    if view == "flipped":
        arr = arr[::-1]
    elif view == "fortran":
        arr = np.asfortranarray(arr)
    elif view == "readonly":
        arr.setflags(write=False)
    return f"array/{np.dtype(dtype).name}/{shape}/{view}", arr


def _odd_array(rng: random.Random) -> tuple[str, object]:
    kind = rng.choice(["1d", "4d", "object", "scalar", "nan", "list"])
    arr: object = {
        "1d": np.zeros(500, np.uint8),
        "4d": np.zeros((2, 40, 40, 3), np.uint8),
        "object": np.array([[object()] * 20] * 20),
        "scalar": np.uint8(7),
        "nan": np.full((40, 40, 3), np.nan),
        "list": [[1, 2], [3, 4]],
    }[kind]
    return f"odd/{kind}", arr


def _legit(rng: random.Random) -> tuple[str, object]:
    from kyc_sdk.registration import samples

    kind = rng.choice(["card", "passport", "face"])
    data = {
        "card": samples.card_front,
        "passport": samples.passport_page,
        "face": lambda: encode(np.array(samples.selfie_frame()), "JPEG"),
    }[kind]()
    return f"legit/{kind}", data


def _big_photo(rng: random.Random) -> tuple[str, object]:
    """A legitimate phone photo at full size: must be read, and within the cap."""
    import cv2

    kind, (width, height) = (
        rng.choice(["card", "face"]),
        rng.choice([(8000, 6000), (7728, 5152), (6000, 8000)]),
    )
    if not _SAMPLES:
        _SAMPLES.update(_samples())
    big = cv2.resize(_SAMPLES[kind], (width, height), interpolation=cv2.INTER_LINEAR)
    big += np.random.default_rng(rng.randrange(2**32)).integers(
        0, 4, big.shape, dtype=np.uint8
    )  # sensor noise
    return f"big/{kind}/{width}x{height}", encode(big, "JPEG", quality=85)


def _avi(frames: list[np.ndarray], fps: float = 15.0) -> bytes:
    import cv2

    fd, name = tempfile.mkstemp(suffix=".avi")
    os.close(fd)
    try:
        height, width = frames[0].shape[:2]
        writer = cv2.VideoWriter(name, cv2.VideoWriter.fourcc(*"MJPG"), fps, (width, height))
        for frame in frames:
            writer.write(frame)
        writer.release()
        return Path(name).read_bytes()
    finally:
        os.unlink(name)


def _video(rng: random.Random) -> tuple[str, object]:
    """Video files (whole, cut, corrupted, over the frame budget) and frame lists."""
    kind = rng.choice(["file", "truncated", "corrupted", "long", "list", "pairs"])
    size = rng.choice([(64, 48), (16, 400), (320, 240), (17, 17)])
    if kind in ("list", "pairs"):
        shape = rng.choice([(size[1], size[0], 3), (size[1], size[0]), (0, 4, 3), (3, size[0], 3)])
        dtype = rng.choice([np.uint8, np.uint8, np.float32, bool])
        frames = [np.full(shape, i % 2).astype(dtype) for i in range(rng.choice([1, 5, 301]))]
        if kind == "pairs":
            times = rng.choice(
                [lambda i: i / 15, lambda i: -i, lambda i: float("nan"), lambda i: "t", lambda i: 1e308]
            )
            return f"video/pairs/{shape}/{np.dtype(dtype).name}/{len(frames)}", [
                (times(i), f) for i, f in enumerate(frames)
            ]
        return f"video/list/{shape}/{np.dtype(dtype).name}/{len(frames)}", frames
    count = 301 if kind == "long" else rng.choice([1, 10])
    data = _avi([content("noise" if i % 2 else "solid", size, rng) for i in range(count)])
    if kind == "truncated":
        data = data[: rng.choice([12, 100, len(data) // 2, len(data) - 5])]
    elif kind == "corrupted":
        buf = bytearray(data)
        for _ in range(rng.choice([1, 10, 100])):
            buf[rng.randrange(12, len(buf))] = rng.randrange(256)
        data = bytes(buf)
    return f"video/{kind}/{size[0]}x{size[1]}/{count}", data


MAKERS: list[Callable[[random.Random], tuple[str, object]]] = [
    _encoded,
    _truncated,
    _corrupted,
    _huge_header,
    _multi_frame,
    _magic_junk,
    _array,
    _odd_array,
    _legit,
    _big_photo,
    _video,
]
HEAVY = {_legit, _big_photo}  # seconds a case: the long sweep only


def make(case: int) -> tuple[str, object]:
    """The input of case number ``case`` (maker = case % len(MAKERS), the rest seeds it)."""
    return MAKERS[case % len(MAKERS)](random.Random(case))


# --- the entry points -------------------------------------------------------------------------


def _entry_points() -> dict[str, Callable[[object], object]]:
    from kyc_sdk import docs_ocr, faces, liveness
    from kyc_sdk.registration import biometrics, document

    blank = np.full((300, 470, 3), 255, np.uint8)
    selfie = biometrics.Selfie([(0.0, np.array(_samples()["face"]))])
    return {
        "read_mrz": docs_ocr.read_mrz,
        "card_front": docs_ocr.read_national_card,
        "card_back": lambda src: docs_ocr.read_national_card(blank, src),
        "barcodes": docs_ocr.read_barcodes,
        "faces.encoding_of": faces.encoding_of,
        "faces.document_side": lambda src: faces.encoding_of(src, side="document"),
        "faces.detect": faces.detect,
        "faces.match": lambda src: faces.match(src, np.full(128, 0.05)),
        "liveness.check_image": liveness.check_image,
        "registration.document": lambda src: document.read("resident", src),  # type: ignore[arg-type]
        "registration.passport": lambda src: document.read("abroad", src),  # type: ignore[arg-type]
        "registration.face_match": lambda src: biometrics.face_match(selfie, src),  # type: ignore[arg-type]
        "liveness.check_video": lambda src: liveness.check_video(
            src, challenge=liveness.Challenge(("blink", "turn_left"), "n-1", 1_000.0), now=1_000.0
        ),
        "registration.load_video": biometrics.load_video,  # type: ignore[dict-item]
    }


CLI_COMMANDS = [
    ["ocr", "mrz"],
    ["ocr", "national-card"],
    ["ocr", "barcode"],
    ["face-match", "{}"],
    ["liveness"],
]


def _cli(data: bytes) -> dict[str, str]:
    """Each image command of the CLI on ``data`` as a file: an exit, never a traceback."""
    from click.testing import CliRunner

    from kyc_sdk.cli import main

    out = {}
    with tempfile.NamedTemporaryFile(suffix=".img") as fh:
        fh.write(data)
        fh.flush()
        for command in CLI_COMMANDS:
            args = [a.replace("{}", fh.name) for a in command] + [fh.name, "--json"]
            start = time.monotonic()
            run = CliRunner().invoke(main, args)
            crashed = run.exception is not None and not isinstance(run.exception, SystemExit)
            name = "cli " + " ".join(command[:2]).replace(" {}", "")
            out[name] = (
                f"crash:{type(run.exception).__name__}" if crashed else f"exit:{run.exit_code}",
                round(time.monotonic() - start, 3),
            )
    return out


def run_case(entries: dict[str, Callable[[object], object]], case: int) -> dict[str, Any]:
    from kyc_sdk.errors import KycError

    label, source = make(case)
    outcomes: dict[str, Any] = {}
    for name, entry in entries.items():
        start = time.monotonic()
        try:
            entry(source)
            outcome = "ok"
        except KycError as err:
            outcome = f"typed:{getattr(err, 'reason', err.code)}"
        except BaseException as err:
            outcome = f"crash:{type(err).__name__}:{str(err)[:120]}"
            print(traceback.format_exc(), file=sys.stderr)
        outcomes[name] = (outcome, round(time.monotonic() - start, 3))
    if isinstance(source, bytes):
        outcomes.update(_cli(source))
    return {"case": case, "label": label, "outcomes": outcomes}


def vm_kib(field: str = "VmSize") -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _warm() -> dict[str, str]:
    """Load every model (Tesseract fas and eng, dlib's three, zxing, zbar) and start every
    thread pool on real inputs before the cap is set; their outcomes, which must be ok."""
    from kyc_sdk import docs_ocr, faces, liveness
    from kyc_sdk.registration import samples

    face = encode(_samples()["face"], "JPEG")
    runs = {
        "card": lambda: docs_ocr.read_national_card(samples.card_front(), samples.card_back()),
        "mrz": lambda: docs_ocr.read_mrz(samples.passport_page()),
        "match": lambda: faces.match(face, face),
        "liveness": lambda: liveness.check_image(face),
    }
    out = {}
    for name, run in runs.items():
        try:
            run()
            out[name] = "ok"
        except Exception as err:
            out[name] = f"crash:{type(err).__name__}"
    return out


def main() -> None:
    import resource

    entries = _entry_points()
    warm = _warm()
    headroom = int(os.environ.get("KYC_HOSTILE_HEADROOM_MB", HEADROOM // 2**20)) * 2**20
    cap = vm_kib() * 1024 + headroom
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    print(json.dumps({"ready": True, "warm": warm, "cap_bytes": cap, "warm_vm_kib": vm_kib()}), flush=True)
    for line in sys.stdin:
        case = int(line)
        result = run_case(entries, case)
        result["vm_peak_kib"] = vm_kib("VmPeak")
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
