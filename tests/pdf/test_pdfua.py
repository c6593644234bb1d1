"""Tagged PDF (PDF/UA-1), checked from the PDF alone, independently of how it was written.

The content streams are parsed with pikepdf and every text-showing or painting operator must
lie in marked content with an MCID or in an Artifact; each MCID of each page is referenced
exactly once from the structure tree, and the ParentTree points back to the same element;
each annotation sits in a Link element; text read per MCID in structure order equals the
release's text (from the model, not from the PDF) block for block, role for role. Then the
``pdfua`` package's machine-checkable rules must find nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from conftest import EXAMPLES, render_ok, squash

TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
PAINT_OPERATORS = {"f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "Do", "BI"}
BLOCK_ROLES = {"P", "H1", "H2", "H3", "Lbl"}


# ---------------------------------------------------------------- reading the PDF


def _cmap(font: pikepdf.Dictionary) -> dict[int, str]:
    """A simple-font ToUnicode map: bfchar and bfrange, as ReportLab writes them."""
    data = font.ToUnicode.read_bytes().decode("latin-1")
    mapping: dict[int, str] = {}

    def text(hexa: str) -> str:
        return bytes.fromhex(hexa).decode("utf-16-be")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(src, 16)] = text(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            first = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


@dataclass
class PageContent:
    """What one page's content stream says: text per MCID, and what lies outside."""

    text: dict[int, str] = field(default_factory=dict)
    untagged: list[str] = field(default_factory=list)
    mcids: list[int] = field(default_factory=list)


def read_page(page: pikepdf.Page) -> PageContent:
    fonts = page.Resources.get("/Font", {})
    cmaps = {str(name): _cmap(font) for name, font in fonts.items()}
    result = PageContent()
    stack: list[tuple[str, int | None]] = []  # (tag, mcid) of open marked content
    cmap: dict[int, str] = {}
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BMC", "BDC"):
            mcid = None
            if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                mcid = operands[1].get("/MCID")
            stack.append((str(operands[0]), None if mcid is None else int(mcid)))
            if mcid is not None:
                assert int(mcid) not in result.mcids, f"MCID {mcid} used twice on a page"
                result.mcids.append(int(mcid))
                result.text[int(mcid)] = ""
        elif op == "EMC":
            assert stack, "EMC without BDC"
            stack.pop()
        elif op == "Tf":
            cmap = cmaps[str(operands[0])]
        elif op in ("T*", "Td", "TD", "Tm"):
            _add_text(result, stack, "\n")
        if op in TEXT_OPERATORS | PAINT_OPERATORS:
            tags = [tag for tag, _ in stack]
            owner = next((mcid for _, mcid in reversed(stack) if mcid is not None), None)
            if "/Artifact" in tags:
                # Nothing real inside an artifact (PDF/UA-1 7.1-2: not both).
                assert owner is None, f"{op} in an MCID nested inside an Artifact"
                continue
            if owner is None:
                result.untagged.append(f"{op} {operands!r}"[:80])
                continue
            if op in TEXT_OPERATORS:
                _add_text(result, stack, _decode(operands, op, cmap))
    assert not stack, "marked content left open at the end of the page"
    return result


def _add_text(result: PageContent, stack: list[tuple[str, int | None]], text: str) -> None:
    owner = next((mcid for _, mcid in reversed(stack) if mcid is not None), None)
    if owner is not None:
        result.text[owner] += text


def _decode(operands: Any, op: str, cmap: dict[int, str]) -> str:
    strings = operands[0] if op == "TJ" else operands[-1:]
    out = []
    for item in strings:
        if isinstance(item, pikepdf.String):
            out.append("".join(cmap[byte] for byte in bytes(item)))
    return "".join(out)


@dataclass(frozen=True)
class Annot:
    """An OBJR kid: the annotation's object number and generation."""

    objgen: tuple[int, int]


@dataclass
class Element:
    """A StructElem read while the PDF is open: role, identity, /Alt and kids in order."""

    role: str
    objgen: tuple[int, int]
    alt: str | None
    kids: list[Element | tuple[int, int] | Annot]


def _page_index(pdf: pikepdf.Pdf, ref: Any) -> int:
    return next(i for i, page in enumerate(pdf.pages) if page.obj.objgen == ref.objgen)


def read_tree(pdf: pikepdf.Pdf) -> Element:
    root = pdf.Root.StructTreeRoot
    kids = root.K if isinstance(root.K, pikepdf.Array) else [root.K]
    assert len(kids) == 1
    return _element(pdf, kids[0])


def _element(pdf: pikepdf.Pdf, obj: pikepdf.Dictionary) -> Element:
    assert obj.get("/Type", pikepdf.Name.StructElem) == pikepdf.Name.StructElem
    page = _page_index(pdf, obj.Pg) if "/Pg" in obj else None
    raw = obj.get("/K")
    raw_kids = list(raw) if isinstance(raw, pikepdf.Array) else [] if raw is None else [raw]
    kids: list[Element | tuple[int, int] | Annot] = []
    for kid in raw_kids:
        if isinstance(kid, int):
            assert page is not None, "MCID without /Pg"
            kids.append((page, int(kid)))
        elif kid.get("/Type") == pikepdf.Name.MCR:
            kids.append((_page_index(pdf, kid.Pg), int(kid.MCID)))
        elif kid.get("/Type") == pikepdf.Name.OBJR:
            kids.append(Annot(kid.Obj.objgen))
        else:
            assert kid.P.objgen == obj.objgen, "child's /P is not its parent"
            kids.append(_element(pdf, kid))
    alt = str(obj.Alt) if "/Alt" in obj else None
    return Element(str(obj.S)[1:], obj.objgen, alt, kids)


def walk(element: Element) -> Iterator[Element]:
    yield element
    for kid in element.kids:
        if isinstance(kid, Element):
            yield from walk(kid)


def element_text(element: Element, pages: list[PageContent]) -> str:
    parts = []
    for kid in element.kids:
        if isinstance(kid, Element):
            parts.append(element_text(kid, pages))
        elif isinstance(kid, tuple):
            parts.append(pages[kid[0]].text[kid[1]])
    return "".join(parts)


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, Any]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    assert "/Kids" not in pdf.Root.StructTreeRoot.ParentTree
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


# ---------------------------------------------------------------- the checks


def check_tagged(path: Path) -> tuple[list[tuple[str, str]], Element, list[PageContent]]:
    """Assert the tagging invariants; return (role, text) of the blocks in structure order."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang)
        assert root.ViewerPreferences.DisplayDocTitle is True
        pages = [read_page(page) for page in pdf.pages]
        for number, page in enumerate(pages, start=1):
            assert not page.untagged, f"page {number}: outside marked content: {page.untagged}"

        tree = read_tree(pdf)
        assert tree.role == "Document"
        references = Counter(
            kid for element in walk(tree) for kid in element.kids if isinstance(kid, tuple)
        )
        drawn = Counter((index, mcid) for index, page in enumerate(pages) for mcid in page.mcids)
        assert references == drawn, "MCIDs drawn and MCIDs in the tree differ"
        assert set(references.values()) == {1}, "an MCID is referenced more than once"

        # The ParentTree maps each page's MCIDs and each annotation back to its element.
        parents = _parent_tree(pdf)
        owner = {
            kid: element.objgen
            for element in walk(tree)
            for kid in element.kids
            if isinstance(kid, tuple)
        }
        for index, page in enumerate(pdf.pages):
            array = parents[int(page.obj.StructParents)]
            assert len(array) == len(pages[index].mcids)
            for mcid, element in enumerate(array):
                assert element.objgen == owner[(index, mcid)]
        links = {
            kid.objgen: element
            for element in walk(tree)
            for kid in element.kids
            if isinstance(kid, Annot)
        }
        for page in pdf.pages:
            annotations = page.obj.get("/Annots", [])
            if annotations:
                assert page.obj.Tabs == pikepdf.Name.S
            for annotation in annotations:
                element = links[annotation.objgen]
                assert element.role == "Link"
                assert parents[int(annotation.StructParent)].objgen == element.objgen
                assert str(annotation.Contents)

        blocks = []
        for element in walk(tree):
            if element.role in BLOCK_ROLES:
                blocks.append((element.role, element_text(element, pages)))
        return blocks, tree, pages


def expected_blocks(source: Path) -> list[tuple[str, str]]:
    """The release's blocks in reading order, from the model rather than from the PDF."""
    from medieninfo.model.content import Heading, ListBlock, Paragraph, parse_body
    from medieninfo.model.release import load_release
    from medieninfo.text.refinement import refine_blocks, refine_release
    from medieninfo.text.release_text import format_date

    release = refine_release(load_release(source))
    body = refine_blocks(
        parse_body(release.body, first_line=release.body_line or 1),
        lang=release.lang,
        enabled=release.typography,
    )
    out = [("P", format_date(release.date))]
    if release.number is not None:
        out.append(("P", f"{release.number}."))
    if release.embargo is not None:
        clock = f"{release.embargo.hour}:{release.embargo.minute:02d}"
        out.append(("P", f"Sperrfrist: {format_date(release.embargo)}, {clock} Uhr"))
    out.append(("H1", release.headline))
    if release.subtitle:
        out.append(("P", release.subtitle))

    def blocks(items: Any) -> None:
        continued = False
        for block in items:
            text = "".join(span.text for span in getattr(block, "spans", ()))
            if isinstance(block, Paragraph):
                if continued:
                    out[-1] = ("P", out[-1][1] + text)
                else:
                    out.append(("P", text))
                continued = block.continues
                continue
            continued = False
            if isinstance(block, Heading):
                out.append(("H2" if block.level <= 2 else "H3", text))
            elif isinstance(block, ListBlock):
                for number, item in enumerate(block.items, start=block.start):
                    out.append(("Lbl", f"{number}." if block.ordered else "–"))
                    blocks(item)

    blocks(body)
    if release.contact:
        out.append(("P", f"Kontakt: {release.contact}"))
    return out


def check_reading_order(pdf: Path, source: Path) -> None:
    blocks, tree, pages = check_tagged(pdf)
    aside = next(element for element in tree.kids if isinstance(element, Element))
    assert aside.role == "Aside", "the sender information comes first"
    # Later pages' sidebar links have an Aside of their own each (pages.draw_letterhead).
    sidebars = [e for e in tree.kids if isinstance(e, Element) and e.role == "Aside"]
    in_sidebars = sum(1 for a in sidebars for e in walk(a) if e.role in BLOCK_ROLES)
    body = [
        (e.role, element_text(e, pages))
        for kid in tree.kids
        if isinstance(kid, Element) and kid.role != "Aside"
        for e in walk(kid)
        if e.role in BLOCK_ROLES
    ]
    assert len(body) + in_sidebars == len(blocks)
    got = [(role, squash(text)) for role, text in body]
    want = [(role, squash(text)) for role, text in expected_blocks(source)]
    assert got == want


def check_pdfua_rules(path: Path) -> None:
    from pdfua import validate

    report = validate(str(path))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    assert report.skipped == ()


# ---------------------------------------------------------------- the documents

MULTI_PAGE = """\
date: 2026-05-04
number: 99
headline: Ein langer Bericht mit Listen, Links und Zwischenüberschriften
subtitle: Drei Seiten, damit Absätze, Listen und Links über Seitengrenzen laufen.
contact: Max Muster, Telefon 0231 50-0
embargo: 2026-05-05 09:30
body: |
{body}
"""


def _multi_page_body() -> str:
    sentence = (
        "Die Verwaltung berichtet über den Stand der Arbeiten in den Stadtbezirken "
        "und über die nächsten Schritte im Haushaltsjahr. "
    )
    parts = []
    for section in range(1, 5):
        parts.append(f"## Abschnitt {section}")
        parts.append(
            sentence * 9 + "Mehr unter [stadt.example/bericht-"
            f"{section}](https://stadt.example/bericht/{section}) und am Ende."
        )
        parts.append(f"### Unterabschnitt {section}.1")
        parts.append(
            f"- Erster Punkt mit einem [Link auf die Übersicht](https://stadt.example/{section})\n"
            "- Zweiter Punkt, **fett** und *kursiv*, über mehrere Zeilen gesetzt, damit der "
            "Listenpunkt umbricht und der Text im LBody bleibt\n"
            "  - eingerückt darunter"
        )
        parts.append("1. Nummer eins\n2. Nummer zwei\n3. Nummer drei\n4. Nummer vier")
        parts.append("[https://stadt.example/nur-ein-link](https://stadt.example/nur-ein-link)")
        # Long enough to be split across a page, with a link inside the split part.
        parts.append(
            sentence * 12 + "Siehe [die ausführliche Darstellung im Bericht der "
            f"Verwaltung](https://stadt.example/lang/{section}). " + sentence * 12
        )
    return "\n\n".join(parts)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("tagged")
    long_release = folder / "long.yaml"
    body = "\n".join("  " + line for line in _multi_page_body().splitlines())
    long_release.write_text(MULTI_PAGE.format(body=body), encoding="utf-8")
    sources = {
        "example": EXAMPLES / "eu-mission.yaml",
        "musterstadt": EXAMPLES / "musterstadt" / "release.yaml",
        "multi-page": long_release,
    }
    return {
        name: (source, render_ok(source, folder / f"{name}.pdf"))
        for name, source in sources.items()
    }


NAMES = ["example", "musterstadt", "multi-page"]


@pytest.mark.parametrize("name", NAMES)
def test_all_content_is_tagged_or_artifact_and_the_tree_is_consistent(
    documents: dict[str, tuple[Path, Path]], name: str
) -> None:
    check_tagged(documents[name][1])


@pytest.mark.parametrize("name", NAMES)
def test_structure_order_reproduces_the_release_text(
    documents: dict[str, tuple[Path, Path]], name: str
) -> None:
    source, pdf = documents[name]
    check_reading_order(pdf, source)


@pytest.mark.parametrize("name", NAMES)
def test_pdfua_machine_checkable_rules_find_nothing(
    documents: dict[str, tuple[Path, Path]], name: str
) -> None:
    check_pdfua_rules(documents[name][1])


def test_multi_page_release_exercises_splits_links_and_lists(
    documents: dict[str, tuple[Path, Path]],
) -> None:
    _, tree, _ = check_tagged(documents["multi-page"][1])
    elements = list(walk(tree))
    with pikepdf.open(documents["multi-page"][1]) as pdf:
        assert len(pdf.pages) >= 3
    # A paragraph split across a page break is one element with content on two pages.
    assert any(
        len({kid[0] for d in walk(e) for kid in d.kids if isinstance(kid, tuple)}) > 1
        for e in elements
        if e.role == "P"
    )
    roles = Counter(e.role for e in elements)
    assert roles["L"] >= 8 + 4 and roles["Lbl"] == roles["LI"] == roles["LBody"]
    assert roles["H2"] == 4 and roles["H3"] == 4
    links = [e for e in elements if e.role == "Link"]
    # Every link has its text and at least one annotation.
    assert all(any(isinstance(k, tuple) for k in e.kids) for e in links)
    assert all(any(isinstance(k, Annot) for k in e.kids) for e in links)


def test_sender_is_tagged_once_on_page_one_and_an_artifact_elsewhere(
    documents: dict[str, tuple[Path, Path]],
) -> None:
    _, tree, pages = check_tagged(documents["example"][1])
    aside = tree.kids[0]
    assert isinstance(aside, Element) and aside.role == "Aside"
    figure = aside.kids[0]
    assert isinstance(figure, Element) and figure.role == "Figure"
    assert figure.alt == "Platzhalter-Logo der Stadt Dortmund"
    texts = [squash(element_text(e, pages)) for e in walk(aside) if e.role == "P"]
    assert texts[:2] == ["StadtDortmund", "MEDIENINFORMATION"]
    assert "E-Mail:pressestelle@stadtdo.de" in texts
    # Page 2 draws the sidebar and the page number; of it only the links are in the
    # structure, in an Aside of page 2's own, with their text and annotation on page 2.
    assert all(kid[0] == 0 for e in walk(aside) for kid in e.kids if isinstance(kid, tuple))
    later = [e for e in tree.kids[1:] if isinstance(e, Element) and e.role == "Aside"]
    assert len(later) == len(pages) - 1
    for number, sidebar in enumerate(later, start=1):
        links = [e for e in walk(sidebar) if e.role == "Link"]
        assert [squash(element_text(e, pages)) for e in links] == [
            squash(element_text(e, pages)) for e in walk(aside) if e.role == "Link"
        ]
        assert all(kid[0] == number for e in links for kid in e.kids if isinstance(kid, tuple))
        assert all(any(isinstance(kid, Annot) for kid in e.kids) for e in links)
    assert "Seite" not in "".join(
        element_text(e, pages) for e in tree.kids if isinstance(e, Element)
    )


def test_bookmarks_follow_the_headline_and_subheadings(
    documents: dict[str, tuple[Path, Path]],
) -> None:
    with pikepdf.open(documents["musterstadt"][1]) as pdf, pdf.open_outline() as outline:
        top = outline.root
        assert [item.title for item in top] == ["Neuer Spielplatz am Rathausplatz eröffnet"]
        assert [item.title for item in top[0].children] == ["Was es gibt", "So geht es weiter"]


# ---------------------------------------------------------------- the checks can fail


def test_checks_catch_untagged_text_and_wrong_order(
    documents: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    source, good = documents["musterstadt"]
    untagged = tmp_path / "untagged.pdf"
    with pikepdf.open(good) as pdf:
        page = pdf.pages[0]
        data = page.obj.Contents.read_bytes()
        # Text drawn after the last EMC belongs to no structure element and is no artifact.
        page.obj.Contents = pdf.make_stream(data + b"\nBT (x) Tj ET")
        pdf.save(untagged)
    with pytest.raises(AssertionError, match="outside marked content"):
        check_tagged(untagged)

    swapped = tmp_path / "swapped.pdf"
    with pikepdf.open(good) as pdf:
        document = pdf.Root.StructTreeRoot.K
        document = document[0] if isinstance(document, pikepdf.Array) else document
        kids = document.K
        kids[2], kids[3] = kids[3], kids[2]
        pdf.save(swapped)
    check_tagged(swapped)  # still consistent …
    with pytest.raises(AssertionError):
        check_reading_order(swapped, source)  # … but no longer in reading order
