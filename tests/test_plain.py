"""The plain text (``--to txt``): every block in order, wrapped at 72 characters without
breaking a URL, nothing hyphenated, typography kept, the same for YAML and TOML twins."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from channels import RICH_RELEASE, expected_blocks, words
from conftest import EXAMPLES, run_cli

WIDTH = 72
URL = re.compile(r"^<?(?:https?://|mailto:)\S+>?[.,;:]?$")


def render_txt(source: Path, target: Path, *options: str) -> str:
    result = run_cli("render", source, "--to", "txt", "-o", target, *options)
    assert result.returncode == 0, result.stderr.decode()
    data = target.read_bytes()
    return data.decode("utf-8")  # strictly UTF-8


@pytest.fixture
def rich(tmp_path: Path) -> Path:
    source = tmp_path / "rich.yaml"
    source.write_text(RICH_RELEASE, encoding="utf-8")
    return source


def assert_wrapped(text: str) -> None:
    for line in text.splitlines():
        if len(line) > WIDTH:
            # Only a URL may be longer, and then it stands alone on its line.
            assert URL.match(line.strip()), f"line over {WIDTH}: {line!r}"


def assert_blocks_in_order(text: str, source: Path) -> None:
    # The model's blocks have no addresses: compare without the " <url>" after a link.
    flat = _compatible(re.sub(r"\s*<(?:https?://|mailto:)[^>\s]*>", "", text))
    position = 0
    for role, block in expected_blocks(source):
        found = flat.find(_compatible(_as_plain(block)), position)
        assert found >= 0, f"{role} block missing or out of order: {block[:60]!r}"
        position = found + 1


def _compatible(text: str) -> str:
    """Compared as Unicode's compatibility form (CO₂ as CO2: the model keeps the 2 as a
    subscript span, the text writes it as U+2082)."""
    return words(unicodedata.normalize("NFKC", text))


def _as_plain(block: str) -> str:
    """A block as the text shows it: the number as "Nr. 753" on the date's line."""
    if re.fullmatch(r"\d+\.", block):
        return f"Nr. {block[:-1]}"
    return block.replace("\u00ad", "")


@pytest.mark.parametrize(
    "source", [EXAMPLES / "eu-mission.yaml", EXAMPLES / "musterstadt" / "release.yaml"]
)
def test_every_block_in_order_and_wrapped(source: Path, tmp_path: Path) -> None:
    text = render_txt(source, tmp_path / "r.txt")
    assert_blocks_in_order(text, source)
    assert_wrapped(text)
    assert "\u00ad" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_the_example_reads_as_the_press_office_wrote_it(tmp_path: Path) -> None:
    text = render_txt(EXAMPLES / "eu-mission.yaml", tmp_path / "r.txt")
    lines = text.splitlines()
    assert lines[0] == "28.4.2022, Nr. 753"
    headline = "Europäische Kommission will Klimaneutralität in Dortmund voranbringen"
    assert lines[2] == headline and set(lines[3]) == {"="} and len(lines[3]) == len(headline)
    assert "Hintergrund\n-----------\n" in text
    # typographic quotes, dashes and (narrow) no-break spaces are kept, as in the PDF
    assert "„Handlungsprogramm Klima-Luft 2030“" in words(text)
    assert "z.\u202fB." in text
    assert "Kontakt: Frank Bußmann" in text
    # the sender block from the letterhead, as a signature
    assert "\n-- \nStadt Dortmund\nMEDIENINFORMATION\n" in text


def test_yaml_and_toml_twins_give_the_same_text(tmp_path: Path) -> None:
    yaml = render_txt(EXAMPLES / "eu-mission.yaml", tmp_path / "y.txt")
    toml = render_txt(EXAMPLES / "eu-mission.toml", tmp_path / "t.txt")
    assert yaml == toml


def test_links_lists_embargo_and_long_urls(rich: Path, tmp_path: Path) -> None:
    text = render_txt(rich, tmp_path / "r.txt")
    assert_blocks_in_order(text, rich)
    assert_wrapped(text)
    assert text.splitlines()[1] == "Sperrfrist: 24.11.2026, 12:00 Uhr"
    flat = words(text)
    assert "der Projektseite <https://example.org/spielplatz>" in flat
    assert "per E-Mail <mailto:presse@example.org>." in flat
    assert "\n– eine Kletterwand für Kinder ab 6 Jahren\n– zwei Schaukeln\n" in text
    assert "\n  – eine für Kleinkinder\n" in text
    assert "\n1. Montag bis Freitag 9–17\u00a0Uhr\n2. Samstag" in text
    long_url = "https://example.org/ein/sehr/langer/pfad/der/laenger/ist/als/eine/zeile/mit/"
    (line,) = [line for line in text.splitlines() if long_url in line]
    assert line.startswith("https://") and len(line) > WIDTH  # alone, whole
    # sub- and superscript as Unicode's small digits; no markup characters
    assert "CO₂-neutrale" in flat and "1\u202f200 m²." in text
    assert "\nÖffnungszeiten\n~~~~~~~~~~~~~~\n" in text  # ### underlined with ~
    assert "**" not in text and "^" not in text


def test_wrapping_never_breaks_a_url_or_a_hyphenated_word(tmp_path: Path) -> None:
    url = "https://example.org/" + "a" * 30 + "-" + "b" * 30
    body = " ".join(["Klimaanpassungs-Maßnahmen-Paket", "Wort", url] * 6)
    source = tmp_path / "r.yaml"
    source.write_text(
        f"date: 2022-04-28\nheadline: Titel\nbody: |\n  Schau­platz {body} [Link]({url})\n",
        encoding="utf-8",
    )
    text = render_txt(source, tmp_path / "r.txt")
    assert_wrapped(text)
    assert "\u00ad" not in text and "Schauplatz" in text  # the typed soft hyphen is gone
    tokens = text.split()
    assert tokens.count(url) == 6 and tokens.count(f"<{url}>") == 1
    assert tokens.count("Klimaanpassungs-Maßnahmen-Paket") == 6


def test_standard_output_gives_the_same_text(tmp_path: Path) -> None:
    file_text = render_txt(EXAMPLES / "eu-mission.yaml", tmp_path / "r.txt")
    result = run_cli("render", EXAMPLES / "eu-mission.yaml", "--to", "txt", "-o", "-")
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode("utf-8") == file_text


def test_hard_line_breaks_and_a_long_paragraph_cut_for_the_pdf_read_as_one(
    tmp_path: Path,
) -> None:
    sentence = "Dies ist ein Satz mit einigen Wörtern darin. "
    source = tmp_path / "r.yaml"
    source.write_text(
        "date: 2022-04-28\nheadline: Titel\nbody: |\n"
        f"  Zeile eins\\\n  Zeile zwei\n\n  {sentence * 200}\n",
        encoding="utf-8",
    )
    text = render_txt(source, tmp_path / "r.txt")
    assert "\nZeile eins\nZeile zwei\n" in text
    paragraphs = text.split("\n\n")
    (long,) = [p for p in paragraphs if p.startswith("Dies ist")]
    assert words(long) == words(sentence * 200)  # one paragraph, no word lost or joined


def test_sub_and_superscript_digits_become_unicode_others_stay_as_typed(
    tmp_path: Path,
) -> None:
    source = tmp_path / "r.yaml"
    source.write_text(
        "date: 2022-04-28\nheadline: Titel\ntypography: false\n"
        "body: H~2~O, 10^-3^, x^n^ und CO~2e~.\n",
        encoding="utf-8",
    )
    text = render_txt(source, tmp_path / "r.txt")
    assert "H₂O, 10⁻³, xn und CO2e." in text


def test_pieces_are_joined_inside_lists_too() -> None:
    from medieninfo.model.content import ListBlock, Paragraph, parse_body
    from medieninfo.text.release_text import join_pieces, plain

    sentence = "Ein Satz in einer Liste. "
    blocks = parse_body(f"- {sentence * 300}\n- kurz\n\n{sentence * 300}\n")
    listing = blocks[0]
    assert isinstance(listing, ListBlock) and len(listing.items[0]) > 1  # cut for the PDF
    joined = join_pieces(blocks)
    assert len(joined) == 2
    item, short = joined[0].items  # type: ignore[union-attr]
    assert len(item) == 1 and isinstance(item[0], Paragraph)
    assert words(plain(item[0].spans)) == words(sentence * 300)
    assert plain(short[0].spans) == "kurz"  # type: ignore[union-attr]
    assert isinstance(joined[1], Paragraph) and not joined[1].continues
    assert words(plain(joined[1].spans)) == words(sentence * 300)
