"""The e-mail draft (``--to eml``): read back by Python's ``email`` package and by Debian's
``munpack``; parts, types, charsets, the PDF byte for byte, the subject, no injection."""

from __future__ import annotations

import email
import subprocess
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from channels import RICH_RELEASE, need_program
from conftest import EXAMPLES, run_cli


def render_all(source: Path, folder: Path, *options: str) -> dict[str, Path]:
    """Render pdf, html, txt and eml into ``folder``; returns them by format."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{source.stem}.pdf"
    result = run_cli("render", source, "--to", "pdf,html,txt,eml", "-o", target, *options)
    assert result.returncode == 0, result.stderr.decode()
    return {kind: target.with_suffix(f".{kind}") for kind in ("pdf", "html", "txt", "eml")}


def lf(text: str) -> str:
    return text.replace("\r\n", "\n")


def read_eml(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("mail")
    source = folder / "Spielplatz-Müllerstraße.yaml"
    source.write_text(RICH_RELEASE, encoding="utf-8")
    return render_all(source, folder / "out")


def test_the_draft_is_mixed_alternative_and_the_pdf(rich: dict[str, Path]) -> None:
    message = read_eml(rich["eml"])
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    text, html = alternative.iter_parts()
    assert (text.get_content_type(), text.get_content_charset()) == ("text/plain", "utf-8")
    assert (html.get_content_type(), html.get_content_charset()) == ("text/html", "utf-8")
    # the parts are the other outputs, exactly (text in MIME's canonical CR LF line ends)
    assert lf(text.get_content()) == rich["txt"].read_text(encoding="utf-8")
    assert lf(html.get_content()) == rich["html"].read_text(encoding="utf-8")
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_content() == rich["pdf"].read_bytes()
    # an ASCII name, umlauts transliterated, no RFC 2231 encoding (Outlook cannot read it)
    assert attachment.get_filename() == "Spielplatz-Muellerstrasse.pdf"
    raw = rich["eml"].read_bytes()
    assert b'filename="Spielplatz-Muellerstrasse.pdf"' in raw
    assert b"filename*" not in raw and b"name*" not in raw
    assert raw.isascii()


def test_headers_subject_sender_and_draft_flag(rich: dict[str, Path]) -> None:
    message = read_eml(rich["eml"])
    assert message["Subject"] == (
        "SPERRFRIST 24.11.2026, 12:00 Uhr – Nr. 12: Spielplatz an der Müllerstraße öffnet: "
        "„Alles neu“"
    )
    assert message["From"].addresses[0].addr_spec == "pressestelle@stadtdo.de"
    assert message["From"].addresses[0].display_name == "Pressestelle der Stadt Dortmund"
    assert message["Reply-To"] is None  # the built-in letterhead names none
    assert message["X-Unsent"] == "1"
    assert message["MIME-Version"] == "1.0"
    assert message["Date"] is None and message["Message-ID"] is None
    assert rich["eml"].read_bytes().count(b"\r\n") > 100  # RFC 5322 line ends


def test_the_example_with_another_letterhead_has_its_reply_to(tmp_path: Path) -> None:
    files = render_all(EXAMPLES / "musterstadt" / "release.yaml", tmp_path)
    message = read_eml(files["eml"])
    assert str(message["From"]) == "Presse Gemeinde Musterstadt <presse@musterstadt.example>"
    reply = message["Reply-To"].addresses[0]
    assert reply.addr_spec == "erika.mustermann@musterstadt.example"
    assert message["Subject"] == (
        "SPERRFRIST 25.11.2026, 10:00 Uhr – Nr. 12: Neuer Spielplatz am Rathausplatz eröffnet"
    )
    raw = files["eml"].read_bytes()
    # the umlaut travels as an RFC 2047 encoded word; the header itself is ASCII
    assert raw.split(b"\r\n\r\n", 1)[0].isascii() and b"=?utf-8?" in raw


def test_munpack_reads_the_same_parts(rich: dict[str, Path], tmp_path: Path) -> None:
    munpack = need_program("munpack", "mpack")
    out = tmp_path / "unpacked"
    out.mkdir()
    result = subprocess.run(
        [munpack, "-t", "-q", "-C", str(out), str(rich["eml"])],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    files = {path.name: path.read_bytes() for path in out.iterdir()}
    assert files.get("Spielplatz-Muellerstrasse.pdf") == rich["pdf"].read_bytes(), list(files)
    texts = [data.decode("utf-8") for name, data in files.items() if not name.endswith(".pdf")]
    # munpack -t writes the text parts as they are (decoded from quoted-printable)
    plain = rich["txt"].read_text(encoding="utf-8")
    page = rich["html"].read_text(encoding="utf-8")
    assert sorted(map(lf, texts)) == sorted([plain, page]), [t[:40] for t in texts]


def test_same_input_same_bytes(tmp_path: Path) -> None:
    one = render_all(EXAMPLES / "eu-mission.yaml", tmp_path / "a")["eml"].read_bytes()
    two = render_all(EXAMPLES / "eu-mission.yaml", tmp_path / "b")["eml"].read_bytes()
    assert one == two


def test_a_headline_with_line_breaks_never_adds_a_header(tmp_path: Path) -> None:
    """Through the CLI (YAML "\\n" in a double-quoted headline) and straight into the mail
    stage with a raw CR LF, which the release model would already refuse."""
    from dataclasses import replace

    from medieninfo.mail import to_eml
    from medieninfo.model.release import load_release
    from medieninfo.render import compose, letterhead_for

    source = tmp_path / "r.yaml"
    source.write_text(
        'date: 2022-04-28\nheadline: "Titel\\nBcc: victim@example.org\\nX-Evil: 1"\nbody: Text.\n',
        encoding="utf-8",
    )
    files = render_all(source, tmp_path / "out")
    message = read_eml(files["eml"])
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert message["Subject"] == "Titel Bcc: victim@example.org X-Evil: 1"

    release = load_release(source)
    text = compose(release, letterhead_for(release))
    hostile = replace(
        text,
        release=replace(text.release, headline="Titel\r\nBcc: victim@example.org\r\n\r\nBody"),
    )
    raw = to_eml(hostile, plain="x", html="<p>x</p>", pdf=b"%PDF-1.7", name="a\r\nBcc: b")
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["Bcc"] is None
    assert parsed["Subject"] == "Titel Bcc: victim@example.org Body"
    names = [key.lower() for key in parsed]
    expected = ["from", "subject", "x-unsent", "x-generator", "mime-version", "content-type"]
    assert names == [*expected, "content-language"]
    assert next(parsed.iter_attachments()).get_filename() == "a-Bcc-b.pdf"


@pytest.mark.parametrize(
    ("mail", "message"),
    [
        (
            "mail:\n  from: Presse <presse@example.org>\n",
            "lh.yaml:4:9: mail.from: 'Presse <presse@example.org>' is not a plain e-mail",
        ),
        (
            "mail:\n  from: presse@example.org, boss@example.org\n",
            "lh.yaml:4:9: mail.from: 'presse@example.org, boss@example.org' is not a plain",
        ),
        (
            'mail:\n  from: "presse@example.org\\r\\nBcc: x@example.org"\n',
            "lh.yaml:4:9: mail.from: control character U+000D is not allowed in text",
        ),
        ("mail:\n  name: Presse\n", "lh.yaml:3:1: missing required field 'mail.from'"),
        (
            "mail:\n  from: presse@example.org\n  reply_too: x@example.org\n",
            "lh.yaml:5:3: unknown field 'mail.reply_too' (did you mean 'mail.reply_to'?)",
        ),
        ("mail: presse@example.org\n", "lh.yaml:3:7: mail: expected a mapping, found text"),
        (
            'mail:\n  from: presse@example.org\n  name: "A\\aB"\n',
            "lh.yaml:5:9: mail.name: control character U+0007 is not allowed in text",
        ),
    ],
)
def test_the_letterheads_mail_section_is_checked(mail: str, message: str, tmp_path: Path) -> None:
    letterhead = tmp_path / "lh.yaml"
    letterhead.write_text(f"organisation: Presse\nsidebar: [Zeile]\n{mail}", encoding="utf-8")
    source = tmp_path / "r.yaml"
    source.write_text("date: 2022-04-28\nheadline: Titel\nbody: Text.\n", encoding="utf-8")
    result = run_cli("render", source, "--to", "eml", "--letterhead", letterhead, cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr.decode(), result.stderr.decode()
    assert not (tmp_path / "r.eml").exists()


def test_without_a_mail_section_the_client_fills_in_the_sender(tmp_path: Path) -> None:
    letterhead = tmp_path / "lh.toml"
    letterhead.write_text('organisation = "Presse"\nsidebar = ["Zeile"]\n', encoding="utf-8")
    source = tmp_path / "r.yaml"
    source.write_text("date: 2022-04-28\nheadline: Titel\nbody: Text.\n", encoding="utf-8")
    result = run_cli("render", source, "--to", "eml", "--letterhead", letterhead)
    assert result.returncode == 0, result.stderr.decode()
    message = read_eml(tmp_path / "r.eml")
    assert message["From"] is None and message["Subject"] == "Titel"
    assert next(message.iter_attachments()).get_filename() == "r.pdf"


@pytest.mark.parametrize(
    ("stem", "name"),
    [
        ("Spielplatz-Müllerstraße", "Spielplatz-Muellerstrasse.pdf"),
        ("Spielplatz-Mu\u0308llerstraße", "Spielplatz-Muellerstrasse.pdf"),  # macOS: NFD
        ("Öffnung Café Élysée", "Oeffnung-Cafe-Elysee.pdf"),
        ("753 / „Klima“: 2030", "753-Klima-2030.pdf"),
        ("日本語", "medieninformation.pdf"),
        ("a" * 100, "a" * 60 + ".pdf"),
    ],
)
def test_attachment_names_are_plain_ascii(stem: str, name: str) -> None:
    from medieninfo.mail import ascii_filename

    assert ascii_filename(stem) == name
