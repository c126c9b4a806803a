"""Audit of the digit fields' decode on tuning cards (development only, not a test).

Usage: .venv/bin/python benchmarks/erasure_audit.py --seeds 31,32 --cards 10 --save DIR
       .venv/bin/python benchmarks/erasure_audit.py --load DIR

Reads ``ocr_eval``'s TUNING cards (fonts and axis values of ``--tune``, each card's font
left out of the digit templates) and records, per card, the glyphs the card reader hands
``fields`` for the national code and the two dates, with the truth. ``--load`` decodes
the saved glyphs again with whichever ``kyc_sdk`` is on PYTHONPATH (milliseconds, no OCR)
and counts, per field: valid right, valid wrong, and for the code how many valid ones
came from the checksum's erasure of one unsure digit (keeping the glyph's reading or
changing it; right / wrong), so a rule for the
erasure is weighed on the same reads before and after.
"""

from __future__ import annotations

import argparse
import os
import pickle
from collections import Counter
from pathlib import Path

import ocr_eval

from kyc_sdk.docs_ocr import fields, national_card, read_national_card
from kyc_sdk.imaging import load_rgb


def record(seeds: list[int], per_font: int, folder: Path, models: str | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    seen: list[tuple[str, list[object], str]] = []
    decode = national_card._decode

    def spy(key: str, text: str, symbols: list[object]) -> fields.Field:
        seen.append((key, list(symbols), text))
        return decode(key, text, symbols)  # type: ignore[arg-type]

    national_card._decode = spy  # type: ignore[assignment]

    for seed in seeds:
        cases = ocr_eval._card_cases(ocr_eval.TUNE_FONTS, per_font, seed, tune=True)
        records = []
        for case in cases:
            os.environ["KYC_OCR_HOLDOUT_FONTS"] = str(case["holdout"])
            if models:  # as ocr_eval --digit-models: the classifiers fitted without this font
                font = case["groups"]["font"]  # type: ignore[index]
                found = [Path(models) / f"{kind}-{font}.npz" for kind in ("net", "cnn")]
                os.environ["KYC_OCR_DIGIT_MODEL"] = os.pathsep.join(str(p) for p in found if p.is_file())
            seen.clear()
            read_national_card(load_rgb(case["photo"]))  # type: ignore[arg-type]
            records.append({"truth": case["truth"], "groups": case["groups"], "digits": list(seen)})
        with (folder / f"seed{seed}.pkl").open("wb") as fh:
            pickle.dump(records, fh)
        print(f"seed {seed}: {len(records)} cards saved")


def replay(folder: Path) -> None:
    tally: Counter[str] = Counter()
    erased = fields._erasure
    fired: list[str] = []

    def spy(top: str, position: int, *rest: object) -> object:
        # The erasure returns the code it solved, or (from issue 13 on) whether the
        # checksum confirmed the digit as read.
        solved = erased(top, position, *rest)
        found = top if solved is True else solved
        if isinstance(found, str):
            fired.append(found if found == top else "changed:" + found)
        return solved

    fields._erasure = spy  # type: ignore[assignment]
    for path in sorted(folder.glob("seed*.pkl")):
        for card in pickle.loads(path.read_bytes()):
            for key, symbols, text in card["digits"]:
                fired.clear()
                field = national_card._decode(key, text, symbols)
                right = field.value == card["truth"][key]
                tally[f"{key} right"] += right
                tally[f"{key} n"] += 1
                if field.valid:
                    tally[f"{key} valid {'right' if right else 'WRONG'}"] += 1
                    how = next((f for f in fired if f.endswith(str(field.value))), None)
                    if how is not None:
                        kind = "changing" if how.startswith("changed:") else "keeping"
                        tally[
                            f"{key} valid by erasure {kind} its reading, {'right' if right else 'WRONG'}"
                        ] += 1
    for key in sorted(tally):
        print(f"  {key:40s} {tally[key]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="31")
    parser.add_argument("--cards", type=int, default=10, help="cards per tuning font")
    parser.add_argument("--save")
    parser.add_argument("--load")
    parser.add_argument("--digit-models", help="folder of classifiers each fitted without one tuning font")
    args = parser.parse_args()
    if args.save:
        record([int(s) for s in args.seeds.split(",")], args.cards, Path(args.save), args.digit_models)
    if args.load:
        replay(Path(args.load))


if __name__ == "__main__":
    main()
