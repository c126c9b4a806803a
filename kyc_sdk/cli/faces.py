"""``kyc-sdk face-match A B`` and ``kyc-sdk liveness IMAGE|--video FILE``.

``face-match`` prints ``{"match", "distance", "threshold", "fmr", "quality"}`` (``kyc_sdk.faces``);
``--document``: A is a document's printed photo, compared as ``match(..., document=True)``
does (prepared, in grey, at the document threshold). ``liveness`` is a thin
wrapper over ``kyc_sdk.liveness`` (passive on an image; active on a video against the
challenge given by ``--steps`` and ``--issued-at``). Bad images exit with
``ImageRejected``'s code and reason.
"""

from __future__ import annotations

import time

import click

from kyc_sdk.cli.output import emit, errors_as_exit, json_option
from kyc_sdk.cli.params import positive
from kyc_sdk.errors import InputError

_path = click.Path(dir_okay=False)


@click.command("face-match")
@click.argument("image_a", type=_path)
@click.argument("image_b", type=_path)
@click.option(
    "--threshold",
    type=float,
    callback=positive,
    default=None,
    help="Distance threshold (default: calibrated).",
)
@click.option("--document", is_flag=True, help="IMAGE_A is a document's printed photo (document threshold).")
@json_option
def face_match(image_a: str, image_b: str, threshold: float | None, document: bool, as_json: bool) -> None:
    """Are the faces in IMAGE_A and IMAGE_B the same person?"""
    with errors_as_exit(as_json):
        from kyc_sdk import faces

        selfie, other = (image_b, image_a) if document else (image_a, image_b)
        result = faces.match(selfie, other, threshold=threshold, document=document)
        verdict = "same person" if result.match else "different people"
        bound = f"threshold {result.threshold:.2f}, FMR {result.fmr:g}"
        emit(result.to_dict(), as_json=as_json, human=f"{verdict}: distance {result.distance:.3f} ({bound})")


@click.command("liveness")
@click.argument("image", metavar="IMG_OR_VIDEO", type=_path, required=False)
@click.option("--video", type=_path, help="A video to check against the challenge (active liveness).")
@click.option(
    "--challenge", "--steps", "steps", help="The challenge's actions in order, e.g. blink,turn_left."
)
@click.option("--nonce", default="cli", show_default=True, help="The challenge's nonce.")
@click.option(
    "--issued-at", type=float, default=None, help="When the challenge was issued (epoch s; default now)."
)
@json_option
def liveness(
    image: str | None,
    video: str | None,
    steps: str | None,
    nonce: str,
    issued_at: float | None,
    as_json: bool,
) -> None:
    """Is the face live? Passive on an image; challenge-response on a video (--challenge)."""
    with errors_as_exit(as_json):
        from kyc_sdk import liveness as live

        if (image is None) == (video is None):
            raise InputError("give either IMG_OR_VIDEO or --video")
        if image is not None and (steps or not _is_image(image)):
            image, video = None, image
        if video is None:
            result = live.check_image(image)
        else:
            challenge = _challenge(steps, nonce, issued_at)
            result = live.check_video(video, challenge=challenge)
        verdict = "live" if result.live else "not live"
        emit(
            result.to_dict(),
            as_json=as_json,
            human=f"{verdict}: score {result.score:.2f} {' '.join(result.reasons)}".rstrip(),
        )


def _is_image(path: str) -> bool:
    import os
    import stat

    from kyc_sdk.errors import ImageRejected
    from kyc_sdk.imaging import sniff

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block the open below
            return True  # check_image refuses it, typed ("unreadable")
        with open(path, "rb") as handle:
            head = handle.read(16)
    except (OSError, ValueError):
        return True
    try:
        sniff(head)
    except ImageRejected:
        return False
    return True


def _challenge(steps: str | None, nonce: str, issued_at: float | None) -> object:
    from kyc_sdk.liveness import ACTIONS, Challenge

    names = tuple(s.strip() for s in (steps or "").split(",") if s.strip())
    if not names or any(n not in ACTIONS for n in names):
        raise InputError(f"--challenge takes actions from {', '.join(ACTIONS)}")
    return Challenge(names, nonce, time.time() if issued_at is None else issued_at)
