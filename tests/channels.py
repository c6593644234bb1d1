"""Helpers for the tests of the non-PDF outputs (web page, plain text, e-mail draft).

The checkers are tools we did not write: the Nu Html Checker (``vnu-jar``) and axe-core
from npm (``tools/node``), Debian's Chromium driven by Playwright, Debian's ``munpack``.
Locally a test skips, with the reason, when one is missing; under CI (``CI=true``, where
``.ci/run`` installs them all) it fails instead, so CI never passes by skipping.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "tools" / "node" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def missing(reason: str) -> None:
    """Skip locally; fail under CI, which must have installed every tool."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must install it: see .ci/run)")
    pytest.skip(reason)


def need_file(path: Path, what: str) -> Path:
    if not path.is_file():
        missing(f"{what} not installed ({path}); run: npm ci --prefix tools/node")
    return path


def need_program(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        missing(f"{name} not found; install it with: apt-get install {package}")
    assert found is not None
    return found


def assert_valid_html(files: list[str]) -> None:
    """The Nu Html Checker (vnu-jar) finds no error in any of ``files``."""
    import json
    import subprocess

    need_program("java", "default-jre-headless")
    jar = need_file(VNU_JAR, "vnu-jar")
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert messages == [], messages
    assert result.returncode == 0


@contextmanager
def chromium_page() -> Iterator[Any]:
    """A page in Debian's headless Chromium, through Playwright (no browser download)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        missing("chromium not found; install it with: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            yield page
        finally:
            browser.close()


def expected_blocks(source: Path, *, letterhead: Path | None = None) -> list[tuple[str, str]]:
    """The release's blocks in reading order from the model (not from any output): the
    lines above the body, headline, subtitle, each paragraph (pieces of a cut paragraph as
    one) and heading, and the contact line; roles as HTML tags."""
    from medieninfo.model.content import Heading
    from medieninfo.model.release import load_release
    from medieninfo.render import compose, letterhead_for
    from medieninfo.text.release_text import plain, walk

    release = load_release(source)
    text = compose(release, letterhead_for(release, letterhead))
    out = [("p", text.date_line)]
    if text.number_line:
        out.append(("p", text.number_line))
    if text.embargo_line:
        out.append(("p", text.embargo_line))
    out.append(("h1", text.release.headline))
    if text.release.subtitle:
        out.append(("p", text.release.subtitle))
    for block in walk(text.whole_blocks()):
        role = f"h{block.level}" if isinstance(block, Heading) else "p"
        out.append((role, plain(block.spans)))
    if text.contact_line:
        out.append(("p", text.contact_line))
    return out


def words(text: str) -> str:
    """Text with every run of white space (line breaks, no-break spaces) as one space."""
    return " ".join(re.split(r"[\s\u00a0\u202f]+", text)).strip()


RICH_RELEASE = """\
date: 2026-11-24
number: 12
headline: "Spielplatz an der Müllerstraße öffnet: „Alles neu“"
subtitle: Der Spielplatz wurde in sechs Monaten umgebaut.
embargo: 2026-11-24 12:00
contact: Erika Mustermann
body: |
  Der neue Spielplatz hat eine **Kletterwand**, eine *Schaukel* und CO~2~-neutrale
  Beleuchtung auf 1 200 m^2^. Mehr unter [der Projektseite](https://example.org/spielplatz)
  und per [E-Mail](mailto:presse@example.org).

  ## Was es gibt

  - eine Kletterwand für Kinder ab 6 Jahren
  - zwei Schaukeln
    - eine für Kleinkinder
  - einen Sandkasten

  ### Öffnungszeiten

  1. Montag bis Freitag 9-17 Uhr
  2. Samstag 10-14 Uhr

  Eine sehr lange Adresse steht für sich: https://example.org/ein/sehr/langer/pfad/der/laenger/ist/als/eine/zeile/mit/zweiundsiebzig/zeichen
"""
