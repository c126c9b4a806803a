"""The fitting images' cache for ``train_pad.py``, built so that it cannot lie.

A stale cache once fitted a model on images an older generator had drawn: PNGs hard-linked
into a directory named after today's code (60 of 139 differed from today's draws). So:

- the key is a digest of every ``kyc_sdk`` module the generator can run (followed through
  its imports, those inside functions too), the benchmark modules that drive it, the source
  photos' bytes, the library versions that draw pixels and the cameras asked for;
- an image is reused only if the cache's own manifest, written for that very key, lists
  its name with the SHA-256 of its bytes: a PNG put there by hand, or one whose bytes
  changed, is drawn again;
- features measured on an image are cached under that image's SHA-256, so they follow
  the pixels, never a name.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import pickle
from collections.abc import Iterable
from pathlib import Path

import cv2
import dlib
import numpy as np
import PIL

PACKAGE = "kyc_sdk"
#: what draws pixels besides our code: a new version may draw other pixels
LIBRARIES = f"cv2 {cv2.__version__}; numpy {np.__version__}; PIL {PIL.__version__}; dlib {dlib.__version__}"


def _imports(path: Path, package: str | None) -> set[str]:
    """The ``kyc_sdk`` modules a source file imports, anywhere in it (lazy imports too).
    ``from pkg import mod`` counts ``pkg.mod`` alone: a package's ``__init__`` runs then, but
    it is followed only where a name is taken from it (it re-exports, it does not draw)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the importing package
                parts = (package or "").split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], *([base] if base else [])])
            subs = {f"{base}.{a.name}" for a in node.names}
            modules = {m for m in subs if _spec_path(m) is not None}
            found.update(modules | ({base} if modules != subs else set()))
    return {m for m in found if m.split(".")[0] == PACKAGE}


def _spec_path(name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(name)
    except ImportError:  # ``from module import name``: a name, not a module
        return None
    return Path(spec.origin) if spec is not None and spec.origin else None


def _closure(roots: Iterable[Path]) -> list[Path]:
    """Every source file reachable from ``roots`` through ``kyc_sdk`` imports, sorted."""
    seen: dict[Path, None] = {}
    todo: list[tuple[Path, str | None]] = [(p, None) for p in roots]
    while todo:
        path, package = todo.pop()
        if path in seen:
            continue
        seen[path] = None
        for name in _imports(path, package):
            found = _spec_path(name)
            if found is not None and found.suffix == ".py":
                pkg = name if found.name == "__init__.py" else name.rpartition(".")[0]
                todo.append((found, pkg))
    return sorted(seen)


def generator_digest(roots: Iterable[Path], data: Iterable[Path] = (), extra: str = "") -> str:
    """SHA-256 over the generator's code (``roots`` and what they import from ``kyc_sdk``),
    the input files ``data``, the drawing libraries' versions and ``extra``."""
    h = hashlib.sha256()
    for path in _closure(roots):
        h.update(f"{path.name}\0".encode() + path.read_bytes())
    for path in sorted(data):
        h.update(f"{path.name}\0".encode() + path.read_bytes())
    h.update(f"{LIBRARIES}\0{extra}".encode())
    return h.hexdigest()


class ImageCache:
    """PNGs in ``root / f"kyc_pad_images_{digest[:12]}"``, trusted only through the manifest
    written there for the full ``digest``; features under ``<dir>/features_<tag>.pkl``."""

    def __init__(self, root: Path, digest: str, features_tag: str) -> None:
        self.dir = root / f"kyc_pad_images_{digest[:12]}"
        self.dir.mkdir(exist_ok=True)
        self.digest = digest
        self._manifest_path = self.dir / "manifest.json"
        self._listed: dict[str, str] = {}
        if self._manifest_path.exists():
            m = json.loads(self._manifest_path.read_text())
            if m.get("generator") == digest:  # another generator's list says nothing here
                self._listed = dict(m.get("images", {}))
        self._features_path = self.dir / f"features_{features_tag}.pkl"
        self._features: dict[str, dict[str, float] | None] = (
            pickle.loads(self._features_path.read_bytes()) if self._features_path.exists() else {}
        )
        self.redrawn: list[str] = []  # names found on disk but not trusted

    def _png(self, name: str) -> Path:
        return self.dir / f"{name}.png"

    def image(self, name: str) -> tuple[np.ndarray, str] | None:
        """(RGB, SHA-256 of its PNG) if this generator drew ``name`` and its bytes are intact."""
        path = self._png(name)
        if not path.exists():
            return None
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if self._listed.get(name) != sha:
            self.redrawn.append(name)
            return None
        bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        return (np.ascontiguousarray(bgr[..., ::-1]), sha) if bgr is not None else None

    def put(self, name: str, rgb: np.ndarray) -> str:
        """Write a freshly drawn image, list it; its SHA-256."""
        ok, png = cv2.imencode(".png", np.ascontiguousarray(rgb[..., ::-1]))
        if not ok:
            raise ValueError(f"cannot encode {name}")
        data = png.tobytes()
        self._png(name).write_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        self._listed[name] = sha
        return sha

    def features(self, sha: str) -> tuple[bool, dict[str, float] | None]:
        """(known, features) of the image with this SHA-256 (features None: no usable face)."""
        return (sha in self._features, self._features.get(sha))

    def remember(self, sha: str, measured: dict[str, float] | None) -> None:
        self._features[sha] = measured

    def save(self) -> None:
        self._manifest_path.write_text(
            json.dumps({"generator": self.digest, "images": self._listed}, sort_keys=True)
        )
        self._features_path.write_bytes(pickle.dumps(self._features))
