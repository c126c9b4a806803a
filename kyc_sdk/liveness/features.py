"""The passive detector's measurements of one face: what a recapture changes whatever the device.

Each function returns plain floats; ``pad_model`` weighs them. Chosen for holding across
printers, screens and cameras rather than for one device (issue 14):

- spectrum (grey and chroma): a halftone or a display grid leaves peaks (``periodic``);
  paper and a second lens remove fine detail, so the high band loses energy against the
  middle band (``hf_ratio``), and the spectrum falls off faster (``slope``).
- noise: a live frame carries its sensor's noise; a recapture carries two, an injected
  frame none (``noise``); ink dots and sub-pixels are coloured, so a recapture's fine
  detail is more in chroma than a camera's, whose JPEG halves chroma (``chroma_noise``).
- colour (YCrCb, HSV): ink and a screen's second white balance move skin's Cr/Cb and
  saturation (``cr``, ``cb``, ``sat``, and their spread over the face).
- specular: a glossy print or a screen reflects lamps as flat white blobs (``glare``).
- context: straight edges near the face (``frame``), and whether the face is sharper than
  its surroundings (a print's face and paper share one focus: ``depth``).
- micro-texture: local binary patterns at two scales (``lbp1_*``, ``lbp2_*``). Skin under
  a sensor's noise gives many irregular patterns at one pixel; dots and a second lens give
  fewer, smoother ones, and a retouched frame fewer still; at two pixels a screen of dots
  reappears as regular spots. Counted, not weighed by contrast, so exposure does not move them.
- tone and gamut (CIELAB): ink cannot print a sensor's black nor a lamp's highlight, so a
  print's range is compressed at both ends (``floor``, ``highlight``); its inks reach
  less chroma than skin does at its most saturated (``chroma_p90``), while skin's hue
  (``hue``) stays where skin is whatever its tone.

No JPEG-grid cue: frames decoded from video carry none, and ``video`` judges them here too.
"""

from __future__ import annotations

import cv2
import numpy as np

from kyc_sdk.liveness import cues

Box = tuple[int, int, int, int]
_N = 128  # the spectrum window, native pixels


def _centre(img: np.ndarray, box: Box, scale: float = 0.7) -> np.ndarray:
    y0, x0, y1, x1 = cues._square(box, img.shape, scale)
    crop = img[y0:y1, x0:x1]
    side = min(crop.shape[:2])
    n = min(side, _N) // 2 * 2
    c0, c1 = crop.shape[0] // 2, crop.shape[1] // 2
    return crop[c0 - n // 2 : c0 + n // 2, c1 - n // 2 : c1 + n // 2]


def _spectrum(patch: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Log-magnitude spectrum of a square patch, with each bin's radius and the radial mean."""
    n = patch.shape[0]
    f = patch.astype(np.float32) - patch.mean()
    win = np.outer(np.hanning(n), np.hanning(n)).astype(np.float32)
    mag = np.log1p(np.abs(np.fft.fftshift(np.fft.fft2(f * win))))
    yy, xx = np.mgrid[-n // 2 : n // 2, -n // 2 : n // 2]
    rad = np.hypot(yy, xx).astype(np.int32)
    radial = np.bincount(rad.ravel(), mag.ravel()) / np.maximum(np.bincount(rad.ravel()), 1)
    return mag, rad, radial


def spectrum(gray: np.ndarray, ycc: np.ndarray, box: Box) -> dict[str, float]:
    patch = _centre(gray, box)
    n = patch.shape[0]
    if n < 32:
        return {"periodic": 0.0, "periodic_chroma": 0.0, "hf_ratio": 0.0, "slope": 0.0}
    mag, _, radial = _spectrum(patch)  # one FFT for the peaks and the radial profile
    r = np.arange(len(radial))
    mid = (r >= n // 16) & (r < n // 6)
    high = (r >= n // 4) & (r < int(n * 0.45))
    fit = (r >= 3) & (r < int(n * 0.45))
    slope = np.polyfit(np.log(r[fit]), radial[fit], 1)[0]
    chroma = _centre(ycc[..., 1], box)
    return {
        "periodic": cues._peak_excess(mag),
        "periodic_chroma": cues._peak_excess(_spectrum(chroma)[0]) if chroma.shape[0] >= 32 else 0.0,
        "hf_ratio": float(radial[high].mean() - radial[mid].mean()),
        "slope": float(slope),
    }


_NOISE = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], np.float32)


def noise(gray: np.ndarray, box: Box) -> float:
    """The face's noise level (Immerkær's estimator: a Laplacian difference that cancels
    smooth shading), as the median over 16×16 blocks so edges and hair do not dominate."""
    top, right, bottom, left = box
    face = gray[top:bottom, left:right].astype(np.float32)
    if min(face.shape) < 32:
        return 0.0
    res = np.abs(cv2.filter2D(face, -1, _NOISE, borderType=cv2.BORDER_REFLECT))[1:-1, 1:-1]
    h, w = (res.shape[0] // 16) * 16, (res.shape[1] // 16) * 16
    blocks = res[:h, :w].reshape(h // 16, 16, w // 16, 16).mean(axis=(1, 3))
    return float(np.sqrt(np.pi / 2) / 6 * np.percentile(blocks, 25))


def colour(rgb: np.ndarray, ycc: np.ndarray, box: Box) -> dict[str, float]:
    """Skin colour statistics of the face's centre (cheeks, nose) in YCrCb and HSV."""
    top, right, bottom, left = box
    h, w = bottom - top, right - left
    sl = (slice(top + h // 4, bottom - h // 4), slice(left + w // 4, right - w // 4))
    patch = ycc[sl].reshape(-1, 3).astype(np.float32)
    if patch.shape[0] < 16:
        return dict.fromkeys(("cr", "cb", "cr_spread", "cb_spread", "sat", "sat_spread", "skin_chroma"), 0.0)
    hsv = cv2.cvtColor(np.ascontiguousarray(rgb[sl]), cv2.COLOR_RGB2HSV).reshape(-1, 3).astype(np.float32)
    q = np.percentile(patch[:, 1:], [10, 50, 90], axis=0)
    s = np.percentile(hsv[:, 1], [10, 50, 90])
    return {
        "cr": float(q[1, 0] - 128),
        "cb": float(q[1, 1] - 128),
        "cr_spread": float(q[2, 0] - q[0, 0]),
        "cb_spread": float(q[2, 1] - q[0, 1]),
        "sat": float(s[1]),
        "sat_spread": float(s[2] - s[0]),
        "skin_chroma": cues.skin_chroma(rgb, box),
    }


def depth(gray: np.ndarray, box: Box) -> float:
    """log(face sharpness / surroundings' sharpness): a live face before a room is usually
    the sharpest thing; a print's face and the paper around it share one focus."""
    top, right, bottom, left = box
    y0, x0, y1, x1 = cues._square(box, gray.shape, 2.2)
    ring = gray[y0:y1, x0:x1].astype(np.float32)
    lap = np.abs(cv2.Laplacian(ring, cv2.CV_32F))
    inner = np.zeros(ring.shape, bool)
    inner[max(top - y0, 0) : bottom - y0, max(left - x0, 0) : right - x0] = True
    if inner.all() or not inner.any():
        return 0.0
    return float(np.log((lap[inner].mean() + 1) / (lap[~inner].mean() + 1)))


def _lbp(gray: np.ndarray, r: int) -> np.ndarray:
    """Rotation-invariant uniform LBP labels at radius ``r`` (0–8: that many neighbours at
    least as bright as the centre, in one arc; 9: irregular)."""
    g = gray.astype(np.int16)
    h, w = g.shape
    c = g[r : h - r, r : w - r]
    ring = [(-r, -r), (-r, 0), (-r, r), (0, r), (r, r), (r, 0), (r, -r), (0, -r)]
    bits = np.stack([g[r + dy : h - r + dy, r + dx : w - r + dx] >= c for dy, dx in ring]).astype(np.int8)
    changes = np.abs(np.diff(np.concatenate([bits, bits[:1]]), axis=0)).sum(axis=0)
    return np.where(changes <= 2, bits.sum(axis=0), 9)


def texture(gray: np.ndarray, box: Box) -> dict[str, float]:
    """Local-binary-pattern shares of the face's centre at radius 1 and 2: irregular
    patterns (noise, pores), flat ones (all neighbours brighter or darker: smooth) and
    the entropy of the ten labels."""
    y0, x0, y1, x1 = cues._square(box, gray.shape, 0.6)
    patch = gray[y0:y1, x0:x1]
    out: dict[str, float] = {}
    for r in (1, 2):
        if min(patch.shape) < 8 * r:
            out.update({f"lbp{r}_irregular": 0.0, f"lbp{r}_flat": 0.0, f"lbp{r}_entropy": 0.0})
            continue
        share = np.bincount(_lbp(patch, r).ravel(), minlength=10) / max(patch.size, 1)
        share = share / share.sum()
        nz = share[share > 0]
        out[f"lbp{r}_irregular"] = float(share[9])
        out[f"lbp{r}_flat"] = float(share[0] + share[8])
        out[f"lbp{r}_entropy"] = float(-(nz * np.log(nz)).sum())
    return out


def tone(rgb: np.ndarray, gray: np.ndarray, box: Box) -> dict[str, float]:
    """The face's tonal range and gamut: darkest and brightest grey over the whole face box
    (eyes, brows and hair included) against its median, skin's 90th-percentile CIELAB
    chroma and median hue (degrees)."""
    top, right, bottom, left = box
    face = gray[top:bottom, left:right]
    h, w = bottom - top, right - left
    centre = rgb[top + h // 4 : bottom - h // 4, left + w // 4 : right - w // 4]
    if face.size < 64 or centre.size < 48:
        return {"floor": 0.0, "highlight": 0.0, "chroma_p90": 0.0, "hue": 0.0}
    lo, mid, hi = np.percentile(face, [1, 50, 99.5])
    lab = cv2.cvtColor(np.ascontiguousarray(centre), cv2.COLOR_RGB2LAB).reshape(-1, 3).astype(np.float32)
    a, b = lab[:, 1] - 128, lab[:, 2] - 128
    return {
        "floor": float(lo / (mid + 1)),
        "highlight": float(hi / (mid + 1)),
        "chroma_p90": float(np.percentile(np.hypot(a, b), 90)),
        "hue": float(np.degrees(np.arctan2(np.median(b), np.median(a)))),
    }


FACE_SIDE = 256  # larger faces are measured on a copy shrunk to this height


def normalise(rgb: np.ndarray, box: Box) -> tuple[np.ndarray, Box]:
    """The frame shrunk so the face is at most ``FACE_SIDE`` tall, and the box with it: a
    12-megapixel photo and a 640-pixel frame then show skin at the same scale."""
    top, right, bottom, left = box
    s = FACE_SIDE / max(bottom - top, 1)
    if s >= 1:
        return rgb, box
    small = cv2.resize(rgb, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
    return small, (int(top * s), int(right * s), int(bottom * s), int(left * s))


def measure(rgb: np.ndarray, box: Box) -> dict[str, float]:
    """Every feature of the face at ``box`` (RGB uint8), by name."""
    rgb, box = normalise(rgb, box)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    ycc = cv2.cvtColor(rgb, cv2.COLOR_RGB2YCrCb)
    grain = noise(gray, box)
    return {
        **spectrum(gray, ycc, box),
        "noise": grain,
        "chroma_noise": (noise(ycc[..., 1], box) + noise(ycc[..., 2], box)) / (grain + 0.5),
        **colour(rgb, ycc, box),
        "glare": cues.glare(rgb, box),
        "frame": cues.frame(gray, box),
        "depth": depth(gray, box),
        "sharpness": cues.sharpness(gray, box),
        "exposure": cues.exposure(gray, box),
        **texture(gray, box),
        **tone(rgb, gray, box),
    }
