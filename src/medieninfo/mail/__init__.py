"""Mail stage: a :class:`~medieninfo.text.release_text.ReleaseText` and its outputs → an
e-mail draft (``.eml``, RFC 5322) that a mail client opens ready to send.

The message is ``multipart/mixed``: a ``multipart/alternative`` with the plain text and the
web page (both UTF-8, base64), then the PDF under an ASCII file name (Outlook shows
RFC 2231-encoded names as "Unbenannte Anlage"). ``Subject`` is the number and headline, with
the Sperrfrist in front when there is one; ``From`` and ``Reply-To`` come from the
letterhead's ``mail:`` section; ``X-Unsent: 1`` makes Outlook open it as a draft. There is
no ``Date`` and no ``Message-ID``: the client sets them when it sends. Nothing is sent.

Header values are built from text that has every line break and control character replaced
by a space, and addresses through :class:`email.headerregistry.Address`, so nothing a user
types can add a header. Boundaries derive from the content: the same input gives the same
bytes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP

from .. import CREATOR
from ..text.release_text import ReleaseText

#: Longest attachment name (without ``.pdf``): short enough that no mail library folds or
#: RFC 2231-encodes the parameter.
MAX_NAME = 60
_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)
#: Every line break Python's str.splitlines() knows, and other control characters.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def subject(text: ReleaseText) -> str:
    """``SPERRFRIST 28.4.2022, 12:00 Uhr – Nr. 753: Headline``, parts left out when absent."""
    release = text.release
    parts = []
    if text.embargo:
        parts.append(f"SPERRFRIST {text.embargo} – ")
    if release.number is not None:
        parts.append(f"Nr. {release.number}: ")
    parts.append(release.headline)
    return one_line("".join(parts))


def one_line(value: str) -> str:
    """A header value: line breaks and control characters become spaces, runs of white
    space one space."""
    return " ".join(_BREAKS.sub(" ", value).split())


def ascii_filename(stem: str, *, suffix: str = ".pdf") -> str:
    """An ASCII file name for an attachment: umlauts transliterated (ä → ae, ß → ss), other
    accents dropped, anything but letters, digits, ``.``, ``_`` and ``-`` made ``-``."""
    # NFC first: a name from macOS arrives decomposed (u + U+0308), and must still give "ue".
    text = unicodedata.normalize("NFC", stem).translate(_GERMAN)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")[:MAX_NAME].strip("-._")
    return (text or "medieninformation") + suffix


def to_eml(text: ReleaseText, *, plain: str, html: str, pdf: bytes, name: str) -> bytes:
    """The draft as bytes with CRLF line ends, as RFC 5322 has them; the PDF is attached
    as ``name`` made ASCII (see :func:`ascii_filename`) with ``.pdf``."""
    message = EmailMessage(policy=SMTP)
    mail = text.letterhead.mail
    if mail is not None:
        sender = Address(display_name=one_line(mail.name), addr_spec=mail.sender)
        message["From"] = sender
        if mail.reply_to:
            message["Reply-To"] = Address(display_name=one_line(mail.name), addr_spec=mail.reply_to)
    message["Subject"] = subject(text)
    message["X-Unsent"] = "1"
    message["X-Generator"] = CREATOR
    # Base64 rather than quoted-printable: a soft line break of quoted-printable ends in
    # "=" CR LF, which some decoders (mpack's munpack) misread in a CR LF file.
    message.set_content(plain, subtype="plain", charset="utf-8", cte="base64")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="base64")
    message.add_attachment(
        pdf, maintype="application", subtype="pdf", filename=ascii_filename(name)
    )
    # After the parts: building them moves every Content-* header into the first part.
    message["Content-Language"] = one_line(text.release.lang)
    digest = hashlib.sha256(plain.encode() + html.encode() + pdf).hexdigest()[:24]
    # "=_" cannot appear in base64 (nor in quoted-printable), so the boundary is unique.
    message.set_boundary(f"=_medieninfo_mixed_{digest}")
    alternative = next(message.iter_parts())
    alternative.set_boundary(f"=_medieninfo_alt_{digest}")
    return message.as_bytes()
