"""PDF/A-2 parts, checked from the PDF: XMP = Info, output intent, fonts, file structure.

No veraPDF here: these are the clauses of ISO 19005-2 that can be decided by reading the
objects (see the README's "Archival and accessible PDF" for what is not covered).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from conftest import EXAMPLES, render_ok, run_cli

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
}

TRICKY = """\
date: 2024-02-29
headline: 'AT&T <b>und</b> „Zitate“ & "mehr" – Ä Ö Ü ß'
subtitle: Sonderzeichen in den Metadaten
body: |
  Text.
"""


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdfa")
    tricky = folder / "tricky.yaml"
    tricky.write_text(TRICKY, encoding="utf-8")
    sources = {
        "example": EXAMPLES / "eu-mission.yaml",
        "musterstadt": EXAMPLES / "musterstadt" / "release.yaml",
        "tricky": tricky,
    }
    return {name: render_ok(source, folder / f"{name}.pdf") for name, source in sources.items()}


NAMES = ["example", "musterstadt", "tricky"]


def _xmp(pdf: pikepdf.Pdf) -> ET.Element:
    stream = pdf.Root.Metadata
    assert "/Filter" not in stream, "metadata must be readable without decoding"
    assert stream.Type == pikepdf.Name.Metadata and stream.Subtype == pikepdf.Name.XML
    data = stream.read_bytes()
    header = data.split(b"?>", 1)[0]
    # ISO 19005-2 6.6.2.2: no bytes or encoding attributes in the packet header.
    assert b"xpacket begin=" in header and b"bytes=" not in header and b"encoding=" not in header
    return ET.fromstring(data.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])


def _one(root: ET.Element, path: str) -> str:
    found = root.findall(f".//{path}", NS)
    assert len(found) == 1, path
    return found[0].text or ""


def _xmp_date(pdf_date: str) -> str:
    match = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-])(\d\d)'(\d\d)'", pdf_date)
    assert match, pdf_date
    y, mo, d, h, mi, s, sign, tzh, tzm = match.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{sign}{tzh}:{tzm}"


@pytest.mark.parametrize("name", NAMES)
def test_xmp_metadata_matches_the_document_information(pdfs: dict[str, Path], name: str) -> None:
    with pikepdf.open(pdfs[name]) as pdf:
        info = {str(key): value for key, value in pdf.docinfo.items()}
        xmp = _xmp(pdf)
        assert _one(xmp, "dc:title/rdf:Alt/rdf:li") == str(info["/Title"])
        assert _one(xmp, "dc:creator/rdf:Seq/rdf:li") == str(info["/Author"])
        assert _one(xmp, "dc:description/rdf:Alt/rdf:li") == str(info["/Subject"])
        assert _one(xmp, "pdf:Keywords") == str(info["/Keywords"])
        assert _one(xmp, "pdf:Producer") == str(info["/Producer"])
        assert _one(xmp, "xmp:CreatorTool") == str(info["/Creator"])
        assert _one(xmp, "xmp:CreateDate") == _xmp_date(str(info["/CreationDate"]))
        assert _one(xmp, "xmp:ModifyDate") == _xmp_date(str(info["/ModDate"]))
        assert _one(xmp, "dc:language/rdf:Bag/rdf:li") == str(pdf.Root.Lang)
        assert _one(xmp, "pdfaid:part") == "2"
        assert _one(xmp, "pdfaid:conformance") in {"B", "U", "A"}
        assert _one(xmp, "pdfuaid:part") == "1"
        # pdfuaid is not predefined in PDF/A-2: its extension schema must be described.
        prefixes = [e.text for e in xmp.findall(".//pdfaSchema:prefix", NS)]
        assert prefixes == ["pdfuaid"]


def test_title_is_the_headline_with_markup_characters_kept_as_text(
    pdfs: dict[str, Path],
) -> None:
    with pikepdf.open(pdfs["tricky"]) as pdf:
        title = _one(_xmp(pdf), "dc:title/rdf:Alt/rdf:li")
        assert title == str(pdf.docinfo["/Title"])
        assert title.startswith("AT&T <b>und</b> ")


@pytest.mark.parametrize("name", NAMES)
def test_srgb_output_intent_with_an_embedded_icc_profile(pdfs: dict[str, Path], name: str) -> None:
    with pikepdf.open(pdfs[name]) as pdf:
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1
        intent = intents[0]
        assert intent.S == pikepdf.Name.GTS_PDFA1
        assert str(intent.OutputConditionIdentifier)
        profile = intent.DestOutputProfile
        assert int(profile.N) == 3
        icc = profile.read_bytes()
        assert len(icc) == int.from_bytes(icc[:4], "big")
        assert icc[36:40] == b"acsp" and icc[16:20] == b"RGB " and icc[12:16] == b"mntr"
        assert icc[8] <= 4, "ICC version must be one PDF 1.7 knows"


def _fonts(resources: Any, seen: set[tuple[int, int]]) -> list[Any]:
    fonts = list(resources.get("/Font", {}).values())
    for xobject in resources.get("/XObject", {}).values():
        if xobject.Subtype == pikepdf.Name.Form and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            fonts += _fonts(xobject.get("/Resources", {}), seen)
    return fonts


@pytest.mark.parametrize("name", NAMES)
def test_every_font_is_embedded_with_a_tounicode_map(pdfs: dict[str, Path], name: str) -> None:
    with pikepdf.open(pdfs[name]) as pdf:
        fonts = [f for page in pdf.pages for f in _fonts(page.Resources, set())]
        assert fonts
        for font in fonts:
            descriptor = font.FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            assert "/ToUnicode" in font
        # The canvas's initial font may be set without drawing; it must not be a base-14.
        names = {str(f.BaseFont) for f in fonts}
        assert not names & {"/Helvetica", "/Times-Roman", "/Courier"}


@pytest.mark.parametrize("name", NAMES)
def test_file_structure_version_identifier_no_encryption(pdfs: dict[str, Path], name: str) -> None:
    data = pdfs[name].read_bytes()
    # ISO 19005-2 6.1.2: header, then a comment of at least four bytes above 127.
    header, comment = data.split(b"\n")[:2]
    assert header == b"%PDF-1.7"
    assert comment.startswith(b"%") and sum(byte > 127 for byte in comment[1:5]) == 4
    # 6.1.7.1: EOL after "stream" and before "endstream", /Length counting the data only.
    lengths = [int(m.group(1)) for m in re.finditer(rb"/Length (\d+)", data)]
    starts = [m.end() for m in re.finditer(rb"\nstream\n", data)]
    assert len(lengths) == len(starts) == data.count(b"endstream") > 0
    for length, start in zip(lengths, starts, strict=True):
        assert data[start + length : start + length + 10] == b"\nendstream"
    with pikepdf.open(pdfs[name]) as pdf:
        assert not pdf.is_encrypted
        assert "/Encrypt" not in pdf.trailer
        ids = pdf.trailer.ID
        assert len(ids) == 2 and len(bytes(ids[0])) == 16
        assert "/JavaScript" not in pdf.Root.get("/Names", {})
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        assert "/AA" not in pdf.Root and "/OpenAction" not in pdf.Root
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                flags = int(annotation.F)
                # 6.3.2: Print set; Hidden, Invisible, NoView clear.
                assert flags & 4 and not flags & (1 | 2 | 32)
            for xobject in page.Resources.get("/XObject", {}).values():
                assert "/OPI" not in xobject and "/Alternates" not in xobject
                assert xobject.get("/Subtype") != pikepdf.Name.PS


# What pikepdf's allowlist validator rejects although PDF/A-2 allows it: it knows no extension
# schemas (pdfuaid needs one in PDF/A-2, 6.6.2.3.1), and it checks flavour b only, so our
# conformance level U reads as "expected B".
KNOWN_FALSE_ALARMS = [
    r"XMP namespace pdfa(Extension|Schema|Property)=\S+ is not permitted",
    r"XMP property (pdfuaid:part|pdfaExtension:schemas) is not permitted",
    r"pdfaid:conformance is 'U', expected 'B'",
]


@pytest.mark.parametrize("name", NAMES)
def test_pikepdf_pdfa_2b_validator_finds_nothing_else(pdfs: dict[str, Path], name: str) -> None:
    from pikepdf import pdfa

    report = pdfa.validate_written(pdfs[name], "2b")
    unexplained = [
        str(finding)
        for finding in report.findings
        if not any(re.search(pattern, str(finding)) for pattern in KNOWN_FALSE_ALARMS)
    ]
    assert unexplained == []


def test_rendering_is_still_byte_identical(pdfs: dict[str, Path], tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    result = run_cli("render", EXAMPLES / "musterstadt" / "release.yaml", "-o", again)
    assert result.returncode == 0
    assert again.read_bytes() == pdfs["musterstadt"].read_bytes()
