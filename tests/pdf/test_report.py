"""The layout report finds what a proofreader would, and the example has none of the bad ones."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from medieninfo.model.release import load_release, parse_release
from medieninfo.render import letterhead_for, render_release

from conftest import EXAMPLES


def _findings(release):  # type: ignore[no-untyped-def]
    return render_release(release, letterhead_for(release)).findings


def test_example_has_no_widows_orphans_or_stranded_headings() -> None:
    kinds = {f.kind for f in _findings(load_release(EXAMPLES / "eu-mission.yaml"))}
    assert not kinds & {
        "widow",
        "orphan",
        "heading at page foot",
        "overfull line",
        "short last page",
    }
    # The reference headline is long; the report says so.
    assert "headline length" in kinds


def test_long_headline_is_reported_and_a_good_one_is_not() -> None:
    good = "date: 2022-04-28\nheadline: Neuer Spielplatz am Rathaus eröffnet\nbody: Text.\n"
    bad = "date: 2022-04-28\nheadline: Kurz\nbody: Text.\n"
    assert not _findings(parse_release(good.encode(), name="g.yaml", folder=Path(".")))
    (finding,) = _findings(parse_release(bad.encode(), name="b.yaml", folder=Path(".")))
    assert finding.kind == "headline length" and "4 characters" in finding.message


def _release_with(paragraphs: int):  # type: ignore[no-untyped-def]
    text = "date: 2022-04-28\nheadline: Ein Spielplatz für alle Kinder der Stadt\nbody: |\n"
    text += "".join("  Ein kurzer Absatz mit etwas Text.\n\n" for _ in range(paragraphs))
    return parse_release(text.encode(), name="s.yaml", folder=Path("."))


def _pages(count: int, *, tight: bool) -> tuple[int, list[str]]:
    from medieninfo.render import _lay_out, prepare

    release = _release_with(count)
    rendered = _lay_out(prepare(release, letterhead_for(release)), tight=tight)
    return rendered.pages, [f.kind for f in rendered.findings]


def test_a_lonely_last_line_is_pulled_back_onto_the_page_before() -> None:
    # The first count of one-line paragraphs that spills onto a second page puts one line
    # there; render_release then sets paragraphs closer and saves the page.
    count = next(n for n in range(20, 80) if _pages(n, tight=False)[0] == 2)
    assert _pages(count, tight=False) == (2, ["short last page"])
    release = _release_with(count)
    rendered = render_release(release, letterhead_for(release))
    assert rendered.pages == 1
    assert not rendered.findings


def test_short_last_page_is_reported_when_tightening_cannot_save_it() -> None:
    # One long paragraph: there is no space between paragraphs to take in, so a couple of
    # lines on page 2 stay there, and the report says so.
    for words in range(400, 900, 5):
        text = "date: 2022-04-28\nheadline: Ein Spielplatz für alle Kinder der Stadt\n"
        text += "body: " + " ".join(["Wort"] * words) + "\n"
        release = parse_release(text.encode(), name="l.yaml", folder=Path("."))
        rendered = render_release(release, letterhead_for(release))
        if rendered.pages == 2:
            break
    assert rendered.pages == 2
    (finding,) = [f for f in rendered.findings if f.kind == "short last page"]
    assert finding.page == 2 and "only 2 line" in finding.message


def test_render_and_check_print_the_report(tmp_path: Path) -> None:
    from conftest import run_cli

    source = tmp_path / "r.yaml"
    source.write_text("date: 2022-04-28\nheadline: Kurz\nbody: Text.\n", encoding="utf-8")
    result = run_cli("render", "--report", "-q", source)
    assert result.returncode == 0
    expected = f"{source}: headline length: 4 characters; press headlines read best at 30–40"
    assert result.stderr.decode().strip() == expected
    (tmp_path / "r.pdf").unlink()
    result = run_cli("check", "--report", source)
    assert result.returncode == 0
    assert result.stderr.decode().strip() == expected
    assert not (tmp_path / "r.pdf").exists(), "check must not write a PDF"


def test_check_finds_a_character_no_font_has(tmp_path: Path) -> None:
    import json

    from conftest import run_cli

    source = tmp_path / "r.yaml"
    source.write_text("date: 2022-04-28\nheadline: Titel 😀\nbody: Text.\n", encoding="utf-8")
    result = run_cli("check", source)
    assert result.returncode == 1
    assert result.stderr.decode().startswith(f"{source}:2: headline: character '😀'")
    result = run_cli("check", "--report", "--json", source)
    assert result.returncode == 1
    (entry,) = json.loads(result.stdout)
    assert entry["ok"] is False and entry["errors"][0]["line"] == 2
    assert "U+1F600" in entry["errors"][0]["message"]


def test_report_quotes_text_as_the_reader_sees_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from medieninfo.pdf import report

    recorders: list[report.LayoutRecorder] = []
    original = report.LayoutRecorder.attach

    def attach(self, document):  # type: ignore[no-untyped-def]
        recorders.append(self)
        original(self, document)

    monkeypatch.setattr(report.LayoutRecorder, "attach", attach)
    text = "date: 2022-04-28\nheadline: A\nbody: |\n  ## AT&T <b>fett</b>\n"
    release = parse_release(text.encode(), name="h.yaml", folder=Path("."))
    render_release(release, letterhead_for(release))
    assert "AT&T <b>fett</b>" in [placed.preview for placed in recorders[0].placed]


def test_a_finding_quotes_the_start_of_its_paragraph() -> None:
    # A word wider than the column: the finding names the paragraph by its first words,
    # read back from the drawn paragraph (line ends marked) only now that it is needed.
    word = "Donaudampfschifffahrtsgesellschaftskapitän" * 4
    text = (
        "date: 2022-04-28\nheadline: Ein Spielplatz für alle Kinder der Stadt\n"
        f"body: |\n  Vorne steht Text,\n  dann {word} und mehr.\n"
    )
    release = parse_release(text.encode(), name="w.yaml", folder=Path("."))
    (finding,) = [f for f in _findings(release) if f.kind == "emergency break"]
    assert f"'{('Vorne steht Text, dann ' + word)[:40]}…'" in finding.message


_WORDS = ["Wort", "Donaudampfschifffahrt", "a", "–", "„Zitat“", "E-Mail", "\n", "  ", "x" * 45]


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(_WORDS), max_size=120), wrapped=st.booleans())
def test_the_preview_is_the_start_of_the_whole_text(words: list[str], wrapped: bool) -> None:
    # Read from the first fragments only, it must be what the whole text gives.
    from reportlab.lib.styles import ParagraphStyle

    from medieninfo.pdf import report
    from medieninfo.pdf.layout import TaggedParagraph

    paragraph = TaggedParagraph(" ".join(words), ParagraphStyle("p"))
    if wrapped:  # the fragments become words, as once the paragraph is placed
        paragraph.wrap(120, 10_000)
    whole = " ".join(paragraph.getPlainText().split())[:40]
    assert report._preview(paragraph) == whole
