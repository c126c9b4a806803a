"""The docs pages and the JSON files publish the same vectors, and every style that signs
anything publishes some."""

from __future__ import annotations

import pytest

from tests.vectors.published import HERE, ROOT, STYLES_WITH_VECTORS, document, on_page, parse


@pytest.mark.parametrize("style", STYLES_WITH_VECTORS)
def test_the_page_and_the_file_carry_the_same_vectors(style: str) -> None:
    written = on_page(style)
    assert written, f"docs/styles/{style}.md has no vector blocks under '## Test vectors'"
    assert written == document(style)["vectors"]


@pytest.mark.parametrize("style", STYLES_WITH_VECTORS)
def test_each_file_names_its_style_and_how_it_was_computed(style: str) -> None:
    found = document(style)
    assert found["style"] == style
    assert "openssl" in found["computed_with"]
    names = [v["vector"] for v in found["vectors"]]
    assert len(names) == len(set(names)), "vector names must be unique"
    for vector in found["vectors"]:
        assert all(isinstance(value, str) for value in vector.values())


def test_every_vector_file_has_its_page_and_every_page_says_whether_it_has_vectors() -> None:
    files = sorted(p.stem for p in HERE.glob("*.json"))
    assert files == sorted(STYLES_WITH_VECTORS)
    for page in sorted((ROOT / "docs" / "styles").glob("*.md")):
        if page.stem != "index":
            assert "\n## Test vectors\n" in page.read_text("utf-8"), page.name


def test_a_changed_value_on_the_page_would_be_noticed() -> None:
    """The comparison reads values, not just names: one character off on the page is a
    difference."""
    style = "cirrus"
    signature = document(style)["vectors"][0]["X-App-Access-Sig"]
    page = (ROOT / "docs" / "styles" / f"{style}.md").read_text("utf-8")
    assert signature in page
    changed = page.replace(signature, ("1" if signature[0] == "0" else "0") + signature[1:], 1)
    assert parse(page) == document(style)["vectors"] and parse(changed) != document(style)["vectors"]
