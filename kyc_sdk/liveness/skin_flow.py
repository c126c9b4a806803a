"""Whether the face's skin moves as one flat sheet: optical flow, not the shape model.

A print, a cut-out or a photo holding an expression, however a hand tilts and moves it,
shows its skin moving under one homography: every point of a plane maps onto its next
view by the same 3×3 matrix. A live head that turns moves nose, cheeks and jaw at
different depths, and an open mouth drags the chin and lower cheeks down while the brow
stays: no homography carries the skin there. The landmark test (``motion.deformation``)
reads the same thing from the shape model's 68 points, but those are a regression's
guess: on a still photo holding an open mouth or narrowed eyes, moved by hand, they
wander 0.013-0.033 face widths off the sheet's homography (tuning photos; a held-out one),
past what a live turn gives on a beard. Corners tracked on the skin itself
(pyramidal Lucas-Kanade, forward and backward) follow the sheet to a tenth of a pixel.

``SkinFlow`` seeds corners on the first frame's skin (inside the jaw and brows, away
from the eyes and the mouth, which a cut-out's holes can show live), carries them frame
to frame, and fits, at each frame, the least-squares homography from where they started.
``planar()`` is the 95th percentile over frames of the fit's median residual (face
widths) less the median residual between consecutive frames (the tracking floor of
noise and blur), as ``motion.deformation`` does; ``None`` when too few corners survived
to say (a dim first frame, a face lost), and then the landmark test decides alone.
Each frame's luminance is first scaled to one mean over the face (exposure settling
would otherwise break the brightness constancy the tracker relies on).
"""

from __future__ import annotations

import cv2
import numpy as np

MIN_TRACKS = 12  # corners needed to fit a homography with a residual worth reading
# share of the video the tracks must last: dim noise ends most of them within a second,
# before any action (tuning low light: 10 corners left, a fifth of the video covered)
COVER = 0.8
MAX_CORNERS = 200
FB_ERROR = 0.5  # pixels a corner may miss its start when tracked forward and back
FACE_MEAN = 128.0  # grey level each frame's face is scaled to (at most MAX_GAIN)
MAX_GAIN = 4.0
_WINDOW, _LEVELS = (15, 15), 3
_STOP = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 20, 0.03)
_EYES_MOUTH = ((36, 42), (42, 48), (48, 60))


def skin_mask(shape: tuple[int, ...], points: np.ndarray) -> np.ndarray:
    """The face inside its jaw and brows, less the eyes and the mouth (grown by an eighth
    of the face's width) and a margin along the outline, where the backdrop shows."""
    width = float(np.ptp(points[:, 0])) or 1.0
    mask = np.zeros(shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, cv2.convexHull(np.round(points[:27]).astype(np.int32)), 255)
    holes = np.zeros_like(mask)
    for a, b in _EYES_MOUTH:
        cv2.fillConvexPoly(holes, cv2.convexHull(np.round(points[a:b]).astype(np.int32)), 255)
    grow = int(0.12 * width) | 1
    grown = cv2.dilate(holes, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (grow, grow)))
    mask[grown > 0] = 0
    margin = int(0.04 * width) | 1
    return cv2.erode(mask, np.ones((margin, margin), np.uint8))


def _levelled(grey: np.ndarray, points: np.ndarray) -> np.ndarray:
    (x0, y0), (x1, y1) = np.maximum(points.min(axis=0), 0).astype(int), points.max(axis=0).astype(int)
    face = grey[y0:y1, x0:x1]
    mean = float(face.mean()) if face.size else float(grey.mean())
    return cv2.convertScaleAbs(grey, alpha=min(FACE_MEAN / max(mean, 1.0), MAX_GAIN))


def _lk(a: np.ndarray, b: np.ndarray, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    out, ok, err = cv2.calcOpticalFlowPyrLK(
        a, b, pts, None, winSize=_WINDOW, maxLevel=_LEVELS, criteria=_STOP
    )
    return np.asarray(out), np.asarray(ok), np.asarray(err)


def _median_residual(a: np.ndarray, b: np.ndarray, width: float) -> float | None:
    h, _ = cv2.findHomography(a, b, 0)
    if h is None:
        return None
    fit = cv2.perspectiveTransform(a[None], h)[0]
    return float(np.median(np.linalg.norm(fit - b, axis=1))) / width


class SkinFlow:
    """Corners on the skin carried through a video (see the module notes)."""

    def __init__(self) -> None:
        self.prev: np.ndarray | None = None
        self.start = np.empty((0, 2), np.float32)
        self.now = np.empty((0, 2), np.float32)
        self.width = 1.0
        self.residuals: list[float] = []  # from the start, per frame
        self.steps: list[float] = []  # between consecutive frames
        self.frames = 0

    def update(self, grey: np.ndarray, points: np.ndarray) -> None:
        """One frame's grey image and its 68 landmarks (frame coordinates)."""
        grey = _levelled(grey, points)
        self.frames += 1
        if self.prev is None:
            self._seed(grey, points)
            self.prev = grey
            return
        if len(self.now) < MIN_TRACKS or self.prev.shape != grey.shape:
            self.now = self.now[:0]  # lost: the tracks end here
            return
        ahead, ok, _ = _lk(self.prev, grey, self.now)
        back, ok_back, _ = _lk(grey, self.prev, ahead)
        ahead = ahead.reshape(-1, 2)
        kept = (ok.ravel() == 1) & (ok_back.ravel() == 1)
        kept &= np.linalg.norm(back.reshape(-1, 2) - self.now, axis=1) < FB_ERROR
        self.prev = grey
        if kept.sum() >= MIN_TRACKS:
            step = _median_residual(self.now[kept], ahead[kept], self.width)
            if step is not None:
                self.steps.append(step)
            self.start, self.now = self.start[kept], ahead[kept]
            whole = _median_residual(self.start, self.now, self.width)
            if whole is not None:
                self.residuals.append(whole)
        else:
            self.now = self.now[:0]

    def _seed(self, grey: np.ndarray, points: np.ndarray) -> None:
        self.width = float(np.ptp(points[:, 0])) or 1.0
        found = cv2.goodFeaturesToTrack(
            grey,
            MAX_CORNERS,
            0.005,
            max(3.0, 0.03 * self.width),
            mask=skin_mask(grey.shape, points),
            blockSize=7,
        )
        if found is not None:
            self.start = found.reshape(-1, 2).astype(np.float32)
            self.now = self.start.copy()

    def planar(self) -> float | None:
        """How far the skin departs from a sheet (face widths); ``None`` without the tracks to say."""
        if not self.steps or len(self.residuals) < COVER * (self.frames - 1):
            return None
        return float(np.percentile(self.residuals, 95) - np.median(self.steps))
