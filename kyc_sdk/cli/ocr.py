"""``kyc-sdk ocr``: national-card, mrz and barcode reading from image files.

One file prints one JSON object; several print one object per line with a ``"file"``
key and a progress bar on stderr, and a file that fails gives an error object on its
line while the others go on. Spec: issue "Document OCR" item 7.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from kyc_sdk.cli.output import dumps, emit, errors_as_exit, json_option, show_progress
from kyc_sdk.errors import KycError


@click.group()
def ocr() -> None:
    """Read identity documents: the Iranian national card, MRZs, barcodes."""


def _run(files: tuple[str, ...], as_json: bool, read: Callable[[str], dict[str, Any]]) -> None:
    if len(files) == 1:
        with errors_as_exit(as_json):
            emit(read(files[0]), as_json=as_json)
        return
    failed = False
    from tqdm import tqdm

    for path in tqdm(files, file=sys.stderr, unit="file", disable=not show_progress()):
        try:
            row: dict[str, Any] = {"file": path, **read(path)}
        except KycError as err:  # this file only: the others go on
            row, failed = {"file": path, **err.to_dict()}, True
        click.echo(dumps(row))
    sys.exit(1 if failed else 0)


@ocr.command("national-card")
@click.argument("front", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--back", type=click.Path(dir_okay=False), help="The card's back (serial, barcodes).")
@json_option
def national_card(front: tuple[str, ...], back: str | None, as_json: bool) -> None:
    """Read the fields of national card FRONT image(s)."""
    from kyc_sdk.docs_ocr import read_national_card

    _run(front, as_json, lambda path: read_national_card(path, back))


@ocr.command("mrz")
@click.argument("images", nargs=-1, required=True, type=click.Path(dir_okay=False))
@json_option
def mrz(images: tuple[str, ...], as_json: bool) -> None:
    """Read the machine-readable zone of passport / ID image(s)."""
    from kyc_sdk.docs_ocr import read_mrz

    _run(images, as_json, read_mrz)


@ocr.command("barcode")
@click.argument("images", nargs=-1, required=True, type=click.Path(dir_okay=False))
@json_option
def barcode(images: tuple[str, ...], as_json: bool) -> None:
    """Decode every barcode in the image(s)."""
    from kyc_sdk.docs_ocr import read_barcodes

    _run(images, as_json, lambda path: {"barcodes": [b.to_dict() for b in read_barcodes(path)]})
