"""Photo files for the tests and the example, made here with Pillow (no real photos).

:func:`with_iptc` writes an IPTC IIM block (APP13, Photoshop's 8BIM resource 0x0404) into a
JPEG, which Pillow reads but cannot write; :func:`xmp_packet` makes the XMP that Pillow
writes with ``save(xmp=...)``.
"""

from __future__ import annotations

import io
import struct

from PIL import Image


def quadrants(
    width: int, height: int, colours: tuple[tuple[int, int, int], ...], mode: str = "RGB"
) -> Image.Image:
    """An image in four flat quadrants: top-left, top-right, bottom-left, bottom-right."""
    image = Image.new("RGB", (width, height))
    half_w, half_h = width // 2, height // 2
    boxes = [
        (0, 0, half_w, half_h),
        (half_w, 0, width, half_h),
        (0, half_h, half_w, height),
        (half_w, half_h, width, height),
    ]
    for box, colour in zip(boxes, colours, strict=True):
        image.paste(colour, box)
    return image if mode == "RGB" else image.convert(mode)


def _dataset(number: int, value: str) -> bytes:
    data = value.encode("utf-8")
    return struct.pack(">BBBH", 0x1C, 2, number, len(data)) + data


def with_iptc(
    jpeg: bytes, *, caption: str = "", credit: str = "", byline: str = "", copyright: str = ""
) -> bytes:
    """The JPEG with an IPTC block (UTF-8, declared in 1:90) right after its SOI marker."""
    assert jpeg[:2] == b"\xff\xd8"
    iim = b"\x1c\x01\x5a\x00\x03\x1b%G"  # 1:90 coded character set: UTF-8
    for number, value in ((120, caption), (110, credit), (80, byline), (116, copyright)):
        if value:
            iim += _dataset(number, value)
    if len(iim) % 2:
        iim += b"\0"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\0\0" + struct.pack(">I", len(iim)) + iim
    body = b"Photoshop 3.0\0" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(body) + 2) + body
    return jpeg[:2] + segment + jpeg[2:]


def xmp_packet(
    *, description: str = "", alt: str = "", credit: str = "", rights: str = ""
) -> bytes:
    """An XMP packet with dc:description, photoshop:Credit, dc:rights and the IPTC alt text."""

    def alternative(tag: str, value: str) -> str:
        if not value:
            return ""
        return f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{value}</rdf:li></rdf:Alt></{tag}>'

    credit_xml = f"<photoshop:Credit>{credit}</photoshop:Credit>" if credit else ""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"'
        ' xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/">'
        f"{alternative('dc:description', description)}"
        f"{alternative('dc:rights', rights)}"
        f"{alternative('Iptc4xmpCore:AltTextAccessibility', alt)}"
        f"{credit_xml}"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def jpeg(image: Image.Image, *, orientation: int = 1, quality: int = 90, **kwargs: object) -> bytes:
    """The image as JPEG bytes, with an EXIF orientation when it is not 1."""
    out = io.BytesIO()
    options: dict[str, object] = {"quality": quality, **kwargs}
    if orientation != 1:
        exif = Image.Exif()
        exif[0x0112] = orientation
        options["exif"] = exif.tobytes()
    image.save(out, "JPEG", **options)
    return out.getvalue()


def png(image: Image.Image, **kwargs: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **kwargs)
    return out.getvalue()


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _lab_bytes(rgb: tuple[float, float, float]) -> bytes:
    """8-bit ICC Lab of an sRGB corner colour (components 0 or 1), relative to D50."""
    # sRGB primaries adapted to D50 (Bradford), as ICC profiles state them.
    matrix = (
        (0.4360747, 0.3850649, 0.1430804),
        (0.2225045, 0.7168786, 0.0606169),
        (0.0139322, 0.0971045, 0.7141733),
    )
    white = (0.9642, 1.0, 0.8249)
    xyz = [sum(m * c for m, c in zip(row, rgb, strict=True)) for row in matrix]

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(v / w) for v, w in zip(xyz, white, strict=True))
    lab = (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    return bytes(
        (
            max(0, min(255, round(lab[0] * 255 / 100))),
            max(0, min(255, round(lab[1] + 128))),
            max(0, min(255, round(lab[2] + 128))),
        )
    )


def _lut8(inputs: int, outputs: int, grid: bytes) -> bytes:
    identity = bytes(range(256))
    matrix = b"".join(_s15(v) for v in (1, 0, 0, 0, 1, 0, 0, 0, 1))
    return (
        b"mft1\0\0\0\0"
        + bytes((inputs, outputs, 2, 0))
        + matrix
        + identity * inputs
        + grid
        + identity * outputs
    )


def cmyk_profile() -> bytes:
    """A small, valid ICC v2 CMYK output profile: the naive CMYK→RGB conversion, exact at
    the corners of the colour cube (made here: no CMYK profile ships with the tests)."""
    a2b = b""
    for c in (0, 1):
        for m in (0, 1):
            for y in (0, 1):
                for k in (0, 1):
                    a2b += _lab_bytes(((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)))
    b2a = b""
    for lightness in (0, 1):
        for _a in (0, 1):
            for _b in (0, 1):
                b2a += bytes((0, 0, 0, 0 if lightness else 255))
    text = b"medieninfo test CMYK\0"
    desc = (
        b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 8 + b"\0\0\0" + b"\0" * 67
    )
    tags = [
        (b"desc", desc),
        (b"cprt", b"text\0\0\0\0" + b"public domain\0"),
        (b"wtpt", b"XYZ \0\0\0\0" + _s15(0.9642) + _s15(1.0) + _s15(0.8249)),
        (b"A2B0", _lut8(4, 3, a2b)),
        (b"B2A0", _lut8(3, 4, b2a)),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        padded = body + b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += padded
    size = offset + len(data)
    header = (
        struct.pack(">I", size)
        + b"\0\0\0\0"
        + b"\x02\x10\0\0"
        + b"prtrCMYKLab "
        + struct.pack(">6H", 2026, 1, 1, 0, 0, 0)
        + b"acsp"
        + b"\0" * 24
        + b"\0\0\0\0"
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data
