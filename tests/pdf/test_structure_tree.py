"""The structure tree as written (:mod:`medieninfo.pdf.written`), against what it was written
from: the tagging model, ReportLab's own objects, and the same input rendered again.

- Read back with pikepdf, element by element, the tree is the model the
  :class:`~medieninfo.pdf.tagging.Recorder` held: the same types in the same order, the same
  parents, each MCID on its page (bare on the element's first page, an MCR elsewhere), each
  link annotation as an OBJR, the same /Alt and Figure BBox, no /Lang but the catalog's,
  and a ParentTree that leads from every MCID and annotation back to its element.
- Written as ReportLab ``PDFDictionary``/``PDFArray`` objects instead (the writer this one
  replaced, kept here as the reference, with the PDF/A parts of :mod:`~medieninfo.pdf.pdfa`
  as they were), the PDF is byte for byte the same.
- The same input gives the same bytes: twice in one process, and in a fresh one.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from medieninfo.model.release import load_release
from medieninfo.pdf import pdfa, tagging
from medieninfo.pdf.patches import ENDSTREAM
from medieninfo.pdf.tagging import LinkAnnotation, MarkedContent, Node, Recorder
from medieninfo.render import letterhead_for, render_release

from conftest import EXAMPLES

MUSTERSTADT = EXAMPLES / "musterstadt" / "letterhead.toml"


def _feature_body() -> str:
    """Several pages of headings, nested and numbered lists, a quote, and links (some
    across a line or a page break, so that a Link element has MCIDs on two pages)."""
    parts = [
        "Die Stadt lädt zur **Bürgerversammlung** ein; Unterlagen stehen unter "
        "https://www.example.org/unterlagen und [der Seite des Amtes](https://example.org/amt).",
        "## Was geplant ist",
        "- eine Kletterwand\n- ein Wasserspielbereich\n  - mit Trinkbrunnen\n- Sitzbänke",
        "1. Im Frühjahr die Bepflanzung.\n2. Im Sommer das Sonnensegel.",
        "> Ein Zitat der Bürgermeisterin.",
    ]
    for n in range(1, 9):
        parts.append(f"## Abschnitt {n}")
        parts.append(
            f"Der Abschnitt {n} beschreibt die Maßnahmen im Quartier und die Zusammenarbeit "
            f"mit den Initiativen; Einzelheiten stehen [im Netz unter Abschnitt {n} mit allen "
            f"Anlagen und Protokollen der Anhörungen](https://example.org/abschnitt/{n}). " * 6
        )
        parts.append(f"### Einzelheiten {n}\n\n- Veranstaltungen\n- Beteiligungsverfahren")
    return "\n\n".join(parts)


def _feature_release(letterhead: str | None) -> str:
    body = "\n".join("  " + line if line else "" for line in _feature_body().splitlines())
    head = f"letterhead: {letterhead}\n" if letterhead else ""
    return (
        "date: 2026-11-24\nnumber: 42\n" + head + "headline: Stadt lädt zur Versammlung\n"
        "contact: Erika Mustermann\nbody: |\n" + body + "\n"
    )


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The examples (one with photos) and the multi-page feature release on both letterheads."""
    folder = tmp_path_factory.mktemp("trees")
    found = {
        "eu-mission": EXAMPLES / "eu-mission.yaml",
        "photos": EXAMPLES / "photos" / "release.yaml",
    }
    for name, letterhead in (("features-dortmund", None), ("features-musterstadt", MUSTERSTADT)):
        source = folder / f"{name}.yaml"
        source.write_text(_feature_release(str(letterhead) if letterhead else None), "utf-8")
        found[name] = source
    return found


NAMES = ["eu-mission", "photos", "features-dortmund", "features-musterstadt"]


def _render(source: Path) -> bytes:
    release = load_release(source)
    return render_release(release, letterhead_for(release)).pdf


def _render_keeping_the_model(source: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, Any]:
    """The PDF and the Recorder that wrote its tree (after writing: asides placed)."""
    kept: dict[int, Recorder] = {}
    write = Recorder.write

    def keep(self: Recorder, doc: Any) -> None:
        write(self, doc)
        kept[len(doc.Pages.pages)] = self

    monkeypatch.setattr(Recorder, "write", keep)
    pdf = _render(source)
    # A release may be laid out twice (render._render_pdf), the second time only if that
    # saves a page: the page count says which layout the PDF is.
    return pdf, kept[len(pikepdf.open(io.BytesIO(pdf)).pages)]


# ------------------------------------------------------------------ tree against the model


def _model_nodes(root: Node) -> list[Node]:
    """Elements with marked content or an annotation below them, in reading order."""

    def has_content(node: Node) -> bool:
        return any(not isinstance(kid, Node) or has_content(kid) for kid in node.kids)

    def visit(node: Node) -> Iterator[Node]:
        if has_content(node):
            yield node
            for kid in node.kids:
                if isinstance(kid, Node):
                    yield from visit(kid)

    return list(visit(root))


def _pdf_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    def visit(element: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
        yield element
        kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                yield from visit(kid)

    (top,) = pdf.Root.StructTreeRoot.K
    return list(visit(top))


@pytest.mark.parametrize("name", NAMES)
def test_the_written_tree_is_the_tagging_model(
    sources: dict[str, Path], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, recorder = _render_keeping_the_model(sources[name], monkeypatch)
    pdf = pikepdf.open(io.BytesIO(data))
    page_index = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    nodes = _model_nodes(recorder.root)
    elements = _pdf_elements(pdf)
    assert [node.role for node in nodes] == [str(element.S)[1:] for element in elements]
    written = {id(node): element for node, element in zip(nodes, elements, strict=True)}
    tree_root = pdf.Root.StructTreeRoot
    annotations = references = 0

    for node, element in zip(nodes, elements, strict=True):
        assert element.Type == "/StructElem"
        parent = tree_root if node.parent is None else written[id(node.parent)]
        assert element.P.objgen == parent.objgen, node.role
        assert str(element.Alt) == node.alt if node.alt else "/Alt" not in element
        # The model holds no language of its own for any element: the catalog's holds.
        assert "/Lang" not in element
        if node.bbox is None:
            assert "/A" not in element
        else:
            assert element.A.O == "/Layout" and element.A.Placement == "/Block"
            box = [float(value) for value in element.A.BBox]
            assert box == pytest.approx(node.bbox, abs=1e-3)

        kids = [kid for kid in node.kids if not isinstance(kid, Node) or id(kid) in written]
        found = list(element.K) if isinstance(element.K, pikepdf.Array) else [element.K]
        assert len(found) == len(kids), node.role
        pages = [kid.page for kid in kids if not isinstance(kid, Node)]
        if pages:
            assert page_index[element.Pg.objgen] == pages[0]
        else:
            assert "/Pg" not in element
        for kid, got in zip(kids, found, strict=True):
            if isinstance(kid, Node):
                assert got.objgen == written[id(kid)].objgen
            elif isinstance(kid, MarkedContent):
                if kid.page == pages[0]:
                    assert got == kid.mcid
                else:
                    references += 1
                    assert got.Type == "/MCR"
                    assert kid.mcid == got.MCID
                    assert page_index[got.Pg.objgen] == kid.page
            else:
                assert isinstance(kid, LinkAnnotation)
                annotations += 1
                assert got.Type == "/OBJR" and page_index[got.Pg.objgen] == kid.page
                page_annotations = [a.objgen for a in pdf.pages[kid.page].obj.Annots]
                assert got.Obj.objgen in page_annotations
                assert got.Obj.StructParent == kid.annotation["StructParent"]

    assert str(pdf.Root.Lang) == load_release(sources[name]).lang
    assert pdf.Root.MarkInfo.Marked is True
    used = {node.role for node in nodes}
    role_map = {key[1:]: str(value)[1:] for key, value in tree_root.get("/RoleMap", {}).items()}
    assert role_map == {role: std for role, std in tagging.ROLE_MAP.items() if role in used}

    # The ParentTree: page n's array lists the owner of each MCID, then one key per link.
    nums = list(tree_root.ParentTree.Nums)
    keys, values = nums[0::2], nums[1::2]
    assert keys == list(range(len(pdf.pages) + annotations))
    assert tree_root.ParentTreeNextKey == len(keys)
    for index, page in enumerate(pdf.pages):
        assert page.obj.StructParents == index
        owners = recorder._owners.get(index, [])
        assert [owner.objgen for owner in values[index]] == [
            written[id(owner)].objgen for owner in owners
        ]
        assert (page.obj.get("/Tabs") == "/S") == ("/Annots" in page.obj)
    for key, (node, _kid) in enumerate(recorder._annotations, start=len(pdf.pages)):
        assert values[key].objgen == written[id(node)].objgen
    assert annotations > 0, "every letterhead here has links"
    if name.startswith("features"):
        assert references > 0, "an element continues on the next page"


def test_the_comparison_sees_a_wrong_parent(
    sources: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The element-by-element check fails when the writer gets a parent wrong."""
    struct_elem = tagging._struct_elem

    def wrong_parent(node: Node, doc: Any, refs: Any, page_refs: Any, root_ref: bytes) -> bytes:
        if node.role == "H1":
            node = Node(node.role, None, node.kids, node.alt, node.url, node.bbox)
        return struct_elem(node, doc, refs, page_refs, root_ref)

    monkeypatch.setattr(tagging, "_struct_elem", wrong_parent)
    with pytest.raises(AssertionError):
        test_the_written_tree_is_the_tagging_model(sources, "eu-mission", monkeypatch)


# ------------------------------------------------------- against ReportLab's own objects


def _write_with_reportlab_objects(self: Recorder, doc: Any) -> None:
    """The structure tree as ReportLab objects, formatted by ReportLab: the writer that
    :meth:`Recorder.write` replaced, as it was (commit ead41b8)."""
    from reportlab.pdfbase.pdfdoc import (
        PDFArray,
        PDFDictionary,
        PDFName,
        PDFObjectReference,
        PDFString,
    )

    def page_ref(page: int) -> Any:
        return PDFObjectReference(f"Page{page + 1}")

    def struct_elem(node: Node, refs: dict[Node, Any], root_ref: Any) -> Any:
        contents = [kid for kid in node.kids if isinstance(kid, MarkedContent | LinkAnnotation)]
        first_page = contents[0].page if contents else None
        kids: list[Any] = []
        for kid in node.kids:
            if isinstance(kid, Node):
                if kid in refs:
                    kids.append(refs[kid])
            elif isinstance(kid, MarkedContent):
                if kid.page == first_page:
                    kids.append(kid.mcid)
                else:
                    kids.append(
                        PDFDictionary(
                            {"Type": PDFName("MCR"), "Pg": page_ref(kid.page), "MCID": kid.mcid}
                        )
                    )
            else:
                kids.append(
                    PDFDictionary(
                        {
                            "Type": PDFName("OBJR"),
                            "Obj": PDFObjectReference(f"Annot.{kid.name}"),
                            "Pg": page_ref(kid.page),
                        }
                    )
                )
        entries: dict[str, Any] = {
            "Type": PDFName("StructElem"),
            "S": PDFName(node.role),
            "P": refs[node.parent] if node.parent is not None else root_ref,
            "K": kids[0] if len(kids) == 1 else PDFArray(kids),
        }
        if first_page is not None:
            entries["Pg"] = page_ref(first_page)
        if node.alt:
            entries["Alt"] = PDFString(node.alt)
        if node.bbox is not None:
            entries["A"] = PDFDictionary(
                {
                    "O": PDFName("Layout"),
                    "Placement": PDFName("Block"),
                    "BBox": PDFArray(list(node.bbox)),
                }
            )
        return PDFDictionary(entries)

    pages = doc.Pages.pages
    self._place_asides()
    nodes = _model_nodes(self.root)
    names = {node: f"StructElem{index}" for index, node in enumerate(nodes)}
    refs = {node: PDFObjectReference(name) for node, name in names.items()}
    root_ref = PDFObjectReference("StructTreeRoot")
    for node in nodes:
        doc.Reference(struct_elem(node, refs, root_ref), names[node])
    nums: list[Any] = []
    for page in range(len(pages)):
        nums += [page, PDFArray([refs[owner] for owner in self._owners.get(page, [])])]
        pages[page].StructParents = page
    for key, (node, kid) in enumerate(self._annotations, start=len(pages)):
        kid.annotation["StructParent"] = key
        nums += [key, refs[node]]
    for page in pages:
        extra = ["StructParents"]
        if page.Annots:
            page.Tabs = PDFName("S")
            extra.append("Tabs")
        page.__NoDefault__ = [*type(page).__NoDefault__, *extra]
    parent_tree = PDFDictionary({"Nums": PDFArray(nums)})
    entries: dict[str, Any] = {
        "Type": PDFName("StructTreeRoot"),
        "K": PDFArray([refs[self.root]]),
        "ParentTree": doc.Reference(parent_tree, "ParentTree"),
        "ParentTreeNextKey": len(pages) + len(self._annotations),
    }
    used = {node.role for node in nodes}
    role_map = {
        role: PDFName(standard) for role, standard in tagging.ROLE_MAP.items() if role in used
    }
    if role_map:
        entries["RoleMap"] = PDFDictionary(role_map)
    doc.Reference(PDFDictionary(entries), "StructTreeRoot")
    doc.Catalog.StructTreeRoot = root_ref
    doc.Catalog.MarkInfo = PDFDictionary({"Marked": b"true"})


def _pdfa_with_reportlab_objects(doc: Any, lang: str) -> None:
    """The XMP stream and output intent as ReportLab objects: :func:`pdfa.apply` as it was
    (commit ead41b8)."""
    from reportlab.pdfbase.pdfdoc import (
        PDFArray,
        PDFDictionary,
        PDFName,
        PDFObject,
        PDFStream,
        PDFString,
    )
    from reportlab.pdfbase.pdfdoc import format as pdf_format

    packet = pdfa.xmp_packet(doc, lang)

    class PlainStream(PDFObject):
        def format(self, document: Any) -> bytes:
            entries = {"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}
            head = pdf_format(PDFDictionary({**entries, "Length": len(packet)}), document)
            return bytes(head) + b"\nstream\n" + packet + b"\n" + ENDSTREAM

    doc.Catalog.Metadata = doc.Reference(PlainStream(), "XMPMetadata")
    profile = PDFStream(PDFDictionary({"N": 3}), pdfa.srgb_profile())
    intent = PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString("sRGB IEC61966-2.1"),
            "Info": PDFString("sRGB IEC61966-2.1"),
            "DestOutputProfile": doc.Reference(profile, "sRGBProfile"),
        }
    )
    for page in doc.Pages.pages:
        page.Trans = None
    catalog = doc.Catalog
    catalog.OutputIntents = PDFArray([intent])
    if "OutputIntents" not in catalog.__NoDefault__:
        catalog.__NoDefault__ = [*type(catalog).__NoDefault__, "OutputIntents"]


@pytest.mark.parametrize("name", NAMES)
def test_the_tree_is_the_bytes_reportlabs_objects_give(
    sources: dict[str, Path], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.pdfbase import pdfdoc

    written = _render(sources[name])
    monkeypatch.setattr(Recorder, "write", _write_with_reportlab_objects)
    monkeypatch.setattr(pdfa, "apply", _pdfa_with_reportlab_objects)
    # ReportLab's own formatter too, not the direct one in patches.py.
    monkeypatch.setattr(pdfdoc, "format", pdfdoc.format.__wrapped__)
    monkeypatch.setattr(pdfdoc.PDFDictionary, "format", pdfdoc.PDFDictionary.format.__wrapped__)
    monkeypatch.setattr(
        pdfdoc.PDFIndirectObject, "format", pdfdoc.PDFIndirectObject.format.__wrapped__
    )
    assert _render(sources[name]) == written


def test_the_tree_is_written_as_reportlab_writes_it_with_multiline_on(
    sources: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``rl_config.pdfMultiLine`` (one element per line) is followed as ReportLab does."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfdoc

    monkeypatch.setattr(rl_config, "pdfMultiLine", 1)
    written = _render(sources["features-dortmund"])
    assert b"\n /Type /StructElem\n>>" in written, "one entry per line"
    monkeypatch.setattr(Recorder, "write", _write_with_reportlab_objects)
    monkeypatch.setattr(pdfdoc, "format", pdfdoc.format.__wrapped__)
    monkeypatch.setattr(pdfdoc.PDFDictionary, "format", pdfdoc.PDFDictionary.format.__wrapped__)
    monkeypatch.setattr(
        pdfdoc.PDFIndirectObject, "format", pdfdoc.PDFIndirectObject.format.__wrapped__
    )
    assert _render(sources["features-dortmund"]) == written


# ------------------------------------------------------------------------ determinism


@pytest.mark.parametrize("name", ["photos", "features-musterstadt"])
def test_the_same_input_gives_the_same_bytes(
    sources: dict[str, Path], name: str, tmp_path: Path
) -> None:
    first = _render(sources[name])
    assert _render(sources[name]) == first
    out = tmp_path / "fresh.pdf"
    subprocess.run(
        [sys.executable, "-m", "medieninfo", "render", "-q", str(sources[name]), "-o", str(out)],
        check=True,
    )
    assert out.read_bytes() == first


def test_registering_a_written_object_is_reportlabs_reference() -> None:
    """``written.register`` leaves a document as ``PDFDocument.Reference`` does: the same
    numbers, names and tables, and the reference ReportLab writes; a name already taken
    goes to ReportLab, which refuses a different object under it."""
    from reportlab.pdfbase import pdfdoc

    from medieninfo.pdf import written

    def state(document: Any) -> tuple[Any, ...]:
        return (
            document.objectcounter,
            dict(document.idToObjectNumberAndVersion),
            dict(document.numberToId),
            {key: type(value) for key, value in document.idToObject.items()},
        )

    ours, theirs = pdfdoc.PDFDocument(invariant=1), pdfdoc.PDFDocument(invariant=1)
    got, expected = [], []
    for index in range(3):
        element, other = written.Written(b"<< >>"), written.Written(b"<< >>")
        got.append(written.register(ours, element, f"StructElem{index}"))
        expected.append(theirs.Reference(other, f"StructElem{index}").format(theirs))
        assert element.__InternalName__ == other.__InternalName__ == f"StructElem{index}"
    assert got == expected == [b"%d 0 R" % number for number in (2, 3, 4)]
    assert state(ours) == state(theirs)
    with pytest.raises(ValueError, match="redefining"):
        written.register(ours, written.Written(b"x"), "StructElem1")
