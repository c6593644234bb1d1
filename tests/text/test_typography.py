"""Tests for medieninfo.text.typography.refine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medieninfo.text.typography import refine

from conftest import REFERENCE

NBSP = "\u00a0"
NNBSP = "\u202f"
EN = "\u2013"


def de(text: str) -> str:
    (result,) = refine([text], "de-DE")
    return result


# -- quotes and apostrophes ----------------------------------------------------


def test_german_double_quotes() -> None:
    assert de('Er sagte "Hallo" und ging.') == "Er sagte „Hallo“ und ging."
    assert de('"Sofortprogramm Klima".') == "„Sofortprogramm Klima“."
    assert de('("Klammer")') == "(„Klammer“)"


def test_german_single_and_nested_quotes() -> None:
    assert de("Das 'Mission Label' kommt.") == "Das ‚Mission Label‘ kommt."
    assert de("\"Sie sagte 'nein' dazu\", so er.") == "„Sie sagte ‚nein‘ dazu“, so er."
    assert de("\"'Nein', sagte sie\"") == "„‚Nein‘, sagte sie“"


def test_german_apostrophes() -> None:
    assert de("Wie geht's? Peter's Café.") == "Wie geht’s? Peter’s Café."
    assert de("So 'ne Sache, 's ist spät.") == "So ’ne Sache, ’s ist spät."
    assert de("Andreas' Buch aus den '90ern") == "Andreas’ Buch aus den ’90ern"


def test_quotes_across_runs() -> None:
    runs = ["Im ", '"Handlungsprogramm ', "Klima-Luft 2030", '"', " sowie"]
    assert refine(runs, "de-DE") == ["Im ", "„Handlungsprogramm ", "Klima-Luft 2030", "“", " sowie"]
    # The closing quote is judged by what precedes it in the previous run.
    assert refine(['"', "fett", '" normal'], "de-DE") == ["„", "fett", "“ normal"]


def test_run_count_and_lengths_preserved_except_changes() -> None:
    runs = ["a ", "", "b...", " c"]
    result = refine(runs, "de-DE")
    assert len(result) == len(runs)
    assert result == ["a ", "", "b…", " c"]


def test_typographic_quotes_stay() -> None:
    text = f"„100 klimaneutrale und intelligente Städte“{NBSP}– ‚so‘"
    assert de(text) == text
    assert de('„Schon da“ und "neu"') == "„Schon da“ und „neu“"


def test_english_quotes() -> None:
    (result,) = refine(["He said \"it's 'fine'\" today."], "en-GB")
    assert result == "He said “it’s ‘fine’” today."
    (result,) = refine(["'Tis the 'best' rock 'n' roll"], "en-US")
    assert result == "’Tis the ‘best’ rock ’n’ roll"


def test_french_quotes() -> None:
    (result,) = refine(['Il a dit "bonjour" et " salut " à l\'homme.'], "fr-FR")
    assert result == f"Il a dit «{NNBSP}bonjour{NNBSP}» et «{NNBSP}salut{NNBSP}» à l’homme."


def test_other_languages_leave_quotes() -> None:
    (result,) = refine(['"ciao" l\'amico...'], "it-IT")
    assert result == '"ciao" l\'amico…'


# -- abbreviations and numbers -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("z. B. den Klimawandel", f"z.{NNBSP}B. den Klimawandel"),
        ("Z. B. heute", f"Z.{NNBSP}B. heute"),
        ("u. a. Aachen", f"u.{NNBSP}a. Aachen"),
        ("d. h. jetzt", f"d.{NNBSP}h. jetzt"),
        ("Mitteln o. Ä.", f"Mitteln o.{NNBSP}Ä."),
        ("i. d. R. nicht", f"i.{NNBSP}d.{NNBSP}R. nicht"),
        ("Verein e. V.", f"Verein e.{NNBSP}V."),
        ("usw. und z.B.", "usw. und z.B."),  # as typed: no space, nothing to protect
        # Partly typed with narrow or no-break spaces already.
        (f"i.{NNBSP}d. R. nicht", f"i.{NNBSP}d.{NNBSP}R. nicht"),
        (f"u. v.{NNBSP}m.", f"u.{NNBSP}v.{NNBSP}m."),
        (f"z.{NBSP}B. heute", f"z.{NNBSP}B. heute"),
    ],
)
def test_german_abbreviations(text: str, expected: str) -> None:
    assert de(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nr. 5", f"Nr.{NBSP}5"),
        ("§ 3 Abs. 2", f"§{NBSP}3 Abs.{NBSP}2"),
        ("auf S. 12", f"auf S.{NBSP}12"),
        ("Art. 20 GG", f"Art.{NBSP}20 GG"),
        ("Nr. fünf", "Nr. fünf"),
    ],
)
def test_german_number_prefixes(text: str, expected: str) -> None:
    assert de(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("38,4 °C", f"38,4{NBSP}°C"),
        ("65 %", f"65{NBSP}%"),
        ("2,5 GWh", f"2,5{NBSP}GWh"),
        ("48 500 €", f"48{NNBSP}500{NBSP}€"),
        ("12 km", f"12{NBSP}km"),
        ("10 Uhr", f"10{NBSP}Uhr"),
        ("5 Mio. Euro", f"5{NBSP}Mio.{NBSP}Euro"),
        ("12 000 Menschen", f"12{NNBSP}000 Menschen"),
        ("1 250 000 Euro", f"1{NNBSP}250{NNBSP}000{NBSP}Euro"),
        ("Aus 377 Bewerberstädten", "Aus 377 Bewerberstädten"),
        ("bis 2030 aufzeigen", "bis 2030 aufzeigen"),
        ("im Jahr 2021 100 Städte", "im Jahr 2021 100 Städte"),
        ("12 mal", "12 mal"),
    ],
)
def test_numbers_and_units(text: str, expected: str) -> None:
    assert de(text) == expected


# -- dashes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("von 9-17 Uhr", f"von 9{EN}17{NBSP}Uhr"),
        ("2020-2022", f"2020{EN}2022"),
        ("10:00-12:00", f"10:00{EN}12:00"),
        ("10.00-12.00 Uhr", f"10.00{EN}12.00{NBSP}Uhr"),
        ("Südwall 21-23", f"Südwall 21{EN}23"),
    ],
)
def test_ranges_get_en_dash(text: str, expected: str) -> None:
    assert de(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Telefon: +49 (0)231/50-2 21 34",
        "Telefax: +49 (0)231/50-2 21 67",
        "Fax 0231/50-22167",
        "am 2022-04-28",
        "die U47-Linie",
        "auf der A40",
        "der B1-Ausbau",
        "44122 Dortmund",
        "D-44122 Dortmund",
        "ISBN 978-3-16-148410-0",
        "Klimaschutz- und Klimaanpassungsmaßnahmen",
        "EU-Mission",
        "CO2-Emittenten",
    ],
)
def test_codes_phone_numbers_and_dates_stay(text: str) -> None:
    assert de(text) == text


def test_spaced_hyphen_becomes_en_dash() -> None:
    assert de("bis 2030 aufzeigen - einzelne") == f"bis 2030 aufzeigen{NBSP}{EN} einzelne"
    # A typed en dash gets the no-break space before it as well.
    assert de("bis 2050 – dem Ziel") == f"bis 2050{NBSP}– dem Ziel"


def test_ellipsis() -> None:
    assert de("Und dann...") == "Und dann…"
    assert de("Und dann.... nicht") == "Und dann.... nicht"


# -- protected text -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "https://example.org/a-b--c",
        "http://dortmund.de/presse",
        '"a"@x.de',
        "pressestelle@stadtdo.de",
        "www.example.org/9-17/a...b",
        "dortmund-ueberrascht-dich.de",
        "mailto:pressestelle@stadtdo.de",
    ],
)
def test_urls_and_emails_untouched(text: str) -> None:
    assert de(text) == text
    assert de(f"Siehe {text} bitte.") == f"Siehe {text} bitte."


def test_url_in_quotes() -> None:
    assert de('Web: "https://example.org/a-b--c"') == "Web: „https://example.org/a-b--c“"


# -- switches and invariants ------------------------------------------------------


def test_disabled_returns_runs_unchanged() -> None:
    runs = ['"Hallo" ...', "z. B. 9-17 Uhr"]
    assert refine(runs, "de-DE", enabled=False) == runs
    assert refine((), "de-DE") == []


def test_unknown_language_only_neutral_rules() -> None:
    (result,) = refine(["\"x\" 'y' 9-17 - z. B. 12 000 km..."], "nl-NL")
    assert result == f"\"x\" 'y' 9-17 - z. B. 12{NNBSP}000{NBSP}km…"


def _paragraphs() -> list[str]:
    extra = [
        "\"Sie sagte 'nein'\", so Peter's Freund... z. B. 9-17 Uhr, Nr. 5 - fertig",
        "Kosten: 48 500 € (2,5 GWh, 38,4 °C) am 2022-04-28, Tel. +49 (0)231/50-2 21 34",
    ]
    text = REFERENCE.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    assert len(paragraphs) > 10, "the reference release is missing or cut short"
    return paragraphs + extra


@pytest.mark.parametrize("lang", ["de-DE", "en-GB", "fr-FR", "xx"])
def test_idempotent(lang: str) -> None:
    for paragraph in _paragraphs():
        runs = [paragraph[: len(paragraph) // 3], paragraph[len(paragraph) // 3 :]]
        once = refine(runs, lang)
        assert refine(once, lang) == once


def test_reference_release_paragraph() -> None:
    text = (
        "Dortmund sieht in der EU Cities Mission grundsätzlich eine Chance, "
        "die im „Handlungsprogramm Klima-Luft 2030“ adressiert werden, "
        "wie z. B. den Klimawandel - bis 2030."
    )
    assert de(text) == (
        "Dortmund sieht in der EU Cities Mission grundsätzlich eine Chance, "
        "die im „Handlungsprogramm Klima-Luft 2030“ adressiert werden, "
        f"wie z.{NNBSP}B. den Klimawandel{NBSP}{EN} bis 2030."
    )


def test_phone_search_finds_what_the_plain_pattern_finds() -> None:
    """PHONE leads with a lookahead for speed; it must find exactly what its alternatives
    find without it, on numbers of every form and on prose full of digits."""
    from medieninfo.text import typography

    plain = re.compile(typography._PHONE_SOURCE, re.VERBOSE)
    texts = [
        "Telefon: 0231 50-2 21 34, Fax (0231) 50 22, +49 (0)231/50-2 21 34 oder 0231/50-22134.",
        "Am 28.04.2022 um 10:30 Uhr, 2030 und 100 Städte; Tel.0231 955-50 50, 0231 55 75 90-0.",
        "(01) 0 00 +4 +49 0231 0231/ 0231 / 5 x0231 50 12.000 0,231 1 000 000",
        (Path(__file__).parents[1] / "data" / "medieninformation-753.txt").read_text(
            encoding="utf-8"
        ),
    ]
    for text in texts:
        expected = [m.span() for m in plain.finditer(text)]
        assert [m.span() for m in typography.PHONE.finditer(text)] == expected
    assert len(list(typography.PHONE.finditer(texts[0]))) == 4
