"""Photos in the outputs that are not the PDF: the web page (Nu Html Checker, axe-core in
Chromium, the photo upright as the browser draws it), the plain text, the e-mail draft."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest

from channels import AXE_JS, VNU_JAR, chromium_page, need_file, need_program
from conftest import EXAMPLES, run_cli

EXAMPLE = EXAMPLES / "photos" / "release.yaml"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("photo-channels")
    target = folder / "photos.pdf"
    result = run_cli("render", EXAMPLE, "--to", "pdf,html,txt,eml", "-o", target)
    assert result.returncode == 0, result.stderr.decode()
    return {kind: target.with_suffix(f".{kind}") for kind in ("pdf", "html", "txt", "eml")}


def test_the_web_page_with_photos_passes_the_nu_html_checker(outputs: dict[str, Path]) -> None:
    need_program("java", "default-jre-headless")
    jar = need_file(VNU_JAR, "vnu-jar")
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", str(outputs["html"])],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert json.loads(result.stderr or result.stdout)["messages"] == []


def test_the_web_page_shows_each_photo_upright_with_alt_and_caption(
    outputs: dict[str, Path],
) -> None:
    jpeg = (EXAMPLE.parent / "rathaus.jpg").read_bytes()
    with chromium_page() as page:
        page.goto(outputs["html"].as_uri())
        page.add_script_tag(path=str(need_file(AXE_JS, "axe-core")))
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        )
        assert [v["id"] for v in violations] == []
        figures = page.evaluate(
            """() => Array.from(document.querySelectorAll('article figure'), figure => {
                const img = figure.querySelector('img');
                const column = document.querySelector('article').getBoundingClientRect();
                const box = img.getBoundingClientRect();
                return {alt: img.alt, src: img.src, shown: [img.naturalWidth, img.naturalHeight],
                        inside: box.left >= column.left && box.right <= column.right + 0.5,
                        caption: figure.querySelector('figcaption').innerText};
            })"""
        )
    assert len(figures) == 2
    assert all(figure["inside"] for figure in figures), "a photo spills out of the text column"
    town_hall, playground = figures
    # The JPEG goes in as it is; the browser applies its EXIF orientation 6: landscape.
    assert base64.b64decode(town_hall["src"].split(",", 1)[1]) == jpeg
    assert town_hall["shown"] == [1200, 800]
    assert town_hall["alt"].startswith("Zeichnung: ein rotes Backsteinrathaus")
    assert "Das Rathaus am Friedensplatz" in town_hall["caption"]
    assert "Foto: Stadt Musterstadt / Erika Beispiel" in town_hall["caption"]
    assert playground["alt"].startswith("Entwurfszeichnung eines Spielplatzes")
    assert "Foto: Stadt Musterstadt, Grünflächenamt" in playground["caption"]


def test_plain_text_and_mail_say_what_is_shown_and_who_took_it(outputs: dict[str, Path]) -> None:
    text = outputs["txt"].read_text(encoding="utf-8")
    flat = " ".join(text.split())
    assert "[Das Rathaus am Friedensplatz, von Süden gesehen.]" in flat
    assert "Foto: Stadt Musterstadt / Erika Beispiel · © 2026 Stadt Musterstadt" in flat
    # Between the paragraphs it stands between, as in the PDF.
    assert flat.index("mit Wasserspiel.") < flat.index("[Das Rathaus") < flat.index("Der Platz")
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.default).parsebytes(outputs["eml"].read_bytes())
    plain = message.get_body(preferencelist=("plain",))
    assert plain is not None and "[Das Rathaus am Friedensplatz" in plain.get_content()
