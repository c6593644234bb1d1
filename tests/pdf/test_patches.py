"""What medieninfo changes in ReportLab, and that ReportLab has not changed under it.

:mod:`medieninfo.pdf.patches` replaces the names in :data:`~medieninfo.pdf.patches.PATCHED`
and relies on a few more private ones. Each original is fingerprinted in a fresh process
(no patch applied): a digest of a function's or class's source, a regex's pattern, a value's
repr.
A ReportLab release that changes any of them fails here, naming it, so the patch is looked
at again before it silently changes the PDFs.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from medieninfo.pdf import patches

ROOT = Path(__file__).resolve().parents[2]

#: Private ReportLab names the patches read without replacing them.
READ = (
    "reportlab.platypus.paragraph:_wsc",
    "reportlab.pdfbase.ttfonts:ShapedFragWord",
    "reportlab.pdfbase.ttfonts:makeShapedFragWord",
    "reportlab.pdfbase.ttfonts:shapeStr",
    "reportlab.pdfbase.ttfonts:TTFont.State",
    "reportlab.platypus.paragraph:_SplitFragLL",
    "reportlab.platypus.paragraph:_SHYIndexedStr",
    "reportlab.pdfbase.ttfonts:ShapedStr",
    # pdf/shaping.py and breaking._joined rebuild what these make.
    "reportlab.pdfbase.ttfonts:ShapeData",
    "reportlab.pdfbase.ttfonts:_sdSimple",
    "reportlab.pdfbase.ttfonts:TTFont.hbFont",
    # The font objects (_remember_font_widths) are written as this writes them.
    "reportlab.pdfbase.ttfonts:TTFontFace.addSubsetObjects",
    # The direct object writer (_integers_as_written) writes what these write.
    "reportlab.pdfbase.pdfdoc:PDFArray.format",
    "reportlab.pdfbase.pdfdoc:PDFObjectReference.format",
    "reportlab.pdfbase.pdfdoc:pdfdocEnc",
    "reportlab.pdfbase.pdfdoc:PDFString.format",
    "reportlab.pdfbase.pdfdoc:fp_str",
    "reportlab.pdfbase.pdfdoc:escapePDF",
    "reportlab.pdfbase.pdfdoc:PDFCrossReferenceSubsection.format",
)

_FINGERPRINT = r"""
import hashlib, importlib, inspect, json, re, sys, types

def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:16]

def fingerprint(value):
    if isinstance(value, types.ModuleType):
        buffer = getattr(value, "Buffer", None)
        return f"module {value.__name__}, Buffer from {getattr(buffer, '__module__', None)}"
    if isinstance(value, re.Pattern):
        return f"pattern {digest(value.pattern)}"
    if callable(value) and not isinstance(value, type):
        return f"source {digest(inspect.getsource(value))}"
    if isinstance(value, type):
        return f"class {digest(inspect.getsource(value))}"
    return f"value {digest(repr(value))}"

out = {}
for target in sys.argv[1:]:
    module, _, attribute = target.partition(":")
    value = importlib.import_module(module)
    for part in attribute.split("."):
        value = getattr(value, part)
    out[target] = fingerprint(value)
import reportlab
out["version"] = reportlab.Version
print(json.dumps(out))
"""

#: The originals as ReportLab 5.1.0 has them, which the patches were written against.
EXPECTED = {
    "version": "5.1.0",
    "reportlab.pdfbase.ttfonts:ShapeData": "class 6197a7f13c7976e6",
    "reportlab.pdfbase.ttfonts:_sdSimple": "value d95867368fe97f4b",
    "reportlab.pdfbase.ttfonts:TTFont.hbFont": "source 3d5f85d8649db3c0",
    "reportlab.rl_config:trustedHosts": "value dc937b59892604f5",
    "reportlab.rl_config:trustedSchemes": "value 4ca95acf80cd798a",
    "reportlab.rl_config:useA85": "value 6b86b273ff34fce1",
    "reportlab.lib.utils:rlUrlRead": "source 79f8da086407c940",
    "reportlab.platypus.paragraph:split": "source 776780897b0af2d2",
    "reportlab.platypus.paragraph:_hy_pfx_pat": "pattern 2dfef48eb4ca12dd",
    "reportlab.platypus.paragraph:_hy_sfx_pat": "pattern 5606436307d73e09",
    "reportlab.platypus.paragraph:shapeFragWord": "source f8998a5c442279ba",
    "reportlab.pdfbase.ttfonts:shapeFragWord": "source f8998a5c442279ba",
    "reportlab.pdfbase.ttfonts:uharfbuzz": "module uharfbuzz, Buffer from uharfbuzz._harfbuzz",
    "reportlab.pdfbase.pdfdoc:PDFStream.format": "source 12ee5c4d2e6ac259",
    "reportlab.pdfbase.ttfonts:makeToUnicodeCMap": "source 71783731cbe452d8",
    "reportlab.pdfbase.ttfonts:TTFont.splitString": "source 95205a99dcbbf1ed",
    "reportlab.pdfgen.textobject:PDFTextObject._formatText": "source 052d9614c6e61545",
    "reportlab.pdfbase.ttfonts:TTFontFile.makeSubset": "source 25b6baf377941767",
    "reportlab.pdfbase.pdfdoc:PDFStreamFilterZCompress.encode": "source b6d014860e42d048",
    "reportlab.pdfbase.pdfdoc:format": "source 84e14ffb9186e488",
    "reportlab.pdfbase.ttfonts:TTFont.stringWidth": "source f9a2fe67567fa55f",
    "reportlab.platypus.paragraph:_wsc": "value 02fbcdab045665ad",
    "reportlab.pdfbase.ttfonts:ShapedFragWord": "class d5aee43a4354d037",
    "reportlab.pdfbase.ttfonts:makeShapedFragWord": "source 09282ad85be6d864",
    "reportlab.pdfbase.ttfonts:shapeStr": "source 45bda4f862bbf4bb",
    "reportlab.pdfbase.ttfonts:TTFont.State": "class 209a42f8953738d2",
    "reportlab.platypus.paragraph:_hyphenateFragWord": "source 4c4ebc48432b6249",
    "reportlab.platypus.paragraph:_SHYWord.shyphenate": "source 5b3d08299bbe5317",
    "reportlab.platypus.paragraph:_SplitFragLL": "class 48e879fac2788bf4",
    "reportlab.platypus.paragraph:_SHYIndexedStr": "class 1de4fd66ba76fc39",
    "reportlab.pdfbase.ttfonts:ShapedStr": "class d56e00f6c714d7d1",
    "reportlab.pdfbase.pdfdoc:PDFDictionary.format": "source cadcf492fbf044b9",
    "reportlab.pdfbase.pdfdoc:PDFArray.format": "source fc30311a1fbb5aae",
    "reportlab.pdfbase.pdfdoc:PDFObjectReference.format": "source b112c5bb41e9f467",
    "reportlab.pdfbase.pdfdoc:PDFName": "source 93b1b1c9c75baa34",
    "reportlab.pdfbase.pdfdoc:pdfdocEnc": "source f434c870497e5af1",
    "reportlab.pdfbase.pdfdoc:PDFString.format": "source 8c2bb08580a2237f",
    "reportlab.pdfbase.pdfdoc:fp_str": "source 43ebc7c82d255185",
    "reportlab.pdfbase.pdfdoc:escapePDF": "source 5e05ce7c172385d6",
    "reportlab.pdfbase.pdfdoc:PDFIndirectObject.format": "source 51e5f73e4f8e16f6",
    "reportlab.pdfbase.pdfdoc:PDFCrossReferenceSubsection.format": "source 0d32d663d4b10289",
    "reportlab.pdfbase.pdfdoc:PDFDocument.format": "source 536ea7a675493430",
    "reportlab.pdfbase.ttfonts:TTFont.addObjects": "source 33ac8d69ad7fe232",
    "reportlab.pdfbase.ttfonts:TTFontFace.addSubsetObjects": "source 94116bc4d9d93e71",
    "reportlab.pdfbase.pdfdoc:PDFResourceDictionary.format": "source cc3347ad49bb1839",
    "reportlab.pdfbase.pdfdoc:PDFType1Font.format": "source 3ab8d727f6cb8f35",
}


def _originals() -> dict[str, str]:
    # A fresh process: in this one, other tests have applied the patches already.
    result = subprocess.run(
        [sys.executable, "-c", _FINGERPRINT, *patches.PATCHED, *READ],
        capture_output=True,
        text=True,
        check=True,
    )
    fingerprints: dict[str, str] = json.loads(result.stdout)
    return fingerprints


def test_reportlab_has_not_changed_under_the_patches() -> None:
    found = _originals()
    changed = {
        name: found.get(name) for name, expected in EXPECTED.items() if found.get(name) != expected
    }
    assert not changed, (
        f"ReportLab {found['version']} differs from what medieninfo.pdf.patches was written "
        f"against ({EXPECTED['version']}) in {sorted(changed)}: read each change, adjust the "
        "patch, then record the new fingerprints in EXPECTED"
    )


def test_every_patched_and_read_name_is_fingerprinted() -> None:
    assert set(EXPECTED) == {"version", *patches.PATCHED, *READ}


#: The ReportLab modules a patch touches; every name in them is compared before and after.
_MODULES = sorted({target.partition(":")[0] for target in patches.PATCHED})

_SURVEY = r"""
import importlib, json, re, sys, types

SIMPLE = (bool, int, float, str, bytes, type(None), list, tuple, dict, set)

def shape(value):
    # Identity-free: what a value is and where it was defined, or its repr if plain data.
    if isinstance(value, SIMPLE):
        return re.sub(r" at 0x[0-9a-f]+", "", repr(value))
    if isinstance(value, types.ModuleType):
        return f"module {value.__name__} from {getattr(value, '__file__', None)}"
    pattern = getattr(value, "pattern", None)
    where = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
    return f"{type(value).__qualname__} {where} {pattern!r}"

out = {}
for name in sys.argv[1:]:
    module = importlib.import_module(name)
    for key, value in list(vars(module).items()):
        out[f"{name}:{key}"] = shape(value)
        if isinstance(value, type) and value.__module__ == name:
            for attribute, member in list(vars(value).items()):
                out[f"{name}:{key}.{attribute}"] = shape(member)
print(json.dumps(out))
"""


def _survey(*, patched: bool) -> dict[str, str]:
    prefix = "from medieninfo.pdf import patches; patches.apply()\n" if patched else ""
    result = subprocess.run(
        [sys.executable, "-c", prefix + _SURVEY, *_MODULES],
        capture_output=True,
        text=True,
        check=True,
        # An environment that trusts a host, as ReportLab allows: the patch must undo it.
        env={**os.environ, "RL_trustedHosts": "example.org"},
    )
    survey: dict[str, str] = json.loads(result.stdout)
    return survey


def test_apply_changes_exactly_the_listed_names() -> None:
    before, after = _survey(patched=False), _survey(patched=True)
    changed = {name for name in before if after.get(name) != before[name]}
    assert changed == set(patches.PATCHED)


def test_apply_is_idempotent() -> None:
    import importlib

    def current(target: str) -> object:
        module, _, attribute = target.partition(":")
        value: object = importlib.import_module(module)
        for part in attribute.split("."):
            value = getattr(value, part)
        return value

    patches.apply()
    before = {name: current(name) for name in patches.PATCHED}
    patches.apply()
    assert all(current(name) is before[name] for name in patches.PATCHED)


def test_kerned_text_is_written_as_reportlab_writes_it(monkeypatch: Any) -> None:
    """The one-pass writer of kerned text gives ReportLab's own operators for every string
    a release draws (kerned body, bold and italic, links, the letterhead, the footer): both
    run on each string from the same state and must agree, operators and font state."""
    from reportlab.pdfgen import textobject

    from medieninfo.model.release import load_release
    from medieninfo.render import letterhead_for, render_release

    patches.apply()
    fast = textobject.PDFTextObject._formatText
    original = fast.__wrapped__
    seen: list[str] = []

    def both(self: Any, text: Any) -> str:
        subset = self._curSubset
        expected = original(self, text)
        expected_subset, self._curSubset = self._curSubset, subset
        got = fast(self, text)
        assert (got, self._curSubset) == (expected, expected_subset), text
        seen.append(got)
        return got

    monkeypatch.setattr(textobject.PDFTextObject, "_formatText", both)
    # Paragraphs through ReportLab's drawPara, which writes every frag with _formatText (the
    # line writer, pdf/lines.py, is compared with it in test_lines.py).
    monkeypatch.setattr("medieninfo.pdf.layout.draw_paragraph", lambda paragraph: False)
    source = ROOT / "examples" / "eu-mission.yaml"
    release = load_release(source)
    release = dataclasses.replace(
        release,
        body=release.body + "\n\n**Fett** und *kursiv*, **Dort**mund, Tee, AVATAR, „Wörter“ – "
        "https://www.dortmund.de/presse und 0231 50-0.",
    )
    render_release(release, letterhead_for(release))
    kerned = [code for code in seen if "TJ" in code]
    assert len(seen) > 50 and kerned, "the release must draw kerned text"


def test_remembered_work_gives_the_bytes_of_a_fresh_process(tmp_path: Path) -> None:
    """What a process remembers between renders (font subsets, shaped words, breaks by
    word) changes no byte: a release rendered after others in one process, and again, is
    the PDF a fresh process makes of it."""
    from medieninfo.model.release import load_release
    from medieninfo.render import letterhead_for, render_release

    def pdf(path: Path) -> bytes:
        release = load_release(path)
        return render_release(release, letterhead_for(release)).pdf

    example = ROOT / "examples" / "eu-mission.yaml"
    other = ROOT / "examples" / "musterstadt" / "release.yaml"
    out = tmp_path / "fresh.pdf"
    subprocess.run(
        [sys.executable, "-m", "medieninfo", "render", "-q", str(example), "-o", str(out)],
        check=True,
    )
    fresh = out.read_bytes()
    first = pdf(example)
    pdf(other)
    assert pdf(example) == first == fresh


def test_integers_are_written_as_reportlab_writes_them() -> None:
    """The shortcut for integers gives what ReportLab's formatter gives, at the edges of
    fp_str's precision classes and beyond the exact range, where it hands over."""
    from reportlab.pdfbase import pdfdoc

    patches.apply()
    reportlab_format = pdfdoc.format.__wrapped__
    values = [0, 1, -1, 9, 10, 99, 100, 999, 1000, 10**6, 10**7, -(10**7), 2**53 - 1, 2**53]
    values += [-(2**53), 2**60, True, False, 0.5, 1e-8, b"/Name", "text"]
    for value in values:
        assert pdfdoc.format(value, None) == reportlab_format(value, None), value


def test_floats_are_written_as_reportlab_writes_them() -> None:
    """As ReportLab's format writes them, first and when remembered, at the edges of
    fp_str's classes (1e-7, 1, powers of ten, 1e15), for both signs, and for a spread of
    random values of every magnitude; NaN and infinity go to ReportLab."""
    import math
    import random

    from reportlab.pdfbase import pdfdoc

    patches.apply()
    reportlab_format = pdfdoc.format.__wrapped__
    edges = [0.0, -0.0, 1e-7, 1.0000001e-7, 5e-7, 4.9999e-7, 0.5, 1.0, 1.0000004, 9.9999996]
    edges += [10.0, 99.99999, 100.0, 0.1, 0.05, 0.000001, 1e6, 999999.5, 1e14, 9.99e14, 1e15]
    edges += [2.0**52 + 0.5, 430.86614173228, 595.2755905511812, 12.5, 0.25]
    rng = random.Random(17)
    spread = [rng.uniform(-1, 1) * 10 ** rng.uniform(-9, 16) for _ in range(20_000)]
    for value in [*edges, *(-edge for edge in edges), *spread]:
        assert pdfdoc.format(value, None) == reportlab_format(value, None), repr(value)
        # Again, now remembered, alone and inside an array.
        assert pdfdoc.format(value, None) == reportlab_format(value, None), repr(value)
    for value in [*edges, *spread[:2_000]]:
        box = pdfdoc.PDFArray([0, value, -value, 595.2755905511812])
        assert pdfdoc.format(box, None) == b"[ 0 %s %s 595.2756 ]" % (
            reportlab_format(value, None),
            reportlab_format(-value, None),
        ), repr(value)
    for value in (math.nan, math.inf, -math.inf):
        with pytest.raises((ValueError, OverflowError)):
            reportlab_format(value, None)
        with pytest.raises((ValueError, OverflowError)):
            pdfdoc.format(value, None)


def _reportlab_formatting(monkeypatch: Any) -> None:
    """ReportLab's own object formatting back in place: every name the direct one replaces."""
    from reportlab.pdfbase import pdfdoc

    monkeypatch.setattr(pdfdoc, "format", pdfdoc.format.__wrapped__)
    monkeypatch.setattr(pdfdoc.PDFDictionary, "format", pdfdoc.PDFDictionary.format.__wrapped__)
    monkeypatch.setattr(
        pdfdoc.PDFIndirectObject, "format", pdfdoc.PDFIndirectObject.format.__wrapped__
    )
    # The stream's original here is ReportLab's with the EOL before endstream.
    monkeypatch.setattr(pdfdoc.PDFStream, "format", pdfdoc.PDFStream.format.__wrapped__)
    monkeypatch.setattr(pdfdoc.PDFDocument, "format", pdfdoc.PDFDocument.format.__wrapped__)
    monkeypatch.setattr(pdfdoc, "PDFName", pdfdoc.PDFName.__wrapped__)
    for kind in (pdfdoc.PDFResourceDictionary, pdfdoc.PDFType1Font):
        monkeypatch.setattr(kind, "format", kind.format.__wrapped__)
    from reportlab.pdfbase import ttfonts

    monkeypatch.setattr(ttfonts.TTFont, "addObjects", ttfonts.TTFont.addObjects.__wrapped__)


def _written_as_reportlab_writes(monkeypatch: Any, written: Callable[[], list[bytes]]) -> None:
    """``written()`` gives the same bytes with the direct formatter as with ReportLab's own
    (:func:`_reportlab_formatting`), with ``pdfMultiLine`` off and on, and again once what
    the direct one remembers (names, floats, strings, ProcSets) is remembered."""
    from reportlab import rl_config

    for multiline in (0, 1):
        monkeypatch.setattr(rl_config, "pdfMultiLine", multiline)
        ours = written()
        assert written() == ours, multiline  # again, remembered
        with monkeypatch.context() as reportlab:
            _reportlab_formatting(reportlab)
            theirs = written()
        assert len(ours) == len(theirs)
        for got, expected in zip(ours, theirs, strict=True):
            assert got == expected, multiline


def test_dictionaries_and_arrays_are_written_as_reportlab_writes_them(monkeypatch: Any) -> None:
    """Each case of the direct writer against ReportLab's own formatter: sorted and ordered
    keys, the break after 6 entries and 10 elements, compact and forced-multiline arrays,
    nesting, references, names that need escaping, ``pdfMultiLine`` on, and an object that
    may only be referenced (``__RefOnly__``), which goes to ReportLab."""
    from collections import OrderedDict

    from reportlab.pdfbase import pdfdoc

    patches.apply()

    def build() -> tuple[pdfdoc.PDFDocument, list[Any]]:
        document = pdfdoc.PDFDocument(invariant=1)
        target = pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Target")})
        reference = document.Reference(target, "Target")
        only_referenced = pdfdoc.PDFDictionary({"A": 1})
        only_referenced.__RefOnly__ = 1
        forced = pdfdoc.PDFArray([1, 2])
        forced.multiline = "forced"
        keys = {f"K{index}": index for index in range(13)}
        values = [
            pdfdoc.PDFDictionary({}),
            pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Page"), "Z": 1.5, "A": reference}),
            pdfdoc.PDFDictionary(keys),
            pdfdoc.PDFDictionary(OrderedDict([("Z", 1), ("A", 2)])),
            pdfdoc.PDFDictionary({"Odd Name#(x)": "ä", "Nested": pdfdoc.PDFArray([keys["K3"]])}),
            pdfdoc.PDFArray([]),
            pdfdoc.PDFArray(list(range(10))),
            pdfdoc.PDFArray(list(range(31))),
            pdfdoc.PDFArrayCompact(list(range(25))),
            pdfdoc.PDFArray([reference, pdfdoc.PDFString("Text (1)"), b"true", "/Name", 0.25]),
            pdfdoc.PDFArray([only_referenced]),
            pdfdoc.PDFString("Presse (Dortmund) \\ 50%"),
            pdfdoc.PDFString("Bürgerversammlung – „Rathausplatz“ · € 5"),
            pdfdoc.PDFString("Pfeil → und 😀, Tab\tZeile\n"),
            pdfdoc.PDFString("".join(map(chr, range(256)))),
            pdfdoc.PDFString(""),
            pdfdoc.PDFString(b"bytes (raw)"),
            pdfdoc.PDFString("roh", enc="raw"),
            pdfdoc.PDFString("(unescaped)", escape=0),
            pdfdoc.PDFString("(balanced)", escape=7),
            forced,
            reference,
        ]
        return document, values

    def written() -> list[bytes]:
        document, values = build()
        out = [pdfdoc.format(value, document) for value in values]
        # Called directly, as ReportLab's fonts and forms do, and as its trailer does.
        trailer = pdfdoc.PDFDictionary({"Size": 3, "Root": values[-1]})
        trailer.multiline = "forced"
        preferences = pdfdoc.ViewerPreferencesPDFDictionary()
        preferences["DisplayDocTitle"] = "true"
        out += [
            pdfdoc.PDFDictionary({"B": 1, "A": values[2]}).format(document),
            trailer.format(document, IND=b"\n"),
            preferences.format(document),
            pdfdoc.format(preferences, document),
        ]
        return out

    _written_as_reportlab_writes(monkeypatch, written)


def test_streams_documents_and_names_are_written_as_reportlab_writes_them(
    monkeypatch: Any,
) -> None:
    """The direct stream writer, document loop and remembered names against ReportLab's
    (with the EOL before endstream): compressed and plain streams, text and bytes content,
    a stream whose dictionary names its filter already, ordered keys, extra entries, the
    document's default filters, ``pdfMultiLine`` on, and names that need escaping."""
    import io
    from collections import OrderedDict

    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfgen import canvas

    patches.apply()

    def written() -> list[bytes]:
        document = pdfdoc.PDFDocument(invariant=1, compression=1)
        document.defaultStreamFilters = [pdfdoc.PDFZCompress]
        streams = [
            pdfdoc.PDFStream(content=b"BT /F1 12 Tf (x) Tj ET\n", filters=[pdfdoc.PDFZCompress]),
            pdfdoc.PDFStream(content="q 1 0 0 1 0 0 cm Q \xe4\n", filters=[]),
            pdfdoc.PDFStream(content=b"plain"),
            pdfdoc.PDFStream(
                pdfdoc.PDFDictionary({"Length1": 5, "Type": pdfdoc.PDFName("XObject")}),
                content="text, zlib'd",
                filters=[pdfdoc.PDFZCompress],
            ),
            pdfdoc.PDFStream(
                pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFName("DCTDecode")}),
                content=b"\xff\xd8 raw",
                filters=[pdfdoc.PDFZCompress],
            ),
            pdfdoc.PDFStream(
                pdfdoc.PDFDictionary(OrderedDict([("Z", 1), ("A", pdfdoc.PDFArray([1, 2]))])),
                content=b"ordered",
            ),
        ]
        out = [stream.format(document) for stream in streams]
        names = ["Page", "Odd Name#(x)", "Tab\tü", "FlateDecode", "Page"]
        out += [pdfdoc.PDFName(text).encode("utf-8") for text in names]
        out.append(pdfdoc.PDFName("abc", "b", "~").encode("ascii"))
        # A whole document: ReportLab's pages, fonts and outline, and these streams.
        pdf = canvas.Canvas(io.BytesIO(), invariant=1)
        pdf.drawString(72, 720, "Seite (1) – ä")
        pdf.bookmarkPage("one")
        pdf.addOutlineEntry("Eins", "one")
        pdf.showPage()
        for stream in streams:
            pdf._doc.Reference(stream)
        pdf._doc.Reference(pdfdoc.PDFDictionary({"Later": pdfdoc.PDFString("(x)")}))
        out.append(pdf.getpdfdata())
        return out

    _written_as_reportlab_writes(monkeypatch, written)
    assert pdfdoc.PDFName("Page") is pdfdoc.PDFName("Page")  # remembered


def test_resources_and_fonts_are_written_as_reportlab_writes_them(monkeypatch: Any) -> None:
    """The direct resource and font dictionaries against ReportLab's: empty and filled
    attributes, an attribute that is not a dict, ProcSet as all procs, the basic two, empty,
    a tuple, a name instead of a list, and with an object in it; a TrueType and a Type 1
    font with and without optional entries, names that need escaping; pdfMultiLine on."""
    from reportlab.pdfbase import pdfdoc

    patches.apply()

    def written() -> list[bytes]:
        document = pdfdoc.PDFDocument(invariant=1)
        document.Reference(pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("X")}), "Target")
        target = pdfdoc.PDFObjectReference("Target")
        resources = []
        for procs in ("all", "basic", [], ("/PDF",), "/PDF", ["/PDF", target]):
            entry = pdfdoc.PDFResourceDictionary()
            if procs == "all":
                entry.allProcs()
            elif procs != "basic":
                entry.ProcSet = procs
            resources.append(entry)
        resources[0].basicFonts()
        resources[0].XObject = {"FormXob.b": target, "FormXob.a": target}
        resources[1].ExtGState = pdfdoc.PDFDictionary({"GS1": target})
        resources[2].setColorSpace({"Target": "CS0"})
        resources[3].Font = target
        fonts = [pdfdoc.PDFTrueTypeFont(), pdfdoc.PDFType1Font(), pdfdoc.PDFTrueTypeFont()]
        fonts[0].Name, fonts[0].BaseFont = "F1+0", "AAAAAA+Noto Sans#(1)"
        fonts[0].FirstChar, fonts[0].LastChar = 0, 2
        fonts[0].Widths = pdfdoc.PDFArray([500, 600, 700])
        fonts[0].ToUnicode = fonts[0].FontDescriptor = target
        fonts[1].Name, fonts[1].BaseFont, fonts[1].Encoding = "F2", "Helvetica", "/WinAnsi"
        fonts[2].Widths = b"[ 1 2 ]"
        return [item.format(document) for item in [*resources, *fonts]]

    _written_as_reportlab_writes(monkeypatch, written)


def test_a_release_is_written_as_reportlabs_formatter_writes_it(monkeypatch: Any) -> None:
    """Whole PDFs (fonts, pages, annotations, outlines, structure tree, photos) come out the
    same with ReportLab's own object formatter in place of the direct one."""

    from medieninfo.model.release import load_release
    from medieninfo.render import letterhead_for, render_release

    patches.apply()
    releases = [
        load_release(ROOT / "examples" / "eu-mission.yaml"),
        load_release(ROOT / "examples" / "photos" / "release.yaml"),
    ]
    ours = [render_release(release, letterhead_for(release)).pdf for release in releases]
    _reportlab_formatting(monkeypatch)
    theirs = [render_release(release, letterhead_for(release)).pdf for release in releases]
    assert ours == theirs


def test_remembered_cmaps_are_the_cmaps_and_compressed_once() -> None:
    """A ToUnicode CMap is made once per font and subset, as ``to_unicode_cmap`` writes
    it, and compressed once; another subset gets its own."""
    import zlib

    from reportlab.pdfbase import pdfdoc, ttfonts

    patches.apply()
    subset = [0, 65, 66, 0xE4, 0x20AC]
    first = ttfonts.makeToUnicodeCMap("AAAAAA+Face", subset)
    assert bytes(first) == patches.to_unicode_cmap("AAAAAA+Face", subset).encode("ascii")
    assert ttfonts.makeToUnicodeCMap("AAAAAA+Face", list(subset)) is first
    other = ttfonts.makeToUnicodeCMap("AAAAAA+Face", [*subset, 67])
    assert other is not first and b"<05> <0043>" in other
    compressed = pdfdoc.PDFZCompress.encode(first)
    assert pdfdoc.PDFZCompress.encode(first) is compressed
    assert compressed == zlib.compress(bytes(first))


def test_page_content_is_compressed_at_every_save() -> None:
    """Only font subsets are compressed once per process: any other stream (a footer's
    form, the same in every release) is compressed each time, to zlib's bytes."""
    import zlib

    from reportlab.pdfbase import pdfdoc

    patches.apply()
    footer = "BT 1 0 0 1 70.86614 39.68504 Tm /F2+0 8 Tf 9.6 TL (Seite 1 von 2) Tj T* ET"
    for content in (footer, footer.encode("ascii"), b"0 0 m 10 10 l S\n" * 200):
        raw = content.encode("utf8") if isinstance(content, str) else content
        first = pdfdoc.PDFZCompress.encode(content)
        assert first == zlib.compress(raw)
        assert pdfdoc.PDFZCompress.encode(content) is not first


def test_remembered_widths_are_reportlabs() -> None:
    """A remembered width is the float ReportLab computes, asked once or twice, for plain and
    kerned strings, in every face at several sizes; bytes still go to ReportLab."""
    from reportlab.lib.rl_accel import instanceStringWidthTTF
    from reportlab.pdfbase.pdfmetrics import getFont
    from reportlab.pdfbase.ttfonts import ShapedStr

    from medieninfo.model.release import load_release
    from medieninfo.pdf.fonts import register_family
    from medieninfo.render import letterhead_for

    patches.apply()
    release = load_release(ROOT / "examples" / "eu-mission.yaml")
    names = register_family(letterhead_for(release).fonts)
    texts = ["Klimaneutralität", "AVATAR", "z.\u202fB.", " ", "", "„Wörter“ – 0231 50-0"]
    for name in (names.regular, names.bold, names.italic):
        font = getFont(name)
        for size in (8, 10.5, 15.0):
            for text in texts:
                expected = instanceStringWidthTTF(font, text, size)
                assert font.stringWidth(text, size) == expected
                assert font.stringWidth(text, size) == expected
                assert font.stringWidth(ShapedStr(text, []), size) == expected
                assert font.stringWidth(text.encode(), size) == expected
