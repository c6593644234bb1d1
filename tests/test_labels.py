"""Printed labels and dates follow ``lang``; a letterhead may override them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pikepdf
import pytest

from medieninfo.errors import InputError
from medieninfo.model.labels import labels_for
from medieninfo.model.letterhead import load_letterhead
from medieninfo.model.release import parse_release
from medieninfo.render import letterhead_for, render_release
from proofreading import COLUMN_LEFT, COLUMN_RIGHT  # the Dortmund column

from conftest import pdf_pages

ASSETS = Path(__file__).resolve().parents[1] / "assets"

RELEASE = """\
date: 2026-06-11
lang: {lang}
headline: A headline of a reasonable length here
embargo: 2026-06-11 12:00
contact: Jane Doe
body: |
  {body}
"""


def _pages(lang: str, body: str = "Text.", folder: Path = Path("."), extra: str = "") -> str:
    text = RELEASE.format(lang=lang, body=body) + extra
    release = parse_release(text.encode(), name="r.yaml", folder=folder)
    return "\n".join(pdf_pages(render_release(release, letterhead_for(release)).pdf))


@pytest.mark.parametrize(
    ("lang", "expected", "absent"),
    [
        ("en-GB", ["11 June 2026", "Embargo: 11 June 2026, 12:00", "Contact: Jane Doe"], "Kontakt"),
        ("en-US", ["June 11, 2026", "Contact: Jane Doe"], "Sperrfrist"),
        ("fr-FR", ["11 juin 2026", "Contact : Jane Doe", "12 h 00"], "Kontakt"),
        (
            "de-DE",
            ["11.6.2026", "Sperrfrist: 11.6.2026, 12:00 Uhr", "Kontakt: Jane Doe"],
            "Contact",
        ),
    ],
)
def test_labels_and_dates_follow_the_language(lang: str, expected: list[str], absent: str) -> None:
    text = _pages(lang).replace("\xa0", " ")
    for item in expected:
        assert item in text, (item, text)
    assert absent not in text


@pytest.mark.parametrize(
    ("lang", "expected", "absent"),
    [
        ("en-GB", ["11 June 2026", "Embargo: 11 June 2026, 12:00", "Contact: Jane Doe"], "Kontakt"),
        ("fr-FR", ["11 juin 2026", "Contact : Jane Doe"], "Sperrfrist"),
        (
            "de-DE",
            ["11.6.2026", "Sperrfrist: 11.6.2026, 12:00 Uhr", "Kontakt: Jane Doe"],
            "Embargo",
        ),
    ],
)
def test_the_web_page_and_the_plain_text_use_the_same_labels(
    lang: str, expected: list[str], absent: str
) -> None:
    from html.parser import HTMLParser

    from medieninfo.render import render_outputs

    text = RELEASE.format(lang=lang, body="Text.").encode()
    release = parse_release(text, name="r.yaml", folder=Path("."))
    outputs = render_outputs(release, letterhead_for(release), ("html", "txt")).outputs
    seen: list[str] = []
    parser = HTMLParser()
    parser.handle_data = seen.append  # type: ignore[method-assign]
    parser.feed(outputs["html"].decode())
    for output in (" ".join(seen), outputs["txt"].decode()):
        words = " ".join(output.replace("\xa0", " ").split())
        for item in expected:
            assert item in words, (item, words)
        assert absent not in words


def test_page_numbers_follow_the_language() -> None:
    body = "\n\n  ".join(["Ein Satz, der die Seite füllt. " * 12] * 14)
    assert "Page 1 of 2" in _pages("en-GB", body)
    assert "Page 1 sur 2" in _pages("fr-FR", body)
    assert "Seite 1 von 2" in _pages("de-DE", body)


def _letterhead(tmp_path: Path, labels: str) -> Path:
    """The Dortmund letterhead without its logo (which must lie beside it), plus ``labels``."""
    original = (ASSETS / "letterheads" / "dortmund.yaml").read_text(encoding="utf-8")
    kept = [line for line in original.splitlines() if not line.startswith("logo")]
    path = tmp_path / "letterhead.yaml"
    path.write_text("\n".join(kept) + "\n" + labels, encoding="utf-8")
    return path


def test_the_letterhead_overrides_a_label(tmp_path: Path) -> None:
    path = _letterhead(tmp_path, 'labels:\n  en:\n    contact: "Press contact: {contact}"\n')
    lh = load_letterhead(path)
    assert labels_for("en-GB", lh.labels).contact("J") == "Press contact: J"
    assert labels_for("de-DE", lh.labels).contact("J") == "Kontakt: J"
    text = _pages("en-GB", folder=tmp_path, extra=f"letterhead: {path}\n")
    assert "Press contact: Jane Doe" in text


def test_a_bad_label_is_reported_at_its_place(tmp_path: Path) -> None:
    path = _letterhead(tmp_path, 'labels:\n  en:\n    page: "{page} / {total}"\n    kontakt: x\n')
    lines = path.read_text(encoding="utf-8").splitlines()
    with pytest.raises(InputError) as caught:
        load_letterhead(path)
    messages = [str(problem) for problem in caught.value.problems]
    page_line = next(i for i, line in enumerate(lines, 1) if "page:" in line and "{" in line)
    assert any(
        f":{page_line}:" in m and "unknown placeholder {total}" in m and "{pages}" in m
        for m in messages
    ), messages
    assert any("unknown field 'labels.en.kontakt'" in m for m in messages), messages


def test_the_date_label_uses_month_names() -> None:
    assert labels_for("en-GB").date(dt.date(2026, 3, 1)) == "1 March 2026"
    assert labels_for("de").date(dt.date(2026, 3, 1)) == "1.3.2026"
    assert labels_for("xx").page(1, 2) == "Seite 1 von 2"  # unknown: the letterhead's German


def test_the_sperrfrist_box_lines_up_with_the_text_column() -> None:
    release = parse_release(RELEASE.format(lang="de-DE", body="Text.").encode(), name="r.yaml",
                            folder=Path("."))  # fmt: skip
    pdf = render_release(release, letterhead_for(release)).pdf
    with pikepdf.open(__import__("io").BytesIO(pdf)) as document:
        page = document.pages[0]
        rectangles = [
            [float(v) for v in operands]
            for operands, operator in pikepdf.parse_content_stream(page)
            if str(operator) == "re"
        ]
    boxes = [r for r in rectangles if r[2] > 100 and r[3] < 40]
    assert boxes, rectangles
    # Drawn in the paragraph's coordinates, whose origin is the column's left edge: the box
    # starts there and is exactly as wide as the column (before: 6 pt out on either side).
    x, _, width, _ = boxes[0]
    assert abs(x) < 0.5 and abs(width - (COLUMN_RIGHT - COLUMN_LEFT)) < 0.5, (x, width)


def test_a_phone_number_never_breaks_across_lines() -> None:
    # At every column position the number may fall on, it stays on one line.
    for pad in range(0, 60, 3):
        body = "x" * 0 + "Wort " * (pad // 5) + "Ruf " * (pad % 5) + "an: 0231 50-2 47 11 bitte."
        text = _pages("de-DE", body)
        assert "0231 50-2 47 11" in text.replace("\xa0", " "), (pad, text)


def test_a_letterhead_may_justify_the_text(tmp_path: Path) -> None:
    from proofreading import blocks, read_lines

    path = _letterhead(tmp_path, "text_align: justify\n")
    body = "\n\n  ".join(
        ["Die Stadt Dortmund lädt alle Bürgerinnen und Bürger zur Eröffnung des neuen Parks ein."
         * 4] * 2
    )  # fmt: skip
    text = RELEASE.format(lang="de-DE", body=body) + f"letterhead: {path}\n"
    release = parse_release(text.encode(), name="r.yaml", folder=tmp_path)
    pdf = render_release(release, letterhead_for(release)).pdf
    body_blocks = [
        b for b in blocks(read_lines(pdf)) if abs(b.size - 10.5) < 0.3 and len(b.lines) > 2
    ]
    assert body_blocks
    for block in body_blocks:
        for line in block.lines[:-1]:
            assert abs(line.x1 - COLUMN_RIGHT) < 1.0, (line.text, line.x1)
        assert block.lines[-1].x1 < COLUMN_RIGHT - 20  # the last line is not stretched
