"""The card's rows found by their labels in any order: a label misread loses no field
that elimination can still name, and a two-word label is not cut into a shorter one."""

from __future__ import annotations

import random

import numpy as np
import pytest

from kyc_sdk.docs_ocr import _glyphs, national_card, read_national_card, synth

# An order nobody evaluates on (neither today's, ocr_eval's alternative nor its fresh one).
REVERSED = tuple(reversed(synth.LABELS))


def _card(seed: int, style: synth.CardStyle) -> tuple[synth.Person, np.ndarray]:
    rng = random.Random(seed)
    person = synth.random_person(rng)
    return person, synth.render_national_card(person, style=style, rng=rng)


@pytest.mark.parametrize("layout", ["flow", "column", "stacked"])
def test_a_name_whose_label_is_misread_is_named_by_elimination_in_any_order(
    monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    person, card = _card(5, synth.CardStyle(font="nazli", layout=layout, order=REVERSED))
    real = national_card._blob_label

    def misread_father(*args: object, **kwargs: object) -> tuple[float, str | None, str]:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        return (0.0, None, "") if found[1] == "father_name" else found

    monkeypatch.setattr(national_card, "_blob_label", misread_father)
    fields = read_national_card(card)["fields"]
    assert fields["father_name"]["value"] == person.father_name
    assert fields["first_name"]["value"] == person.first_name
    assert fields["last_name"]["value"] == person.last_name


@pytest.mark.parametrize("layout", ["flow", "column", "stacked"])
def test_two_names_whose_labels_are_misread_are_named_by_their_labels_widths(
    monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    # Elimination cannot tell two unread name rows apart; the labels' column finds them
    # and the labels' widths (نام narrower than نام پدر) name them.
    person, card = _card(5, synth.CardStyle(font="nazli", layout=layout, order=REVERSED))
    real = national_card._blob_label

    def misread_two(*args: object, **kwargs: object) -> tuple[float, str | None, str]:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        return (0.0, None, "") if found[1] in ("father_name", "first_name") else found

    monkeypatch.setattr(national_card, "_blob_label", misread_two)
    fields = read_national_card(card)["fields"]
    assert fields["father_name"]["value"] == person.father_name
    assert fields["first_name"]["value"] == person.first_name


def _column_row(y: int, label_width: int) -> national_card._Line:
    label = (900 - label_width, y, label_width, 30)
    return national_card._Line(None, [label], [(600, y, 120, 30)], True, in_column=True)


def test_names_are_not_guessed_when_the_labels_widths_do_not_tell_them_apart() -> None:
    grey = np.full((630, 1000), 255, np.uint8)  # blank: no value looks like digits
    read = national_card._Line("last_name", [(700, 300, 200, 30)], [(400, 300, 120, 30)], True)
    apart = [_column_row(100, 60), _column_row(200, 110), read]
    named = national_card._names_by_width(grey, apart, ["first_name", "father_name"], set())
    assert named == {"first_name": apart[0].value, "father_name": apart[1].value}
    alike = [_column_row(100, 100), _column_row(200, 110), read]  # 10 % apart: no
    assert national_card._names_by_width(grey, alike, ["first_name", "father_name"], set()) == {}
    wider = [_column_row(100, 60), _column_row(200, 220), read]  # "father" wider than the surname
    assert national_card._names_by_width(grey, wider, ["first_name", "father_name"], set()) == {}
    assert national_card._names_by_width(grey, apart[:1], ["first_name", "father_name"], set()) == {}


def test_a_label_cut_at_its_word_gap_is_not_the_first_words_of_the_label_it_reads_as() -> None:
    fair = national_card._Line("last_name", [], [], False, 0.64)
    assert national_card._prefix_of("first_name", fair)  # نام of نام خانوادگی
    assert not national_card._prefix_of("first_name", national_card._Line("national_code", [], [], False))
    assert not national_card._prefix_of("last_name", fair)
    assert not national_card._prefix_of("first_name", None)


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("جمهوری اسلامی ایران", True),
        ("کارت هوشمند ملی", True),
        ("کارت شناسائی ملی", True),
        ("نام پدر: محمد", False),
        ("رضایی", False),
    ],
)
def test_the_cards_heading_is_not_taken_for_a_name_row(text: str, heading: bool) -> None:
    assert national_card._heading(text) is heading


def test_a_speck_between_a_label_and_the_value_under_it_is_not_the_value() -> None:
    # The photo beside a stacked layout leaves specks of its own rows between a label
    # and its value; the value is the row printed under the label, in its column.
    person, card = _card(7, synth.CardStyle(font="noto-sans", layout="stacked"))
    rows = national_card._rows(national_card._blobs(national_card._ink(np.asarray(card[..., 1]))))
    label, value = rows[3][0], rows[4][0]  # heading, code's label and value, first name's label
    centre = (label[1] + label[3] / 2 + value[1] + value[3] / 2) / 2  # a row of its own between them
    speck = card.copy()
    speck[round(centre) - 8 : round(centre) + 8, 300:320] = 20
    fields = read_national_card(speck)["fields"]
    assert fields["first_name"]["value"] == person.first_name


@pytest.mark.parametrize("tall", [0.45, 0.9])
def test_a_mark_beside_a_label_above_its_value_does_not_take_the_value_s_place(tall: float) -> None:
    # A label printed above its value: a mark on the label's row is not its value, the row
    # below is: a speck much shorter than the label (the photo's edge, seen blurred on a
    # tuning card), or a text-sized mark (a shaded photo) on a card whose other labels
    # are above their values too.
    style = synth.CardStyle(font="noto-naskh", layout="stacked", label_side="left")
    person, card = _card(5, style)
    grey = national_card._flat(card.mean(axis=2).astype(np.uint8))
    label = next(line for line in national_card._labelled_rows(grey) if line.key == "last_name").label[0]
    x, y, w, h = label
    speck = card.copy()
    top = y + h // 2 - round(0.2 * h)
    speck[top : top + round(tall * h), x + w + 120 : x + w + 155] = 40
    fields = read_national_card(speck)["fields"]
    assert fields["last_name"]["value"] == person.last_name
    assert fields["first_name"]["value"] == person.first_name


@pytest.mark.parametrize(("layout", "side"), [("flow", "right"), ("column", "left"), ("stacked", "right")])
def test_digit_rows_whose_labels_read_as_nothing_are_found_in_the_labels_column(
    monkeypatch: pytest.MonkeyPatch, layout: str, side: str
) -> None:
    # A display face's labels read as nothing like a label: the row was read whole, its
    # label's letters before its digits, and the code and both dates were lost (in an
    # order the labels' order cannot name them by).
    style = synth.CardStyle(font="nazli", layout=layout, label_side=side, colon=False, order=REVERSED)
    person, card = _card(5, style)
    real = national_card._blob_label

    def misread_digit_labels(*args: object, **kwargs: object) -> tuple[float, str | None, str]:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        return (0.0, None, "") if found[1] in ("national_code", "birth_date", "expiry_date") else found

    monkeypatch.setattr(national_card, "_blob_label", misread_digit_labels)
    fields = read_national_card(card)["fields"]
    for key in ("national_code", "birth_date", "expiry_date"):
        assert fields[key]["value"] == getattr(person, key)


@pytest.mark.parametrize("layout", ["flow", "column", "stacked"])
def test_a_card_none_of_whose_labels_reads_gives_its_rows_by_the_labels_column(
    monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    # A display face OCR reads no label of: the column most rows end at is the labels';
    # the code and dates come by their shape, the names by their labels' widths.
    person, card = _card(5, synth.CardStyle(font="nazli", layout=layout, order=REVERSED))
    monkeypatch.setattr(national_card, "_blob_label", lambda *args, **kwargs: (0.0, None, ""))
    monkeypatch.setattr(national_card, "_pieces", lambda ink, blob: [])
    fields = read_national_card(card)["fields"]
    right = [key for key in synth.LABELS if fields[key]["value"] == getattr(person, key)]
    assert len(right) >= 5, right


def test_rows_of_letters_without_a_label_or_a_digit_are_not_a_card(monkeypatch: pytest.MonkeyPatch) -> None:
    _, card = _card(5, synth.CardStyle(font="nazli", order=REVERSED))
    monkeypatch.setattr(national_card, "_blob_label", lambda *args, **kwargs: (0.0, None, ""))
    monkeypatch.setattr(national_card, "_pieces", lambda ink, blob: [])
    monkeypatch.setattr(_glyphs, "looks_like_digits", lambda line: False)
    assert not read_national_card(card)["found"]


def test_an_unread_row_without_a_label_blob_names_nothing_by_width() -> None:
    # A stacked pair whose label row held no blob (development: Aref Ruqaa, blurred,
    # stacked) reached the width ranking with an empty label, and the card's reading
    # raised ValueError instead of returning its fields.
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (600, 200), 255)
    font = ImageFont.truetype(str(synth.font_path("nazli")), 40)
    ImageDraw.Draw(img).text((200, 60), "کیانی", font=font, fill=0)
    grey = np.asarray(img)
    ys, xs = np.nonzero(grey < 128)
    value = (int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))
    assert not _glyphs.looks_like_digits(_glyphs.measure(national_card._crop(grey, [value])))
    line = national_card._Line(None, [], [value], False, in_column=True)
    assert national_card._names_by_width(grey, [line], ["first_name"], set()) == {}
