"""The newsroom: numbering (new, check), the Atom feed read back by feedparser, and the
static site checked by the Nu Html Checker, axe-core in Chromium and a real web server."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest

from medieninfo.model.release import load_release
from medieninfo.newsroom.numbering import duplicates, gaps, next_number

from channels import AXE_JS, assert_valid_html, chromium_page, need_file
from conftest import EXAMPLES, run_cli

BASE = "https://presse.example.org/medien/"


def release(
    folder: Path,
    name: str,
    *,
    date: str,
    number: int | None,
    headline: str,
    embargo: str | None = None,
    subtitle: str | None = None,
    body: str = "Der erste Absatz.\n\n  Ein zweiter Absatz.",
) -> Path:
    """A small release file, YAML or TOML by ``name``'s suffix."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".toml":
        lines = [f"date = {date}", f"headline = {json.dumps(headline, ensure_ascii=False)}"]
        if number is not None:
            lines.append(f"number = {number}")
        if subtitle:
            lines.append(f"subtitle = {json.dumps(subtitle, ensure_ascii=False)}")
        if embargo:
            lines.append(f'embargo = "{embargo}"')
        lines.append(f"body = {json.dumps(body.replace(chr(10) + '  ', chr(10)))}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    lines = [f"date: {date}", f"headline: {json.dumps(headline, ensure_ascii=False)}"]
    if number is not None:
        lines.append(f"number: {number}")
    if subtitle:
        lines.append(f"subtitle: {json.dumps(subtitle, ensure_ascii=False)}")
    if embargo:
        lines.append(f"embargo: {embargo}")
    lines.append(f"body: |\n  {body}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- numbering


def _number_of(path: Path) -> int | None:
    return load_release(path).number


def test_new_in_a_fresh_folder_starts_at_one_and_counts_on(tmp_path: Path) -> None:
    folder = tmp_path / "releases"
    folder.mkdir()
    first = run_cli("new", folder / "a.yaml")
    assert first.returncode == 0, first.stderr.decode()
    second = run_cli("new", folder / "b.yaml")
    assert second.returncode == 0, second.stderr.decode()
    assert (_number_of(folder / "a.yaml"), _number_of(folder / "b.yaml")) == (1, 2)
    assert f"(no. 2 of {dt.date.today().year})" in second.stderr.decode()
    # Both render (the template stays a valid release with its number).
    assert run_cli("check", folder).returncode == 0


def test_new_takes_the_years_highest_number_among_yaml_and_toml(tmp_path: Path) -> None:
    year = dt.date.today().year
    release(tmp_path, "alt.yaml", date=f"{year - 1}-12-30", number=900, headline="Vorjahr")
    release(tmp_path, "x.toml", date=f"{year}-01-05", number=41, headline="TOML")
    release(tmp_path, "sub/y.yaml", date=f"{year}-01-06", number=7, headline="YAML")
    release(tmp_path, "ohne.yaml", date=f"{year}-01-07", number=None, headline="Ohne Nummer")
    result = run_cli("new", tmp_path / "neu.yaml")
    assert result.returncode == 0, result.stderr.decode()
    assert _number_of(tmp_path / "neu.yaml") == 42
    assert run_cli("new", tmp_path / "fest.yaml", "--number", "5").returncode == 0
    assert _number_of(tmp_path / "fest.yaml") == 5


def test_new_in_a_year_without_releases_starts_at_the_given_first_number(tmp_path: Path) -> None:
    year = dt.date.today().year
    release(tmp_path, "alt.yaml", date=f"{year - 1}-05-01", number=753, headline="Vorjahr")
    assert run_cli("new", tmp_path / "a.yaml", "--first-number", "100").returncode == 0
    assert _number_of(tmp_path / "a.yaml") == 100
    assert run_cli("new", tmp_path / "b.yaml", "--first-number", "100").returncode == 0
    assert _number_of(tmp_path / "b.yaml") == 101


def test_the_letterhead_gives_the_first_number_and_the_flag_wins(tmp_path: Path) -> None:
    year = dt.date.today().year
    (tmp_path / "briefkopf.yaml").write_text(
        "organisation: Musterstadt\nsidebar: [Rathaus]\nfirst_number: 500\n", encoding="utf-8"
    )
    old = release(tmp_path, "alt.yaml", date=f"{year - 1}-06-01", number=77, headline="Alt")
    old.write_text(old.read_text() + "letterhead: briefkopf.yaml\n", encoding="utf-8")
    assert run_cli("new", tmp_path / "a.yaml").returncode == 0
    assert _number_of(tmp_path / "a.yaml") == 500
    assert run_cli("new", tmp_path / "b.yaml").returncode == 0
    assert _number_of(tmp_path / "b.yaml") == 501  # the year now has one
    fresh = tmp_path / "leer"
    fresh.mkdir()
    assert run_cli("new", fresh / "c.yaml", "--first-number", "9").returncode == 0
    assert _number_of(fresh / "c.yaml") == 9
    bad = tmp_path / "falsch.yaml"
    bad.write_text("organisation: X\nsidebar: [Y]\nfirst_number: -3\n")
    from medieninfo.errors import InputError
    from medieninfo.model.letterhead import load_letterhead

    with pytest.raises(InputError, match=r"falsch.yaml:3:\d+: first_number"):
        load_letterhead(bad)


def test_next_number_counts_per_year() -> None:
    rel = load_release(EXAMPLES / "eu-mission.yaml")  # no. 753 of 2022
    claimed = [(rel.date.year, rel.number), (2022, None), (None, 999)]
    assert next_number(claimed, year=2022) == 754
    assert next_number(claimed, year=2023) == 1
    assert next_number(claimed, year=2023, first=10) == 10
    assert next_number([], year=2022) == 1


def test_an_invalid_release_keeps_its_number_taken(tmp_path: Path) -> None:
    year = dt.date.today().year
    # Valid date and number, but no body: not a release yet, its number is still taken.
    (tmp_path / "entwurf.yaml").write_text(f"date: {year}-02-01\nnumber: 30\nheadline: E\n")
    (tmp_path / "kaputt.yaml").write_text("date: [\n")  # not even YAML: nothing to count
    assert run_cli("new", tmp_path / "neu.yaml").returncode == 0
    assert _number_of(tmp_path / "neu.yaml") == 31


def test_check_reports_a_number_used_twice_at_both_files(tmp_path: Path) -> None:
    a = release(tmp_path, "a.yaml", date="2022-04-28", number=753, headline="Erste")
    b = release(tmp_path, "b.toml", date="2022-05-02", number=753, headline="Zweite")
    release(tmp_path, "c.yaml", date="2023-01-02", number=753, headline="Anderes Jahr")
    result = run_cli("check", tmp_path)
    assert result.returncode == 1
    errors = result.stderr.decode().splitlines()
    assert len(errors) == 2, errors
    # At the line of `number` in each file (3 in both), each naming the other.
    assert errors[0].startswith(f"{a}:3: number: 753 of 2022 is also the number of {b}")
    assert errors[1].startswith(f"{b}:3: number: 753 of 2022 is also the number of {a}")
    data = json.loads(run_cli("check", tmp_path, "--json").stdout)
    assert [(d["file"], d["ok"]) for d in data] == [
        (str(a), False),
        (str(b), False),
        (str(tmp_path / "c.yaml"), True),
    ]
    assert data[0]["errors"][0]["line"] == 3


def test_a_gap_is_a_warning_with_report_only(tmp_path: Path) -> None:
    release(tmp_path, "a.yaml", date="2022-04-01", number=1, headline="Eins")
    release(tmp_path, "b.yaml", date="2022-04-02", number=2, headline="Zwei")
    late = release(tmp_path, "c.yaml", date="2022-04-03", number=5, headline="Fünf")
    release(tmp_path, "d.yaml", date="2022-04-04", number=None, headline="Ohne")
    plain = run_cli("check", tmp_path)
    assert plain.returncode == 0 and ": warning:" not in plain.stderr.decode()
    reported = run_cli("check", tmp_path, "--report")
    assert reported.returncode == 0  # a warning never fails
    lines = [ln for ln in reported.stderr.decode().splitlines() if ": warning:" in ln]
    assert lines == [
        f"{late}:3: warning: number: no release of 2022 has number 3–4 (between 2 and 5)"
    ]


def test_duplicates_and_gaps_leave_releases_without_a_number_alone(tmp_path: Path) -> None:
    one = load_release(release(tmp_path, "a.yaml", date="2022-01-01", number=None, headline="A"))
    two = load_release(release(tmp_path, "b.yaml", date="2022-01-02", number=None, headline="B"))
    assert duplicates([one, two]) == [] and gaps([one, two]) == []


# --------------------------------------------------------------------------- feed


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    """Four releases over two years, one under Sperrfrist until 2026-11-24 12:00, one
    without a number, in a subfolder and in TOML."""
    folder = tmp_path / "releases"
    release(
        folder,
        "2022/753-eu-mission.yaml",
        date="2022-04-28",
        number=753,
        headline="Europäische Kommission will Klimaneutralität voranbringen",
        subtitle="Dortmund wurde eingeladen <sich> zu beteiligen & mehr.",
    )
    release(
        folder,
        "2026/12-spielplatz.toml",
        date="2026-11-20",
        number=12,
        headline="Spielplatz an der Müllerstraße öffnet",
        body="Der neue **Spielplatz** hat eine Kletterwand.\n\n  Zweiter Absatz.",
    )
    release(
        folder,
        "2026/13-haushalt.yaml",
        date="2026-11-24",
        number=13,
        headline="Haushalt 2027 eingebracht",
        embargo="2026-11-24 12:00",
        subtitle="Der Kämmerer legt den Entwurf vor.",
    )
    release(folder, "2026/ohne-nummer.yaml", date="2026-11-21", number=None, headline="Ohne Nr.")
    return folder


def _feed(folder: Path, now: str) -> bytes:
    result = run_cli("feed", folder, "--base-url", BASE, "--now", now)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def test_the_feed_read_back_by_feedparser(newsroom: Path) -> None:
    feedparser = pytest.importorskip("feedparser")
    data = _feed(newsroom, "2026-11-24 11:59")
    ET.fromstring(data)  # well-formed XML, or this raises
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Stadt Dortmund – Pressemitteilungen"
    # Newest first, the release under embargo absent.
    titles = [entry.title for entry in parsed.entries]
    assert titles == [
        "Ohne Nr.",
        "Spielplatz an der Müllerstraße öffnet",
        "Europäische Kommission will Klimaneutralität voranbringen",
    ]
    ohne, spielplatz, eu = parsed.entries
    assert spielplatz.id == "tag:presse.example.org,2026:medieninfo/12"
    assert eu.id == "tag:presse.example.org,2022:medieninfo/753"
    assert ohne.id == "tag:presse.example.org,2026:medieninfo/file/2026/ohne-nummer.yaml"
    # summary: the subtitle as text (what looks like markup stays text), else paragraph one
    assert eu.summary == "Dortmund wurde eingeladen <sich> zu beteiligen & mehr."
    assert spielplatz.summary == "Der neue Spielplatz hat eine Kletterwand."
    assert eu.link == BASE + "2022/753-eu-mission.html"
    pdfs = [lk.href for lk in eu.links if lk.type == "application/pdf"]
    assert pdfs == [BASE + "2022/753-eu-mission.pdf"]
    assert eu.published_parsed[:6] == (2022, 4, 27, 22, 0, 0)  # midnight in Berlin (CEST)
    assert spielplatz.updated_parsed[:6] == (2026, 11, 19, 23, 0, 0)  # CET
    assert parsed.feed.updated_parsed[:6] == (2026, 11, 20, 23, 0, 0)  # the newest entry


def test_the_embargoed_release_enters_the_feed_at_its_time(newsroom: Path) -> None:
    feedparser = pytest.importorskip("feedparser")
    after = feedparser.parse(_feed(newsroom, "2026-11-24 12:00"))
    first = after.entries[0]
    assert first.title == "Haushalt 2027 eingebracht"
    assert first.published_parsed[:6] == (2026, 11, 24, 11, 0, 0)  # 12:00 CET
    assert len(after.entries) == 4


def test_entry_ids_stay_when_the_text_changes_and_output_is_stable(newsroom: Path) -> None:
    feedparser = pytest.importorskip("feedparser")
    before = _feed(newsroom, "2026-12-01 00:00")
    assert _feed(newsroom, "2026-12-01 00:00") == before  # the same input, the same bytes
    source = newsroom / "2026/12-spielplatz.toml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("Müllerstraße öffnet", "Müllerstraße eröffnet"),
        encoding="utf-8",
    )
    after = _feed(newsroom, "2026-12-01 00:00")
    assert after != before
    ids = [e.id for e in feedparser.parse(before).entries]
    assert [e.id for e in feedparser.parse(after).entries] == ids
    assert "Spielplatz an der Müllerstraße eröffnet" in [
        e.title for e in feedparser.parse(after).entries
    ]


def test_feed_refuses_a_base_url_that_is_not_http(newsroom: Path) -> None:
    result = run_cli("feed", newsroom, "--base-url", "javascript:alert(1)")
    assert result.returncode == 2
    assert "--base-url must be an http:// or https:// address" in result.stderr.decode()


# --------------------------------------------------------------------------- site


def _site(folder: Path, out: Path, now: str) -> str:
    result = run_cli("site", folder, "--out-dir", out, "--base-url", BASE, "--now", now)
    assert result.returncode == 0, result.stderr.decode()
    return result.stderr.decode()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag in ("a", "link") and href:
            self.hrefs.append(href)


def _hrefs(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def test_the_site_before_and_after_the_sperrfrist(newsroom: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    _site(newsroom, out, "2026-11-24 11:59")
    files = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )
    assert files == [
        "2022/753-eu-mission.html",
        "2022/753-eu-mission.pdf",
        "2026/12-spielplatz.html",
        "2026/12-spielplatz.pdf",
        "2026/ohne-nummer.html",
        "2026/ohne-nummer.pdf",
        "feed.xml",
        "index.html",
    ]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Haushalt" not in index and "Haushalt" not in (out / "feed.xml").read_text()
    # After the Sperrfrist: published; the others are up to date and not rendered again.
    said = _site(newsroom, out, "2026-11-24 12:00")
    assert "13-haushalt.yaml -> " in said and "12-spielplatz.toml: up to date" in said
    assert (out / "2026/13-haushalt.pdf").is_file()
    assert "Haushalt 2027 eingebracht" in (out / "index.html").read_text(encoding="utf-8")
    # An embargo added later takes the release down again.
    source = newsroom / "2026/12-spielplatz.toml"
    source.write_text(source.read_text() + 'embargo = "2026-12-24 10:00"\n', encoding="utf-8")
    said = _site(newsroom, out, "2026-11-25 08:00")
    assert "removed (under Sperrfrist)" in said
    assert not (out / "2026/12-spielplatz.html").exists()
    assert not (out / "2026/12-spielplatz.pdf").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Spielplatz" not in index and "Haushalt" in index


def test_a_second_run_renders_and_writes_nothing(newsroom: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    _site(newsroom, out, "2026-12-01 00:00")
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    said = _site(newsroom, out, "2026-12-01 00:00")
    assert " -> " not in said and said.count(": up to date") == 4
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps


def test_a_release_removed_from_the_folder_leaves_the_site(newsroom: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    _site(newsroom, out, "2026-12-01 00:00")
    (out / "2026/notizen.html").write_text("<!DOCTYPE html><title>Eigenes</title>")
    (out / "2026/plan.pdf").write_bytes((out / "2022/753-eu-mission.pdf").read_bytes())
    (newsroom / "2026/ohne-nummer.yaml").unlink()
    said = _site(newsroom, out, "2026-12-01 00:00")
    assert f"{out / '2026/ohne-nummer.html'}: removed (its release is no longer in" in said
    assert not (out / "2026/ohne-nummer.html").exists()
    assert not (out / "2026/ohne-nummer.pdf").exists()
    assert "Ohne Nr." not in (out / "index.html").read_text(encoding="utf-8")
    # What medieninfo did not make stays; a PDF it made, by name no release's, goes.
    assert (out / "2026/notizen.html").read_text() == "<!DOCTYPE html><title>Eigenes</title>"
    assert not (out / "2026/plan.pdf").exists()
    assert (out / "2026/12-spielplatz.pdf").exists() and (out / "feed.xml").exists()


def test_the_index_lists_newest_first_by_year(newsroom: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    _site(newsroom, out, "2026-12-01 00:00")
    index = (out / "index.html").read_text(encoding="utf-8")
    years = re.findall(r"<h2 id=\"jahr-(\d+)\">", index)
    assert years == ["2026", "2022"]
    pages = [h for h in _hrefs(index) if h.endswith(".html")]
    assert pages == [
        "2026/13-haushalt.html",
        "2026/ohne-nummer.html",
        "2026/12-spielplatz.html",
        "2022/753-eu-mission.html",
    ]
    assert "&lt;sich&gt; zu beteiligen &amp; mehr" in index  # typed text stays text


@contextmanager
def serving(out: Path) -> Iterator[str]:
    """``out`` served by ``python -m http.server`` on 127.0.0.1; its root URL. The server is
    killed on leaving, whatever happened."""
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", out],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        port: list[int] = []

        def read_port() -> None:
            assert server.stdout is not None
            for line in server.stdout:
                if found := re.search(r"port (\d+)", line):
                    port.append(int(found.group(1)))
                    return

        reader = threading.Thread(target=read_port, daemon=True)
        reader.start()
        reader.join(15)  # the server says its port at once; 15 s only on a loaded machine
        assert port, "http.server did not start"
        yield f"http://127.0.0.1:{port[0]}/"
    finally:
        server.kill()
        server.wait(10)


@pytest.fixture
def served(newsroom: Path, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The newsroom's site, served on 127.0.0.1; stopped at teardown."""
    out = tmp_path / "public"
    _site(newsroom, out, "2026-12-01 00:00")
    with serving(out) as root:
        yield out, root


def _get(url: str) -> tuple[int, bytes, str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", parts.path or "/")
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Content-Type") or ""
    finally:
        connection.close()


def test_every_link_of_the_served_site_resolves(served: tuple[Path, str]) -> None:
    _out, root = served
    status, body, kind = _get(root)
    assert status == 200 and kind.startswith("text/html")
    links = [urljoin(root, href) for href in _hrefs(body.decode("utf-8"))]
    local = [link for link in links if link.startswith(root)]
    assert len(local) == 2 * 4 + 2  # page and PDF of four releases, the feed twice
    for link in local:
        status, data, kind = _get(link)
        assert status == 200, link
        if link.endswith(".pdf"):
            assert data.startswith(b"%PDF-")
        elif link.endswith(".html"):
            assert b"<h1>" in data
    # The feed's links, with the base URL swapped for the server's, resolve too.
    status, feed, _ = _get(root + "feed.xml")
    assert status == 200
    hrefs = [
        el.get("href", "")
        for el in ET.fromstring(feed).iter("{http://www.w3.org/2005/Atom}link")
        if el.get("href", "").startswith(BASE)
    ]
    assert len(hrefs) == 2 + 2 * 4  # self, the index (the base itself) and the entries
    for href in hrefs:
        assert _get(root + href.removeprefix(BASE))[0] == 200, href


def test_file_names_with_spaces_umlauts_and_url_characters_link_right(tmp_path: Path) -> None:
    folder = tmp_path / "releases"
    name = "2026/Straße & Platz #1?.yaml"
    release(folder, name, date="2026-03-01", number=3, headline="Seltsamer Name")
    out = tmp_path / "public"
    _site(folder, out, "2026-12-01 00:00")
    index = (out / "index.html").read_text(encoding="utf-8")
    pages = [h for h in _hrefs(index) if not h.startswith("feed")]
    assert pages == [
        "2026/Stra%C3%9Fe%20%26%20Platz%20%231%3F.html",
        "2026/Stra%C3%9Fe%20%26%20Platz%20%231%3F.pdf",
    ]
    with serving(out) as root:
        for href in pages:
            status, data, _ = _get(root + href)
            assert status == 200, href
        assert data.startswith(b"%PDF-")
    feedparser = pytest.importorskip("feedparser")
    entry = feedparser.parse((out / "feed.xml").read_bytes()).entries[0]
    assert entry.link == BASE + pages[0]


def test_index_and_release_pages_pass_the_nu_html_checker(served: tuple[Path, str]) -> None:
    out, _root = served
    files = [str(out / "index.html"), *map(str, sorted(out.glob("*/*.html")))]
    assert_valid_html(files)


def test_axe_finds_nothing_on_the_index_and_a_release_page(served: tuple[Path, str]) -> None:
    _out, root = served
    axe = need_file(AXE_JS, "axe-core")
    with chromium_page() as page:
        for path in ("", "2026/12-spielplatz.html"):
            page.goto(root + path)
            page.add_script_tag(path=str(axe))
            violations = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            )
            assert [v["id"] for v in violations] == [], path
        page.goto(root)
        headings = page.evaluate(
            "() => Array.from(document.querySelectorAll('h1, h2'), h => h.innerText)"
        )
        assert headings == ["Stadt Dortmund – Pressemitteilungen", "2026", "2022"]
        # The PDF links tell a screen reader which release they belong to.
        names = page.evaluate(
            "() => Array.from(document.querySelectorAll('a[type=\"application/pdf\"]'),"
            " a => a.textContent)"
        )
        assert names[0] == "PDF: Haushalt 2027 eingebracht"
        if _docs_wanted():
            page.set_viewport_size({"width": 900, "height": 760})
            page.goto(root)
            page.screenshot(path=str(Path(__file__).resolve().parents[1] / "docs" / "newsroom.png"))


def _docs_wanted() -> bool:
    import os

    return os.environ.get("MEDIENINFO_DOCS") == "1"


def test_site_stops_at_a_bad_base_url_and_names_invalid_files(tmp_path: Path) -> None:
    folder = tmp_path / "releases"
    release(folder, "gut.yaml", date="2026-01-02", number=1, headline="Gut")
    (folder / "kaputt.yaml").write_text("date: 2026-13-01\nheadline: X\nbody: y\n")
    out = tmp_path / "public"
    result = run_cli(
        "site", folder, "--out-dir", out, "--base-url", BASE, "--now", "2026-02-01T00:00"
    )
    assert result.returncode == 1
    assert re.search(
        rf"{re.escape(str(folder / 'kaputt.yaml'))}:1:\d+: date", result.stderr.decode()
    )
    assert "Gut" in (out / "index.html").read_text(encoding="utf-8")
    assert run_cli("site", folder, "--out-dir", out, "--base-url", "ftp://x").returncode == 2
