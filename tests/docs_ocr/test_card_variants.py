"""The card reader on cards printed otherwise than ours used to be: the code grouped
3-6-1, Latin digits, values in a column, labels without a colon, left of their value or
above it. Every card's face is left out of the digit templates (an unfamiliar font, as
another printer's), so a pass here is not the templates recognising their own glyphs."""

from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from kyc_sdk.docs_ocr import _digitnet, _digits, _glyphs, _tess, read_national_card, synth
from kyc_sdk.docs_ocr.fields import date_field, national_code_field
from kyc_sdk.text import to_persian_digits
from tests.docs_ocr.printed import NAZLI, digit_line

pytestmark = pytest.mark.slow  # seconds, not milliseconds: `make check` leaves it out

# Template files left out, by the start of their names (``_digits._held_out``).
FAMILY = {"nazli": "nazli", "titr": "titr", "noto-sans": "notosansarabic", "noto-naskh": "notonaskharabic"}
DIGITS = ("national_code", "birth_date", "expiry_date")


def _read(monkeypatch: pytest.MonkeyPatch, seed: int, style: synth.CardStyle, **capture: float):
    monkeypatch.setenv("KYC_OCR_HOLDOUT_FONTS", FAMILY[style.font])
    rng = random.Random(seed)
    person = synth.random_person(rng)
    card = synth.render_national_card(person, style=style, rng=rng)
    photo = synth.photograph(card, rng=rng, jpeg_quality=88, **capture) if capture else card
    fields = read_national_card(photo)["fields"]
    for key in DIGITS:  # whatever else holds, a value reported valid is the printed one
        assert not fields[key]["valid"] or fields[key]["value"] == getattr(person, key), key
    return person, fields


@pytest.mark.parametrize(("group", "font"), [("hyphen", "nazli"), ("space", "noto-sans"), ("hyphen", "titr")])
def test_a_grouped_code_reads_as_its_ten_digits(
    monkeypatch: pytest.MonkeyPatch, group: str, font: str
) -> None:
    # Before: the hyphens were read as zeros, a 12-digit "code" (0 of 15 in the trial).
    person, fields = _read(monkeypatch, 31, synth.CardStyle(font=font, code_group=group), rotate=4, blur=0.4)
    assert fields["national_code"]["value"] == person.national_code


@pytest.mark.parametrize(
    ("font", "digits"), [("nazli", "latin"), ("noto-naskh", "latin"), ("noto-sans", "mixed")]
)
def test_latin_digits_read(monkeypatch: pytest.MonkeyPatch, font: str, digits: str) -> None:
    # Before: fas read Latin digits as nothing useful (0 of 8 in the trial). Noto
    # Naskh has no Latin digits: they come from the card's Latin fallback face.
    person, fields = _read(monkeypatch, 32, synth.CardStyle(font=font, digits=digits, code_group="hyphen"))
    assert fields["national_code"]["value"] == person.national_code
    assert (fields["birth_date"]["value"], fields["expiry_date"]["value"]) == (
        person.birth_date,
        person.expiry_date,
    )


@pytest.mark.parametrize("side", ["right", "left"])
def test_values_in_a_column_beside_their_labels(monkeypatch: pytest.MonkeyPatch, side: str) -> None:
    style = synth.CardStyle(font="noto-sans", layout="column", label_side=side)
    person, fields = _read(monkeypatch, 33, style, rotate=-3)
    assert {k: fields[k]["value"] for k in DIGITS} == {k: getattr(person, k) for k in DIGITS}
    assert all(fields[k]["value"] for k in synth.LABELS)  # no row lost (a name may be misread)


@pytest.mark.parametrize(("seed", "side"), [(34, "right"), (35, "left"), (36, "right")])
def test_labels_without_a_colon(monkeypatch: pytest.MonkeyPatch, seed: int, side: str) -> None:
    style = synth.CardStyle(font="nazli", colon=False, label_side=side)
    person, fields = _read(monkeypatch, seed, style, rotate=2)
    names = ("first_name", "last_name", "father_name")
    assert [fields[k]["value"] for k in names] == [getattr(person, k) for k in names]
    assert fields["national_code"]["value"] == person.national_code


def test_a_label_joined_to_its_value_is_cut_at_the_word_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    # No colon and a gap narrower than the smear that joins a label's words: one blob.
    from kyc_sdk.docs_ocr import national_card

    monkeypatch.setattr(national_card, "_blobs", _wide_smear_blobs)
    person, fields = _read(monkeypatch, 37, synth.CardStyle(font="nazli", colon=False))
    assert fields["last_name"]["value"] == person.last_name
    assert fields["national_code"]["value"] == person.national_code


def _wide_smear_blobs(ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    import cv2

    # As ``national_card._blobs``, smearing far enough to join every label to its value.
    smear = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (61, 5)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(smear)
    return [
        (int(x), int(y), int(w), int(h))
        for x, y, w, h, area in stats[1:count]
        if 14 <= h <= 90 and w >= 12 and area >= 80
    ]


def test_a_label_above_its_value(monkeypatch: pytest.MonkeyPatch) -> None:
    person, fields = _read(monkeypatch, 38, synth.CardStyle(font="titr", layout="stacked"))
    assert len(fields["national_code"]["value"]) == 10  # the value row, not the label's
    assert fields["last_name"]["value"] == person.last_name
    assert (fields["birth_date"]["value"], fields["expiry_date"]["value"]) == (
        person.birth_date,
        person.expiry_date,
    )


def test_the_code_is_found_in_another_label_order_on_the_older_card(monkeypatch: pytest.MonkeyPatch) -> None:
    style = synth.CardStyle(font="noto-sans", design="old", order=synth.ALT_ORDER)
    person, fields = _read(monkeypatch, 39, style)
    assert fields["national_code"]["value"] == person.national_code
    assert fields["last_name"]["value"] == person.last_name


def test_hyphens_and_dots_between_groups_are_not_digits() -> None:
    _, symbols = _glyphs.read_digits(digit_line("۰۴۹-۹۳۷۰۸۹-۹", NAZLI))
    field = national_code_field(symbols)
    assert field.value == "0499370899"
    _, symbols = _glyphs.read_digits(digit_line("049.937089.9"))
    assert national_code_field(symbols).value == "0499370899"


def test_latin_readings_that_disagree_are_never_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    line = digit_line("0499370899")
    _, symbols = _glyphs.read_digits(line)
    assert national_code_field(symbols).value == "0499370899"
    real = _tess.read_line

    def eng_reads_otherwise(image: np.ndarray, lang: str, **kw: object):
        out = real(image, lang, **kw)  # type: ignore[arg-type]
        return ("0499370890", *out[1:]) if lang == "eng" and kw.get("psm") == 7 else out

    monkeypatch.setattr(_tess, "read_line", eng_reads_otherwise)
    field = national_code_field(_glyphs.read_digits(line)[1])
    assert not field.valid and field.confidence < 0.5
    date = "1403/12/30"
    text, symbols = _glyphs.read_digits(digit_line(date))
    assert not date_field(symbols, text, (1380, 1440)).valid


def test_a_near_tie_is_not_confirmed_without_a_sure_peer_of_every_contender(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(0)
    vec = rng.normal(size=16).astype(np.float32)
    vec /= np.linalg.norm(vec)
    scores = [("۲", 0.83), ("۶", 0.828), ("۷", 0.81)]  # the templates' near-tie
    monkeypatch.setattr(_digits, "classify_shape", lambda v, script="eastern": scores)
    monkeypatch.setattr(_digitnet, "probabilities", lambda v, script: [("۲", 0.9), ("۶", 0.05)])
    near_tie = _tess.Symbol("۲", 0.83, tuple(scores), sure=False, shape=vec, net_input=vec)
    peers = [
        _tess.Symbol("۲", 0.95, (("۲", 0.95),), sure=True, shape=vec),
        _tess.Symbol("۶", 0.95, (("۶", 0.95),), sure=True, shape=-vec),
    ]
    # Very like a sure ۲ of the card, unlike its sure ۶: but no sure ۷ to compare with.
    assert not _glyphs.confirm_by_peers([[near_tie], peers])[0][0].sure
    own = rng.normal(size=16).astype(np.float32)  # a ۷ of its own form (one form is one digit)
    seven = _tess.Symbol("۷", 0.95, (("۷", 0.95),), sure=True, shape=own / np.linalg.norm(own))
    assert _glyphs.confirm_by_peers([[near_tie], [*peers, seven]])[0][0].sure
    # the classifier reading it otherwise, or hesitating, keeps it unsure, whatever the peers say
    monkeypatch.setattr(_digitnet, "probabilities", lambda v, script: [("۶", 0.6), ("۲", 0.3)])
    assert not _glyphs.confirm_by_peers([[near_tie], [*peers, seven]])[0][0].sure
    monkeypatch.setattr(_digitnet, "probabilities", lambda v, script: [("۲", 0.6), ("۶", 0.3)])
    assert not _glyphs.confirm_by_peers([[near_tie], [*peers, seven]])[0][0].sure


def test_letters_of_a_joined_label_read_as_digits_are_dropped_only_when_unsure() -> None:
    code = [_tess.Symbol("۰۴۹۹۳۷۰۸۹۹"[i], 0.95, (("۰۴۹۹۳۷۰۸۹۹"[i], 0.95),), sure=True) for i in range(10)]
    letter = _tess.Symbol("۳", 0.7, (("۳", 0.7),), sure=False)  # the م of ملی, read as ۳
    field = national_code_field([*code, letter])
    assert (field.value, field.valid) == ("0499370899", True)
    sure_extra = _tess.Symbol("۳", 0.95, (("۳", 0.95),), sure=True)
    assert not national_code_field([*code, sure_extra]).valid  # eleven sure digits: no code


def test_a_near_tie_is_shown_as_fas_reads_it_but_stays_unsure(monkeypatch: pytest.MonkeyPatch) -> None:
    tie = _tess.Symbol("۲", 0.83, (("۲", 0.83), ("۴", 0.81), ("۳", 0.80)), sure=False)
    glyph = np.full((30, 20), 255, np.uint8)

    def fas_reads(char: str):
        return lambda *a, **k: (char, 0.9, [_tess.Symbol(char, 0.9, ((char, 0.9),))])

    monkeypatch.setattr(_tess, "read_line", fas_reads("۴"))
    shown = _glyphs._tie_shown(tie, glyph)
    assert (shown.text, shown.sure) == ("۴", False)
    monkeypatch.setattr(_tess, "read_line", fas_reads("۹"))  # not among the template's choices
    assert _glyphs._tie_shown(tie, glyph) is tie


def test_a_row_named_by_elimination_is_not_read_again_as_an_unlabelled_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The birth date's label is unread and the row is named by the labels' order; the
    # expiry date is printed without a label above the code. Read a second time as an
    # unlabelled date, the birth date row made two candidates for one missing date.
    from kyc_sdk.docs_ocr import national_card as nc

    def boxes(y: int) -> list[tuple[int, int, int, int]]:
        return [(400, y, 60, 20), (300, y, 80, 20)]  # label, value (right to left)

    texts = {10: "1410/02/03", 40: "0499370899", 160: "1370/05/12"}
    rows = [nc._Line(None, [], nc._chain(boxes(10)), False, row=boxes(10))]
    for y, key in ((40, "national_code"), (70, "first_name"), (100, "last_name")):
        b = boxes(y)
        rows.append(nc._Line(key, b[:1], b[1:], False, 0.9))
    rows.append(nc._Line(None, [], nc._chain(boxes(160)), False, row=boxes(160)))
    rows.append(nc._Line("father_name", boxes(190)[:1], boxes(190)[1:], False, 0.9))

    def read(crop: tuple[tuple[int, int, int, int], ...], *_: object) -> tuple[str, list[_tess.Symbol]]:
        text = to_persian_digits(texts[crop[0][1]])
        return text, [_tess.Symbol(ch, 0.95, ((ch, 0.95),), sure=True) for ch in text]

    monkeypatch.setattr(nc, "_labelled_rows", lambda grey, raw=None: rows)
    monkeypatch.setattr(nc, "_crop", lambda grey, found, **kw: tuple(found))
    monkeypatch.setattr(nc, "_read_name", lambda *a: nc.fields.MISSING)
    monkeypatch.setattr(nc._glyphs, "measure", lambda crop: crop, raising=False)
    monkeypatch.setattr(nc._glyphs, "looks_like_digits", lambda line: True)
    monkeypatch.setattr(nc._glyphs, "read_digits", read)
    got = nc._read_warped(np.zeros((300, 500, 3), np.uint8)).fields
    assert got["birth_date"].value == "1370/05/12"
    assert got["expiry_date"].value == "1410/02/03"


def test_each_row_is_split_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # A label with no value beside it looks at the row below; when that row has its own
    # label it is not taken, and its split (a label's OCR) is reused, not done again.
    from kyc_sdk.docs_ocr import national_card as nc

    grey = np.full((260, 500), 255, np.uint8)
    for y in (30, 100, 170):
        for x in range(100, 400, 12):
            grey[y : y + 24, x : x + 4] = 0  # a row of strokes
    calls: list[tuple[tuple[int, int, int, int], ...]] = []

    def split(grey: np.ndarray, ink: np.ndarray, row: list[tuple[int, int, int, int]]) -> nc._Line:
        calls.append(tuple(row))
        return nc._Line("first_name", row[:1], [], False, 0.9)  # a label alone on its row

    monkeypatch.setattr(nc, "_split_row", split)
    lines = nc._labelled_rows(grey)
    assert len(lines) == 3
    assert len(calls) == len(set(calls)) == 3


def test_a_row_is_measured_once_to_decide_and_read_its_digits(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whether an unlabelled row is digits, which script, and each digit: one scoring of
    # each glyph against each template bank.
    from kyc_sdk.docs_ocr import _digits
    from kyc_sdk.docs_ocr import national_card as nc

    bw = digit_line("۰۴۹۹۳۷۰۸۹۹", NAZLI)
    glyphs = len(_glyphs.boxes(bw)) - 2  # the two ۰ are dots, never scored
    counted = []
    real = _digits.classify_shapes
    monkeypatch.setattr(
        _digits, "classify_shapes", lambda vecs, script="eastern": counted.extend(vecs) or real(vecs, script)
    )
    monkeypatch.setattr(nc, "_crop", lambda grey, found, **kw: bw)
    found: dict[str, tuple[str, list[_tess.Symbol]]] = {}
    nc._unlabelled_digits(bw, [nc._Line(None, [], [(0, 0, 1, 1)], False)], found)
    assert national_code_field(found["national_code"][1]).value == "0499370899"
    assert len(counted) == 2 * glyphs


def test_a_line_under_falling_light_reads_once_the_card_is_evened(monkeypatch: pytest.MonkeyPatch) -> None:
    # A lamp at one side: the line darkens to a third of its brightness. One Otsu cut for
    # the whole crop turns the dark end's paper into ink; evened first, every digit reads.
    from kyc_sdk.docs_ocr import national_card as nc

    line = digit_line("۰۴۹۹۳۷۰۸۹۹", NAZLI)
    h, w = line.shape
    shaded = (line.astype(np.float32) * np.linspace(1.0, 0.3, w)[None, :]).astype(np.uint8)
    grey = np.full((h + 200, w + 200), 255, np.uint8)
    grey[100 : 100 + h, 100 : 100 + w] = shaded
    grey[:, 100 + w :] = int(shaded[0, -1])  # the paper beyond the line is as dim
    box = [(100, 100, w, h)]
    evened = national_code_field(_glyphs.read_digits(nc._crop(nc._flat(grey), box))[1])
    assert evened.value == "0499370899"
    raw = national_code_field(_glyphs.read_digits(nc._crop(grey, box))[1])
    assert raw.value != "0499370899"  # the failure the evening removes


def test_an_unsure_code_shows_its_likeliest_reading_that_passes_the_checksum() -> None:
    # Two near-ties: the top reading fails the checksum; the reading shown is the least
    # costly one that passes, and it is still not valid (a checksum met by choosing among
    # near-ties is met by chance one time in ten).
    def sym(*choices: tuple[str, float]) -> _tess.Symbol:
        return _tess.Symbol(choices[0][0], choices[0][1], choices)

    code = "0499370899"
    symbols = [sym(("۰۱۲۳۴۵۶۷۸۹"[int(d)], 0.95)) for d in code]
    symbols[3] = sym(("۸", 0.90), ("۹", 0.89))
    symbols[6] = sym(("۸", 0.90), ("۰", 0.89))
    field = national_code_field(symbols)
    assert (field.value, field.valid) == (code, False) and field.confidence < 0.5


def test_an_unsure_date_shows_a_reading_in_its_years() -> None:
    # An expiry date's ۴ near-tied with ۲: 1211 is no expiry year, 1411 is; shown, not valid.
    def sym(*choices: tuple[str, float]) -> _tess.Symbol:
        return _tess.Symbol(choices[0][0], choices[0][1], choices)

    text = "۱۴۱۱/۰۳/۲۲"
    symbols = [sym((ch, 0.95)) for ch in text]
    symbols[1] = sym(("۲", 0.84), ("۴", 0.83), ("۳", 0.82))
    field = date_field(symbols, "۱۲۱۱/۰۳/۲۲", (1380, 1440))
    assert (field.value, field.valid) == ("1411/03/22", False)


def _unit(rng: np.random.Generator) -> np.ndarray:
    vec = rng.normal(size=16).astype(np.float32)
    return vec / np.linalg.norm(vec)


def test_a_value_read_from_two_unlike_forms_on_one_card_is_not_sure() -> None:
    # A face the templates lack had its ۴ read as ۲, surely, beside its true ۲s: one
    # card prints one form per digit, so two unlike glyphs given one value cannot both be right.
    rng = np.random.default_rng(1)
    two, four, other = _unit(rng), _unit(rng), _unit(rng)

    def sym(text: str, shape: np.ndarray, script: str = "eastern") -> _tess.Symbol:
        return _tess.Symbol(text, 0.9, ((text, 0.9),), sure=True, shape=shape, script=script)

    code = [sym("۲", two), sym("۲", four), *[sym("۳", other) for _ in range(8)]]
    checked = _glyphs.confirm_by_peers([code])[0]
    assert [s.sure for s in checked[:2]] == [False, False]
    assert all(s.sure for s in checked[2:])  # the ۳s, one form, stay sure
    # the same form twice stays sure; a Latin 2 beside a Persian ۲ is another script's form
    assert all(s.sure for s in _glyphs.confirm_by_peers([[sym("۲", two), sym("۲", two)]])[0])
    mixed = _glyphs.confirm_by_peers([[sym("۲", two)], [sym("۲", four, "latin")]])
    assert all(s.sure for line in mixed for s in line)


def _glyph(ch: str, font: str = NAZLI, blur: float = 0.8) -> np.ndarray:
    face = ImageFont.truetype(f"/usr/share/fonts/{font}", 30)
    img = Image.new("L", (70, 70), 255)
    ImageDraw.Draw(img).text((35, 35), ch, font=face, fill=0, anchor="mm")
    grey = np.asarray(img.filter(ImageFilter.GaussianBlur(blur)))
    return np.where(grey < 128, 0, 255).astype(np.uint8)


def test_the_shipped_digit_classifier_reads_a_face_it_was_fitted_on() -> None:
    assert _digitnet.available()
    for ch in "۱۲۳۴۵۶۷۸۹":
        assert _digitnet.probabilities(_digitnet.features(_glyph(ch)), "eastern")[0][0] == ch
    for ch in "١٢٣٤٥٦٧٨٩":  # Arabic-Indic forms are read as their values
        assert (
            _digitnet.probabilities(
                _digitnet.features(_glyph(ch, "truetype/noto/NotoSansArabic-Regular.ttf")), "eastern"
            )[0][0]
            == "۱۲۳۴۵۶۷۸۹"["١٢٣٤٥٦٧٨٩".index(ch)]
        )


def test_a_card_is_read_by_the_classifier_when_the_templates_cannot_tell(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Templates equally like every value: what is shown comes from the classifier, and
    # nothing is sure (no template margin), so nothing is valid.
    def undecided(vec: np.ndarray, script: str = "eastern") -> list[tuple[str, float]]:
        return [(ch, 0.85) for ch in "۱۲۳۴۵۶۷۸۹/"]

    monkeypatch.setattr(
        _digits, "classify_shapes", lambda vecs, script="eastern": [undecided(v) for v in vecs]
    )
    person, fields = _read(monkeypatch, 31, synth.CardStyle(font="nazli"), rotate=3, blur=0.4)
    assert fields["national_code"]["value"] == person.national_code
    assert not fields["national_code"]["valid"]


def test_a_template_sure_glyph_the_classifier_reads_otherwise_is_not_sure() -> None:
    glyph = _glyph("۴")
    vec, seen = _digits.shape(glyph), _digitnet.features(glyph)
    wrong = [("۲", 0.95), ("۴", 0.86), ("۳", 0.85)]  # a clear template margin, for the wrong value
    symbol = _glyphs._symbol(vec, wrong, "eastern", seen)
    assert symbol.sure is False
    right = [("۴", 0.95), ("۲", 0.86), ("۳", 0.85)]
    assert _glyphs._symbol(vec, right, "eastern", seen).sure is True
    # nor is a glyph the classifier was given nothing of
    assert _glyphs._symbol(vec, right, "eastern").sure is False
    # ten such glyphs can never make a valid code, whatever the checksum says
    code = national_code_field([_glyphs._symbol(vec, wrong, "eastern", seen)] * 10)
    assert not code.valid


def test_a_glyph_the_classifier_hesitates_over_is_not_sure(monkeypatch: pytest.MonkeyPatch) -> None:
    # Both readers name ۳ and the templates by a clear margin, but the classifier only at
    # 0.55: a face neither knows can fool both the same way (Noto Naskh's ۴ read ۲), so the
    # glyph is not sure and a code of such glyphs is never valid, checksum or not.
    vec, seen = _digits.shape(_glyph("۳")), _digitnet.features(_glyph("۳"))
    scores = [("۳", 0.95), ("۴", 0.86), ("۲", 0.85)]
    monkeypatch.setattr(_digitnet, "probabilities", lambda v, script: [("۳", 0.55), ("۴", 0.4)])
    assert _glyphs._symbol(vec, scores, "eastern", seen).sure is False
    symbols = []
    for digit in map(to_persian_digits, "0499370899"):  # a valid code, each digit hesitated over
        monkeypatch.setattr(_digitnet, "probabilities", lambda v, script, d=digit: [(d, 0.55), ("۴", 0.4)])
        symbols.append(_glyphs._symbol(vec, [(digit, 0.95), ("۸", 0.86)], "eastern", seen))
    assert not national_code_field(symbols).valid
    monkeypatch.setattr(_digitnet, "probabilities", lambda v, script: [("۳", 0.97), ("۴", 0.02)])
    assert _glyphs._symbol(vec, scores, "eastern", seen).sure is True


def test_a_card_half_in_shadow_is_found_whole() -> None:
    # A pale card on a brown table, a shadow over its right part: the pale region is only
    # the left part, while the card's edges still show all of it.
    from kyc_sdk.docs_ocr import locate

    frame = np.zeros((600, 900, 3), np.uint8)
    frame[:] = (120, 70, 30)
    frame[100:480, 120:720] = (225, 228, 232)
    light = np.clip(1.0 - 0.5 * (np.arange(900) - 420) / 80, 0.5, 1.0)  # a soft shadow edge
    frame = (frame * light[None, :, None]).astype(np.uint8)
    found = locate.find_document(frame, synth.CARD_SIZE)
    assert found is not None
    xs = found.corners[:, 0]  # type: ignore[index]
    assert xs.min() < 140 and xs.max() > 700, xs


@pytest.mark.parametrize("printed", ["049-937089-9", "049 937089 9"])
def test_a_grouped_latin_code_is_its_ten_digits_and_valid(printed: str) -> None:
    field = national_code_field(_glyphs.read_digits(digit_line(printed))[1])
    assert (field.value, field.valid) == ("0499370899", True)
