"""User text is text: nothing a user types is read as ReportLab markup."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from conftest import pdf_pages, run_cli, squash

# ReportLab's code-execution payload (CVE-2023-33733), as a user might paste it.
CVE_2023_33733 = (
    "<para><font color=\"[ [ getattr(pow,Word('__globals__'))['os'].system('touch pwned') "
    "for Word in [orgTypeFun('Word', (str,), { 'mutated': 1, 'startswith': lambda self, x: "
    "False, '__eq__': lambda self,x: self.mutate() and self.mutated < 0 and str(self) == x, "
    "'mutate': lambda self: {setattr(self, 'mutated', self.mutated - 1)}, '__hash__': lambda "
    "self: hash(str(self)) })] ] and 'red'\">exploit</font></para>"
)


def _render(tmp_path: Path, headline: str, body: str) -> tuple[list[str], Path]:
    source = tmp_path / "r.yaml"
    import yaml

    source.write_text(
        yaml.safe_dump(
            # Typographic quotes would change the payload's quotes; compare it as typed.
            {"date": "2022-04-28", "headline": headline, "body": body, "typography": False},
            allow_unicode=True,
        )
    )
    result = run_cli("render", source, cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    return pdf_pages(tmp_path / "r.pdf"), tmp_path / "r.pdf"


def test_special_characters_appear_literally(tmp_path: Path) -> None:
    pages, _ = _render(
        tmp_path, "AT&T <b>nicht fett</b>", "a < b & c > d\n\n<script>alert(1)</script> &amp; &lt;"
    )
    text = "".join(pages)
    assert "AT&T <b>nicht fett</b>" in text
    assert "a < b & c > d" in text
    assert "<script>alert(1)</script> &amp; &lt;" in text


def test_cve_2023_33733_payload_is_printed_not_run(tmp_path: Path) -> None:
    pages, _ = _render(tmp_path, "Test", CVE_2023_33733)
    assert not (tmp_path / "pwned").exists()
    text = squash("".join(pages))
    # Markdown reads __globals__ as bold, but every character of the tags is printed.
    assert squash("<para><font color=\"[ [ getattr(pow,Word('") in text
    assert squash("'red'\">exploit</font></para>") in text


def test_only_web_and_mail_links_become_links(tmp_path: Path) -> None:
    body = (
        "[gut](https://example.org/a?b=1&c=2) [post](mailto:a@example.org) "
        "[böse](javascript:alert(1)) [datei](file:///etc/passwd)"
    )
    pages, pdf = _render(tmp_path, "Links", body)
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(pdf).pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    assert "https://example.org/a?b=1&c=2" in uris
    assert "mailto:a@example.org" in uris
    assert not [uri for uri in uris if uri.startswith(("javascript:", "file:"))]
    text = "".join(pages)
    assert "[böse](javascript:alert(1))" in text  # shown as typed, inert
    # An image names a photo file, refused outside the release's folder: test_photos.py.
