"""Hostile images and videos: every image entry point under a memory cap and a time bound.

The sweep (``image_cases``) runs in a worker process capped with ``RLIMIT_AS`` at what its
warmed models map plus ``image_cases.HEADROOM``; each input goes to the OCR readers
(MRZ, card front and back, barcodes), faces (encoding, document side, detection, match),
passive liveness, the registration's document and face stages, and the CLI's image
commands. Allowed: a result, or a ``KycError`` (the CLI: an exit code). Not allowed:
any other exception, the worker dying (a segfault, the cap), a hang. CI runs a seeded
sample of the light makers; ``--hostile-long`` runs ``LONG_LIGHT`` light cases and
``LONG_HEAVY`` heavy ones (real documents, 48 MP phone photos), and prints the counts.

Videos: the frame and pixel budget of ``kyc_sdk.liveness.frames``, refused from the
header before decoding, while decoding when the header is silent, and for frame lists.
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import random
import selectors
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from kyc_sdk.errors import ImageRejected
from kyc_sdk.liveness import Challenge, check_video
from kyc_sdk.liveness import frames as framing

from . import image_cases

ROOT = Path(__file__).resolve().parents[2]
CI_CASES = 12  # seeded, light makers only: ~12 s with the worker's warm-up on 2 busy cores
LONG_LIGHT, LONG_HEAVY = 1200, 20  # the heavy ones (48 MP photos) take up to a minute each
CASE_SECONDS = 120  # a case runs ~17 entry points; a 48 MP photo takes ~40 s of them
ENTRY_SECONDS = 30  # one entry point on one input


class Worker:
    """The capped worker process: feed it case numbers, read its JSON lines."""

    def __init__(self) -> None:
        # Lives as long as the worker: stop() reads its tail and closes it.
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.hostile.image_cases"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        self.ready = self.read(300)

    def read(self, seconds: float) -> dict | None:
        """The next line, or None when the worker died or said nothing in ``seconds``."""
        assert self.proc.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            if not sel.select(seconds):
                return None
        line = self.proc.stdout.readline()
        return json.loads(line) if line else None

    def run(self, case: int) -> dict | None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{case}\n")
        self.proc.stdin.flush()
        return self.read(CASE_SECONDS)

    def stop(self) -> str:
        """Stop the worker; the tail of what it printed on stderr."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.stderr.seek(0)
        tail = self.stderr.read().decode(errors="replace")[-3000:]
        self.stderr.close()
        return tail


def campaign(cases: list[int]) -> dict:
    """Run ``cases``; a worker that dies or hangs is replaced and the case counted."""
    results, failures, workers = [], [], []
    worker = None
    for case in cases:
        if worker is None:
            worker = Worker()
            workers.append(worker.ready)
            assert worker.ready and set(worker.ready["warm"].values()) == {"ok"}, worker.stop()
        result = worker.run(case)
        if result is None:
            label = image_cases.make(case)[0]
            failures.append(
                f"case {case} ({label}): worker died or hung "
                f"(exit {worker.proc.poll()}): {worker.stop()[-500:]}"
            )
            worker = None
            continue
        results.append(result)
        if len(results) % 100 == 0:
            print(f"image campaign: {len(results)} of {len(cases)} cases", flush=True)
    if worker is not None:
        worker.stop()
    return {"results": results, "failures": failures, "workers": workers}


def summary(run: dict) -> dict:
    outcomes = [
        (r["label"], name, out, seconds)
        for r in run["results"]
        for name, (out, seconds) in r["outcomes"].items()
    ]
    return {
        "inputs": len(run["results"]) + len(run["failures"]),
        "calls": len(outcomes),
        "crashes": [
            f"{label} -> {name}: {out}" for label, name, out, _ in outcomes if out.startswith("crash")
        ],
        "died_or_hung": run["failures"],
        "slow": [f"{label} -> {name}: {s} s" for label, name, _, s in outcomes if s > ENTRY_SECONDS],
        "slowest_s": max((s for *_, s in outcomes), default=0.0),
        "typed": collections.Counter(
            out for *_, out, _ in outcomes if not out.startswith("crash")
        ).most_common(),
        "cap_bytes": [w["cap_bytes"] for w in run["workers"]],
        "vm_peak_mib": max((r["vm_peak_kib"] // 1024 for r in run["results"]), default=0),
        "warm_vm_mib": [w["warm_vm_kib"] // 1024 for w in run["workers"]],
    }


LEGIT_CARD = next(i for i in itertools.count() if image_cases.make(i)[0] == "legit/card")


def chosen_cases(long: bool) -> list[int]:
    def heavy(i: int) -> bool:
        return image_cases.MAKERS[i % len(image_cases.MAKERS)] in image_cases.HEAVY

    if long:
        return [i for i in range(10 * LONG_LIGHT) if not heavy(i)][:LONG_LIGHT] + [
            i for i in range(10 * LONG_LIGHT) if heavy(i)
        ][:LONG_HEAVY]
    light = [i for i in range(2000) if not heavy(i)]
    return [LEGIT_CARD, *sorted(random.Random(15).sample(light, CI_CASES))]


# The campaign bounds itself: the worker's start (300 s) and each case (CASE_SECONDS);
# the long sweep needs more than the suite's 300 s in all.
@pytest.mark.timeout(4 * 3600)
def test_every_image_entry_point_answers_or_refuses_typed_under_a_memory_cap(hostile_long: bool) -> None:
    start = time.monotonic()
    run = campaign(chosen_cases(hostile_long))
    report = summary(run)
    report["wall_s"] = round(time.monotonic() - start, 1)
    print(
        "\nimage campaign:",
        json.dumps({k: v for k, v in report.items() if k != "typed"}),
        "\noutcomes:",
        report["typed"],
    )
    assert report["crashes"] == [] and report["died_or_hung"] == [] and report["slow"] == []
    # the cap is not so tight that real work fails: the sample card is read, capped
    card = next(r["outcomes"] for r in run["results"] if r["case"] == LEGIT_CARD)
    assert card["card_front"][0] == "ok" and card["registration.document"][0] == "ok"
    assert card["cli ocr national-card"][0] == "exit:0"


# --- the root causes, each on its own ---------------------------------------------------------


def _capped(code: str, mib: int = 1500) -> subprocess.CompletedProcess:
    """``code`` in a fresh interpreter whose address space may grow ``mib`` past its start."""
    prelude = (
        "import resource, numpy, cv2\n"
        "size = int(open('/proc/self/statm').read().split()[0]) * resource.getpagesize()\n"
        f"resource.setrlimit(resource.RLIMIT_AS, (size + {mib} * 2**20,) * 2)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.parametrize("shape", [(12_000, 20), (12_000, 1), (20, 12_000)])
def test_the_mrz_band_search_works_at_a_bounded_size_whatever_the_shape(shape: tuple[int, int]) -> None:
    """It scaled the width to 900 px whatever the height: 6.5 GB for 20 × 12,000."""
    run = _capped(
        "import numpy as np\nfrom kyc_sdk.docs_ocr import mrz_band\n"
        f"print(mrz_band.find_bands(np.full({shape}, 255, np.uint8)))"
    )
    assert run.returncode == 0 and run.stdout.strip() == "[]", run.stderr[-800:]


@pytest.mark.parametrize("shape", [(2000, 1, 3), (1, 5000, 3), (5000, 3, 3)])
def test_the_document_locator_survives_a_side_that_rounds_to_nothing(shape: tuple[int, ...]) -> None:
    from kyc_sdk.docs_ocr import locate
    from kyc_sdk.docs_ocr.synth import CARD_SIZE

    assert locate.find_document(np.zeros(shape, np.uint8), CARD_SIZE) is None


@pytest.mark.parametrize("size", [(1, 2000), (2000, 1), (3, 5000), (20, 12_000), (12_000, 20)])
def test_strips_are_refused_by_every_reader_quickly(size: tuple[int, int]) -> None:
    from kyc_sdk import docs_ocr, faces, liveness

    data = image_cases.encode(np.full((size[1], size[0], 3), 200, np.uint8), "PNG")
    for read in (
        docs_ocr.read_mrz,
        docs_ocr.read_national_card,
        docs_ocr.read_barcodes,
        faces.encoding_of,
        liveness.check_image,
    ):
        start = time.monotonic()
        with pytest.raises(ImageRejected) as caught:
            read(data)
        assert caught.value.reason in ("too_small", "extreme_aspect") and time.monotonic() - start < 1


def test_a_barcode_in_a_48_megapixel_photo_is_read_at_a_bounded_size() -> None:
    from kyc_sdk.docs_ocr import read_barcodes
    from kyc_sdk.imaging import load_rgb
    from kyc_sdk.registration import samples

    back = load_rgb(samples.card_back())
    scale = 8000 / back.shape[1]
    big = cv2.resize(back, (8000, round(back.shape[0] * scale)), interpolation=cv2.INTER_LINEAR)
    small, large = read_barcodes(back), read_barcodes(big)
    assert small and sorted(b.text for b in large) == sorted(b.text for b in small)
    for a, b in zip(sorted(small, key=lambda b: b.text), sorted(large, key=lambda b: b.text), strict=False):
        assert np.allclose(np.array(b.position) / scale, a.position, atol=6)  # the caller's pixels


# --- videos ------------------------------------------------------------------------------------


def _avi(path: Path, size: tuple[int, int], count: int) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30.0, size)
    frame = np.zeros((size[1], size[0], 3), np.uint8)
    for i in range(count):
        frame[:] = i % 256
        writer.write(frame)
    writer.release()
    return path


def _challenge() -> Challenge:
    return Challenge(("blink", "turn_left"), "n-1", 1_000.0)


def _not_decoded(*_: object) -> None:
    raise AssertionError("frames were decoded before the budget was checked")


def test_a_video_whose_header_is_over_the_frame_budget_is_refused_before_decoding(
    tmp_path, monkeypatch
) -> None:
    path = _avi(tmp_path / "long.avi", (32, 32), framing.MAX_FRAMES + 1)
    monkeypatch.setattr(framing, "_read_all", _not_decoded)
    with pytest.raises(ImageRejected) as caught:
        check_video(path.read_bytes(), challenge=_challenge(), now=1_000.0)
    assert caught.value.reason == "video_too_large"


def test_a_video_over_the_pixel_budget_is_refused_from_its_header_or_while_decoding(
    tmp_path, monkeypatch
) -> None:
    path = _avi(tmp_path / "big.avi", (64, 48), 11)
    monkeypatch.setattr(framing, "MAX_VIDEO_PIXELS", 10 * 64 * 48)
    with monkeypatch.context() as m:
        m.setattr(framing, "_read_all", _not_decoded)
        with pytest.raises(ImageRejected) as caught:
            framing.read_video(path)
        assert caught.value.reason == "video_too_large"
    monkeypatch.setattr(framing, "_header", lambda stream: (0, 0, 0))  # a container that says nothing
    with pytest.raises(ImageRejected) as caught:
        framing.read_video(path)
    assert caught.value.reason == "video_too_large"


def test_frame_lists_over_the_budget_are_refused_as_they_are_read() -> None:
    big = np.zeros((1920, 1920, 3), np.uint8)  # one array, repeated: no memory
    for frames in ([big] * 200, itertools.repeat(np.zeros((16, 16, 3), np.uint8), framing.MAX_FRAMES + 1)):
        start = time.monotonic()
        with pytest.raises(ImageRejected) as caught:
            check_video(frames, challenge=_challenge(), now=1_000.0)  # type: ignore[arg-type]
        assert caught.value.reason == "video_too_large" and time.monotonic() - start < 2


@pytest.mark.parametrize(
    "frames",
    [
        [np.zeros((1920, 1, 3), np.uint8)] * 3,
        [np.zeros((2, 640, 3), np.uint8)] * 3,
        [np.zeros((0, 640, 3), np.uint8)] * 3,
        [(float("nan"), np.zeros((48, 64, 3), np.uint8))],
        [("soon", np.zeros((48, 64, 3), np.uint8))],
        [(None, np.zeros((48, 64, 3), np.uint8))],
        [np.zeros((48, 64, 3), np.float32)],
        [b"not a frame"],
        np.uint8(7),
        42,
        None,
    ],
)
def test_odd_frames_are_refused_typed(frames: object) -> None:
    with pytest.raises(ImageRejected):
        check_video(frames, challenge=_challenge(), now=1_000.0)


def test_900_frames_of_1920_squared_are_refused_in_bounded_time(tmp_path: Path, hostile_long: bool) -> None:
    """The issue's video: 73 s of CPU and 2.5 GB before the budget. Writing it takes a
    while, so CI uses 301 frames of 1920 × 1080 from a silent header instead."""
    if hostile_long:
        path = _avi(tmp_path / "issue.avi", (1920, 1920), 900)
    else:
        path = _avi(tmp_path / "hd.avi", (192, 108), framing.MAX_FRAMES + 1)
    start = time.process_time()
    with pytest.raises(ImageRejected) as caught:
        check_video(path, challenge=_challenge(), now=1_000.0)
    assert caught.value.reason == "video_too_large" and time.process_time() - start < 1.0


# --- the CLI's paths ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["ocr", "mrz"], ["ocr", "national-card"], ["ocr", "barcode"], ["face-match", "{}"], ["liveness"]],
)
@pytest.mark.parametrize("target", ["missing", "fifo", "/dev/zero"])  # argv cannot hold a NUL
def test_cli_image_commands_refuse_paths_that_are_not_image_files(
    command: list[str], target: str, tmp_path: Path
) -> None:
    """A missing file gave a FileNotFoundError traceback from ``liveness``; a FIFO or
    /dev/zero would be read (or waited on) for ever."""
    from click.testing import CliRunner

    from kyc_sdk.cli import main

    path = {
        "missing": str(tmp_path / "none.jpg"),
        "fifo": str(tmp_path / "pipe.jpg"),
        "/dev/zero": "/dev/zero",
    }[target]
    if target == "fifo":
        os.mkfifo(path)
    start = time.monotonic()
    run = CliRunner().invoke(main, [a.replace("{}", path) for a in command] + [path, "--json"])
    assert isinstance(run.exception, SystemExit) and run.exit_code == ImageRejected.exit_code, run.output
    assert json.loads(run.output.splitlines()[-1])["reason"] == "unreadable"
    assert time.monotonic() - start < 10
