"""The learned digit classifiers (``_digitnet``): two networks asked together."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from kyc_sdk.docs_ocr import _digitnet, _glyphs

NOTO_SANS = "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"
NAZLI = "/usr/share/fonts/truetype/farsiweb/nazli.ttf"


def _logit_file(path: Path, favoured: dict[str, float], convolutional: bool) -> str:
    """A weights file of either kind whose output ignores the glyph: its last bias alone
    sets the logits (``favoured``: value -> logit), the rest of the network is real."""
    bias = np.zeros(len(_digitnet.CLASSES), np.float32)
    for value, logit in favoured.items():
        bias[_digitnet.CLASSES.index("e" + str("۰۱۲۳۴۵۶۷۸۹".index(value)))] = logit
    if convolutional:
        chans = (1, 2, 2, 2)
        arrays = {f"c{k}w": np.ones((3, 3, chans[k - 1], chans[k]), np.float32) for k in (1, 2, 3)}
        arrays |= {f"c{k}b": np.zeros(chans[k], np.float32) for k in (1, 2, 3)}
        arrays |= {"d1w": np.zeros((4 * 4 * 2 + 1, 3), np.float32), "d1b": np.zeros(3, np.float32)}
        arrays |= {"d2w": np.zeros((3, len(bias)), np.float32), "d2b": bias}
    else:
        arrays = {"w1": np.zeros((24 * 24 + 1, 3), np.float32), "b1": np.zeros(3, np.float32)}
        arrays |= {"w2": np.zeros((3, len(bias)), np.float32), "b2": bias}
    np.savez(path, **arrays)
    return str(path)


def _glyph(ch: str, font: str = NOTO_SANS) -> np.ndarray:
    img = Image.new("L", (70, 70), 255)
    ImageDraw.Draw(img).text((35, 35), ch, font=ImageFont.truetype(font, 30), fill=0, anchor="mm")
    grey = np.asarray(img.filter(ImageFilter.GaussianBlur(0.8)))
    return np.where(grey < 128, 0, 255).astype(np.uint8)


def test_a_value_is_as_probable_as_the_less_convinced_network_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sure_three = _logit_file(tmp_path / "mlp.npz", {"۳": 8.0}, convolutional=False)
    unsure_three = _logit_file(tmp_path / "cnn.npz", {"۳": 2.0, "۴": 1.6}, convolutional=True)
    x = _digitnet.features(_glyph("۳"))
    monkeypatch.setenv("KYC_OCR_DIGIT_MODEL", sure_three)
    alone = _digitnet.probabilities(x, "eastern")
    assert alone[0][0] == "۳" and alone[0][1] > 0.95 and _glyphs._net_backs(alone, "۳")
    # the convolutional network hesitates between ۳ and ۴: together they do not back ۳
    monkeypatch.setenv("KYC_OCR_DIGIT_MODEL", os.pathsep.join((sure_three, unsure_three)))
    both = dict(_digitnet.probabilities(x, "eastern"))
    monkeypatch.setenv("KYC_OCR_DIGIT_MODEL", unsure_three)
    cnn = dict(_digitnet.probabilities(x, "eastern"))
    assert both["۳"] == pytest.approx(cnn["۳"]) and both["۳"] < _glyphs._NET_SURE
    monkeypatch.setenv("KYC_OCR_DIGIT_MODEL", os.pathsep.join((sure_three, unsure_three)))
    assert not _glyphs._net_backs(_digitnet.probabilities(x, "eastern"), "۳")


def test_the_convolution_is_the_cross_correlation_the_trainer_fits() -> None:
    # jax's conv_general_dilated (NHWC, HWIO, "SAME") is a cross-correlation over a
    # zero-padded image: the numpy forward must lay its patches out the same way.
    rng = np.random.default_rng(3)
    x = rng.normal(size=(6, 6, 2)).astype(np.float32)
    w = rng.normal(size=(3, 3, 2, 4)).astype(np.float32)
    b = rng.normal(size=4).astype(np.float32)
    padded = np.pad(x, ((1, 1), (1, 1), (0, 0)))
    direct = np.zeros((6, 6, 4), np.float32)
    for i in range(6):
        for j in range(6):
            direct[i, j] = np.einsum("abc,abco->o", padded[i : i + 3, j : j + 3], w) + b
    pooled = np.maximum(direct, 0).reshape(3, 2, 3, 2, 4).max(axis=(1, 3))
    np.testing.assert_allclose(_digitnet._conv_relu_pool(x, w, b), pooled, rtol=1e-5, atol=1e-5)


def test_the_fine_input_keeps_a_glyphs_aspect() -> None:
    bar = np.full((40, 40), 255, np.uint8)
    bar[5:35, 18:22] = 0  # a stroke 30 high, 4 wide: a ۱
    x = _digitnet.fine(bar)
    image = x[:-1].reshape(_digitnet.FINE, _digitnet.FINE)
    cols = np.nonzero(image.max(axis=0) > 0)[0]
    rows = np.nonzero(image.max(axis=1) > 0)[0]
    assert len(rows) == _digitnet.FINE - 4 and len(cols) <= 6  # scaled whole, not stretched square
    assert x[-1] == pytest.approx(np.log(4 / 30))
    assert not _digitnet.fine(np.full((10, 10), 255, np.uint8)).any()  # no ink, no glyph


@pytest.mark.slow  # reads the shipped weights and draws glyphs (a second or two)
@pytest.mark.parametrize("name", ["digitnet.npz", "digitcnn.npz"])
def test_each_shipped_network_reads_a_face_it_was_fitted_on(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("KYC_OCR_DIGIT_MODEL", str(Path(_digitnet.__file__).with_name(name)))
    assert _digitnet.available()
    for ch in "۱۲۳۴۵۶۷۸۹":
        assert _digitnet.probabilities(_digitnet.features(_glyph(ch, NAZLI)), "eastern")[0][0] == ch
    for ch, value in zip("١٢٣٤٥٦٧٨٩", "۱۲۳۴۵۶۷۸۹", strict=True):  # Arabic-Indic forms: their values
        assert _digitnet.probabilities(_digitnet.features(_glyph(ch)), "eastern")[0][0] == value


def test_a_networks_temperature_makes_its_glyph_unsure_but_shows_the_same_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # logits 5, 1 and 0 for the rest: 0.93 as fitted, 0.36 at temperature 3
    plain = _logit_file(tmp_path / "cnn.npz", {"۳": 5.0, "۸": 1.0}, convolutional=True)
    with np.load(plain) as npz:
        arrays = dict(npz)
    warm = tmp_path / "warm.npz"
    np.savez(warm, **arrays, temperature=np.float32(3.0))
    x = _digitnet.features(_glyph("۳"))
    monkeypatch.setenv("KYC_OCR_DIGIT_MODEL", plain)
    assert _glyphs._net_backs(_digitnet.probabilities(x, "eastern"), "۳")
    monkeypatch.setenv("KYC_OCR_DIGIT_MODEL", str(warm))
    sure = _digitnet.probabilities(x, "eastern")
    assert sure[0][0] == "۳" and not _glyphs._net_backs(sure, "۳")
    shown = _digitnet.shown_probabilities(x, "eastern")
    assert shown[0][0] == "۳" and shown[0][1] > 0.9
