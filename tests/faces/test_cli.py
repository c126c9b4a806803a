"""``kyc-sdk face-match`` and the thin ``kyc-sdk liveness`` command, through click."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kyc_sdk.cli import main
from kyc_sdk.errors import ImageRejected, InputError


def cli(*args: str) -> tuple[int, object]:
    result = CliRunner().invoke(main, list(args))
    try:
        return result.exit_code, json.loads(result.stdout)
    except ValueError:
        return result.exit_code, result.output


@pytest.mark.slow  # loads dlib's models in a fresh process: ~5 s
def test_cli_face_match_json(shared_data) -> None:
    code, out = cli(
        "face-match",
        str(shared_data / "faces" / "tests_obama.jpg"),
        str(shared_data / "faces" / "tests_obama3.jpg"),
        "--json",
    )
    assert code == 0, out
    assert set(out) == {"match", "distance", "threshold", "fmr", "quality"} and out["match"] is True
    assert out["quality"] == []  # both faces are large


def test_cli_face_match_bad_image_exits_with_reason(shared_data, tmp_path) -> None:
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"junk")
    code, out = cli("face-match", str(junk), str(shared_data / "faces" / "tests_obama.jpg"), "--json")
    assert code == ImageRejected.exit_code and out["reason"] == "unsupported_format"


def test_cli_face_match_many_faces(shared_data) -> None:
    code, out = cli(
        "face-match",
        str(shared_data / "faces" / "examples_two_people.jpg"),
        str(shared_data / "faces" / "tests_obama.jpg"),
        "--json",
    )
    assert code == ImageRejected.exit_code and out["reason"] == "many_faces"


def test_cli_liveness_passive_image(shared_data) -> None:
    code, out = cli("liveness", str(shared_data / "liveness/image_T1.jpg"), "--json")
    assert code == 0, out
    assert {"live", "score", "reasons", "method"} <= set(out) and out["method"] == "passive"


def test_cli_liveness_needs_one_input(shared_data) -> None:
    code, out = cli("liveness", "--json")
    assert code == InputError.exit_code and out["error"] == "input_error"


def test_cli_liveness_video_needs_known_steps(tmp_path) -> None:
    video = tmp_path / "v.mp4"
    video.write_bytes(b"not a video")
    code, _out = cli("liveness", "--video", str(video), "--steps", "dance", "--json")
    assert code == InputError.exit_code


def test_cli_face_match_human_output(shared_data) -> None:
    faces_dir = shared_data / "faces"
    code, out = cli("face-match", str(faces_dir / "tests_obama.jpg"), str(faces_dir / "tests_biden.jpg"))
    assert code == 0 and isinstance(out, str) and out.startswith("different people")


def test_cli_face_match_document_uses_the_document_threshold(shared_data, tmp_path) -> None:
    import cv2

    from kyc_sdk.faces import calibration

    card = tmp_path / "card_photo.jpg"  # a small grey print of another Obama photo
    grey = cv2.imread(str(shared_data / "faces" / "tests_obama2.jpg"), cv2.IMREAD_GRAYSCALE)
    cv2.imwrite(
        str(card),
        cv2.resize(grey, None, fx=0.4, fy=0.4, interpolation=cv2.INTER_AREA),
        [cv2.IMWRITE_JPEG_QUALITY, 50],
    )
    code, out = cli(
        "face-match", str(card), str(shared_data / "faces" / "tests_obama.jpg"), "--document", "--json"
    )
    assert code == 0, out
    assert out["match"] is True and out["threshold"] == calibration.default_threshold("document")
