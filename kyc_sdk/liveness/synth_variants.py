"""Presentation attacks and hard bona fide captures along named variants (issue 14).

``synth`` makes one printer, one screen and one cut-out; a detector tuned on it learnt that
printer and that screen. Here every physical axis is a parameter and every species has
several named variants, so a detector can be fitted on some variants and evaluated on the
others (``benchmarks/liveness_eval.py``, ``benchmarks/train_pad.py``).

``make(species, variant, rgb, points, rng) -> RGB uint8`` at the camera's size; ``points``
are the source photo's 68 landmarks. Species and what their variants vary:

- ``print``: dots (``am`` rotated CMY halftone screens, ``fm`` inkjet stochastic dots,
  ``laser`` one coarse screen with toner scatter), screen period and angle, paper tint,
  gloss, curvature, hand-held tilt, sheet edges in view or not.
- ``replay``: a display's RGB sub-pixel grid rendered at 3× and sampled by the camera,
  so the moiré is the real beat of two grids: pixel pitch (phone, tablet, monitor),
  rotation, refresh banding, bezel, a reflected lamp or room.
- ``cutout``: a printed face cut along an ellipse, a jagged hand cut or the head's
  outline; a paper rim; eye holes that show real eyes; worn as a mask or held before a
  scene.
- ``document``: a national card or passport page (``docs_ocr.synth``) carrying the face,
  held up to the camera at a size, tilt and glare.
- ``injected``: frames that never met a sensor: denoised, upscaled, smoothed and
  sharpened, losslessly encoded.
- ``bona_fide``: the photo through a camera, under glare on glasses, backlight, low light
  with gain noise, a clean sensor in daylight, darker or lighter skin, oily skin's shine,
  a beard, a head scarf, make-up, coloured light, a side light.

What is approximated (the sources are a few public photos of three men and one woman):
skin tone is shifted on the detected skin, not photographed; beards, scarves, glasses and
make-up are painted from the landmarks; the paper mask is "worn" over a blurred copy of the
same photo. The cues were written by the same hands, so held-out variants are the honest
figure this set can give, and an independent set decides.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from kyc_sdk.liveness.synth import Rng, jpeg

F32 = np.float32
Params = dict[str, object]


# --- the camera and the scene -------------------------------------------------------


def camera(
    img: np.ndarray,
    rng: Rng,
    *,
    noise: float | None = None,
    quality: int | None = None,
    focus: float | None = None,
    sensor: str = "iid",
) -> np.ndarray:
    """A phone camera: lens blur (``focus``, a Gaussian sigma in pixels), the phone's own
    sharpening, signal-dependent sensor noise, slight white-balance drift, JPEG.

    ``sensor``: ``"iid"`` (every group before stop 20) draws the noise for each pixel and
    channel on its own; ``"bayer"`` is a real phone's pipeline (``bayer``): one colour per
    photosite, shot and read noise there, demosaicing (which correlates the noise across
    channels and neighbours), then the phone's denoiser, which flattens smooth areas;
    ``"second_phone"`` is another maker's pipeline (``second_phone``), held out of all
    fitting and tuning (``benchmarks/pad_data.py`` FRESH9); ``"third_phone"`` a third maker's
    binned quad-Bayer pipeline (``third_phone``), held out of everything before FRESH13;
    ``"fourth_phone"`` a fourth maker's burst pipeline (``fourth_phone``), held out of
    everything before FRESH14; ``"webcam"`` a laptop webcam (``webcam``), held out of
    everything before FRESH15."""
    noise = rng.uniform(1.5, 4.0) if noise is None else noise
    f: np.ndarray = cv2.GaussianBlur(
        img.astype(F32), (0, 0), rng.uniform(0.3, 0.8) if focus is None else focus
    )
    f += rng.uniform(0.0, 1.0) * (f - cv2.GaussianBlur(f, (0, 0), 1.5))  # unsharp mask, as phones do
    f *= rng.uniform(0.97, 1.03, 3).astype(F32)
    if sensor == "second_phone":
        return second_phone(f, rng, noise, quality)
    if sensor == "third_phone":
        return third_phone(f, rng, noise, quality)
    if sensor == "fourth_phone":
        return fourth_phone(f, rng, noise, quality)
    if sensor == "webcam":
        return webcam(f, rng, noise, quality)
    if sensor in TUNING_PIPELINES:
        return tuning_pipeline(f, rng, noise, quality, TUNING_PIPELINES[sensor](rng))
    if sensor == "bayer":
        f = bayer(f, rng, noise)
    elif sensor == "iid":
        shot = np.sqrt(np.clip(f, 0, 255) / 255.0) * noise * 1.5 + noise * 0.5
        f += rng.normal(0, 1, f.shape).astype(F32) * shot
    else:
        raise ValueError(f"unknown sensor {sensor!r}")
    return jpeg(np.clip(f, 0, 255).astype(np.uint8), quality or int(rng.integers(78, 95)))


def _mosaic(rgb: np.ndarray, layout: str) -> np.ndarray:
    """One colour per photosite, as a Bayer sensor samples ``rgb``: ``layout`` names the
    2x2 pattern's colours from (0, 0) in reading order ("RGGB", "GRBG", "BGGR")."""
    mosaic = np.empty(rgb.shape[:2], F32)
    for k, colour in enumerate(layout):
        dy, dx = divmod(k, 2)
        mosaic[dy::2, dx::2] = rgb[dy::2, dx::2, "RGB".index(colour)]
    return mosaic


def bayer(f: np.ndarray, rng: Rng, noise: float) -> np.ndarray:
    """``f`` (RGB, float, 0-255) through an RGGB colour filter mosaic: each photosite keeps one
    channel and its own shot noise (growing with the square root of its level) plus read
    noise, at the same law as the i.i.d. model; bilinear demosaicing fills the two missing
    channels from neighbours; the phone's denoiser then smooths chroma hard and luma where
    the steps are within the noise (edge-preserving), as phone pipelines do."""
    mosaic = _mosaic(f, "RGGB")
    sigma = np.sqrt(np.clip(mosaic, 0, 255) / 255.0) * noise * 1.5 + noise * 0.5
    mosaic += rng.normal(0, 1, mosaic.shape).astype(F32) * sigma
    raw = (np.clip(mosaic, 0, 255) * 256).astype(np.uint16)
    rgb = cv2.cvtColor(raw, cv2.COLOR_BayerBG2RGB).astype(F32) / 256  # OpenCV's name for RGGB at (0, 0)
    ycc = cv2.cvtColor(np.clip(rgb, 0, 255) / 255, cv2.COLOR_RGB2YCrCb)
    ycc[..., 1:] = cv2.GaussianBlur(ycc[..., 1:], (0, 0), 1.5)
    ycc[..., 0] = cv2.bilateralFilter(ycc[..., 0], 5, 2.5 * noise / 255, 2.0)
    out: np.ndarray = cv2.cvtColor(ycc, cv2.COLOR_YCrCb2RGB) * 255
    return out


def second_phone(f: np.ndarray, rng: Rng, noise: float, quality: int | None) -> np.ndarray:
    """``f`` (RGB, float, 0-255) through another maker's phone, unlike ``bayer`` at every
    stage: a GRBG mosaic read out 8 bits deep with row noise (a rolling readout's per-row
    offset), edge-aware demosaicing, a non-local-means luma denoiser and a median on
    chroma, a strong unsharp mask on luma (halos), a gentle S tone curve, and JPEG at a
    lower quality with chroma halved horizontally only (4:2:2). Held out: nothing is fitted
    or tuned on it (``benchmarks/pad_data.py`` FRESH9)."""
    h = f.shape[0]
    mosaic = _mosaic(f, "GRBG")
    sigma = np.sqrt(np.clip(mosaic, 0, 255) / 255.0) * noise * 1.4 + noise * 0.4
    mosaic += rng.normal(0, 1, mosaic.shape).astype(F32) * sigma
    mosaic += rng.normal(0, 0.5 * noise, (h, 1)).astype(F32)  # each row's readout offset
    rgb = cv2.cvtColor(np.clip(mosaic, 0, 255).astype(np.uint8), cv2.COLOR_BayerGB2RGB_EA)  # GRBG at (0, 0)
    ycc = cv2.cvtColor(rgb, cv2.COLOR_RGB2YCrCb)
    luma = cv2.fastNlMeansDenoising(ycc[..., 0], None, float(rng.uniform(1.0, 1.6) * noise), 5, 15)
    soft = cv2.GaussianBlur(luma.astype(F32), (0, 0), float(rng.uniform(0.9, 1.3)))
    luma_f = luma + float(rng.uniform(0.8, 1.4)) * (luma - soft)
    x = np.clip(luma_f, 0, 255) / 255.0
    luma_f = 255.0 * (x - float(rng.uniform(0.1, 0.25)) * np.sin(2 * np.pi * x) / (2 * np.pi))  # S curve
    ycc[..., 0] = np.clip(luma_f, 0, 255).astype(np.uint8)
    ycc[..., 1] = cv2.medianBlur(ycc[..., 1], 5)
    ycc[..., 2] = cv2.medianBlur(ycc[..., 2], 5)
    out = cv2.cvtColor(ycc, cv2.COLOR_YCrCb2RGB)
    level = int(quality - 10) if quality else int(rng.integers(62, 76))
    return jpeg(out, level, cv2.IMWRITE_JPEG_SAMPLING_FACTOR_422)


def third_phone(f: np.ndarray, rng: Rng, noise: float, quality: int | None) -> np.ndarray:
    """``f`` (RGB, float, 0-255) through a third maker's phone, unlike ``bayer`` and
    ``second_phone`` at every stage: a quad-Bayer sensor (each colour filter over 2×2
    photosites) read in binned mode, so the four sum before demosaicing and the frame is
    made at half resolution and scaled back up; column fixed-pattern noise instead of row
    noise; a box-filter chroma denoiser; a Laplacian-kernel sharpener (thin halos, no
    Gaussian); a tone curve that lifts the shadows; JPEG with 4:2:0 chroma at a high
    quality. Held out: nothing fits, tunes or judged a model on it before
    ``benchmarks/pad_data.py`` FRESH13."""
    h, w = f.shape[:2]
    h2, w2 = h // 4 * 2, w // 4 * 2  # the binned frame, an even size for its RGGB mosaic
    cells = cv2.resize(f[: h2 * 2, : w2 * 2], (w2, h2), interpolation=cv2.INTER_AREA)
    mosaic = _mosaic(cells, "RGGB")
    # four photosites summed: their shot and read noise averages down by half
    sigma = np.sqrt(np.clip(mosaic, 0, 255) / 255.0) * (noise * 0.8) + noise * 0.3
    mosaic += rng.standard_normal(mosaic.shape, dtype=F32) * sigma
    mosaic += rng.normal(0, 0.35 * noise, (1, w2)).astype(F32)  # each column's amplifier offset
    raw = (np.clip(mosaic, 0, 255) * 256).astype(np.uint16)
    small = cv2.cvtColor(raw, cv2.COLOR_BayerBG2RGB).astype(F32) / 256
    rgb = cv2.resize(small, (w2 * 2, h2 * 2), interpolation=cv2.INTER_CUBIC)
    rgb = cv2.copyMakeBorder(rgb, 0, h - h2 * 2, 0, w - w2 * 2, cv2.BORDER_REPLICATE)
    ycc = cv2.cvtColor(np.clip(rgb, 0, 255) / 255, cv2.COLOR_RGB2YCrCb)
    ycc[..., 1:] = cv2.blur(ycc[..., 1:], (7, 7))
    luma = ycc[..., 0]
    lap = cv2.filter2D(luma, -1, np.array([[0, -1, 0], [-1, 4, -1], [0, -1, 0]], F32))
    luma = luma + float(rng.uniform(0.4, 0.8)) * lap
    luma = np.clip(luma, 0, 1) ** float(rng.uniform(0.8, 0.9))  # shadows lifted
    ycc[..., 0] = luma
    out = np.clip(cv2.cvtColor(ycc, cv2.COLOR_YCrCb2RGB) * 255, 0, 255).astype(np.uint8)
    level = int(quality + 4) if quality else int(rng.integers(84, 93))
    return jpeg(out, level, cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420)


def fourth_phone(f: np.ndarray, rng: Rng, noise: float, quality: int | None) -> np.ndarray:
    """``f`` (RGB, float, 0-255) through a fourth maker's phone, unlike the other three at
    every stage: a burst of four BGGR frames, each with its own noise and hand shake, merged
    by plain averaging after an alignment that leaves a fraction of a pixel (multi-frame
    noise reduction: half the noise, a directional smear), variable-number-of-gradients
    demosaicing, a strong local tone map (a large bilateral base compressed, the detail
    over it boosted: the "HDR" look), a saturation boost, and a HEIF-like JPEG at a low
    quality with 4:2:0 chroma. Held out: nothing fits, tunes or judged a model on it before
    ``benchmarks/pad_data.py`` FRESH14."""
    h, w = f.shape[:2]
    drift = rng.normal(0, 0.35, 2)  # the alignment's residual, growing along the burst
    merged = np.zeros((h, w, 3), F32)
    for k in range(4):
        shift = np.array([[1, 0, drift[0] * k], [0, 1, drift[1] * k]], F32)
        frame = cv2.warpAffine(f, shift, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        mosaic = _mosaic(frame, "BGGR")
        sigma = np.sqrt(np.clip(mosaic, 0, 255) / 255.0) * noise * 1.6 + noise * 0.6
        mosaic += rng.standard_normal(mosaic.shape, dtype=F32) * sigma
        raw = np.clip(mosaic, 0, 255).astype(np.uint8)
        merged += cv2.cvtColor(raw, cv2.COLOR_BayerRG2RGB_VNG).astype(F32)  # OpenCV's name for BGGR at (0, 0)
    rgb = merged / 4
    luma = np.maximum(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), 1.0)
    log_l = np.log(luma / 255.0)
    base = cv2.bilateralFilter(log_l, 9, 0.4, 12.0)
    mapped = float(rng.uniform(0.5, 0.65)) * base + float(rng.uniform(1.15, 1.35)) * (log_l - base)
    gain = np.exp(mapped - log_l + float(rng.uniform(0.1, 0.25)))[..., None]
    rgb = rgb * gain
    grey = rgb.mean(axis=2, keepdims=True)
    rgb = grey + float(rng.uniform(1.1, 1.2)) * (rgb - grey)
    out = np.clip(rgb, 0, 255).astype(np.uint8)
    level = int(quality - 22) if quality else int(rng.integers(55, 68))
    return jpeg(out, level, cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420)


def webcam(f: np.ndarray, rng: Rng, noise: float, quality: int | None) -> np.ndarray:
    """``f`` (RGB, float, 0-255) through a laptop webcam, unlike the four phones and the
    tuning pipelines at every stage: a small GBRG sensor (read out at 1/2.2-1/2.6 of the
    frame, heavy read noise) demosaiced by edge-aware interpolation and scaled up by
    Lanczos; a temporal denoiser that blends the frame with the previous one, displaced by
    the head's motion, into a ghosted smear; contrast-limited local equalisation of luma
    (its "HDR" mode) over a strong global log curve that lifts the shadows; a chroma
    median; and the stream's MJPEG frame at a middling quality with 4:2:0 chroma. Held
    out: nothing fits, tunes or judged a model on it before ``benchmarks/pad_data.py``
    FRESH15."""
    h, w = f.shape[:2]
    scale = float(rng.uniform(2.2, 2.6))
    hs, ws = int(h / scale) // 2 * 2, int(w / scale) // 2 * 2

    def exposure(img: np.ndarray) -> np.ndarray:
        mosaic = _mosaic(cv2.resize(img, (ws, hs), interpolation=cv2.INTER_AREA), "GBRG")
        sigma = np.sqrt(np.clip(mosaic, 0, 255) / 255.0) * noise * 1.2 + noise * 1.1
        mosaic += rng.standard_normal(mosaic.shape, dtype=F32) * sigma
        raw = np.clip(mosaic, 0, 255).astype(np.uint8)
        return cv2.cvtColor(raw, cv2.COLOR_BayerGR2RGB_EA).astype(F32)  # OpenCV's name for GBRG

    motion = np.array([[1, 0, rng.uniform(-2.5, 2.5)], [0, 1, rng.uniform(-1.5, 1.5)]], F32)
    previous = cv2.warpAffine(f, motion, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    blend = float(rng.uniform(0.35, 0.5))  # the recursive filter's weight on the last frame
    small = (1 - blend) * exposure(f) + blend * exposure(previous)
    rgb = cv2.resize(small, (w, h), interpolation=cv2.INTER_LANCZOS4)
    ycc = cv2.cvtColor(np.clip(rgb, 0, 255).astype(np.uint8), cv2.COLOR_RGB2YCrCb)
    lifted = np.log1p(float(rng.uniform(6, 12)) * ycc[..., 0].astype(F32) / 255)
    luma = np.clip(255 * lifted / lifted.max(initial=1e-3), 0, 255).astype(np.uint8)
    clahe = cv2.createCLAHE(clipLimit=float(rng.uniform(2.0, 3.0)), tileGridSize=(4, 4))
    ycc[..., 0] = clahe.apply(luma)
    ycc[..., 1] = cv2.medianBlur(ycc[..., 1], 3)
    ycc[..., 2] = cv2.medianBlur(ycc[..., 2], 3)
    out = cv2.cvtColor(ycc, cv2.COLOR_YCrCb2RGB)
    level = int(quality - 15) if quality else int(rng.integers(60, 72))
    return jpeg(out, level, cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420)


@dataclass(frozen=True)
class Pipeline:
    """One phone pipeline's settings (``tuning_pipeline``): each stage a parameter, so a
    family of phones can be drawn rather than one phone written down."""

    scale: float = 1.0  # sensor read out at 1/scale of the frame's size, then scaled up
    chroma_blur: float = 0.0  # the chroma denoiser's Gaussian sigma, pixels of the frame
    luma_denoise: float = 0.0  # the luma denoiser's range, in units of the sensor noise
    sharpen: float = 0.0  # unsharp amount
    sharpen_radius: float = 2.0  # its Gaussian sigma
    tone: float = 0.0  # a global tone map's strength (0: none, 1: strong Reinhard roll-off)
    gamma: float = 1.0
    quality: int = 0  # JPEG quality (0: the camera's draw)
    sampling: int = cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420


def _tune_bin(rng: Rng) -> Pipeline:
    return Pipeline(scale=float(rng.uniform(1.3, 1.75)))


def _tune_chroma(rng: Rng) -> Pipeline:
    return Pipeline(chroma_blur=float(rng.uniform(2.5, 4.0)), luma_denoise=float(rng.uniform(1.5, 3.0)))


def _tune_sharp(rng: Rng) -> Pipeline:
    return Pipeline(sharpen=float(rng.uniform(1.0, 2.0)), sharpen_radius=float(rng.uniform(1.8, 3.0)))


def _tune_tone(rng: Rng) -> Pipeline:
    return Pipeline(tone=float(rng.uniform(0.5, 1.0)), gamma=float(rng.uniform(0.7, 0.8)))


def _tune_jpeg(rng: Rng) -> Pipeline:
    return Pipeline(quality=int(rng.integers(45, 58)), sampling=cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420)


def _tune_family(rng: Rng) -> Pipeline:
    """A random phone: each stage on or off by a coin, at a random setting."""
    on = rng.random(6) < 0.5
    return Pipeline(
        scale=float(rng.uniform(1.2, 1.8)) if on[0] else 1.0,
        chroma_blur=float(rng.uniform(1.0, 4.0)) if on[1] else 0.0,
        luma_denoise=float(rng.uniform(0.8, 3.0)) if on[2] else 0.0,
        sharpen=float(rng.uniform(0.4, 2.0)) if on[3] else 0.0,
        sharpen_radius=float(rng.uniform(1.8, 3.0)),
        tone=float(rng.uniform(0.3, 1.0)) if on[4] else 0.0,
        gamma=float(rng.uniform(0.7, 1.2)) if on[4] else 1.0,
        quality=int(rng.integers(45, 96)) if on[5] else 0,
        sampling=(cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420, cv2.IMWRITE_JPEG_SAMPLING_FACTOR_444)[
            int(rng.integers(2))
        ],
    )


#: the tuning cameras (stop 26): a phone pipeline with one stage pushed hard each, and a
#: family drawing every stage at random; settings chosen apart from the held-out phones'
#: (no 2x binning, no box or median chroma filter, a wider unsharp radius than
#: ``second_phone``'s, no local tone map, JPEG below every held-out phone's quality)
TUNING_PIPELINES: dict[str, Callable[[Rng], Pipeline]] = {
    "tune_bin": _tune_bin,
    "tune_chroma": _tune_chroma,
    "tune_sharp": _tune_sharp,
    "tune_tone": _tune_tone,
    "tune_jpeg": _tune_jpeg,
    "tune_family": _tune_family,
}


def tuning_pipeline(f: np.ndarray, rng: Rng, noise: float, quality: int | None, p: Pipeline) -> np.ndarray:
    """``f`` (RGB, float, 0-255) through a phone with settings ``p``: an RGGB mosaic with shot
    and read noise read at 1/``p.scale`` of the frame (binning averages the noise down),
    bilinear demosaicing, scaled back up, then the chroma and luma denoisers, the unsharp
    mask, the tone map and JPEG."""
    h, w = f.shape[:2]
    hs, ws = int(h / p.scale) // 2 * 2, int(w / p.scale) // 2 * 2
    cells = (
        cv2.resize(f, (ws, hs), interpolation=cv2.INTER_AREA)
        if p.scale > 1
        else f[: h // 2 * 2, : w // 2 * 2]
    )
    mosaic = _mosaic(cells, "RGGB")
    level = noise / np.sqrt(p.scale)
    sigma = np.sqrt(np.clip(mosaic, 0, 255) / 255.0) * level * 1.5 + level * 0.5
    mosaic += rng.standard_normal(mosaic.shape, dtype=F32) * sigma
    raw = (np.clip(mosaic, 0, 255) * 256).astype(np.uint16)
    rgb: np.ndarray = cv2.cvtColor(raw, cv2.COLOR_BayerBG2RGB).astype(F32) / 256
    rgb = cv2.resize(rgb, (w, h), interpolation=cv2.INTER_LINEAR)
    ycc = cv2.cvtColor(np.clip(rgb, 0, 255) / 255, cv2.COLOR_RGB2YCrCb)
    if p.chroma_blur > 0:
        ycc[..., 1:] = cv2.GaussianBlur(ycc[..., 1:], (0, 0), p.chroma_blur)
    luma = ycc[..., 0]
    if p.luma_denoise > 0:
        luma = cv2.bilateralFilter(luma, 7, p.luma_denoise * noise / 255, 3.0)
    if p.sharpen > 0:
        luma = luma + p.sharpen * (luma - cv2.GaussianBlur(luma, (0, 0), p.sharpen_radius))
    luma = np.clip(luma, 0, 1)
    if p.tone > 0:
        rolled = luma * (1 + p.tone) / (luma + p.tone)
        luma = rolled / max(float(rolled.max()), 1e-3) * float(luma.max())
    ycc[..., 0] = np.clip(luma, 0, 1) ** p.gamma
    out = np.clip(cv2.cvtColor(ycc, cv2.COLOR_YCrCb2RGB) * 255, 0, 255).astype(np.uint8)
    q = p.quality or quality or int(rng.integers(78, 95))
    return jpeg(out, q, p.sampling)


def scene(shape: tuple[int, int], rng: Rng) -> np.ndarray:
    """A room behind the attack: a tinted gradient, a few soft shapes, some texture."""
    h, w = shape
    base = rng.uniform(50, 200, 3).astype(F32)
    out: np.ndarray = np.empty((h, w, 3), F32)
    out[:] = base
    out += np.linspace(-35, 35, w, dtype=F32)[None, :, None] * rng.choice([-1, 1])
    for _ in range(int(rng.integers(1, 4))):
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        cv2.rectangle(
            out,
            (x0, y0),
            (x0 + int(rng.integers(40, w // 2)), y0 + int(rng.integers(40, h // 2))),
            tuple(float(c) for c in rng.uniform(30, 230, 3)),
            -1,
        )
    out = cv2.GaussianBlur(out, (0, 0), float(rng.uniform(1.0, 6.0)))
    return out + rng.normal(0, 3, out.shape).astype(F32)


def dim(img: np.ndarray, rng: Rng, light: float) -> np.ndarray:
    """``img`` (the scene at full light) captured with ``light`` of it: photon shot noise on
    the few electrons the sensor collects, then the gain that lifts the frame back up,
    noise and all. A print or a cut-out in a dim room meets the same camera as a face."""
    img = img * light
    img = np.clip(img + rng.normal(0, 1, img.shape).astype(F32) * np.sqrt(img + 4) * 0.9, 0, 255)
    return img / light * 0.85


def hold(
    sheet: np.ndarray,
    shape: tuple[int, int],
    rng: Rng,
    *,
    fill: float,
    tilt: float,
    background: np.ndarray | None = None,
) -> np.ndarray:
    """``sheet`` held before ``background``, its width ``fill`` of the frame, each corner
    moved by up to ``tilt`` of its size (a hand holds nothing square to the lens)."""
    h, w = shape
    sh, sw = sheet.shape[:2]
    s = min(fill * w / sw, max(fill, 1.0) * 1.1 * h / sh)  # a tall sheet still fits the frame
    cx, cy = w / 2 + rng.uniform(-0.05, 0.05) * w, h / 2 + rng.uniform(-0.05, 0.05) * h
    src = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32)
    dst = (src - [sw / 2, sh / 2]) * s + [cx, cy]
    theta = np.radians(rng.uniform(-8, 8))
    rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]], np.float32)
    dst = (dst - [cx, cy]) @ rot.T + [cx, cy]
    dst += rng.uniform(-1, 1, (4, 2)) * tilt * [sw * s, sh * s]
    m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    warped = cv2.warpPerspective(sheet.astype(F32), m, (w, h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((sh, sw), F32), m, (w, h), flags=cv2.INTER_LINEAR)[..., None]
    back = scene(shape, rng) if background is None else background.astype(F32)
    return back * (1 - mask) + warped * mask


# --- print ---------------------------------------------------------------------------


def _screen(shape: tuple[int, int], period: float, angle: float) -> np.ndarray:
    """An AM halftone spot function in [0, 1] (rotated cosine dots)."""
    yy, xx = np.mgrid[0 : shape[0], 0 : shape[1]].astype(F32)
    t = np.radians(angle)
    u = (xx * np.cos(t) + yy * np.sin(t)) * (2 * np.pi / period)
    v = (-xx * np.sin(t) + yy * np.cos(t)) * (2 * np.pi / period)
    return (2 + np.cos(u) + np.cos(v)) / 4


def _lines(shape: tuple[int, int], period: float, angle: float) -> np.ndarray:
    """A line screen's threshold in [0, 1] (a rotated cosine across the lines)."""
    yy, xx = np.mgrid[0 : shape[0], 0 : shape[1]].astype(F32)
    t = np.radians(angle)
    return (1 + np.cos((xx * np.cos(t) + yy * np.sin(t)) * (2 * np.pi / period))) / 2


def ink(
    rgb: np.ndarray,
    rng: Rng,
    *,
    dots: str = "am",
    period: float = 4.0,
    angle: float = 15.0,
    tint: tuple[int, int, int] = (246, 244, 238),
    saturation: float = 0.7,
    k: int = 2,
) -> np.ndarray:
    """``rgb`` printed on paper of ``tint`` (``dots``: ``am``, ``fm``, ``laser`` or ``line``, a
    line screen): rendered at ``k``× as binary dots, so the
    camera's own sampling makes whatever aliasing this screen would make."""
    big = cv2.resize(rgb, None, fx=k, fy=k, interpolation=cv2.INTER_CUBIC).astype(F32) / 255.0
    grey = big.mean(axis=2, keepdims=True)
    big = np.clip(grey + (big - grey) * saturation, 0, 1)
    cover = 1.0 - big  # C, M, Y coverage
    shape = big.shape[:2]
    if dots == "fm":  # inkjet: stochastic dots, a faint banding from the head passes
        thr = rng.random((*shape, 3), dtype=F32)
        printed = (cover > thr).astype(F32)
        band = 1 - 0.04 * (np.sin(np.arange(shape[0], dtype=F32) * 2 * np.pi / (period * 9)) > 0.6)
        printed *= band[:, None, None]
    elif dots == "line":  # a line screen: parallel lines whose width carries the tone
        printed = np.stack(
            [(cover[..., c] > _lines(shape, period * k, angle + 15 * c)).astype(F32) for c in range(3)],
            axis=-1,
        )
    else:
        angles = (angle, angle + 60, angle + 30) if dots == "am" else (angle, angle, angle)
        printed = np.stack(
            [(cover[..., c] > _screen(shape, period * k, a)).astype(F32) for c, a in enumerate(angles)],
            axis=-1,
        )
        if dots == "laser":  # toner scatter around each dot
            printed = np.clip(printed + (rng.random(printed.shape, dtype=F32) < 0.03 * cover), 0, 1)
    printed = cv2.GaussianBlur(printed, (0, 0), 0.35 * k)  # ink spreads into the paper
    paper = np.array(tint, F32) / 255.0
    out = paper * (1 - 0.92 * printed)
    return cv2.resize(out * 255.0, (rgb.shape[1], rgb.shape[0]), interpolation=cv2.INTER_AREA)


def _gloss(img: np.ndarray, rng: Rng, amount: float) -> np.ndarray:
    """A glossy sheet's sheen: a broad, bright band where a lamp reflects."""
    if amount <= 0:
        return img
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(F32)
    t = rng.uniform(0, np.pi)
    d = (xx - w * rng.uniform(0.3, 0.7)) * np.cos(t) + (yy - h * rng.uniform(0.3, 0.7)) * np.sin(t)
    band = np.exp(-((d / (0.12 * w)) ** 2))
    return img + (255 - img) * (amount * band)[..., None]


def _curve(img: np.ndarray, amount: float) -> np.ndarray:
    """A sheet bent around a vertical axis: compressed and darker towards its edges."""
    if amount <= 0:
        return img
    h, w = img.shape[:2]
    x = np.linspace(-1, 1, w, dtype=F32)
    src = np.sin(x * np.arcsin(min(amount, 0.95))) / np.sin(np.arcsin(min(amount, 0.95)))
    mapx = np.tile(((src + 1) / 2 * (w - 1))[None, :], (h, 1)).astype(F32)
    mapy = np.tile(np.arange(h, dtype=F32)[:, None], (1, w))
    bent = cv2.remap(img.astype(F32), mapx, mapy, cv2.INTER_LINEAR)
    return bent * (1 - 0.25 * amount * x**2)[None, :, None]


def print_attack(
    rgb: np.ndarray,
    points: np.ndarray,
    rng: Rng,
    *,
    dots: str = "am",
    period: float = 4.0,
    angle: float = 15.0,
    tint: tuple[int, int, int] = (246, 244, 238),
    gloss: float = 0.0,
    curve: float = 0.0,
    tilt: float = 0.04,
    fill: float = 0.8,
    edges: bool = True,
    saturation: float = 0.7,
    focus: float | None = None,
    light: float | None = None,
    sensor: str = "iid",
) -> np.ndarray:
    """A printed photo held up to the camera (``light``: in a dim room, see ``dim``;
    ``sensor``: see ``camera``)."""
    sheet = ink(rgb, rng, dots=dots, period=period, angle=angle, tint=tint, saturation=saturation)
    if edges:
        pad = int(0.07 * max(sheet.shape[:2]))
        sheet = cv2.copyMakeBorder(sheet, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=tint)
    sheet = _gloss(_curve(sheet, curve), rng, gloss)
    out = hold(sheet, rgb.shape[:2], rng, fill=fill if edges else 1.15, tilt=tilt)
    if light is not None:
        return camera(dim(out, rng, light), rng, noise=3.0, quality=75, focus=focus, sensor=sensor)
    return camera(out * rng.uniform(0.85, 1.1), rng, focus=focus, sensor=sensor)


# --- screen replay -------------------------------------------------------------------


def display(rgb: np.ndarray, *, pitch: float, angle: float, k: int = 3) -> np.ndarray:
    """``rgb`` on a display of ``pitch`` camera pixels per screen pixel, seen at ``angle``:
    RGB stripes with a black matrix, rendered at ``k``× and area-sampled by the camera."""
    h, w = rgb.shape[:2]
    sh, sw = max(int(h / pitch), 8), max(int(w / pitch), 8)
    shown = cv2.resize(rgb, (sw, sh), interpolation=cv2.INTER_AREA).astype(F32)
    yy, xx = np.mgrid[0 : h * k, 0 : w * k].astype(F32) / k
    t = np.radians(angle)
    cx, cy = w / 2, h / 2
    sx = ((xx - cx) * np.cos(t) + (yy - cy) * np.sin(t) + cx) / pitch
    sy = (-(xx - cx) * np.sin(t) + (yy - cy) * np.cos(t) + cy) / pitch
    ix, iy = np.clip(sx.astype(np.int32), 0, sw - 1), np.clip(sy.astype(np.int32), 0, sh - 1)
    fx, fy = sx - np.floor(sx), sy - np.floor(sy)
    sub = np.minimum((fx * 3).astype(np.int32), 2)
    lit = (np.abs(fx * 3 - sub - 0.5) < 0.4) & (fy > 0.1)  # black matrix between sub-pixels
    value = shown[iy, ix, sub] * lit * 3.0 * 0.92
    out = np.zeros((h * k, w * k, 3), F32)
    for c in range(3):
        out[..., c] = np.where(sub == c, value, 0)
    return cv2.resize(out, (w, h), interpolation=cv2.INTER_AREA)


def replay_attack(
    rgb: np.ndarray,
    points: np.ndarray,
    rng: Rng,
    *,
    pitch: float = 2.0,
    angle: float = 3.0,
    banding: float = 0.0,
    bezel: bool = True,
    reflection: str = "none",
    white: tuple[float, float, float] = (0.9, 0.97, 1.08),
    fill: float = 0.85,
    tilt: float = 0.03,
    focus: float | None = None,
    sensor: str = "iid",
) -> np.ndarray:
    """A screen showing ``rgb`` held up to the camera (``sensor``: see ``camera``)."""
    f = 255.0 * (rgb.astype(F32) / 255.0) ** rng.uniform(0.75, 1.0) * np.array(white, F32)
    shown = display(np.clip(f, 0, 255).astype(np.uint8), pitch=pitch, angle=angle)
    if banding > 0:  # the display's refresh against the rolling shutter
        rows = np.arange(shown.shape[0], dtype=F32)
        shown *= (
            1 - banding * (0.5 + 0.5 * np.sin(rows * 2 * np.pi / rng.uniform(40, 120) + rng.uniform(0, 6)))
        )[:, None, None]
    if reflection == "lamp":
        shown = _gloss(shown, rng, 0.5)
    elif reflection == "room":
        shown = shown * 0.85 + 0.25 * cv2.GaussianBlur(scene(shown.shape[:2], rng), (0, 0), 8)
    if bezel:
        pad = int(0.05 * max(shown.shape[:2]))
        shown = cv2.copyMakeBorder(shown, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(16, 16, 18))
    out = hold(shown, rgb.shape[:2], rng, fill=fill if bezel else 1.12, tilt=tilt)
    return camera(out, rng, focus=focus, sensor=sensor)


# --- cut-out and paper mask -----------------------------------------------------------


def _outline(points: np.ndarray, shape: tuple[int, int], cut: str, rng: Rng) -> np.ndarray:
    """The cut's mask: an ellipse around the face, a jagged hand cut, the head's outline, a
    rounded rectangle, a torn edge or a polygon of straight scissor strokes."""
    mask = np.zeros(shape, np.uint8)
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    cx, cy, ax, ay = (x0 + x1) / 2, (y0 + y1) / 2 - 0.12 * (y1 - y0), 0.62 * (x1 - x0), 0.85 * (y1 - y0)
    if cut == "ellipse":
        cv2.ellipse(mask, (int(cx), int(cy)), (int(ax), int(ay)), 0, 0, 360, 1, -1)
    elif cut == "rect":  # the photo trimmed to a rounded rectangle round the head
        c = int(0.25 * ax)
        x_0, x_1, y_0, y_1 = int(cx - 1.05 * ax), int(cx + 1.05 * ax), int(cy - ay), int(cy + 1.1 * ay)
        cv2.rectangle(mask, (x_0 + c, y_0), (x_1 - c, y_1), 1, -1)
        cv2.rectangle(mask, (x_0, y_0 + c), (x_1, y_1 - c), 1, -1)
        for x, y in ((x_0 + c, y_0 + c), (x_1 - c, y_0 + c), (x_0 + c, y_1 - c), (x_1 - c, y_1 - c)):
            cv2.circle(mask, (x, y), c, 1, -1)
    elif cut == "torn":  # torn by hand, not cut: small ragged steps all round a head outline
        t = np.linspace(0, 2 * np.pi, 360, endpoint=False)
        r = (
            1
            + 0.05 * np.sin(2 * t + rng.uniform(0, 6))
            + cv2.GaussianBlur(rng.uniform(-0.03, 0.03, (1, 360)), (0, 0), 1.0).ravel()
        )
        poly = np.stack([cx + ax * r * np.cos(t), cy + ay * r * np.sin(t)], axis=1).astype(np.int32)
        cv2.fillPoly(mask, [poly], 1)
    elif cut == "polygon":  # cut in a few straight scissor strokes round the head
        t = np.sort(rng.uniform(0, 2 * np.pi, 9))
        poly = np.stack([cx + 1.05 * ax * np.cos(t), cy + 1.02 * ay * np.sin(t)], axis=1).astype(np.int32)
        cv2.fillConvexPoly(mask, poly, 1)
    else:
        n = 18 if cut == "jagged" else 60
        t = np.linspace(0, 2 * np.pi, n, endpoint=False)
        r = 1 + (rng.uniform(-0.08, 0.08, n) if cut == "jagged" else 0.02 * np.sin(3 * t))
        poly = np.stack([cx + ax * r * np.cos(t), cy + ay * r * np.sin(t)], axis=1).astype(np.int32)
        cv2.fillPoly(mask, [poly], 1)
    return mask


def cutout_attack(
    rgb: np.ndarray,
    points: np.ndarray,
    rng: Rng,
    *,
    cut: str = "ellipse",
    rim: int = 0,
    rim_tone: float = 240.0,
    eye_holes: bool = False,
    worn: bool = False,
    dots: str = "am",
    period: float = 4.0,
    angle: float = 20.0,
    focus: float | None = None,
    saturation: float = 0.55,
    light: float | None = None,
    sensor: str = "iid",
) -> np.ndarray:
    """A printed face cut out and held before a scene, or worn as a mask with eye holes
    that show the wearer's (here: the photo's own, unprinted) eyes (``light``: in a dim
    room, see ``dim``; ``sensor``: see ``camera``)."""
    printed = ink(rgb, rng, dots=dots, period=period, angle=angle, saturation=saturation)
    mask: np.ndarray = _outline(points, rgb.shape[:2], cut, rng).astype(F32)
    if rim:  # the paper's border left by the scissors: white, or inked dark along the edge
        grown = cv2.dilate(mask, np.ones((2 * rim + 1, 2 * rim + 1), np.uint8))
        printed = np.where((grown - mask)[..., None] > 0, rim_tone, printed)
        mask = grown
    if eye_holes:
        holes = np.zeros(rgb.shape[:2], np.uint8)
        for eye in (points[36:42], points[42:48]):
            (ex, ey), (ew, eh) = eye.mean(axis=0), np.ptp(eye, axis=0)
            cv2.ellipse(holes, (int(ex), int(ey)), (int(0.75 * ew), int(max(eh, 4) * 1.6)), 0, 0, 360, 1, -1)
        ring = cv2.dilate(holes, np.ones((5, 5), np.uint8)) - holes
        printed = np.where(holes[..., None] > 0, rgb.astype(F32), printed)
        printed = np.where(ring[..., None] > 0, printed * 0.45, printed)
    if worn:  # the wearer's head around the mask, out of focus and in shadow
        back = cv2.GaussianBlur(rgb.astype(F32), (0, 0), 9) * rng.uniform(0.5, 0.8)
    else:
        back = scene(rgb.shape[:2], rng)
        shadow = cv2.GaussianBlur(np.roll(mask, (6, 6), axis=(0, 1)), (0, 0), 6)[..., None]
        back = back * (1 - 0.45 * shadow)
    m = cv2.GaussianBlur(mask, (3, 3), 0)[..., None]
    if light is not None:
        scene_ = dim(back * (1 - m) + printed * m, rng, light)
        return camera(scene_, rng, noise=3.0, quality=75, focus=focus, sensor=sensor)
    return camera(back * (1 - m) + printed * m, rng, focus=focus, sensor=sensor)


# --- photographed ID documents ---------------------------------------------------------


def _render_document(kind: str, face: np.ndarray, seed: int) -> np.ndarray:
    from kyc_sdk.docs_ocr import synth as docs

    person = docs.random_person(random.Random(seed))
    if kind == "passport":
        return docs.render_passport_page(person, face)
    return docs.render_national_card(person, face=face, rng=random.Random(seed))


def document_attack(
    rgb: np.ndarray,
    points: np.ndarray,
    rng: Rng,
    *,
    kind: str = "card",
    fill: float = 0.8,
    tilt: float = 0.04,
    glare: float = 0.0,
    grey_photo: bool = False,
    sensor: str = "iid",
) -> np.ndarray:
    """An ID document carrying the face, held up to the camera (``sensor``: see ``camera``)."""
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    pad_x, pad_y = 0.45 * (x1 - x0), 0.9 * (y1 - y0)
    crop = rgb[int(max(y0 - pad_y, 0)) : int(y1 + 0.4 * pad_y), int(max(x0 - pad_x, 0)) : int(x1 + pad_x)]
    if grey_photo:
        crop = np.repeat(crop.mean(axis=2, keepdims=True), 3, axis=2).astype(np.uint8)
    doc = _render_document(kind, np.ascontiguousarray(crop), int(rng.integers(1 << 30))).astype(F32)
    doc = _gloss(doc, rng, glare)
    out = hold(doc, rgb.shape[:2], rng, fill=fill, tilt=tilt)
    return camera(out, rng, sensor=sensor)


# --- injected frames ------------------------------------------------------------------


def injected_attack(
    rgb: np.ndarray,
    points: np.ndarray,
    rng: Rng,
    *,
    how: str = "denoised",
    strength: float = 0.7,
    reencode: tuple[int, ...] = (),
) -> np.ndarray:
    """A frame fed to the stream without a camera (the person's photo, retouched;
    ``strength``: the beautifying filter's share; ``reencode``: JPEG passes after it)."""
    img = rgb.copy()
    if how == "denoised":
        img = cv2.bilateralFilter(img, 9, 40, 7)
    elif how == "upscaled":
        small = cv2.resize(img, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        img = cv2.resize(small, (rgb.shape[1], rgb.shape[0]), interpolation=cv2.INTER_CUBIC)
    elif how == "smoothed":
        img = cv2.GaussianBlur(cv2.medianBlur(img, 5), (0, 0), 1.0)
    elif how == "beautified":  # a "skin smoothing" filter, as camera apps and deepfake tools do
        img = cv2.addWeighted(img, 1 - strength, cv2.bilateralFilter(img, 7, 60, 5), strength, 0)
    elif how == "retouched":  # a light touch of the same filter
        img = cv2.addWeighted(img, 0.6, cv2.bilateralFilter(img, 5, 30, 5), 0.4, 0)
    else:
        raise ValueError(f"unknown injection {how!r}")
    soft = cv2.GaussianBlur(img, (0, 0), 2.0).astype(F32)
    out = np.clip(img + 0.8 * (img - soft), 0, 255).astype(np.uint8)  # "perfect" sharpness
    for quality in reencode:  # a stream encoded again on its way (each pass its own quality)
        out = jpeg(out, quality)
    return out


# --- hard bona fide ------------------------------------------------------------------


def _skin(rgb: np.ndarray) -> np.ndarray:
    """Where the skin is (YCrCb box), feathered; a mask in [0, 1]."""
    ycc = cv2.cvtColor(rgb, cv2.COLOR_RGB2YCrCb)
    m = ((ycc[..., 1] > 135) & (ycc[..., 1] < 180) & (ycc[..., 2] > 80) & (ycc[..., 2] < 135)).astype(F32)
    return cv2.GaussianBlur(m, (0, 0), 3)


def _face_hull(points: np.ndarray, shape: tuple[int, int], forehead: float = 0.35) -> np.ndarray:
    top = points[17:27].copy()
    top[:, 1] -= forehead * np.ptp(points[:, 1])
    mask = np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(mask, cv2.convexHull(np.vstack([points[:17], top]).astype(np.int32)), 1)
    return mask


@dataclass(frozen=True)
class Frame:
    """A glasses frame other than the thin dark oval (``_glasses``' first style): lens shape
    (``oval``, ``rect``, ``round``, ``aviator``), rim thickness (in the oval's units; 0: rimless), rim
    colour (RGB), the lens's gain and added light (RGB: a tinted lens) and, for a browline
    frame, a thin light wire under the lens (its thickness in the same units and colour)."""

    lens: str
    rim: float
    colour: tuple[float, float, float]
    gain: float
    add: tuple[float, float, float]
    wire: tuple[float, tuple[float, float, float]] | None = None


#: Any eye-region cue must be fitted against several: a frame closes a dark ring round the
#: eye, a tint shifts the skin's colour seen through the lens.
FRAMES: dict[str, Frame] = {
    "rect-thick": Frame("rect", 2.4, (38, 24, 18), 0.9, (6, 6, 6)),
    "round-wire": Frame("round", 0.5, (175, 160, 120), 0.94, (8, 8, 8)),
    "browline": Frame("oval", 2.6, (30, 22, 18), 0.93, (8, 8, 8), wire=(0.5, (165, 165, 160))),
    "rimless-tinted": Frame("oval", 0.0, (0, 0, 0), 0.78, (22, 12, 2)),
    # FRESH13 only: big drop-shaped lenses reaching the cheek, a thin gold wire, a green-grey tint
    "aviator": Frame("aviator", 0.6, (190, 165, 95), 0.8, (8, 14, 8)),
}


def _framed_glasses(img: np.ndarray, points: np.ndarray, rng: Rng, glare: float, frame: str) -> np.ndarray:
    """Glasses in one of ``FRAMES``: the lens tinted, the rim drawn round it, the lamp's
    glare in the lens, the bridge."""
    style = FRAMES[frame]
    out = img.copy()
    thick = max(int(np.ptp(points[:, 0]) / 60), 2)
    rim = round(thick * style.rim)
    for eye in (points[36:42], points[42:48]):
        (ex, ey), ew = eye.mean(axis=0), np.ptp(eye[:, 0])
        c = (int(ex), int(ey))
        oval = (int(ew * 0.95), int(ew * 0.7))
        lens = np.zeros(img.shape[:2], np.uint8)
        if style.lens == "rect":
            cv2.rectangle(
                lens, (int(ex - ew), int(ey - 0.62 * ew)), (int(ex + ew), int(ey + 0.62 * ew)), 1, -1
            )
        elif style.lens == "aviator":  # hangs low: the lens's centre below the eye, wider than tall
            cv2.ellipse(
                lens, (int(ex), int(ey + 0.25 * ew)), (int(ew * 1.05), int(ew * 0.9)), 0, 0, 360, 1, -1
            )
        else:
            cv2.ellipse(lens, c, (int(ew * 0.85),) * 2 if style.lens == "round" else oval, 0, 0, 360, 1, -1)
        out = np.where(lens[..., None] > 0, out * F32(style.gain) + np.asarray(style.add, F32), out)
        if rim:
            edge, _ = cv2.findContours(lens, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
            if style.wire is None:
                cv2.drawContours(out, edge, -1, style.colour, rim)
            else:  # a heavy brow over the lens, a thin light wire under it
                cv2.drawContours(out, edge, -1, style.wire[1], max(round(thick * style.wire[0]), 1))
                cv2.ellipse(out, c, oval, 0, 180, 360, style.colour, rim)
        _lamp_in_lens(out, ex, ey, ew, rng, glare)
    a, b = points[39], points[42]
    bridge = style.colour if rim else (150.0, 150.0, 145.0)  # rimless: a thin metal bridge
    cv2.line(out, (int(a[0]), int(a[1] - 3)), (int(b[0]), int(b[1] - 3)), bridge, max(rim, 1))
    return out


def _lamp_in_lens(out: np.ndarray, ex: float, ey: float, ew: float, rng: Rng, glare: float) -> None:
    """One or two reflections of the lamp on the lens over the eye at (``ex``, ``ey``),
    ``ew`` wide: small and saturated."""
    for _ in range(int(rng.integers(1, 3))):
        gx, gy = ex + rng.uniform(-0.5, 0.5) * ew, ey + rng.uniform(-0.4, 0.1) * ew
        cv2.ellipse(
            out,
            (int(gx), int(gy)),
            (max(int(glare * ew), 2), max(int(glare * ew * 0.5), 1)),
            float(rng.uniform(0, 180)),
            0,
            360,
            (255, 255, 255),
            -1,
        )


def _glasses(img: np.ndarray, points: np.ndarray, rng: Rng, glare: float, frame: str = "oval") -> np.ndarray:
    if frame != "oval":
        return _framed_glasses(img, points, rng, glare, frame)
    out = img.copy()
    thick = max(int(np.ptp(points[:, 0]) / 60), 2)
    for eye in (points[36:42], points[42:48]):
        (ex, ey), ew = eye.mean(axis=0), np.ptp(eye[:, 0])
        axes = (int(ew * 0.95), int(ew * 0.7))
        lens = np.zeros(img.shape[:2], np.uint8)
        cv2.ellipse(lens, (int(ex), int(ey)), axes, 0, 0, 360, 1, -1)
        out = np.where(lens[..., None] > 0, out * 0.92 + 8, out)
        cv2.ellipse(out, (int(ex), int(ey)), axes, 0, 0, 360, (25, 22, 20), thick)
        _lamp_in_lens(out, ex, ey, ew, rng, glare)
    a, b = points[39], points[42]
    cv2.line(out, (int(a[0]), int(a[1] - 3)), (int(b[0]), int(b[1] - 3)), (25, 22, 20), thick)
    return out


def _beard(img: np.ndarray, points: np.ndarray, rng: Rng, density: float) -> np.ndarray:
    mask = np.zeros(img.shape[:2], np.uint8)
    jaw = points[3:14]
    cv2.fillPoly(mask, [np.vstack([jaw, points[[54, 33, 48]]]).astype(np.int32)], 1)
    cv2.fillPoly(mask, [points[48:60].astype(np.int32)], 0)  # the lips stay visible
    hair: np.ndarray = rng.normal(0, 1, img.shape[:2]).astype(F32)
    hair = cv2.GaussianBlur(hair, (1, 3), 0) * 40  # strands: fine, high-contrast texture
    colour = rng.uniform(25, 60) * np.array([1.0, 0.85, 0.75], F32)
    m = cv2.GaussianBlur(mask.astype(F32), (0, 0), 2)[..., None] * density
    return img * (1 - m) + (colour + hair[..., None]) * m


def _scarf(img: np.ndarray, points: np.ndarray, rng: Rng) -> np.ndarray:
    h, w = img.shape[:2]
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2 - 0.1 * (y1 - y0)
    outer = np.zeros((h, w), np.uint8)
    cv2.ellipse(outer, (int(cx), int(cy)), (int(0.95 * (x1 - x0)), int(1.05 * (y1 - y0))), 0, 0, 360, 1, -1)
    cv2.rectangle(outer, (int(cx - 0.95 * (x1 - x0)), int(cy)), (int(cx + 0.95 * (x1 - x0)), h), 1, -1)
    cloth = np.clip(outer - _face_hull(points, (h, w), 0.2), 0, 1).astype(F32)
    yy, xx = np.mgrid[0:h, 0:w].astype(F32)
    folds = 0.8 + 0.2 * np.sin((xx * 0.6 + yy) / rng.uniform(8, 20))
    colour = rng.uniform(10, 200, 3).astype(F32)
    m = cv2.GaussianBlur(cloth, (0, 0), 2)[..., None]
    return img * (1 - m) + (colour * folds[..., None] + rng.normal(0, 4, img.shape).astype(F32)) * m


def _makeup(img: np.ndarray, points: np.ndarray, rng: Rng) -> np.ndarray:
    out = img.copy()
    lips = np.zeros(img.shape[:2], np.uint8)
    cv2.fillPoly(lips, [points[48:60].astype(np.int32)], 1)
    colour = np.array(rng.choice([(170, 20, 40), (200, 70, 90), (120, 30, 40)]), F32)
    m = cv2.GaussianBlur(lips.astype(F32), (0, 0), 1.5)[..., None] * 0.55
    out = out * (1 - m) + colour * m
    for lid in (points[36:40], points[42:46]):
        cv2.polylines(
            out, [lid.astype(np.int32)], False, (20, 15, 15), max(int(np.ptp(points[:, 0]) / 70), 2)
        )
    skin = _face_hull(points, img.shape[:2], 0.2).astype(F32)
    smooth = cv2.bilateralFilter(np.clip(out, 0, 255).astype(np.uint8), 7, 30, 5).astype(F32)
    s = cv2.GaussianBlur(skin, (0, 0), 4)[..., None] * 0.7  # foundation evens the skin
    return out * (1 - s) + smooth * s


def _shine(img: np.ndarray, points: np.ndarray, rng: Rng, amount: float) -> np.ndarray:
    """Oily skin under a ceiling lamp: the lamp's reflection on the forehead, the nose and
    the cheekbones (the face's convex points), clipped at its centre, soft at its rim."""
    w = float(np.ptp(points[:, 0]))
    spots = [
        points[17:27].mean(axis=0) - (0, 0.16 * w),  # forehead
        points[30],  # nose tip
        0.5 * (points[28] + points[29]),  # nose bridge
        points[36:42].mean(axis=0) + np.array([-0.03 * w, 0.17 * w]),  # cheekbones
        points[42:48].mean(axis=0) + np.array([0.03 * w, 0.17 * w]),
    ]
    light = np.zeros(img.shape[:2], F32)
    for x, y in spots:
        if rng.random() < 0.3:
            continue
        long_axis = max(int(amount * w * rng.uniform(0.025, 0.06)), 2)
        axes = (long_axis, max(int(long_axis * rng.uniform(0.4, 0.8)), 1))
        cv2.ellipse(light, (int(x), int(y)), axes, float(rng.uniform(-40, 40)), 0, 360, 1.0, -1)
    soft: np.ndarray = cv2.GaussianBlur(light, (0, 0), max(0.015 * w, 1.0))[..., None]
    return img + (255 * 1.2 - img) * np.clip(soft * 1.3, 0, 1)


def _auto_exposure(img: np.ndarray, points: np.ndarray) -> np.ndarray:
    """A phone meters on the face: a dark face (dark skin, backlight, low light) is lifted
    towards mid-grey, noise and all, up to 4× gain."""
    x0, y0 = points.min(axis=0).astype(int)
    x1, y1 = points.max(axis=0).astype(int)
    face = img[max(y0, 0) : y1, max(x0, 0) : x1].mean()
    return img * min(max(75.0 / max(face, 1.0), 1.0), 4.0)


def _side_light(img: np.ndarray, points: np.ndarray, rng: Rng, strength: float) -> np.ndarray:
    """A lamp to one side: the face's far side in shade, falling off across the face."""
    x0, x1 = float(points[:, 0].min()), float(points[:, 0].max())
    ramp = np.clip((np.arange(img.shape[1], dtype=F32) - x0) / max(x1 - x0, 1.0), 0, 1)
    if rng.random() < 0.5:
        ramp = ramp[::-1]
    return img * (1 - strength * ramp)[None, :, None]


def _mixed_light(img: np.ndarray, points: np.ndarray, rng: Rng, gains: np.ndarray) -> np.ndarray:
    """A second lamp of another colour to one side (a window and a bulb, a screen and a
    lamp): its colour ``gains`` grow across the face towards that side."""
    x0, x1 = float(points[:, 0].min()), float(points[:, 0].max())
    ramp = np.clip((np.arange(img.shape[1], dtype=F32) - x0) / max(x1 - x0, 1.0), 0, 1)
    if rng.random() < 0.5:
        ramp = ramp[::-1]
    return img * (1 + (gains[None, None, :] - 1) * ramp[None, :, None])


def _head_frame(points: np.ndarray) -> tuple[float, float, float, float, float]:
    """The face's centre x, brow y, chin y, width and height from its landmarks."""
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    return float(x0 + x1) / 2, float(y0), float(y1), float(x1 - x0), float(y1 - y0)


def _long_hair(img: np.ndarray, points: np.ndarray, rng: Rng, length: float) -> np.ndarray:
    """Long hair framing the face down past the chin (``length`` face heights): a ragged,
    streaked mass whose outline closes round the head like a cut edge would."""
    h, w = img.shape[:2]
    cx, top, chin, fw, fh = _head_frame(points)
    mask = np.zeros((h, w), np.uint8)
    cv2.ellipse(mask, (int(cx), int(top + 0.1 * fh)), (int(0.85 * fw), int(0.75 * fh)), 0, 180, 360, 1, -1)
    cv2.rectangle(
        mask,
        (int(cx - 0.85 * fw), int(top + 0.1 * fh)),
        (int(cx + 0.85 * fw), int(chin + length * fh)),
        1,
        -1,
    )
    ragged = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(F32), (0, 0), 4)
    soft = cv2.GaussianBlur(mask.astype(F32), (0, 0), 0.06 * fw) + 0.25 * ragged
    hair = np.clip(((soft > 0.5).astype(np.uint8) - _face_hull(points, (h, w), 0.3)), 0, 1).astype(F32)
    streaks = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(F32), (0, 0), sigmaX=0.7, sigmaY=7)
    colour = np.array(
        [(25, 20, 18), (60, 40, 28), (110, 75, 45), (190, 160, 110), (120, 50, 30)][int(rng.integers(0, 5))],
        F32,
    )
    strands = colour * (1 + 2.5 * streaks[..., None] / (streaks.std() + 1e-6) * 0.12) + 6 * streaks[..., None]
    m = cv2.GaussianBlur(hair, (0, 0), 1.2)[..., None]
    return img * (1 - m) + np.clip(strands, 0, 255) * m  # light, not ink: never below black


def _collar(img: np.ndarray, points: np.ndarray, rng: Rng) -> np.ndarray:
    """A shirt's or coat's collar below the chin: a flat coloured cloth with a sharp edge."""
    h, w = img.shape[:2]
    cx, _, chin, fw, fh = _head_frame(points)
    y = chin + 0.3 * fh
    poly = np.array(
        [
            (cx - 1.4 * fw, y + 0.1 * fh),
            (cx - 0.35 * fw, y - 0.05 * fh),
            (cx, y + 0.45 * fh),
            (cx + 0.35 * fw, y - 0.05 * fh),
            (cx + 1.4 * fw, y + 0.1 * fh),
            (cx + 1.6 * fw, h),
            (cx - 1.6 * fw, h),
        ],
        np.int32,
    )
    mask = np.zeros((h, w), np.uint8)
    cv2.fillPoly(mask, [poly], 1)
    colour = rng.uniform(15, 235, 3).astype(F32)
    m = cv2.GaussianBlur(mask.astype(F32), (0, 0), 0.8)[..., None]
    return img * (1 - m) + (colour + rng.normal(0, 3, img.shape).astype(F32)) * m


def _hat(img: np.ndarray, points: np.ndarray, rng: Rng) -> np.ndarray:
    """A hat: a crown over the forehead and a brim wider than the head."""
    h, w = img.shape[:2]
    cx, top, _, fw, fh = _head_frame(points)
    brim_y = top - 0.3 * fh
    mask = np.zeros((h, w), np.uint8)
    cv2.ellipse(mask, (int(cx), int(brim_y)), (int(1.05 * fw), int(0.12 * fh)), 0, 0, 360, 1, -1)
    cv2.ellipse(mask, (int(cx), int(brim_y)), (int(0.6 * fw), int(0.7 * fh)), 0, 180, 360, 1, -1)
    colour = rng.uniform(15, 220, 3).astype(F32)
    m = cv2.GaussianBlur(mask.astype(F32), (0, 0), 0.8)[..., None]
    return img * (1 - m) + (colour + rng.normal(0, 4, img.shape).astype(F32)) * m


def _wall(img: np.ndarray, points: np.ndarray, rng: Rng, busy: bool) -> np.ndarray:
    """The wall behind the person: plain (a flat paint with a light gradient) or busy (a
    room's shapes); the head and shoulders keep the photo's own pixels."""
    h, w = img.shape[:2]
    cx, top, chin, fw, fh = _head_frame(points)
    person = np.zeros((h, w), np.uint8)
    cv2.ellipse(person, (int(cx), int(top + 0.2 * fh)), (int(0.8 * fw), int(0.95 * fh)), 0, 0, 360, 1, -1)
    cv2.rectangle(person, (int(cx - 0.3 * fw), int(chin - 0.2 * fh)), (int(cx + 0.3 * fw), h), 1, -1)
    cv2.ellipse(person, (int(cx), h), (int(1.5 * fw), int(h - chin - 0.35 * fh)), 0, 180, 360, 1, -1)
    if busy:
        back = scene((h, w), rng)
    else:
        back = np.empty((h, w, 3), F32)
        back[:] = rng.uniform(150, 240, 3).astype(F32)
        back += np.linspace(-20, 20, h, dtype=F32)[:, None, None]
    m = cv2.GaussianBlur(person.astype(F32), (0, 0), 1.0)[..., None]
    return img * m + back * (1 - m)


def bona_fide(
    rgb: np.ndarray,
    points: np.ndarray,
    rng: Rng,
    *,
    condition: str = "plain",
    **given: float | tuple[float, ...],
) -> np.ndarray:
    """A live capture of the photo's person under ``condition`` (see the module docstring);
    on top of any condition, ``cast`` (a colour cast of the light, RGB gains), ``side``
    (a side light's fall-off across the face, 0–1), ``mixed`` (a second light's colour,
    RGB gains, reaching one side of the face) and ``focus`` (the lens's blur, a Gaussian
    sigma in pixels, for a capture a little out of focus). Around the head, ``wall`` (1: a
    busy room, 0: a plain wall), ``hair`` (long hair, its length below the chin in face
    heights), ``collar`` and ``hat`` (present when given) frame the face with outlines that
    close round it, as a cut-out's edge does. ``sensor`` is the camera's (see ``camera``)."""
    img: np.ndarray = rgb.astype(F32)
    given = dict(given)
    wall, hair, collar, hat = (given.pop(k, None) for k in ("wall", "hair", "collar", "hat"))
    sensor = str(given.pop("sensor", "iid"))
    frame = str(given.pop("frame", "oval"))  # glasses' frame style (``FRAMES``)
    if wall is not None:  # the scene first: hair, collar and hat lie over it
        img = _wall(img, points, rng, busy=bool(wall))
    if hair is not None:
        img = _long_hair(img, points, rng, float(np.asarray(hair)))
    if collar is not None:
        img = _collar(img, points, rng)
    if hat is not None:
        img = _hat(img, points, rng)
    p = {k: np.asarray(v, F32) * F32(rng.uniform(0.85, 1.15)) for k, v in given.items()}  # no two alike
    noise, quality, focus = None, None, None
    if "focus" in p:  # a lens focused short of the face (or a smeared lens): soft skin
        focus = float(p.pop("focus"))
    if condition == "glasses_glare":
        img = _glasses(img, points, rng, float(p.get("glare", 0.12)), frame)
    elif condition == "backlight":
        head = cv2.GaussianBlur(
            cv2.dilate(_face_hull(points, rgb.shape[:2], 0.5), np.ones((41, 41), np.uint8)).astype(F32),
            (0, 0),
            12,
        )[..., None]
        img = img * head * 0.55 + (1 - head) * np.minimum(img * 0.4 + 190, 255) + 18  # veil of flare
    elif condition == "low_light":
        img, noise, quality = dim(img, rng, float(p.get("light", 0.3))), 3.0, 75
    elif condition in ("dark_skin", "light_skin"):
        skin = _skin(rgb)[..., None]
        if condition == "dark_skin":
            tone = img * np.array(p.get("tone", (0.6, 0.52, 0.46)), F32)
        else:
            grey = img.mean(axis=2, keepdims=True)
            chroma = float(p.get("chroma", 0.55))
            tone = 255 - (255 - (grey + (img - grey) * chroma)) * float(p.get("lift", 0.6))
        img = img * (1 - skin) + tone * skin
    elif condition == "oily_skin":
        if "tone" in p:
            img = img * (1 - _skin(rgb)[..., None]) + img * np.array(p["tone"], F32) * _skin(rgb)[..., None]
        img = _shine(img, points, rng, float(p.get("shine", 1.0)))
    elif condition == "beard":
        img = _beard(img, points, rng, float(p.get("density", 0.85)))
    elif condition == "scarf":
        img = _scarf(img, points, rng)
    elif condition == "makeup":
        img = _makeup(img, points, rng)
    elif condition == "coloured_light":
        img = img * np.array(p.get("light", (1.12, 1.0, 0.78)), F32)
    elif condition == "clean_camera":  # a good sensor in daylight: little noise, crisp, fine JPEG
        noise, quality, focus = 0.5, 96, 0.3
    elif condition != "plain":
        raise ValueError(f"unknown condition {condition!r}")
    if "cast" in p:
        img = img * p["cast"]
    if "side" in p:
        img = _side_light(img, points, rng, float(np.clip(p["side"], 0.0, 0.9)))
    if "mixed" in p:
        img = _mixed_light(img, points, rng, p["mixed"])
    img = _auto_exposure(img, points)
    gamma = rng.uniform(0.85, 1.15)  # and every capture's own exposure and white balance
    img = (
        255.0 * (np.clip(img * rng.uniform(0.85, 1.1) * rng.uniform(0.92, 1.08, 3), 0, 255) / 255.0) ** gamma
    )
    return camera(img, rng, noise=noise, quality=quality, focus=focus, sensor=sensor)


# --- the variants ---------------------------------------------------------------------

Maker = Callable[..., np.ndarray]
MAKERS: dict[str, Maker] = {
    "print": print_attack,
    "replay": replay_attack,
    "cutout": cutout_attack,
    "document": document_attack,
    "injected": injected_attack,
    "bona_fide": bona_fide,
}

#: species -> variant -> parameters. Each variant is one physical set-up (a printer and
#: paper, a screen, a way of cutting); benchmarks fit on some and report on the others.
VARIANTS: dict[str, dict[str, Params]] = {
    "print": {
        "synth-v1": {"generator": "synth"},
        "am-85lpi-matte": {
            "dots": "am",
            "period": 5.0,
            "angle": 15,
            "tint": (246, 244, 238),
            "focus": 0.6,
            "saturation": 0.5,
        },
        "am-150lpi-gloss-tilt": {
            "dots": "am",
            "period": 2.6,
            "angle": 45,
            "gloss": 0.35,
            "tilt": 0.1,
            "focus": 0.9,
            "saturation": 0.6,
        },
        "am-133lpi-soft": {"dots": "am", "period": 2.2, "angle": 30, "focus": 1.0, "saturation": 0.55},
        "fm-inkjet-ivory": {
            "dots": "fm",
            "period": 3.0,
            "tint": (248, 240, 220),
            "saturation": 0.85,
            "focus": 0.8,
        },
        "laser-65lpi-grey": {
            "dots": "laser",
            "period": 6.5,
            "angle": 45,
            "tint": (232, 232, 226),
            "saturation": 0.4,
        },
        "am-120lpi-curved-tight": {
            "dots": "am",
            "period": 3.3,
            "angle": 75,
            "curve": 0.6,
            "edges": False,
            "focus": 1.1,
            "saturation": 0.6,
        },
        "fm-photo-gloss-tight": {
            "dots": "fm",
            "period": 2.0,
            "gloss": 0.25,
            "edges": False,
            "saturation": 0.85,
            "focus": 1.0,
        },
        "laser-100lpi-curved": {
            "dots": "laser",
            "period": 4.0,
            "angle": 15,
            "curve": 0.4,
            "tilt": 0.08,
            "saturation": 0.45,
        },
        "fm-inkjet-matte": {
            "dots": "fm",
            "period": 2.5,
            "tint": (250, 246, 236),
            "saturation": 0.7,
            "focus": 0.7,
        },
        "fm-inkjet-soft-tilt": {
            "dots": "fm",
            "period": 3.5,
            "tint": (244, 242, 235),
            "saturation": 0.8,
            "focus": 1.1,
            "tilt": 0.08,
        },
        "am-200lpi-photo": {
            "dots": "am",
            "period": 1.5,
            "angle": 0,
            "gloss": 0.1,
            "saturation": 0.85,
            "focus": 0.9,
        },
        "am-175lpi-photo-soft": {
            "dots": "am",
            "period": 1.8,
            "angle": 60,
            "gloss": 0.15,
            "saturation": 0.8,
            "focus": 1.2,
        },
        "am-110lpi-pink-paper": {
            "dots": "am",
            "period": 3.8,
            "angle": 52,
            "tint": (250, 236, 236),
            "saturation": 0.65,
            "focus": 0.8,
        },
        "laser-90lpi-bluish-gloss": {
            "dots": "laser",
            "period": 4.5,
            "angle": 22,
            "tint": (234, 240, 250),
            "gloss": 0.15,
            "saturation": 0.5,
        },
        "fm-inkjet-cream-curved": {
            "dots": "fm",
            "period": 2.8,
            "tint": (250, 244, 226),
            "curve": 0.3,
            "saturation": 0.75,
            "focus": 0.9,
        },
        "am-100lpi-yellowed-curved-tilt": {
            "dots": "am",
            "period": 4.2,
            "angle": 37,
            "tint": (245, 238, 215),
            "curve": 0.5,
            "tilt": 0.09,
            "saturation": 0.6,
        },
        "laser-120lpi-tight": {
            "dots": "laser",
            "period": 3.2,
            "angle": 67,
            "edges": False,
            "saturation": 0.55,
            "focus": 0.8,
        },
        "fm-photo-fine-gloss": {"dots": "fm", "period": 1.7, "gloss": 0.3, "saturation": 0.9, "focus": 0.7},
        "am-140lpi-grey-paper-tilt": {
            "dots": "am",
            "period": 2.4,
            "angle": 82,
            "tint": (238, 238, 234),
            "tilt": 0.06,
            "saturation": 0.65,
            "focus": 0.9,
        },
        "fm-photo-satin-curved": {
            "dots": "fm",
            "period": 1.9,
            "gloss": 0.2,
            "curve": 0.35,
            "saturation": 0.85,
        },
        "laser-80lpi-warm-paper": {"dots": "laser", "period": 5.2, "angle": 8, "tint": (248, 242, 228)},
        "am-160lpi-warm-paper-tilt": {
            "dots": "am",
            "period": 2.3,
            "angle": 25,
            "tint": (250, 242, 230),
            "tilt": 0.07,
            "saturation": 0.7,
        },
        "fm-inkjet-grey-paper-soft": {
            "dots": "fm",
            "period": 2.3,
            "tint": (236, 236, 232),
            "saturation": 0.65,
            "focus": 1.0,
        },
        "laser-110lpi-gloss-curved": {
            "dots": "laser",
            "period": 3.6,
            "angle": 60,
            "gloss": 0.2,
            "curve": 0.45,
            "saturation": 0.5,
        },
        "am-120lpi-cream-gloss-tilt": {
            "dots": "am",
            "period": 3.3,
            "angle": 70,
            "tint": (248, 240, 224),
            "gloss": 0.25,
            "tilt": 0.07,
            "saturation": 0.6,
        },
        "fm-inkjet-fine-curved-soft": {
            "dots": "fm",
            "period": 2.0,
            "curve": 0.35,
            "saturation": 0.75,
            "focus": 1.05,
        },
        "laser-100lpi-grey-tight": {
            "dots": "laser",
            "period": 4.0,
            "angle": 50,
            "tint": (240, 240, 238),
            "edges": False,
            "saturation": 0.5,
        },
        "am-145lpi-ivory-curved-soft": {
            "dots": "am",
            "period": 2.5,
            "angle": 40,
            "tint": (247, 241, 226),
            "curve": 0.3,
            "focus": 1.0,
            "saturation": 0.6,
        },
        "fm-inkjet-bluish-tilt": {
            "dots": "fm",
            "period": 2.6,
            "tint": (238, 242, 248),
            "tilt": 0.08,
            "saturation": 0.7,
        },
        "laser-75lpi-cream-gloss": {
            "dots": "laser",
            "period": 5.6,
            "angle": 35,
            "tint": (249, 243, 230),
            "gloss": 0.2,
            "saturation": 0.45,
        },
        "am-135lpi-grey-satin-curved": {
            "dots": "am",
            "period": 2.7,
            "angle": 60,
            "tint": (236, 236, 234),
            "gloss": 0.1,
            "curve": 0.25,
            "saturation": 0.65,
        },
        "fm-inkjet-warm-soft-tilt": {
            "dots": "fm",
            "period": 2.4,
            "tint": (250, 240, 224),
            "tilt": 0.07,
            "focus": 0.9,
            "saturation": 0.75,
        },
        # FRESH8 (benchmarks/pad_data.py): prints in a dim room, through the same gain noise
        "dim-am-133lpi-matte-tilt": {
            "dots": "am",
            "period": 2.4,
            "angle": 22,
            "tilt": 0.08,
            "focus": 0.8,
            "saturation": 0.55,
            "light": 0.35,
        },
        "dim-fm-inkjet-warm-paper": {
            "dots": "fm",
            "period": 2.6,
            "tint": (246, 238, 222),
            "saturation": 0.75,
            "focus": 0.7,
            "light": 0.3,
        },
        "dim-laser-85lpi-grey-curved": {
            "dots": "laser",
            "period": 5.2,
            "angle": 40,
            "tint": (234, 233, 228),
            "curve": 0.4,
            "saturation": 0.45,
            "light": 0.42,
        },
        # tuning only (benchmarks/pad_data.py TUNE): a print in dim light
        "tune-dim-am-fine": {"dots": "am", "period": 2.3, "angle": 40, "focus": 0.8, "light": 0.35},
        "tune-bayer-dim-am-fine": {
            "dots": "am",
            "period": 2.4,
            "angle": 60,
            "focus": 0.8,
            "light": 0.35,
            "sensor": "bayer",
        },
    },
    "replay": {
        "synth-v1": {"generator": "synth"},
        "phone-fine": {"pitch": 1.3, "angle": 2.0, "white": (0.92, 0.98, 1.08)},
        "phone-soft": {"pitch": 1.1, "angle": 5.0, "focus": 1.0},
        "phone-rotated-lamp": {"pitch": 1.6, "angle": 12.0, "reflection": "lamp"},
        "tablet": {"pitch": 2.2, "angle": 4.0, "banding": 0.08},
        "tablet-soft": {"pitch": 2.0, "angle": -2.0, "focus": 1.0},
        "tablet-tight-room": {"pitch": 2.6, "angle": -7.0, "bezel": False, "reflection": "room"},
        "monitor": {"pitch": 3.5, "angle": 1.0, "banding": 0.12, "white": (0.95, 1.0, 1.02)},
        "monitor-tight-warm": {"pitch": 4.2, "angle": -3.0, "bezel": False, "white": (1.05, 1.0, 0.9)},
        "laptop-banding": {"pitch": 2.9, "angle": 20.0, "banding": 0.2, "tilt": 0.08},
        "phone-30deg-warm": {"pitch": 1.8, "angle": 30.0, "white": (1.05, 1.0, 0.92)},
        "monitor-coarse": {"pitch": 5.0, "angle": 8.0, "banding": 0.05},
        "tablet-tilted-lamp": {"pitch": 2.4, "angle": -15.0, "reflection": "lamp", "tilt": 0.07},
        "phone-fine-rotated-room": {"pitch": 1.2, "angle": -25.0, "reflection": "room"},
        "laptop-cold-banding": {"pitch": 3.1, "angle": 40.0, "banding": 0.1, "white": (0.88, 0.96, 1.12)},
        "monitor-4k-soft": {"pitch": 0.9, "angle": 7.0, "focus": 1.1, "white": (1.0, 1.0, 1.0)},
        "phone-18deg-cold": {"pitch": 1.4, "angle": 18.0, "white": (0.9, 0.97, 1.1)},
        "tablet-banding-room": {"pitch": 2.8, "angle": -10.0, "banding": 0.15, "reflection": "room"},
        "monitor-tilted-warm": {"pitch": 3.8, "angle": 33.0, "tilt": 0.06, "white": (1.06, 1.0, 0.9)},
        "phone-22deg-lamp-warm": {
            "pitch": 1.5,
            "angle": 22.0,
            "reflection": "lamp",
            "white": (1.06, 1.0, 0.9),
        },
        "tablet-cold-tight": {"pitch": 1.9, "angle": -12.0, "bezel": False, "white": (0.9, 0.97, 1.12)},
        "monitor-banding-room": {"pitch": 4.6, "angle": -20.0, "banding": 0.08, "reflection": "room"},
        "phone-fine-8deg-cold": {"pitch": 1.25, "angle": 8.0, "white": (0.9, 0.97, 1.1)},
        "tablet-lamp-soft": {"pitch": 2.3, "angle": -28.0, "reflection": "lamp", "focus": 0.95},
        "monitor-banding-warm": {"pitch": 4.0, "angle": 14.0, "banding": 0.1, "white": (1.04, 1.0, 0.92)},
        "phone-fine-15deg-warm-soft": {"pitch": 1.35, "angle": 15.0, "white": (1.05, 1.0, 0.9), "focus": 0.9},
        "tablet-35deg-room": {"pitch": 2.5, "angle": 35.0, "reflection": "room"},
        "monitor-cold-banding-tilt": {
            "pitch": 4.4,
            "angle": -6.0,
            "banding": 0.09,
            "white": (0.9, 0.97, 1.1),
            "tilt": 0.05,
        },
    },
    "cutout": {
        "synth-v1": {"generator": "synth"},
        "ellipse": {"cut": "ellipse"},
        "ellipse-rim-fm": {"cut": "ellipse", "rim": 4, "dots": "fm", "period": 2.5},
        "jagged": {"cut": "jagged", "period": 3.0, "angle": 45},
        "head-eyeholes": {"cut": "head", "eye_holes": True},
        "mask-worn": {"cut": "head", "eye_holes": True, "worn": True, "dots": "fm", "period": 2.5},
        "head-fm-soft": {"cut": "head", "dots": "fm", "period": 3.0, "focus": 1.0},
        "mask-worn-am": {"cut": "ellipse", "eye_holes": True, "worn": True, "dots": "am", "period": 3.0},
        "mask-worn-laser": {"cut": "jagged", "eye_holes": True, "worn": True, "dots": "laser", "period": 5.0},
        "jagged-rim-am110": {"cut": "jagged", "rim": 3, "period": 3.8, "angle": 52, "saturation": 0.7},
        "mask-worn-fm-soft": {
            "cut": "head",
            "eye_holes": True,
            "worn": True,
            "dots": "fm",
            "period": 2.2,
            "focus": 0.9,
        },
        "head-rim-laser": {"cut": "head", "rim": 5, "dots": "laser", "period": 4.5, "angle": 30},
        "mask-worn-am-fine": {
            "cut": "ellipse",
            "eye_holes": True,
            "worn": True,
            "dots": "am",
            "period": 2.0,
            "angle": 75,
            "saturation": 0.75,
        },
        "mask-worn-laser-head": {
            "cut": "head",
            "eye_holes": True,
            "worn": True,
            "dots": "laser",
            "period": 3.5,
            "angle": 20,
        },
        "ellipse-rim-am-fine": {"cut": "ellipse", "rim": 4, "dots": "am", "period": 1.8, "angle": 15},
        "mask-worn-fm-fine": {
            "cut": "ellipse",
            "eye_holes": True,
            "worn": True,
            "dots": "fm",
            "period": 1.9,
            "saturation": 0.8,
        },
        "jagged-rim-laser": {"cut": "jagged", "rim": 3, "dots": "laser", "period": 4.0, "angle": 40},
        "head-am-fine-soft": {"cut": "head", "dots": "am", "period": 2.1, "angle": 35, "focus": 1.0},
        "head-fm-fine-rim": {"cut": "head", "rim": 3, "dots": "fm", "period": 2.0},
        "ellipse-am-fine-soft": {"cut": "ellipse", "dots": "am", "period": 2.2, "angle": 55, "focus": 1.1},
        "mask-worn-am-head-fine": {
            "cut": "head",
            "eye_holes": True,
            "worn": True,
            "dots": "am",
            "period": 2.4,
            "angle": 10,
            "saturation": 0.7,
        },
        "jagged-laser-soft": {"cut": "jagged", "dots": "laser", "period": 3.8, "angle": 65, "focus": 0.9},
        "ellipse-am-fine-soft-20deg": {
            "cut": "ellipse",
            "dots": "am",
            "period": 2.0,
            "angle": 20,
            "focus": 1.0,
        },
        "head-am-fine-soft-rim": {
            "cut": "head",
            "rim": 3,
            "dots": "am",
            "period": 2.3,
            "angle": 80,
            "focus": 1.15,
        },
        "jagged-fm-fine-soft": {
            "cut": "jagged",
            "dots": "fm",
            "period": 1.8,
            "focus": 1.0,
            "saturation": 0.65,
        },
        "mask-worn-am-fine-soft": {
            "cut": "ellipse",
            "eye_holes": True,
            "worn": True,
            "dots": "am",
            "period": 2.2,
            "angle": 45,
            "focus": 1.0,
        },
        # FRESH7 (benchmarks/pad_data.py): new shapes and edge treatments on the fine soft axis
        "rect-am-fine-soft-dark-rim": {
            "cut": "rect",
            "rim": 2,
            "rim_tone": 40.0,
            "dots": "am",
            "period": 2.2,
            "angle": 70,
            "focus": 1.0,
        },
        "torn-am-fine-soft": {"cut": "torn", "dots": "am", "period": 2.0, "angle": 25, "focus": 1.1},
        "mask-worn-torn-fm-fine": {
            "cut": "torn",
            "eye_holes": True,
            "worn": True,
            "dots": "fm",
            "period": 1.9,
            "focus": 0.9,
        },
        "head-laser-dark-rim": {
            "cut": "head",
            "rim": 3,
            "rim_tone": 30.0,
            "dots": "laser",
            "period": 3.5,
            "angle": 50,
        },
        "rect-fm-fine-soft": {"cut": "rect", "dots": "fm", "period": 2.0, "focus": 1.0, "saturation": 0.6},
        # tuning only (benchmarks/pad_data.py TUNE): the fine soft AM axis, never fitted
        "tune-ellipse-am-fine-soft": {
            "cut": "ellipse",
            "dots": "am",
            "period": 2.1,
            "angle": 30,
            "focus": 1.05,
        },
        "tune-head-am-fine-soft-rim": {
            "cut": "head",
            "rim": 2,
            "dots": "am",
            "period": 1.9,
            "angle": 65,
            "focus": 1.0,
        },
        "tune-jagged-am-fine-soft": {"cut": "jagged", "dots": "am", "period": 2.3, "angle": 5, "focus": 1.2},
        "tune-mask-worn-am-fine-soft": {
            "cut": "ellipse",
            "eye_holes": True,
            "worn": True,
            "dots": "am",
            "period": 2.0,
            "angle": 50,
            "focus": 1.05,
        },
        # FRESH8 (benchmarks/pad_data.py): cut-outs in a dim room
        "dim-ellipse-am-fine-soft": {
            "cut": "ellipse",
            "dots": "am",
            "period": 2.1,
            "angle": 65,
            "focus": 1.0,
            "light": 0.36,
        },
        "dim-head-laser-rim": {
            "cut": "head",
            "rim": 3,
            "dots": "laser",
            "period": 4.2,
            "angle": 25,
            "light": 0.32,
        },
        "dim-mask-worn-fm-fine": {
            "cut": "ellipse",
            "eye_holes": True,
            "worn": True,
            "dots": "fm",
            "period": 2.0,
            "light": 0.4,
        },
        "dim-torn-am-fine": {
            "cut": "torn",
            "dots": "am",
            "period": 2.3,
            "angle": 10,
            "focus": 0.9,
            "light": 0.3,
        },
        # tuning only (benchmarks/pad_data.py TUNE): a cut-out in dim light
        "tune-dim-head-am-fine": {"cut": "head", "dots": "am", "period": 2.2, "angle": 70, "light": 0.38},
    },
    "document": {
        "card-near": {"kind": "card", "fill": 0.95},
        "card-far-tilt": {"kind": "card", "fill": 0.7, "tilt": 0.1},
        "passport": {"kind": "passport", "fill": 0.9},
        "passport-glare": {"kind": "passport", "fill": 0.85, "glare": 0.35},
        "card-grey-glare": {"kind": "card", "fill": 0.9, "glare": 0.3, "grey_photo": True},
        "passport-tilt-grey": {"kind": "passport", "fill": 0.8, "tilt": 0.09, "grey_photo": True},
        "card-mid-glare-tilt": {"kind": "card", "fill": 0.8, "tilt": 0.07, "glare": 0.2},
        "passport-far": {"kind": "passport", "fill": 0.65, "tilt": 0.05},
        "card-near-glare-grey": {
            "kind": "card",
            "fill": 0.92,
            "tilt": 0.06,
            "glare": 0.25,
            "grey_photo": True,
        },
        "passport-mid-tilt-glare": {"kind": "passport", "fill": 0.75, "tilt": 0.1, "glare": 0.15},
        "card-far-glare": {"kind": "card", "fill": 0.68, "glare": 0.3},
        "passport-near-grey": {"kind": "passport", "fill": 0.95, "tilt": 0.03, "grey_photo": True},
        "card-mid-tilt-grey": {"kind": "card", "fill": 0.85, "tilt": 0.08, "grey_photo": True},
        "passport-far-glare": {"kind": "passport", "fill": 0.7, "glare": 0.25},
        "card-near-tilt-glare": {"kind": "card", "fill": 0.9, "tilt": 0.05, "glare": 0.2},
        "passport-mid-grey-tilt": {"kind": "passport", "fill": 0.78, "tilt": 0.08, "grey_photo": True},
        "card-mid-glare-grey-tilt": {
            "kind": "card",
            "fill": 0.82,
            "tilt": 0.06,
            "glare": 0.22,
            "grey_photo": True,
        },
        "passport-near-tilt": {"kind": "passport", "fill": 0.92, "tilt": 0.07},
    },
    "injected": {
        "denoised": {"how": "denoised"},
        "upscaled": {"how": "upscaled"},
        "smoothed": {"how": "smoothed"},
        "beautified": {"how": "beautified"},
        "retouched": {"how": "retouched"},
        "beautified-strong": {"how": "beautified", "strength": 0.9},
        "beautified-reencoded": {"how": "beautified", "strength": 0.55, "reencode": (72, 88)},
        "upscaled-reencoded": {"how": "upscaled", "reencode": (80,)},
        "denoised-reencoded-twice": {"how": "denoised", "reencode": (70, 85)},
        "smoothed-reencoded": {"how": "smoothed", "reencode": (75,)},
        "retouched-reencoded": {"how": "retouched", "reencode": (82, 90)},
        "beautified-mild-reencoded": {"how": "beautified", "strength": 0.35, "reencode": (85,)},
        "denoised-reencoded-low": {"how": "denoised", "reencode": (65,)},
        "upscaled-reencoded-twice": {"how": "upscaled", "reencode": (78, 90)},
        "smoothed-reencoded-low": {"how": "smoothed", "reencode": (68,)},
        "beautified-reencoded-low": {"how": "beautified", "strength": 0.7, "reencode": (70,)},
        "retouched-reencoded-twice": {"how": "retouched", "reencode": (76, 88)},
    },
    "bona_fide": {
        "plain": {"condition": "plain"},
        "glasses-glare": {"condition": "glasses_glare"},
        "glasses-big-glare": {"condition": "glasses_glare", "glare": 0.22},
        "backlight": {"condition": "backlight"},
        "low-light": {"condition": "low_light"},
        "very-low-light": {"condition": "low_light", "light": 0.18},
        "dark-skin": {"condition": "dark_skin"},
        "very-dark-skin": {"condition": "dark_skin", "tone": (0.42, 0.35, 0.3)},
        "light-skin": {"condition": "light_skin"},
        "beard": {"condition": "beard"},
        "scarf": {"condition": "scarf"},
        "makeup": {"condition": "makeup"},
        "warm-light": {"condition": "coloured_light"},
        "cold-light": {"condition": "coloured_light", "light": (0.85, 0.98, 1.15)},
        "medium-skin": {"condition": "dark_skin", "tone": (0.82, 0.74, 0.66)},
        "fair-skin": {"condition": "light_skin", "lift": 0.8, "chroma": 0.7},
        "pale-skin": {"condition": "light_skin", "lift": 0.5, "chroma": 0.45},
        "daylight-cool": {"condition": "coloured_light", "light": (0.92, 1.0, 1.08)},
        "fluorescent": {"condition": "coloured_light", "light": (0.94, 1.04, 0.92)},
        "tungsten": {"condition": "coloured_light", "light": (1.2, 1.0, 0.7)},
        "dim-light": {"condition": "low_light", "light": 0.45},
        "stubble": {"condition": "beard", "density": 0.45},
        "clean-camera": {"condition": "clean_camera"},
        "oily-skin": {"condition": "oily_skin"},
        "oily-medium-skin-big-shine": {"condition": "oily_skin", "tone": (0.82, 0.74, 0.66), "shine": 1.5},
        "olive-skin-side-light": {"condition": "dark_skin", "tone": (0.8, 0.72, 0.5), "side": 0.5},
        "fair-skin-cold-led-side": {
            "condition": "light_skin",
            "lift": 0.7,
            "chroma": 0.6,
            "cast": (0.9, 1.0, 1.12),
            "side": 0.35,
        },
        "deep-skin-warm-lamp": {"condition": "dark_skin", "tone": (0.48, 0.4, 0.34), "cast": (1.1, 1.0, 0.8)},
        "glasses-side-light": {"condition": "glasses_glare", "glare": 0.16, "side": 0.45},
        "low-light-warm": {"condition": "low_light", "light": 0.3, "cast": (1.08, 1.0, 0.85)},
        "light-skin-magenta-led": {"condition": "light_skin", "lift": 0.65, "cast": (1.08, 0.9, 1.1)},
        "backlight-cold-window": {"condition": "backlight", "cast": (0.9, 0.98, 1.12)},
        "beard-tungsten": {"condition": "beard", "cast": (1.15, 1.0, 0.75)},
        "scarf-side-light": {"condition": "scarf", "side": 0.4},
        "makeup-green-fluorescent": {"condition": "makeup", "cast": (0.9, 1.06, 0.9)},
        "very-low-light-cold": {"condition": "low_light", "light": 0.22, "cast": (0.88, 1.0, 1.15)},
        "deep-skin-cold-led": {"condition": "dark_skin", "tone": (0.5, 0.42, 0.36), "cast": (0.9, 1.0, 1.12)},
        "fair-skin-tungsten-side": {
            "condition": "light_skin",
            "lift": 0.75,
            "chroma": 0.65,
            "cast": (1.15, 1.0, 0.78),
            "side": 0.3,
        },
        "glasses-warm-lamp": {"condition": "glasses_glare", "glare": 0.14, "cast": (1.1, 1.0, 0.82)},
        "scarf-cold-light": {"condition": "scarf", "cast": (0.9, 1.0, 1.1)},
        "oily-deep-skin-shine": {"condition": "oily_skin", "tone": (0.5, 0.42, 0.36), "shine": 1.2},
        "dim-light-magenta": {"condition": "low_light", "light": 0.4, "cast": (1.06, 0.92, 1.06)},
        "dim-warm-side": {"condition": "low_light", "light": 0.32, "cast": (1.14, 1.0, 0.8), "side": 0.3},
        "mixed-warm-cold-light": {
            "condition": "plain",
            "cast": (1.05, 1.0, 0.95),
            "mixed": (0.85, 0.98, 1.2),
        },
        "deep-skin-mixed-light": {
            "condition": "dark_skin",
            "tone": (0.52, 0.44, 0.38),
            "mixed": (1.15, 1.0, 0.78),
        },
        "backlight-warm-window": {"condition": "backlight", "cast": (1.1, 1.0, 0.84)},
        "glasses-magenta-side": {
            "condition": "glasses_glare",
            "glare": 0.13,
            "cast": (1.06, 0.92, 1.08),
            "side": 0.3,
        },
        "scarf-warm-lamp-side": {"condition": "scarf", "cast": (1.12, 1.0, 0.8), "side": 0.35},
        "pale-skin-green-fluorescent": {
            "condition": "light_skin",
            "lift": 0.55,
            "chroma": 0.5,
            "cast": (0.9, 1.06, 0.9),
        },
        "dim-cold-side": {"condition": "low_light", "light": 0.36, "cast": (0.9, 1.0, 1.12), "side": 0.35},
        "deep-skin-tungsten-side": {
            "condition": "dark_skin",
            "tone": (0.55, 0.47, 0.4),
            "cast": (1.15, 1.0, 0.78),
            "side": 0.3,
        },
        "mixed-magenta-green-light": {
            "condition": "plain",
            "cast": (1.06, 0.93, 1.06),
            "mixed": (0.9, 1.08, 0.9),
        },
        "backlight-magenta": {"condition": "backlight", "cast": (1.05, 0.94, 1.08)},
        "glasses-cold-side": {
            "condition": "glasses_glare",
            "glare": 0.15,
            "cast": (0.9, 1.0, 1.1),
            "side": 0.25,
        },
        "fair-skin-mixed-light": {
            "condition": "light_skin",
            "lift": 0.7,
            "chroma": 0.6,
            "cast": (1.08, 1.0, 0.88),
            "mixed": (0.86, 0.98, 1.18),
        },
        "beard-warm-side": {"condition": "beard", "cast": (1.1, 1.0, 0.85), "side": 0.4},
        "soft-focus-warm": {"condition": "plain", "cast": (1.1, 1.0, 0.85), "focus": 1.0},
        "dim-neutral": {"condition": "low_light", "light": 0.38},
        "dim-green-cast": {"condition": "low_light", "light": 0.34, "cast": (0.92, 1.05, 0.92)},
        "dim-warm-side-soft": {
            "condition": "low_light",
            "light": 0.42,
            "cast": (1.1, 1.0, 0.86),
            "side": 0.25,
            "focus": 0.9,
        },
        "backlight-side": {"condition": "backlight", "side": 0.3},
        "backlight-green-window": {"condition": "backlight", "cast": (0.94, 1.04, 0.94)},
        "glasses-big-glare-warm": {"condition": "glasses_glare", "glare": 0.18, "cast": (1.04, 1.0, 0.94)},
        "glasses-green-side": {
            "condition": "glasses_glare",
            "glare": 0.12,
            "cast": (0.92, 1.05, 0.93),
            "side": 0.3,
        },
        "scarf-cold-side": {"condition": "scarf", "cast": (0.92, 1.0, 1.08), "side": 0.3},
        "very-dark-skin-cold": {
            "condition": "dark_skin",
            "tone": (0.44, 0.37, 0.32),
            "cast": (0.92, 1.0, 1.1),
        },
        # FRESH7 (benchmarks/pad_data.py): outlines round the head that are not paper edges
        "long-hair-plain-wall": {"condition": "plain", "hair": 0.9, "wall": 0},
        "long-hair-busy-wall": {"condition": "plain", "hair": 1.2, "wall": 1},
        "collar-plain-wall": {"condition": "plain", "collar": 1, "wall": 0},
        "collar-busy-wall-side": {"condition": "plain", "collar": 1, "wall": 1, "side": 0.3},
        "scarf-busy-wall": {"condition": "scarf", "wall": 1},
        "scarf-plain-wall-warm": {"condition": "scarf", "wall": 0, "cast": (1.08, 1.0, 0.88)},
        "hat-plain-wall": {"condition": "plain", "hat": 1, "wall": 0},
        "hat-long-hair-busy-wall": {"condition": "plain", "hat": 1, "hair": 0.7, "wall": 1},
        "long-hair-collar-dim": {"condition": "low_light", "light": 0.45, "hair": 0.8, "collar": 1},
        # tuning only (benchmarks/pad_data.py TUNE): hair and a collar against a wall
        "tune-long-hair-plain-wall": {"condition": "plain", "hair": 1.0, "wall": 0},
        "tune-collar-hat-busy-wall": {"condition": "plain", "collar": 1, "hat": 1, "wall": 1},
        # tuning only (benchmarks/pad_data.py TUNE): dim light, backlight, a scarf, glasses
        "tune-dim-plain": {"condition": "low_light", "light": 0.4},
        "tune-dim-cold": {"condition": "low_light", "light": 0.35, "cast": (0.92, 1.0, 1.1)},
        "tune-dim-warm-side": {
            "condition": "low_light",
            "light": 0.38,
            "cast": (1.1, 1.0, 0.85),
            "side": 0.3,
        },
        "tune-backlight-side": {"condition": "backlight", "side": 0.25},
        "tune-scarf-warm": {"condition": "scarf", "cast": (1.06, 1.0, 0.9)},
        "tune-glasses-cold": {"condition": "glasses_glare", "glare": 0.15, "cast": (0.95, 1.0, 1.04)},
        # FRESH8 (benchmarks/pad_data.py): dim light, low-light noise and backlight with
        # hair, collars, hats and walls round the head
        "dim-long-hair-busy-wall": {"condition": "low_light", "light": 0.36, "hair": 0.8, "wall": 1},
        "dim-collar-plain-wall-cold": {
            "condition": "low_light",
            "light": 0.32,
            "cast": (0.9, 1.0, 1.12),
            "collar": 1,
            "wall": 0,
        },
        "dim-hat-side": {"condition": "low_light", "light": 0.4, "hat": 1, "side": 0.3},
        "very-low-light-hair-collar": {
            "condition": "low_light",
            "light": 0.2,
            "hair": 0.5,
            "collar": 1,
            "wall": 0,
        },
        "dim-warm-hat-long-hair-soft": {
            "condition": "low_light",
            "light": 0.38,
            "cast": (1.1, 1.0, 0.86),
            "hat": 1,
            "hair": 0.6,
            "focus": 0.9,
        },
        "low-light-magenta-busy-wall": {
            "condition": "low_light",
            "light": 0.26,
            "cast": (1.06, 0.92, 1.06),
            "wall": 1,
        },
        "backlight-long-hair": {"condition": "backlight", "hair": 0.9, "wall": 0},
        "backlight-collar-hat-cold": {
            "condition": "backlight",
            "collar": 1,
            "hat": 1,
            "cast": (0.9, 1.0, 1.1),
        },
        "backlight-busy-wall-warm": {"condition": "backlight", "wall": 1, "cast": (1.1, 1.0, 0.86)},
        # tuning only (benchmarks/pad_data.py TUNE): very low light before a wall
        "tune-very-low-light-wall": {"condition": "low_light", "light": 0.22, "wall": 0},
        # tuning only (benchmarks/pad_data.py TUNE): a real phone's sensor pipeline
        "tune-bayer-plain": {"condition": "plain", "sensor": "bayer"},
        "tune-bayer-dim": {"condition": "low_light", "light": 0.35, "sensor": "bayer"},
        # FRESH9 (benchmarks/pad_data.py): through a held-out phone pipeline
        "phone2-plain": {"condition": "plain", "sensor": "second_phone"},
        "phone2-dim": {"condition": "low_light", "light": 0.33, "sensor": "second_phone"},
        "phone2-very-low-light-cold": {
            "condition": "low_light",
            "light": 0.24,
            "cast": (0.92, 1.0, 1.1),
            "sensor": "second_phone",
        },
        "phone2-backlight-warm": {
            "condition": "backlight",
            "cast": (1.08, 1.0, 0.88),
            "sensor": "second_phone",
        },
        "phone2-dark-skin-side": {"condition": "dark_skin", "side": 0.35, "sensor": "second_phone"},
        "phone2-fair-skin-cold": {
            "condition": "light_skin",
            "lift": 0.7,
            "chroma": 0.6,
            "cast": (0.92, 1.0, 1.08),
            "sensor": "second_phone",
        },
        "phone2-glasses-warm-lamp": {
            "condition": "glasses_glare",
            "glare": 0.14,
            "cast": (1.1, 1.0, 0.84),
            "sensor": "second_phone",
        },
        "phone2-long-hair-busy-wall": {
            "condition": "plain",
            "hair": 0.7,
            "wall": 1,
            "sensor": "second_phone",
        },
        "phone2-scarf-soft": {"condition": "scarf", "focus": 0.9, "sensor": "second_phone"},
    },
}
VARIANTS["print"].update(
    {  # FRESH9: prints through the held-out phone pipeline
        "phone2-am-125lpi-matte-tilt": {
            "dots": "am",
            "period": 2.9,
            "angle": 33,
            "tilt": 0.07,
            "focus": 0.8,
            "saturation": 0.6,
            "sensor": "second_phone",
        },
        "phone2-fm-inkjet-cream": {
            "dots": "fm",
            "period": 2.7,
            "tint": (249, 242, 228),
            "saturation": 0.75,
            "focus": 0.8,
            "sensor": "second_phone",
        },
        "phone2-dim-laser-95lpi": {
            "dots": "laser",
            "period": 4.3,
            "angle": 28,
            "saturation": 0.5,
            "light": 0.38,
            "sensor": "second_phone",
        },
    }
)
VARIANTS["replay"].update(
    {  # FRESH9: screens through the held-out phone pipeline
        "phone2-phone-fine-12deg": {
            "pitch": 1.5,
            "angle": 12.0,
            "white": (0.95, 1.0, 1.06),
            "sensor": "second_phone",
        },
        "phone2-monitor-banding": {"pitch": 3.8, "angle": -6.0, "banding": 0.07, "sensor": "second_phone"},
    }
)
VARIANTS["cutout"].update(
    {  # FRESH9: cut-outs through the held-out phone pipeline
        "phone2-ellipse-am-fine-soft": {
            "cut": "ellipse",
            "dots": "am",
            "period": 2.1,
            "angle": 35,
            "focus": 1.0,
            "sensor": "second_phone",
        },
        "phone2-head-laser-rim": {
            "cut": "head",
            "rim": 3,
            "dots": "laser",
            "period": 4.2,
            "sensor": "second_phone",
        },
        "phone2-mask-worn-fm-fine": {
            "cut": "head",
            "eye_holes": True,
            "worn": True,
            "dots": "fm",
            "period": 1.9,
            "sensor": "second_phone",
        },
        "phone2-dim-torn-am-fine": {
            "cut": "torn",
            "dots": "am",
            "period": 2.2,
            "angle": 50,
            "light": 0.35,
            "sensor": "second_phone",
        },
    }
)
VARIANTS["document"].update(
    {  # FRESH9: documents through the held-out phone pipeline
        "phone2-card-mid-tilt": {"kind": "card", "fill": 0.78, "tilt": 0.07, "sensor": "second_phone"},
        "phone2-passport-near-glare": {
            "kind": "passport",
            "fill": 0.9,
            "glare": 0.2,
            "sensor": "second_phone",
        },
    }
)

# FRESH10 (benchmarks/pad_data.py): prints, cut-outs and bona fide through the held-out
# phone at settings no other list uses, written before any new cue was tried (stop 22)
VARIANTS["print"].update(
    {
        "phone2-am-150lpi-satin-curved": {
            "dots": "am",
            "period": 2.6,
            "angle": 62,
            "curve": 0.3,
            "gloss": 0.15,
            "sensor": "second_phone",
        },
        "phone2-fm-inkjet-grey-soft-tilt": {
            "dots": "fm",
            "period": 2.4,
            "tint": (236, 236, 232),
            "tilt": 0.08,
            "focus": 1.0,
            "sensor": "second_phone",
        },
        "phone2-dim-am-110lpi-warm-paper": {
            "dots": "am",
            "period": 3.3,
            "angle": 8,
            "tint": (250, 240, 222),
            "light": 0.3,
            "sensor": "second_phone",
        },
    }
)
VARIANTS["cutout"].update(
    {
        "phone2-rect-am-fine-soft": {
            "cut": "rect",
            "dots": "am",
            "period": 2.0,
            "angle": 72,
            "focus": 1.1,
            "sensor": "second_phone",
        },
        "phone2-ellipse-fm-fine-rim": {
            "cut": "ellipse",
            "rim": 2,
            "dots": "fm",
            "period": 2.0,
            "sensor": "second_phone",
        },
        "phone2-dim-jagged-am-fine-soft": {
            "cut": "jagged",
            "dots": "am",
            "period": 2.4,
            "angle": 12,
            "focus": 0.9,
            "light": 0.32,
            "sensor": "second_phone",
        },
        "phone2-mask-worn-head-am-fine-soft": {
            "cut": "head",
            "eye_holes": True,
            "worn": True,
            "dots": "am",
            "period": 2.3,
            "angle": 48,
            "focus": 1.0,
            "sensor": "second_phone",
        },
    }
)
VARIANTS["bona_fide"].update(
    {
        "phone2-dim-warm-hat": {
            "condition": "low_light",
            "light": 0.3,
            "cast": (1.08, 1.0, 0.88),
            "hat": 1,
            "sensor": "second_phone",
        },
        "phone2-backlight-cold-long-hair": {
            "condition": "backlight",
            "cast": (0.92, 1.0, 1.08),
            "hair": 0.8,
            "sensor": "second_phone",
        },
        "phone2-medium-skin-tungsten": {
            "condition": "dark_skin",
            "tone": (0.8, 0.72, 0.64),
            "cast": (1.12, 1.0, 0.8),
            "sensor": "second_phone",
        },
        "phone2-collar-side-light-plain-wall": {
            "condition": "plain",
            "collar": 1,
            "side": 0.3,
            "wall": 0,
            "sensor": "second_phone",
        },
        "phone2-glasses-cold-soft": {
            "condition": "glasses_glare",
            "glare": 0.1,
            "cast": (0.93, 1.0, 1.07),
            "focus": 0.8,
            "sensor": "second_phone",
        },
        "phone2-makeup-mixed-light": {
            "condition": "makeup",
            "mixed": (1.1, 0.9, 1.1),
            "sensor": "second_phone",
        },
    }
)


# FRESH11 (benchmarks/pad_data.py): worn paper masks in new cuts, cut-outs and prints through
# the held-out phone and the Bayer pipeline at settings no other list uses, and bona fide
# through both, written before any face-against-surround cue was tried (stop 23)
VARIANTS["print"].update(
    {
        "phone2-laser-70lpi-matte-curved": {
            "dots": "laser",
            "period": 5.2,
            "angle": 35,
            "curve": 0.25,
            "sensor": "second_phone",
        },
        "bayer-am-128lpi-cream-tilt": {
            "dots": "am",
            "period": 2.9,
            "angle": 40,
            "tint": (248, 242, 228),
            "tilt": 0.07,
            "sensor": "bayer",
        },
        "phone2-dim-fm-inkjet-warm-paper": {
            "dots": "fm",
            "period": 2.6,
            "tint": (250, 244, 230),
            "light": 0.38,
            "sensor": "second_phone",
        },
    }
)
VARIANTS["cutout"].update(
    {
        "phone2-mask-worn-ellipse-fm-fine-soft": {
            "cut": "ellipse",
            "eye_holes": True,
            "worn": True,
            "dots": "fm",
            "period": 2.1,
            "focus": 1.1,
            "sensor": "second_phone",
        },
        "bayer-mask-worn-head-am-fine": {
            "cut": "head",
            "eye_holes": True,
            "worn": True,
            "dots": "am",
            "period": 2.2,
            "angle": 28,
            "sensor": "bayer",
        },
        "phone2-dim-mask-worn-torn-am-fine": {
            "cut": "torn",
            "eye_holes": True,
            "worn": True,
            "dots": "am",
            "period": 2.4,
            "angle": 62,
            "light": 0.38,
            "sensor": "second_phone",
        },
        "phone2-head-am-fine-soft-rim": {
            "cut": "head",
            "rim": 3,
            "dots": "am",
            "period": 2.1,
            "angle": 22,
            "focus": 1.05,
            "sensor": "second_phone",
        },
        "bayer-ellipse-fm-fine-soft": {
            "cut": "ellipse",
            "dots": "fm",
            "period": 1.9,
            "focus": 1.0,
            "saturation": 0.7,
            "sensor": "bayer",
        },
    }
)
VARIANTS["bona_fide"].update(
    {
        "phone2-plain-warm-side": {
            "condition": "plain",
            "cast": (1.08, 1.0, 0.9),
            "side": 0.35,
            "sensor": "second_phone",
        },
        "bayer-scarf-cold-side": {
            "condition": "scarf",
            "cast": (0.92, 1.0, 1.08),
            "side": 0.3,
            "sensor": "bayer",
        },
        "phone2-dark-skin-warm": {
            "condition": "dark_skin",
            "tone": (0.55, 0.46, 0.4),
            "cast": (1.05, 1.0, 0.92),
            "sensor": "second_phone",
        },
        "bayer-long-hair-collar-warm": {
            "condition": "plain",
            "hair": 0.9,
            "collar": 1,
            "wall": 1,
            "cast": (1.06, 1.0, 0.9),
            "sensor": "bayer",
        },
        "phone2-fair-skin-cool-lifted": {
            "condition": "light_skin",
            "lift": 0.6,
            "chroma": 0.6,
            "cast": (0.95, 1.0, 1.05),
            "sensor": "second_phone",
        },
        "phone2-beard-mixed-light": {
            "condition": "beard",
            "mixed": (0.9, 1.0, 1.15),
            "sensor": "second_phone",
        },
        "bayer-dim-hat-cold": {
            "condition": "low_light",
            "light": 0.35,
            "hat": 1,
            "cast": (0.92, 1.0, 1.08),
            "sensor": "bayer",
        },
    }
)

#: the species whose makers take a ``sensor`` (injected frames never meet a camera)
THROUGH_A_CAMERA = ("print", "replay", "cutout", "document", "bona_fide")


# tuning (benchmarks/pad_data.py TUNE, stop 24): glasses in more frame styles than the thin
# oval, so an eye-region cue is tuned against them
VARIANTS["bona_fide"].update(
    {
        "tune-glasses-rect-side": {
            "condition": "glasses_glare",
            "glare": 0.13,
            "frame": "rect-thick",
            "side": 0.3,
        },
        "tune-glasses-wire-cold": {
            "condition": "glasses_glare",
            "glare": 0.15,
            "frame": "round-wire",
            "cast": (0.94, 1.0, 1.06),
        },
    }
)

# FRESH12 (benchmarks/pad_data.py, stop 24): through the held-out phone, cut-outs and worn
# masks in cuts nothing fits on (a rounded rectangle, a torn edge), glasses in frame styles
# nothing fits on (a browline, rimless tinted lenses), two prints
VARIANTS["print"].update(
    {
        "phone2-am-118lpi-satin-tilt": {
            "dots": "am",
            "period": 3.1,
            "angle": 33,
            "gloss": 0.15,
            "tilt": 0.06,
            "sensor": "second_phone",
        },
        "phone2-fm-inkjet-ivory-curved": {
            "dots": "fm",
            "period": 2.6,
            "tint": (250, 245, 232),
            "curve": 0.2,
            "saturation": 0.72,
            "sensor": "second_phone",
        },
    }
)
VARIANTS["cutout"].update(
    {
        "phone2-mask-worn-rect-am-fine-soft": {
            "cut": "rect",
            "eye_holes": True,
            "worn": True,
            "dots": "am",
            "period": 2.25,
            "angle": 55,
            "focus": 0.95,
            "sensor": "second_phone",
        },
        "phone2-mask-worn-torn-fm-fine": {
            "cut": "torn",
            "eye_holes": True,
            "worn": True,
            "dots": "fm",
            "period": 2.0,
            "sensor": "second_phone",
        },
        "phone2-rect-am-fine-soft-dark-rim": {
            "cut": "rect",
            "rim": 4,
            "rim_tone": 60.0,
            "dots": "am",
            "period": 2.2,
            "angle": 12,
            "focus": 1.0,
            "sensor": "second_phone",
        },
        "phone2-torn-laser-soft": {
            "cut": "torn",
            "dots": "laser",
            "period": 4.8,
            "angle": 40,
            "focus": 0.9,
            "sensor": "second_phone",
        },
    }
)
VARIANTS["bona_fide"].update(
    {
        "phone2-glasses-browline-warm": {
            "condition": "glasses_glare",
            "glare": 0.13,
            "frame": "browline",
            "cast": (1.08, 1.0, 0.88),
            "sensor": "second_phone",
        },
        "phone2-glasses-rimless-tinted-side": {
            "condition": "glasses_glare",
            "glare": 0.15,
            "frame": "rimless-tinted",
            "side": 0.35,
            "sensor": "second_phone",
        },
        "phone2-glasses-browline-cold-soft": {
            "condition": "glasses_glare",
            "glare": 0.12,
            "frame": "browline",
            "cast": (0.93, 1.0, 1.07),
            "focus": 0.8,
            "sensor": "second_phone",
        },
        "phone2-plain-cold": {"condition": "plain", "cast": (0.94, 1.0, 1.06), "sensor": "second_phone"},
        "phone2-makeup-warm": {"condition": "makeup", "cast": (1.06, 1.0, 0.92), "sensor": "second_phone"},
    }
)


# FRESH13 (benchmarks/pad_data.py, stop 25): through a third phone nothing else went through
# (``third_phone``), worn masks and cut-outs in a cut (straight scissor strokes) and a screen
# (a line screen) nothing fits on, glasses in a frame nothing fits or tunes on (aviator) in
# hard side light, bona fide in hard light, two prints
VARIANTS["print"].update(
    {
        "phone3-line-95lpi-matte-tilt": {
            "dots": "line",
            "period": 3.6,
            "angle": 35,
            "tilt": 0.06,
            "sensor": "third_phone",
        },
        "phone3-am-170lpi-cream-curved": {
            "dots": "am",
            "period": 2.4,
            "angle": 72,
            "tint": (248, 242, 226),
            "curve": 0.15,
            "sensor": "third_phone",
        },
    }
)
VARIANTS["cutout"].update(
    {
        "phone3-mask-worn-polygon-am-fine-soft": {
            "cut": "polygon",
            "eye_holes": True,
            "worn": True,
            "dots": "am",
            "period": 2.15,
            "angle": 80,
            "focus": 1.0,
            "sensor": "third_phone",
        },
        "phone3-mask-worn-head-line-fine": {
            "cut": "head",
            "eye_holes": True,
            "worn": True,
            "dots": "line",
            "period": 2.1,
            "angle": 40,
            "focus": 0.9,
            "sensor": "third_phone",
        },
        "phone3-mask-worn-ellipse-fm-fine-soft": {
            "cut": "ellipse",
            "eye_holes": True,
            "worn": True,
            "dots": "fm",
            "period": 1.9,
            "focus": 1.05,
            "sensor": "third_phone",
        },
        "phone3-polygon-am-fine-soft": {
            "cut": "polygon",
            "dots": "am",
            "period": 2.3,
            "angle": 18,
            "focus": 1.0,
            "sensor": "third_phone",
        },
        "phone3-polygon-line-fine-rim": {
            "cut": "polygon",
            "rim": 3,
            "dots": "line",
            "period": 2.2,
            "angle": 60,
            "sensor": "third_phone",
        },
    }
)
VARIANTS["bona_fide"].update(
    {
        "phone3-glasses-aviator-hard-side": {
            "condition": "glasses_glare",
            "glare": 0.14,
            "frame": "aviator",
            "side": 0.55,
            "sensor": "third_phone",
        },
        "phone3-glasses-aviator-warm": {
            "condition": "glasses_glare",
            "glare": 0.12,
            "frame": "aviator",
            "cast": (1.07, 1.0, 0.9),
            "sensor": "third_phone",
        },
        "phone3-glasses-oval-hard-side-cold": {
            "condition": "glasses_glare",
            "glare": 0.16,
            "side": 0.5,
            "cast": (0.93, 1.0, 1.07),
            "sensor": "third_phone",
        },
        "phone3-plain": {"condition": "plain", "sensor": "third_phone"},
        "phone3-hard-side-light": {"condition": "plain", "side": 0.6, "sensor": "third_phone"},
        "phone3-dark-skin-hard-side": {"condition": "dark_skin", "side": 0.5, "sensor": "third_phone"},
        "phone3-dim-warm": {
            "condition": "low_light",
            "light": 0.35,
            "cast": (1.06, 1.0, 0.92),
            "sensor": "third_phone",
        },
    }
)


# FRESH14 (benchmarks/pad_data.py, stop 26): every species that meets a camera through a
# fourth phone nothing else went through (``fourth_phone``: a merged burst, a strong local
# tone map, low-quality 4:2:0), at settings no other list uses; bona fide in hard honest
# conditions (backlight with a side light, very low warm light, deep skin under a cold side
# light, glasses under mixed light, a beard in hard side light, fair skin a little out of focus)
_P4 = "fourth_phone"
VARIANTS["print"].update(
    {
        "phone4-am-105lpi-satin-tilt": {
            "dots": "am",
            "period": 3.45,
            "angle": 27,
            "gloss": 0.12,
            "tilt": 0.05,
            "sensor": _P4,
        },
        "phone4-fm-inkjet-cold-paper-curved": {
            "dots": "fm",
            "period": 2.3,
            "tint": (240, 244, 250),
            "curve": 0.22,
            "saturation": 0.78,
            "sensor": _P4,
        },
        "phone4-dim-laser-60lpi": {
            "dots": "laser",
            "period": 5.2,
            "angle": 14,
            "light": 0.4,
            "sensor": _P4,
        },
    }
)
VARIANTS["replay"].update(
    {
        "phone4-phone-fine-20deg-lamp": {
            "pitch": 1.6,
            "angle": 20.0,
            "reflection": "lamp",
            "sensor": _P4,
        },
        "phone4-laptop-banding-warm": {
            "pitch": 3.2,
            "angle": -4.0,
            "banding": 0.05,
            "white": (1.05, 1.0, 0.9),
            "sensor": _P4,
        },
    }
)
VARIANTS["cutout"].update(
    {
        "phone4-mask-worn-ellipse-am-fine-soft": {
            "cut": "ellipse",
            "eye_holes": True,
            "worn": True,
            "dots": "am",
            "period": 2.05,
            "angle": 66,
            "focus": 1.0,
            "sensor": _P4,
        },
        "phone4-head-fm-fine-rim": {
            "cut": "head",
            "rim": 3,
            "dots": "fm",
            "period": 1.95,
            "sensor": _P4,
        },
        "phone4-polygon-laser-soft": {
            "cut": "polygon",
            "dots": "laser",
            "period": 4.6,
            "angle": 52,
            "focus": 0.95,
            "sensor": _P4,
        },
    }
)
VARIANTS["document"].update(
    {
        "phone4-card-near-tilt": {"kind": "card", "fill": 0.88, "tilt": 0.08, "sensor": _P4},
        "phone4-passport-mid-glare-grey": {
            "kind": "passport",
            "fill": 0.8,
            "glare": 0.15,
            "grey_photo": True,
            "sensor": _P4,
        },
    }
)
VARIANTS["bona_fide"].update(
    {
        "phone4-plain": {"condition": "plain", "sensor": _P4},
        "phone4-backlight-side": {"condition": "backlight", "side": 0.4, "sensor": _P4},
        "phone4-very-low-light-warm": {
            "condition": "low_light",
            "light": 0.26,
            "cast": (1.08, 1.0, 0.9),
            "sensor": _P4,
        },
        "phone4-deep-skin-cold-side": {
            "condition": "dark_skin",
            "side": 0.45,
            "cast": (0.93, 1.0, 1.08),
            "sensor": _P4,
        },
        "phone4-glasses-mixed-light": {
            "condition": "glasses_glare",
            "glare": 0.13,
            "frame": "round-wire",
            "mixed": (1.12, 1.0, 0.85),
            "sensor": _P4,
        },
        "phone4-beard-hard-side": {"condition": "beard", "side": 0.55, "sensor": _P4},
        "phone4-fair-skin-soft": {
            "condition": "light_skin",
            "lift": 0.6,
            "chroma": 0.65,
            "focus": 0.9,
            "sensor": _P4,
        },
    }
)


# FRESH15 (benchmarks/pad_data.py, stop 27): every species that meets a camera through a
# laptop webcam nothing else went through (``webcam``: a small noisy sensor scaled up, a
# ghosting temporal denoiser, local equalisation over a strong log curve, MJPEG 4:2:0);
# screens large in the frame (FRESH14's small screens mostly showed no face), bona fide in
# hard honest conditions (a window behind, a warm desk lamp from the side, a cold
# screen's dim light, dark skin under a warm lamp, glasses with glare, a head scarf)
_CAM = "webcam"
VARIANTS["print"].update(
    {
        "webcam-am-120lpi-matte-near": {"dots": "am", "period": 3.0, "angle": 38, "sensor": _CAM},
        "webcam-fm-inkjet-warm-curved": {
            "dots": "fm",
            "period": 2.5,
            "tint": (252, 244, 228),
            "curve": 0.18,
            "sensor": _CAM,
        },
        "webcam-dim-laser-75lpi-tilt": {
            "dots": "laser",
            "period": 4.4,
            "angle": 66,
            "light": 0.45,
            "tilt": 0.06,
            "sensor": _CAM,
        },
    }
)
VARIANTS["replay"].update(
    {
        "webcam-tablet-large": {"pitch": 2.4, "angle": 7.0, "fill": 0.97, "sensor": _CAM},
        "webcam-monitor-fills-frame-warm": {
            "pitch": 3.6,
            "angle": -2.0,
            "bezel": False,
            "white": (1.04, 1.0, 0.92),
            "sensor": _CAM,
        },
    }
)
VARIANTS["cutout"].update(
    {
        "webcam-mask-worn-head-am-fine": {
            "cut": "head",
            "eye_holes": True,
            "worn": True,
            "dots": "am",
            "period": 2.2,
            "angle": 22,
            "sensor": _CAM,
        },
        "webcam-ellipse-fm-fine-rim": {
            "cut": "ellipse",
            "rim": 2,
            "dots": "fm",
            "period": 2.0,
            "sensor": _CAM,
        },
        "webcam-polygon-am-soft": {
            "cut": "polygon",
            "dots": "am",
            "period": 2.6,
            "angle": 48,
            "focus": 1.1,
            "sensor": _CAM,
        },
    }
)
VARIANTS["document"].update(
    {
        "webcam-card-mid": {"kind": "card", "fill": 0.82, "tilt": 0.04, "sensor": _CAM},
        "webcam-passport-near-tilt": {"kind": "passport", "fill": 0.9, "tilt": 0.07, "sensor": _CAM},
    }
)
VARIANTS["bona_fide"].update(
    {
        "webcam-plain": {"condition": "plain", "sensor": _CAM},
        "webcam-window-behind": {"condition": "backlight", "sensor": _CAM},
        "webcam-desk-lamp-side": {
            "condition": "plain",
            "side": 0.5,
            "cast": (1.06, 1.0, 0.9),
            "sensor": _CAM,
        },
        "webcam-cold-screen-light": {
            "condition": "low_light",
            "light": 0.4,
            "cast": (0.9, 1.0, 1.1),
            "sensor": _CAM,
        },
        "webcam-dark-skin-warm-lamp": {
            "condition": "dark_skin",
            "side": 0.3,
            "cast": (1.07, 1.0, 0.9),
            "sensor": _CAM,
        },
        "webcam-glasses-glare": {
            "condition": "glasses_glare",
            "glare": 0.15,
            "frame": "browline",
            "sensor": _CAM,
        },
        "webcam-scarf-side": {"condition": "scarf", "side": 0.4, "sensor": _CAM},
    }
)


def make(
    species: str, variant: str, rgb: np.ndarray, points: np.ndarray, rng: Rng, *, sensor: str | None = None
) -> np.ndarray:
    """One image of ``species`` in ``variant`` from the photo ``rgb`` (RGB uint8, camera size);
    ``sensor`` replaces the variant's camera (see ``camera``) where the species meets one and
    the variant is not the first generator's."""
    params = dict(VARIANTS[species][variant])
    if params.pop("generator", None) == "synth":  # the first generator, as one more variant
        return _first_generator(species, rgb, np.asarray(points, np.float64), rng)
    if sensor is not None and species in THROUGH_A_CAMERA:
        params["sensor"] = sensor
    return MAKERS[species](rgb, np.asarray(points, np.float64), rng, **params)


def _first_generator(species: str, rgb: np.ndarray, points: np.ndarray, rng: Rng) -> np.ndarray:
    from kyc_sdk.liveness import synth

    if species == "print":
        return synth.print_attack(rgb, rng)
    if species == "replay":
        return synth.replay_attack(rgb, rng)
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    return synth.cutout_attack(rgb, (int(y0), int(x1), int(y1), int(x0)), rng)
