"""PDF/A-2 parts of the document: XMP metadata that matches the Info dictionary, and the sRGB
output intent with its embedded ICC profile.

The XMP values are read back from ReportLab's Info object (``doc.info``) and its time stamp,
so the two can never disagree (PDF/A-2, ISO 19005-2, 6.6.2.3). ``pdfuaid`` is not one of the
schemas PDF/A-2 predefines, so the packet carries its extension-schema description (6.6.2.3.3).

The ICC profile is shipped as a file (``data/sRGB.icc``, Graeme Gill's public-domain sRGB
IEC 61966-2.1, ICC v2.2) rather than made with Pillow's ImageCms: lcms stamps its profiles with
the current time, which would break byte-identical output, and ImageCms costs import time.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from .patches import ENDSTREAM
from .written import Written, dictionary, reference

#: Declared conformance: "U" (Unicode-mapped text). The structure tree would support "A",
#: but nothing here can verify every clause of level A, so the claim stays at what we test.
CONFORMANCE = "U"

_PDFUAID_SCHEMA = """<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed\
</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>"""


def _xml(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _xmp_date(stamp: Any) -> str:
    year, month, day, hour, minute, second = stamp.YMDhms
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}+00:00"


def xmp_packet(doc: Any, lang: str) -> bytes:
    """The XMP packet for a ReportLab ``PDFDocument``, from the values its Info will carry."""
    info = doc.info
    date = _xmp_date(doc._timeStamp)
    fields = {
        "title": _xml(info.title),
        "author": _xml(info.author),
        "subject": _xml(info.subject),
        "keywords": _xml(info.keywords),
        "creator": _xml(info.creator),
        "producer": _xml(info.producer),
        "lang": _xml(lang),
    }
    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{fields["title"]}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{fields["author"]}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{fields["subject"]}</rdf:li></rdf:Alt>\
</dc:description>
<dc:language><rdf:Bag><rdf:li>{fields["lang"]}</rdf:li></rdf:Bag></dc:language>
<pdf:Keywords>{fields["keywords"]}</pdf:Keywords>
<pdf:Producer>{fields["producer"]}</pdf:Producer>
<xmp:CreatorTool>{fields["creator"]}</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>{CONFORMANCE}</pdfaid:conformance>
<pdfuaid:part>1</pdfuaid:part>
{_PDFUAID_SCHEMA}
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return body.encode("utf-8")


@cache
def srgb_profile() -> bytes:
    # A path beside the module, not importlib.resources: that import alone costs ~14 ms.
    return (Path(__file__).parents[1] / "data" / "sRGB.icc").read_bytes()


def _plain_stream(entries: dict[str, bytes], data: bytes) -> bytes:
    """A stream written without any filter (ReportLab adds an empty /Filter for filters=[]),
    as ReportLab writes a stream, with the EOL before ``endstream`` (patches.ENDSTREAM)."""
    head = dictionary({**entries, "Length": b"%d" % len(data)})
    return head + b"\nstream\n" + data + b"\n" + ENDSTREAM


@cache
def _srgb_stream() -> bytes:
    """The ICC profile's stream object, the same in every PDF: written once per process.

    ReportLab's documents have no default stream filters, so it went in unfiltered before
    too; these are the bytes it wrote."""
    return _plain_stream({"N": b"3"}, srgb_profile())


#: The output intent's entries other than its profile (PDF/A-2, 6.2.3), written.
_INTENT = {
    "Type": b"/OutputIntent",
    "S": b"/GTS_PDFA1",
    "OutputConditionIdentifier": b"(sRGB IEC61966-2.1)",
    "Info": b"(sRGB IEC61966-2.1)",
}


def apply(doc: Any, lang: str) -> None:
    """Add XMP metadata and the sRGB output intent to a ReportLab ``PDFDocument``."""
    from reportlab.pdfbase.pdfdoc import PDFArray

    # PDF/A wants the metadata readable without decoding: no filter on its stream.
    metadata = _plain_stream({"Type": b"/Metadata", "Subtype": b"/XML"}, xmp_packet(doc, lang))
    doc.Catalog.Metadata = doc.Reference(Written(metadata), "XMPMetadata")
    doc.Reference(Written(_srgb_stream()), "sRGBProfile")
    intent = dictionary({**_INTENT, "DestOutputProfile": reference(doc, "sRGBProfile")})
    for page in doc.Pages.pages:
        # ReportLab writes an empty /Trans (no page transition) on every page: say nothing.
        page.Trans = None
    catalog = doc.Catalog
    # A written value goes into the PDF as it is.
    catalog.OutputIntents = PDFArray([intent])
    # ReportLab's catalog writes only the keys it lists; OutputIntents is not among them.
    if "OutputIntents" not in catalog.__NoDefault__:
        catalog.__NoDefault__ = [*type(catalog).__NoDefault__, "OutputIntents"]
