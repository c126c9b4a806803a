"""Development pages with a glare spot, as h-mrz11 and h-mrz12 developed on: ``ocr_eval``'s
document page with the FRESH group's values, a glare spot and one or two other axes, at
development seeds 600+."""

from __future__ import annotations

import random

import numpy as np

from kyc_sdk.imaging import load_rgb


def glare_page(benchmarks: object, seed: int) -> tuple[list[str], np.ndarray]:
    """The zone's true lines and the page's photo for development seed ``seed``."""
    rng = random.Random(seed)
    others = tuple(a for a in benchmarks.MRZ_DOCUMENT_AXES if a not in ("glare spot", "overprint"))
    axes = ("glare spot", *rng.sample(others, rng.choice((1, 2))))
    doc, photo = benchmarks._document_page(rng, axes, fresh=True)
    return list(doc.lines), load_rgb(photo)
