"""PDF/A-2u and PDF/UA-1 as independent tools read them, and text as a reader gets it.

Every PDF here (the two examples, and generated releases that use every feature on both
letterheads) is checked by tools we did not write:

- page-validation (PyPI ``page-validation``, the ``page`` checker) with its PDF/A-2u
  (``2u``) and PDF/UA-1 (``ua1``) profiles: no failed rule;
- outloud (PyPI ``outloud``), PDF/UA-1 plus its semantic checks: no finding at all, of any
  severity;
- poppler's ``pdfinfo -struct-text`` reads the structure tree without a message, and the
  text of each block element is made of the release's own words: no two words glued
  together where a line broke, no line-end hyphen left inside a word;
- MuPDF (PyMuPDF) extracts the page text: a line-end hyphen the line breaker inserted is a
  soft hyphen (U+00AD), never U+002D, and U+00A0 survives as itself.

The expected words come from the release (its fields and the Markdown body as medieninfo
parses and refines it), never from a PDF.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from medieninfo.model.content import Block, Heading, ListBlock, Paragraph
from medieninfo.model.letterhead import Letterhead
from medieninfo.model.release import load_release
from medieninfo.render import letterhead_for, prepare

from conftest import EXAMPLES, ROOT, render_ok, run_cli

MUSTERSTADT = EXAMPLES / "musterstadt" / "letterhead.toml"

#: A long paragraph: more than content.CHUNK_CHARS, so it is laid out in pieces.
_LONG = " ".join(
    f"Satz {n}: "
    + (
        f"[die Klimaanpassungsmaßnahmen der Stadtverwaltung und ihre Bürgerbeteiligung an der "
        f"Wärmeversorgung von Gebäuden, Teil {n} der Unterlagen](https://example.org/{n})."
        if n % 2
        else "die Klimaanpassungsmaßnahmen der Stadtverwaltung und ihre Bürgerbeteiligung."
    )
    for n in range(60)
)
#: Links in _LONG cross lines and, somewhere in it, a page break (a test checks that).


def _feature_body() -> str:
    """Markdown that uses everything a release may contain, over several pages."""
    parts = [
        "Die Stadt lädt zur **Bürgerversammlung** am 3. März ein; sie beginnt um 18 Uhr "
        "im *Rathaus*. Rund 30 % der Fläche, z. B. der Rathausplatz, bleiben frei. "
        "Große CO~2~-Emittenten und 1 200 m^2^ Dachfläche sind „Thema“ des Abends.",
        "Alle Unterlagen stehen unter https://www.example.org/buergerversammlung/unterlagen "
        "bereit, Fragen beantwortet info@stadt-beispiel.de, und mehr steht auf "
        "www.example.org und [der Seite des Amtes](https://example.org/amt).",
        "Sehr lange Wörter wie Donaudampfschifffahrtsgesellschaftskapitän, "
        "Rechtsschutzversicherungsgesellschaften und Kraftfahrzeughaftpflicht"
        "versicherung brechen am Zeilenende mit einem Trennstrich, die EU-Mission "
        "und Klima-Luft-Programme an ihrem eigenen Bindestrich; Schiff\xadfahrt hat "
        "ein weiches Trennzeichen. Pfeile → und Haken ✓ kommen aus Ersatzschriften.",
        "## Was geplant ist",
        "- eine Kletterwand mit drei Schwierigkeitsgraden\n"
        "- ein Wasserspielbereich, geöffnet von 9-18 Uhr\n"
        "  - mit Trinkbrunnen\n"
        "  - mit Schattensegel\n"
        "- Sitzbänke im Schatten",
        "1. Im Frühjahr folgt die Bepflanzung.\n2. Im Sommer kommt das Sonnensegel.",
        "### Zeitplan",
        "Erste Zeile  \nzweite Zeile nach einem harten Umbruch.",
        "> Ein Zitat der Bürgermeisterin, kursiv gesetzt.",
        _LONG,
    ]
    topics = ["Verkehr", "Schulen", "Wohnen", "Grünflächen", "Radwege", "Sport", "Kultur"]
    for n, topic in enumerate([*topics, "Ausblick"], start=1):
        parts.append(f"## Abschnitt {n}: {topic}")
        parts.append(
            f"Der Abschnitt über {topic} beschreibt die Maßnahmen im Quartier und "
            "die Zusammenarbeit mit den Nachbarschaftsinitiativen; Einzelheiten stehen "
            f"unter [Abschnitt {n} im Netz](https://example.org/abschnitt/{n}) und "
            "https://example.org/lange/adresse/mit/vielen/teilen/die/umbricht. "
            * 5
            + f"[Die Stellungnahmen der Ortsbeiräte zu Abschnitt {n}, die Protokolle der "
            "Anhörungen und die Antworten der Verwaltung auf alle eingegangenen Fragen "
            "stehen gesammelt auf einer eigenen Seite](https://example.org/stellungnahmen)."
        )
        parts.append(f"### Einzelheiten {n}")
        parts.append(
            "- Informationsveranstaltungen in den Stadtbezirken\n"
            "- Beteiligungsverfahren für Anwohnerinnen und Anwohner"
        )
    return "\n\n".join(parts)


def _feature_release(letterhead: str | None) -> str:
    body = "\n".join("  " + line if line else "" for line in _feature_body().splitlines())
    head = f"letterhead: {letterhead}\n" if letterhead else ""
    return (
        "date: 2026-11-24\nnumber: 42\n" + head + "embargo: 2026-11-25 10:00\n"
        "headline: Stadt lädt zur Bürgerversammlung über den Rathausplatz\n"
        "subtitle: Alle Pläne für Spielplatz, Verkehr und Klima werden vorgestellt.\n"
        "contact: Erika Mustermann, Telefon 01234 567-0\n"
        "body: |\n" + body + "\n"
    )


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """(release, PDF) by name: the examples and the feature release on both letterheads."""
    folder = tmp_path_factory.mktemp("validated")
    sources = {
        "eu-mission": EXAMPLES / "eu-mission.yaml",
        "eu-mission-toml": EXAMPLES / "eu-mission.toml",
        "musterstadt": EXAMPLES / "musterstadt" / "release.yaml",
    }
    for name, letterhead in (("features-dortmund", None), ("features-musterstadt", MUSTERSTADT)):
        source = folder / f"{name}.yaml"
        source.write_text(_feature_release(str(letterhead) if letterhead else None), "utf-8")
        sources[name] = source
    return {
        name: (source, render_ok(source, folder / f"{name}.pdf"))
        for name, source in sources.items()
    }


NAMES = [
    "eu-mission",
    "eu-mission-toml",
    "musterstadt",
    "features-dortmund",
    "features-musterstadt",
]


@pytest.mark.parametrize("name", ["features-dortmund", "features-musterstadt"])
def test_the_feature_releases_exercise_what_they_claim(
    pdfs: dict[str, tuple[Path, Path]], name: str
) -> None:
    """Several pages, links across a line and across a page break, paragraphs split by a
    page break, nested lists, both subheading levels, Sperrfrist, sidebar links on later
    pages: otherwise the validators above would pass on less than they should."""
    import pikepdf

    with pikepdf.open(pdfs[name][1]) as pdf:
        index = {page.objgen: number for number, page in enumerate(pdf.pages)}
        pages_of: dict[str, list[set[int]]] = {}

        def walk(element: pikepdf.Dictionary) -> set[int]:
            here = {index[element.Pg.objgen]} if "/Pg" in element else set()
            kids = element.get("/K")
            seen: set[int] = set()
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, int):
                    seen |= here
                elif isinstance(kid, pikepdf.Dictionary) and "/Pg" in kid and "/S" not in kid:
                    seen.add(index[kid.Pg.objgen])
                elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    seen |= walk(kid)
            pages_of.setdefault(str(element.S)[1:], []).append(seen)
            return seen

        root = pdf.Root.StructTreeRoot.K
        walk(root[0] if isinstance(root, pikepdf.Array) else root)
        assert len(pdf.pages) >= 6
    assert any(len(pages) > 1 for pages in pages_of["Link"]), "a link across a page break"
    assert sum(len(pages) > 1 for pages in pages_of["P"]) >= 2, "paragraphs across pages"
    assert len(pages_of["Aside"]) == len(index), "a sidebar Aside on every page"
    assert {"H1", "H2", "H3", "L", "LI", "Lbl", "LBody", "Span", "Figure"} <= set(pages_of)
    assert len(pages_of["L"]) >= 10
    texts = release_texts(pdfs[name][0])[0]
    assert any(text.startswith("Sperrfrist: ") for text in texts)


# ------------------------------------------------------------------ what the release says


def _block_texts(blocks: list[Block] | tuple[Block, ...]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            for number, item in enumerate(block.items, start=block.start):
                out.append(f"{number}." if block.ordered else "–")
                out += _block_texts(item)
        elif isinstance(block, Paragraph | Heading):
            out.append("".join(" " if s.text == "\n" else s.text for s in block.spans))
    return out


@cache
def release_texts(source: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The texts the PDF shows for a release: (its fields and body, its sidebar)."""
    release = load_release(source)
    letterhead: Letterhead = letterhead_for(release)
    prepared = prepare(release, letterhead)
    refined = prepared.release
    date = refined.date
    texts = [
        f"{date.day}.{date.month}.{date.year}",
        f"{refined.number}.",
        refined.headline,
        refined.subtitle or "",
        f"Kontakt: {refined.contact or ''}",
        *_block_texts(prepared.blocks),
    ]
    if refined.embargo is not None:
        e = refined.embargo
        texts.append(f"Sperrfrist: {e.day}.{e.month}.{e.year}, {e.hour}:{e.minute:02d} Uhr")
    sidebar = (
        letterhead.organisation,
        letterhead.title,
        *(line.text for line in letterhead.sidebar),
    )
    return tuple(texts), sidebar


@cache
def release_words(source: Path) -> frozenset[str]:
    """Every word the PDF may show for a release (soft hyphens dropped)."""
    texts, sidebar = release_texts(source)
    return frozenset(w for text in (*texts, *sidebar) for w in text.replace("\xad", "").split())


# ------------------------------------------------------------------ the validators


@pytest.mark.parametrize("profile", ["2u", "ua1"])
@pytest.mark.parametrize("name", NAMES)
def test_page_validation_finds_nothing(
    pdfs: dict[str, tuple[Path, Path]], name: str, profile: str
) -> None:
    import page

    report = page.validate_pdf(str(pdfs[name][1]), profile=profile)
    failures = [f"{f.rule_id}: {f.message}" for f in report.failures]
    assert failures == [] and report.is_compliant
    assert report.rules.total > 20, "the profile ran its rules"


def outloud_findings(path: Path) -> tuple[dict[str, object], list[dict[str, object]]]:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("outloud")), "--json", "-", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)["results"][0]
    assert report["error"] is None, report["error"]
    return report, list(report["findings"])


@pytest.mark.parametrize("name", NAMES)
def test_outloud_finds_nothing(pdfs: dict[str, tuple[Path, Path]], name: str) -> None:
    report, findings = outloud_findings(pdfs[name][1])
    assert [(f["rule"], f["severity"], f["message"]) for f in findings] == []
    assert report["verdict"] == "pass"
    ran = {rule["rule"] for rule in report["rules"] if rule["status"] == "ran"}  # type: ignore[attr-defined]
    # The rules behind this findings all ran on the file.
    assert {"TAG-010", "TXT-006", "HDG-001", "LNK-001", "LNK-003", "LNK-010", "ORD-001"} <= ran


# ------------------------------------------------------------------ poppler: the structure


def poppler_blocks(path: Path) -> list[tuple[str, str]]:
    """(role, text) of each block element, as ``pdfinfo -struct-text`` reads the tree."""
    assert shutil.which("pdfinfo"), "pdfinfo is missing: install poppler-utils (.ci/run does)"
    result = subprocess.run(
        ["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    blocks: list[tuple[str, str]] = []
    for line in result.stdout.splitlines():
        stripped = line.strip()
        if stripped.endswith("(block)"):
            blocks.append((stripped.split()[0], ""))
        elif len(stripped) >= 2 and stripped[0] == stripped[-1] == '"' and blocks:
            role, text = blocks[-1]
            blocks[-1] = (role, text + stripped[1:-1])
    return [(role, text) for role, text in blocks if text]


@pytest.mark.parametrize("name", NAMES)
def test_poppler_reads_the_tree_and_every_word_whole(
    pdfs: dict[str, tuple[Path, Path]], name: str
) -> None:
    source, pdf = pdfs[name]
    blocks = poppler_blocks(pdf)
    roles = {role for role, _ in blocks}
    assert {"P", "H1"} <= roles
    # The letterhead's subtree is read too (it was dropped when Aside had no RoleMap).
    organisation = release_texts(source)[1][0]
    assert ("P", organisation) in blocks
    words = release_words(source)
    strangers = [
        (role, word)
        for role, text in blocks
        for word in text.replace("\xad", "").split()
        if word not in words
    ]
    assert strangers == [], "glued or broken words in the structure text"
    assert len(blocks) > 5


# ------------------------------------------------------------------ MuPDF: the page text


@pytest.mark.parametrize("name", NAMES)
def test_mupdf_text_has_soft_hyphens_and_no_glued_or_broken_words(
    pdfs: dict[str, tuple[Path, Path]], name: str
) -> None:
    import pymupdf

    source, pdf = pdfs[name]
    words = release_words(source)
    furniture = {line.strip() for line in release_texts(source)[1]}
    with pymupdf.open(pdf) as document:
        # The body's lines, across pages: the sidebar and page numbers are left out, so
        # that a word hyphenated at the foot of a page meets its end on the next page.
        lines = [
            line
            for page in document
            for line in page.get_text().splitlines()
            if line.strip()
            and line.strip() not in furniture
            and not re.fullmatch(r"Seite \d+ von \d+", line.strip())
        ]
    soft = hard = 0
    for line, following in itertools.pairwise(lines):
        if line.endswith("\xad"):
            soft += 1
            # A soft hyphen joins the word's halves to a word of the release.
            word = line[:-1].split()[-1] + following.split()[0]
            assert word in words, (line, following)
        elif line.endswith("-"):
            hard += 1
            # A hard hyphen at a line end is the text's own (EU-⏎Mission).
            word = line.split()[-1] + following.split()[0]
            assert any(word in w for w in words), (line, following)
    text = "\n".join(lines).replace("\xad\n", "").replace("-\n", "-")
    for token in text.split():
        # Every token is (a piece of, at a URL's slash) a word of the release.
        assert any(token in w for w in words), token
    if name.startswith("features") or name.startswith("eu-mission"):
        assert soft >= 5, "the release should hyphenate some lines"


@pytest.mark.parametrize("name", NAMES)
def test_no_break_spaces_reach_the_page_text(pdfs: dict[str, tuple[Path, Path]], name: str) -> None:
    """Every U+00A0 and U+202F of the refined text is in MuPDF's text as itself."""
    import pymupdf

    source, pdf = pdfs[name]
    texts, sidebar = release_texts(source)
    assert not any("\xa0" in line or "\u202f" in line for line in sidebar)
    with pymupdf.open(pdf) as document:
        text = "".join(page.get_text() for page in document)
    for space in ("\xa0", "\u202f"):
        assert text.count(space) == sum(t.count(space) for t in texts), repr(space)
    if name.startswith("features"):
        assert "30\xa0%" in text and "z.\u202fB." in text


# ------------------------------------------------------------------ headings


def test_a_skipped_heading_level_is_an_error_at_its_line(tmp_path: Path) -> None:
    source = tmp_path / "r.yaml"
    source.write_text(
        "date: 2026-11-24\nheadline: Eine Überschrift für die Ebenen\nbody: |\n"
        "  Erster Absatz.\n\n  ### Zu tief\n\n  Text.\n",
        encoding="utf-8",
    )
    for command in ("check", "render"):
        result = run_cli(command, source)
        assert result.returncode == 1
        stderr = result.stderr.decode()
        assert f"{source}:6:3: body:" in stderr and "write ## here" in stderr, stderr
        assert "Traceback" not in stderr
    assert not (tmp_path / "r.pdf").exists()


def test_a_third_level_below_a_second_one_is_fine(tmp_path: Path) -> None:
    source = tmp_path / "r.yaml"
    source.write_text(
        "date: 2026-11-24\nheadline: Eine Überschrift für die Ebenen\nbody: |\n"
        "  ## Zweite\n\n  ### Dritte\n\n  Text.\n",
        encoding="utf-8",
    )
    assert run_cli("check", source).returncode == 0


# ------------------------------------------------------------------ PDF/A-2a


def test_level_a_is_one_declaration_away(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """page-validation's 2a profile finds nothing but the declared level ("U") on our PDFs,
    and nothing at all once the XMP declares "A" (what the README says level A would take)."""
    import page

    from medieninfo.pdf import pdfa
    from medieninfo.render import render_release

    source = tmp_path / "features.yaml"
    source.write_text(_feature_release(None), encoding="utf-8")
    for path in (EXAMPLES / "eu-mission.yaml", source):
        release = load_release(path)
        pdf = render_release(release, letterhead_for(release)).pdf
        report = page.validate_pdf_bytes(pdf, profile="2a")
        assert [f.rule_id for f in report.failures] == ["PDFA2A-ID-CONFORMANCE-001"]
        with monkeypatch.context() as patch:
            patch.setattr(pdfa, "CONFORMANCE", "A")
            level_a = render_release(release, letterhead_for(release)).pdf
        report = page.validate_pdf_bytes(level_a, profile="2a")
        assert report.is_compliant and report.failures == []


def test_a_letterhead_font_without_a_soft_hyphen_glyph_still_gets_soft_hyphens(
    tmp_path: Path,
) -> None:
    """Noto Sans Math has a hyphen but no U+00AD: line-end hyphens borrow the hyphen's glyph
    (fonts._alias_soft_hyphen) and still read as soft hyphens; the PDF still validates."""
    import page
    import pymupdf

    font = ROOT / "assets" / "fonts" / "NotoSansMath-Regular.ttf"
    faces = ("regular", "bold", "italic", "bold_italic")
    shutil.copy(font, tmp_path / "math.ttf")
    (tmp_path / "letterhead.toml").write_text(
        'organisation = "Borough of Example"\nsidebar = ["Press office",'
        ' { text = "Web: example.org", link = "https://example.org/" }]\n'
        "[fonts]\n" + "".join(f'{face} = "math.ttf"\n' for face in faces),
        encoding="utf-8",
    )
    words = "internationalisation telecommunications counterrevolutionaries "
    (tmp_path / "r.yaml").write_text(
        "date: 2026-11-24\nlang: en-GB\nletterhead: letterhead.toml\n"
        "headline: A headline of a sensible length for the test\n"
        f"body: |\n  The {words * 12}end.\n",
        encoding="utf-8",
    )
    pdf = render_ok(tmp_path / "r.yaml", tmp_path / "r.pdf")
    with pymupdf.open(pdf) as document:
        lines = document[0].get_text().splitlines()
    assert sum(line.endswith("\xad") for line in lines) >= 1, lines
    assert not any(line.endswith("-") for line in lines)
    for profile in ("2u", "ua1"):
        assert page.validate_pdf(str(pdf), profile=profile).failures == []
    assert outloud_findings(pdf)[1] == []


def test_a_skipped_heading_level_in_toml_points_at_its_line(tmp_path: Path) -> None:
    source = tmp_path / "r.toml"
    source.write_text(
        'date = 2026-11-24\nheadline = "Eine Überschrift für die Ebenen"\nbody = """\n'
        'Erster Absatz.\n\n### Zu tief\n"""\n',
        encoding="utf-8",
    )
    result = run_cli("check", source)
    assert result.returncode == 1
    assert f"{source}:6:1: body: this ### subheading skips a level" in result.stderr.decode()
