"""Tests for medieninfo.text.hyphenation against a hand-checked German word list."""

from __future__ import annotations

import time

import pytest

from medieninfo.text.hyphenation import Hyphenator, hyphenator_for

from german_words import ENTRIES, Entry, parse_entry

SHY = "\u00ad"


@pytest.fixture(scope="module")
def de() -> Hyphenator:
    h = hyphenator_for("de-DE")
    assert h is not None
    return h


def test_word_list_is_large_enough() -> None:
    assert len(ENTRIES) >= 200
    assert len({e.word for e in ENTRIES}) == len(ENTRIES), "duplicate words in the list"


def test_parse_entry_notation() -> None:
    e = parse_entry("Kli-ma=neu-t~ra-li-tät")
    assert e.word == "Klimaneutralität"
    assert e.allowed == {3, 5, 8, 9, 11, 13}
    assert e.counted == {3, 5, 8, 11, 13}
    assert e.seams == {5}
    hard = parse_entry("Pho-to--Of-fen")
    assert hard.word == "Photo-Offen"
    assert 6 in hard.allowed


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.word for e in ENTRIES])
def test_no_wrong_breaks(de: Hyphenator, entry: Entry) -> None:
    got = de.positions(entry.word)
    wrong = sorted(set(got) - entry.allowed)
    assert not wrong, f"{de.hyphenate(entry.word)} breaks wrongly at {wrong}; list: {entry.line}"


def test_recall(de: Hyphenator) -> None:
    found = sum(len(set(de.positions(e.word)) & e.counted) for e in ENTRIES)
    total = sum(len(e.counted) for e in ENTRIES)
    recall = found / total
    print(f"\nGerman hyphenation recall: {found}/{total} = {recall:.1%}")
    assert recall >= 0.85


def test_preferred_finds_most_compound_seams(de: Hyphenator) -> None:
    hits = sum(len(set(de.preferred(e.word)) & e.seams) for e in ENTRIES)
    seams = sum(len(e.seams) for e in ENTRIES)
    chosen = sum(len(de.preferred(e.word)) for e in ENTRIES)
    print(f"\npreferred(): {hits}/{seams} seams found, {hits}/{chosen} of the chosen are seams")
    assert hits / seams >= 0.7
    for entry in ENTRIES:
        assert set(de.preferred(entry.word)) <= set(de.positions(entry.word))


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Deutschland", "Deutsch-land"),
        ("Fortschritt", "Fort-schritt"),
        ("Treibhausgasemissionen", "Treib-haus-gas-emis-sio-nen"),
        ("Klimaneutralität", "Kli-ma-neu-tra-li-tät"),
        ("Klimaanpassungsmaßnahmen", "Kli-ma-an-pas-sungs-maß-nah-men"),
        ("Bestandsaufnahme", "Be-stands-auf-nah-me"),
        ("Innovationshauptstadt", "In-no-va-ti-ons-haupt-stadt"),
        ("Photovoltaik-Offensive", "Pho-to-vol-ta-ik-Of-fen-si-ve"),
    ],
)
def test_hard_cases(de: Hyphenator, word: str, expected: str) -> None:
    assert de.hyphenate(word) == expected


def test_hyphenate_separator(de: Hyphenator) -> None:
    assert de.hyphenate("Deutschland", sep="|") == "Deutsch|land"
    assert de.hyphenate("Photovoltaik-Offensive", sep="·") == "Pho·to·vol·ta·ik-Of·fen·si·ve"


def test_case_umlauts_and_sharp_s(de: Hyphenator) -> None:
    assert de.positions("straße") == de.positions("Straße") == [4]
    assert de.hyphenate("Größenordnung") == "Grö-ßen-ord-nung"
    assert de.hyphenate("ÜBERSICHT") == "ÜBERSICHT"  # capitals only: treated as acronym


def test_pairs_shape_for_reportlab(de: Hyphenator) -> None:
    pairs = de("Bestandsaufnahme")
    assert pairs == de.pairs("Bestandsaufnahme")
    assert pairs == [
        ("Bestandsaufnah", "me"),
        ("Bestandsauf", "nahme"),
        ("Bestands", "aufnahme"),
        ("Be", "standsaufnahme"),
    ]
    for head, tail in pairs:
        assert head + tail == "Bestandsaufnahme"
    assert de("") == []
    assert de("und") == []


def test_hard_hyphen_compound(de: Hyphenator) -> None:
    word = "Photovoltaik-Offensive"
    pairs = de(word)
    assert ("Photovoltaik-", "Offensive") in pairs
    assert ("Photo", "voltaik-Offensive") in pairs
    assert all(not head.endswith("--") for head, _ in pairs)
    heads = [len(head) for head, _ in pairs]
    assert heads == sorted(heads, reverse=True)
    assert 13 in de.preferred(word)  # the hyphen is the best break


def test_hard_hyphen_respects_minimums(de: Hyphenator) -> None:
    assert "E-" not in [head for head, _ in de("E-Mail")]
    assert de.positions("EU-Mission")[0] == 3  # "EU-" has two letters
    assert de.positions("Klimaschutz-")[-1] != len("Klimaschutz-")


def test_soft_hyphens_only_break_there(de: Hyphenator) -> None:
    word = f"Bun{SHY}des{SHY}wehr"
    assert de.positions(word) == [4, 8]
    assert de(word) == [("Bundes", "wehr"), ("Bun", f"des{SHY}wehr")]
    assert de.hyphenate(word) == "Bun-des-wehr"
    # A soft hyphen overrides the patterns, even where they would break elsewhere.
    assert de.positions(f"Treibhaus{SHY}gasemissionen") == [10]
    assert de.preferred(f"Treibhaus{SHY}gasemissionen") == [10]


def test_minimum_two_letters_each_side(de: Hyphenator) -> None:
    for entry in ENTRIES:
        for p in de.positions(entry.word):
            assert p >= 2
            assert len(entry.word) - p >= 2
    assert de.positions("Abend") == []
    assert de.positions("Ofen") == []


def test_configurable_minimums() -> None:
    wide = Hyphenator("de", left_min=3, right_min=3)
    assert wide.positions("Bestandsaufnahme") == [8, 11]
    assert wide.left_min == 3
    assert wide.right_min == 3
    assert Hyphenator("de").left_min == 2


@pytest.mark.parametrize(
    "word",
    [
        "https://example.org/klimaneutralitaet",
        "pressestelle@stadtdo.de",
        "www.dortmund.de",
        "dortmund.de/presse",
        "Klimaneutralität2030",
        "CO2-Emittenten",
        "U47-Linie",
    ],
)
def test_urls_emails_and_digits_not_hyphenated(de: Hyphenator, word: str) -> None:
    assert de.positions(word) == []
    assert de(word) == []
    assert de.hyphenate(word) == word


def test_acronyms_and_camel_case_not_hyphenated(de: Hyphenator) -> None:
    assert de.positions("UNESCO") == []
    assert de.positions("iCapital") == []


def test_exceptions() -> None:
    h = hyphenator_for("de-DE", exceptions=["Buß-mann", "Dortmund"])
    assert h is not None
    assert h.hyphenate("Bußmann") == "Buß-mann"
    assert h.hyphenate("BUSSMANN") == "BUSSMANN"  # different letters: no match, capitals
    assert h.positions("bußmann") == [3]
    assert h.positions("Dortmund") == []
    assert h.positions("Dortmunds") == []  # genitive of a name
    assert h.positions("DORTMUND") == []
    # Inside hyphenated compounds the parts are looked up too.
    assert h.hyphenate("Dortmund-Nord") == "Dortmund-Nord"
    plain = hyphenator_for("de-DE")
    assert plain is not None
    assert plain.hyphenate("Dortmund") == "Dort-mund"


def test_hyphenator_for_languages_and_cache() -> None:
    de = hyphenator_for("de-DE")
    assert de is not None
    assert hyphenator_for("de-DE") is de
    assert hyphenator_for("de-AT") is de
    assert hyphenator_for("de_CH") is de
    assert hyphenator_for("de") is de
    assert hyphenator_for("de-DE", exceptions=["Dortmund"]) is not de
    assert hyphenator_for("de-DE", exceptions=("Dortmund",)) is hyphenator_for(
        "de-DE", exceptions=["Dortmund"]
    )
    for unknown in ("it-IT", "nl", "", "x-klingon"):
        assert hyphenator_for(unknown) is None


def test_english() -> None:
    gb = hyphenator_for("en-GB")
    us = hyphenator_for("en-US")
    assert gb is not None
    assert us is not None
    assert gb.code == "en-gb"
    assert us.code == "en-us"
    assert hyphenator_for("en") is us
    assert hyphenator_for("en-AU") is gb
    assert us.hyphenate("development") == "de-vel-op-ment"
    assert us.hyphenate("table") == "ta-ble"  # from the exception list
    assert us.hyphenate("present") == "present"  # exception: noun and verb differ
    assert gb.hyphenate("information") == "in-form-a-tion"  # British: by morphemes
    assert gb.hyphenate("however") == "how-ever"
    assert gb.right_min == 3
    assert us.positions("into") == []


def test_french() -> None:
    fr = hyphenator_for("fr-FR")
    assert fr is not None
    assert fr.hyphenate("développement") == "dé-ve-lop-pe-ment"
    assert fr.hyphenate("Européenne") == "Eu-ro-péenne"


def test_pattern_data_loads_from_package(de: Hyphenator) -> None:
    """Sanity check of the lazily loaded data; the load time is printed, not asserted."""
    from medieninfo.text import hyphenation

    fresh = hyphenation._PatternSet("de")
    start = time.perf_counter()
    trie = fresh.trie
    elapsed_ms = (time.perf_counter() - start) * 1000
    print(f"\nde patterns: {len(trie)} loaded in {elapsed_ms:.1f} ms")
    assert len(trie) > 30_000
    assert fresh.minimums() == (2, 2)
    assert trie.digits("zzat") == "00030"  # from the TeX pattern "zza3t"
    assert trie.digits("zzatzz") is None


def test_surrounding_punctuation_is_skipped(de: Hyphenator) -> None:
    assert de.hyphenate("„Städte“,") == "„Städ-te“,"
    assert de("Deutschland.") == [("Deutsch", "land.")]
    assert de.hyphenate("(Klimaschutz-") == "(Kli-ma-schutz-"
    assert de.preferred("(Klimaanpassungsmaßnahmen)") == [6, 16]
    assert de.positions("…") == []


def test_preferred_pairs_put_seams_first(de: Hyphenator) -> None:
    pairs = de.preferred_pairs("Klimaanpassungsmaßnahmen")
    assert pairs[:2] == [("Klimaanpassungs", "maßnahmen"), ("Klima", "anpassungsmaßnahmen")]
    assert sorted(pairs) == sorted(de.pairs("Klimaanpassungsmaßnahmen"))
    assert de.preferred_pairs("Abend") == []
