"""The web page (``--to html``): valid HTML5 (Nu Html Checker), accessible (axe-core in
Chromium), the release's text in order, safe whatever the user typed."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from channels import (
    AXE_JS,
    RICH_RELEASE,
    ROOT,
    assert_valid_html,
    chromium_page,
    expected_blocks,
    need_file,
    words,
)
from conftest import EXAMPLES, run_cli

HOSTILE = Path(__file__).parent / "hostile"
SAFE = ("http://", "https://", "mailto:")


def render_html(source: Path, target: Path, *options: str) -> str:
    result = run_cli("render", source, "--to", "html", "-o", target, *options)
    assert result.returncode == 0, result.stderr.decode()
    return target.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """name → (release, page): the example, Musterstadt (other letterhead), a release with
    everything (lists, links, Sperrfrist, sub/superscript), and the markup-injection case."""
    folder = tmp_path_factory.mktemp("html")
    rich = folder / "rich.yaml"
    rich.write_text(RICH_RELEASE, encoding="utf-8")
    sources = {
        "eu-mission": EXAMPLES / "eu-mission.yaml",
        "musterstadt": EXAMPLES / "musterstadt" / "release.yaml",
        "rich": rich,
        "markup-injection": HOSTILE / "markup-injection.yaml",
        "hostile-links": HOSTILE / "hostile-links.yaml",
    }
    out = {}
    for name, source in sources.items():
        target = folder / f"{name}.html"
        render_html(source, target)
        out[name] = (source, target)
    return out


def test_every_page_passes_the_nu_html_checker(pages: dict[str, tuple[Path, Path]]) -> None:
    files = [str(page) for _, page in pages.values()]
    assert_valid_html(files)


class _Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: dict[str, list[str]] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            self.data.setdefault(self._open[-1], []).append(data)


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def assert_nothing_typed_is_live(html: str) -> None:
    """One script element (the JSON-LD data block), no event handlers, no other scheme."""
    tags = parse(html).tags
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert scripts == [{"type": "application/ld+json"}], scripts
    for tag, attrs in tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert tag not in ("iframe", "object", "embed", "form", "base", "meta") or (
            tag == "meta" and "http-equiv" not in attrs
        ), tag
        if "href" in attrs:
            assert (attrs["href"] or "").lower().startswith(SAFE), attrs
        if tag == "img":
            assert (attrs["src"] or "").startswith(("data:image/png;", "data:image/jpeg;"))


def test_page_structure_follows_the_release_and_letterhead(
    pages: dict[str, tuple[Path, Path]],
) -> None:
    from medieninfo.model.letterhead import load_letterhead

    _, page = pages["eu-mission"]
    html = page.read_text(encoding="utf-8")
    parsed = parse(html)
    tags = [tag for tag, _ in parsed.tags]
    assert parsed.tags[0] == ("html", {"lang": "de-DE"})
    title = "Europäische Kommission will Klimaneutralität in Dortmund voranbringen"
    assert parsed.data["title"] == [title]
    assert parsed.data["h1"] == [title]
    # header (letterhead) before main/article; the body's subheading an h2
    assert tags.index("header") < tags.index("main") < tags.index("article") < tags.index("h1")
    assert parsed.data["h2"] == ["Hintergrund"]
    times = [attrs["datetime"] for tag, attrs in parsed.tags if tag == "time"]
    assert times == ["2022-04-28"]
    # The logo is the letterhead's file itself, embedded, with its alternative text.
    letterhead = load_letterhead(ROOT / "assets" / "letterheads" / "dortmund.yaml")
    (img,) = [attrs for tag, attrs in parsed.tags if tag == "img"]
    assert img["alt"] == letterhead.logo_alt
    prefix = "data:image/png;base64,"
    assert (img["src"] or "").startswith(prefix)
    assert letterhead.logo is not None
    assert base64.b64decode((img["src"] or "")[len(prefix) :]) == letterhead.logo.read_bytes()
    # Nothing hyphenated: no soft hyphen inserted; the browser may hyphenate (lang + CSS).
    assert "\u00ad" not in html
    assert "hyphens: auto" in html
    assert_nothing_typed_is_live(html)


def test_json_ld_is_a_news_article_from_release_and_letterhead(
    pages: dict[str, tuple[Path, Path]],
) -> None:
    (data,) = parse(pages["eu-mission"][1].read_text(encoding="utf-8")).data["script"]
    article = json.loads(data)
    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "NewsArticle"
    assert article["headline"].startswith("Europäische Kommission")
    assert article["datePublished"] == "2022-04-28"
    assert article["author"] == {"@type": "Organization", "name": "Stadt Dortmund"}
    assert article["publisher"] == article["author"]
    assert article["identifier"] == "753"


def test_script_breakout_in_any_field_stays_text(tmp_path: Path) -> None:
    """``</script>`` in headline, subtitle, contact and body: still one script element, the
    JSON-LD parses back to what was typed, and Chromium runs nothing."""
    payload = "</script><script>alert(1)</script><!--"
    source = tmp_path / "r.yaml"
    source.write_text(
        "date: 2022-04-28\ntypography: false\n"
        + "".join(f"{key}: '{payload}'\n" for key in ("headline", "subtitle", "contact"))
        + f"body: '{payload} <b onclick=\"x()\">b</b>'\n",
        encoding="utf-8",
    )
    html = render_html(source, tmp_path / "r.html")
    assert_nothing_typed_is_live(html)
    (data,) = parse(html).data["script"]
    assert json.loads(data)["headline"] == payload
    with chromium_page() as page:
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto((tmp_path / "r.html").as_uri())
        assert page.locator("script").count() == 1
        assert page.inner_text("h1") == payload
        assert dialogs == []


def test_hostile_links_keep_only_the_pdf_schemes(pages: dict[str, tuple[Path, Path]]) -> None:
    html = pages["hostile-links"][1].read_text(encoding="utf-8")
    hrefs = [attrs["href"] for tag, attrs in parse(html).tags if tag == "a"]
    assert "https://example.org" in hrefs
    assert not [h for h in hrefs if not (h or "").lower().startswith(SAFE)], hrefs
    # What markdown-it does not take as a link stays visible, as text.
    assert "[Skript](javascript:alert(1))" in "".join(parse(html).data["p"])
    assert_nothing_typed_is_live(html)
    assert_nothing_typed_is_live(pages["markup-injection"][1].read_text(encoding="utf-8"))


def _axe(page: object) -> list[dict[str, object]]:
    page.add_script_tag(path=str(need_file(AXE_JS, "axe-core")))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [{"id": v["id"], "nodes": [n["html"] for n in v["nodes"]]} for v in result]


_BLOCK_TEXTS = """() => Array.from(
  document.querySelectorAll('article :is(p, h1, h2, h3)'),
  element => [element.tagName.toLowerCase(), element.innerText])"""


@pytest.mark.parametrize("name", ["eu-mission", "musterstadt", "rich", "markup-injection"])
def test_chromium_axe_finds_nothing_and_the_text_is_the_releases_blocks_in_order(
    name: str, pages: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    source, html = pages[name]
    with chromium_page() as page:
        page.goto(html.as_uri())
        assert _axe(page) == []
        shown = [(tag, words(text)) for tag, text in page.evaluate(_BLOCK_TEXTS)]
        want = [(tag, words(text)) for tag, text in expected_blocks(source)]
        assert shown == want
        assert page.title() == dict(want)["h1"] if name != "markup-injection" else True
        if name == "rich":
            # lists: nesting, numbering and every item's text, as the browser shows them
            items = page.evaluate(
                "() => Array.from(document.querySelectorAll('article li'),"
                " li => [li.parentElement.tagName, li.closest('li ul, li ol') ? 2 : 1])"
            )
            assert items == [["UL", 1], ["UL", 1], ["UL", 2], ["UL", 1], ["OL", 1], ["OL", 1]]
            links = page.evaluate(
                "() => Array.from(document.querySelectorAll('article a'), a => a.href)"
            )
            assert links[:2] == ["https://example.org/spielplatz", "mailto:presse@example.org"]
            # the bare address at the end becomes a link once the model links bare URLs
            assert all(link.startswith("https://example.org/ein/sehr/") for link in links[2:])
            assert page.inner_text("article sub") == "2"
            assert page.inner_text("article sup") == "2"
            assert page.get_attribute("time:nth-of-type(1)", "datetime")
            embargo = page.inner_text(".embargo")
            assert words(embargo) == "Sperrfrist: 24.11.2026, 12:00 Uhr"
        shot = tmp_path / f"{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        _check_screenshot(shot, name)
        if name == "eu-mission" and os.environ.get("MEDIENINFO_DOCS") == "1":
            page.set_viewport_size({"width": 1100, "height": 900})
            page.screenshot(path=str(ROOT / "docs" / "eu-mission-web.png"), full_page=False)


def _check_screenshot(path: Path, name: str) -> None:
    """The screenshot shows the page: mostly white, dark text, the letterhead's accent."""
    from PIL import Image

    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
    total = sum(count for count, _ in colours)
    white = sum(count for count, rgb in colours if min(rgb) > 245)
    dark = sum(count for count, rgb in colours if max(rgb) < 80)
    assert white > total * 0.6, name
    assert dark > total * 0.002, name
    accent = (0xB0, 0x1C, 0x2E) if name != "musterstadt" else (0x14, 0x50, 0x90)
    near = sum(
        count
        for count, rgb in colours
        if all(abs(a - b) < 12 for a, b in zip(rgb, accent, strict=True))
    )
    assert near > 50, f"{name}: the accent colour is not on the page"


def test_html_plain_and_mail_never_import_reportlab_or_each_others_engines() -> None:
    code = """
import sys
from pathlib import Path
import medieninfo.html, medieninfo.plain, medieninfo.mail
from medieninfo.render import render_file
assert "reportlab" not in sys.modules, "importing the stages"
render_file(None, source=Path(sys.argv[1]), formats=("txt",))
assert "jinja2" not in sys.modules, "txt pays for Jinja2"
render_file(None, source=Path(sys.argv[1]), formats=("html", "txt"))
assert "jinja2" in sys.modules
bad = sorted(name for name in sys.modules if name.split(".")[0] in ("reportlab", "PIL"))
assert not bad, bad
assert not [name for name in sys.modules if name.startswith("medieninfo.pdf")], "pdf stage"
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-c", code, str(EXAMPLES / "eu-mission.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_no_letterhead_logo_means_no_img(tmp_path: Path) -> None:
    letterhead = tmp_path / "lh.toml"
    letterhead.write_text('organisation = "Ohne Logo"\nsidebar = ["Zeile"]\n', encoding="utf-8")
    source = tmp_path / "r.yaml"
    source.write_text("date: 2022-04-28\nheadline: Titel\nbody: Text.\n", encoding="utf-8")
    html = render_html(source, tmp_path / "r.html", "--letterhead", str(letterhead))
    assert "<img" not in html
    assert "Ohne Logo" in html


def test_printed_the_sender_block_fits_its_column_as_on_the_pdf(
    pages: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    """Print media: 7.5 pt sidebar lines in their 48 mm column, none wrapped, and the page
    prints to A4 with the whole text (read back from Chromium's PDF)."""
    from conftest import pdf_pages, squash

    source, html = pages["eu-mission"]
    with chromium_page() as page:
        page.goto(html.as_uri())
        page.emulate_media(media="print")
        lines = page.evaluate(
            "() => Array.from(document.querySelectorAll('.sender p'), p => {"
            " const style = getComputedStyle(p);"
            " return [p.getBoundingClientRect().height, parseFloat(style.lineHeight),"
            " style.fontSize]; })"
        )
        assert lines and all(size == "10px" for _, _, size in lines)  # 7.5 pt
        assert all(height < 1.5 * leading for height, leading, _ in lines), lines
        printed = tmp_path / "printed.pdf"
        page.pdf(path=str(printed), prefer_css_page_size=True)
    from pypdf import PdfReader

    reader = PdfReader(printed)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = squash("".join(pdf_pages(printed)))
    for _, block in expected_blocks(source):
        assert squash(block) in text


def test_the_wheel_carries_the_templates(tmp_path: Path) -> None:
    import zipfile

    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("medieninfo-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in ("release.html", "style.css"):
        assert f"medieninfo/html/templates/{template}" in names


def test_same_input_same_page(tmp_path: Path) -> None:
    one = render_html(EXAMPLES / "eu-mission.yaml", tmp_path / "a.html")
    two = render_html(EXAMPLES / "eu-mission.toml", tmp_path / "b.html")
    assert one == two  # the YAML and TOML twins, byte for byte
