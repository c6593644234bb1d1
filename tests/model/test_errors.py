"""Bad input: one clear file:line:col message per problem, exit 1, no traceback, no PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINIMAL, pdf_pages, run_cli

CASES = [
    # (name, file content, expected lines of stderr)
    (
        "unknown field",
        "date: 2022-04-28\nheadlien: Titel\nheadline: T\nbody: x\n",
        ["release.yaml:2:1: unknown field 'headlien' (did you mean 'headline'?)"],
    ),
    (
        "missing required fields",
        "date: 2022-04-28\n",
        [
            "release.yaml:1:1: missing required field 'headline'",
            "release.yaml:1:1: missing required field 'body'",
        ],
    ),
    (
        "wrong type",
        "date: 2022-04-28\nheadline: [a, b]\nbody: x\n",
        ["release.yaml:2:11: headline: expected text, found a list"],
    ),
    (
        "impossible date",
        "date: 2026-13-45\nheadline: T\nbody: x\n",
        ["release.yaml:1:7: date: impossible date '2026-13-45': month must be in 1..12"],
    ),
    (
        "impossible German date",
        "date: 31.2.2022\nheadline: T\nbody: x\n",
        ["release.yaml:1:7: date: impossible date '31.2.2022': day is out of range for month"],
    ),
    (
        "duplicate key",
        "date: 2022-04-28\nheadline: A\nheadline: B\nbody: x\n",
        ["release.yaml:3:1: duplicate key 'headline' (first given on line 2)"],
    ),
    (
        "empty file",
        "",
        ["release.yaml: file is empty; a release needs at least date, headline and body"],
    ),
    (
        "list instead of mapping",
        "- date: 2022-04-28\n",
        ["release.yaml:1:1: expected a mapping of fields (like 'headline: ...'), found a list"],
    ),
    (
        "YAML syntax error",
        'date: 2022-04-28\nheadline: "open\nbody: x\n',
        [
            "release.yaml:4:1: YAML syntax error: found unexpected end of stream "
            "(while scanning a quoted scalar)"
        ],
    ),
    (
        "several problems at once",
        "date: 2026-13-45\nheadlien: x\nbody: [1]\nnumber: no\n",
        [
            "release.yaml:1:1: missing required field 'headline'",
            "release.yaml:1:7: date: impossible date '2026-13-45': month must be in 1..12",
            "release.yaml:2:1: unknown field 'headlien' (did you mean 'headline'?)",
            "release.yaml:3:7: body: expected text, found a list",
            "release.yaml:4:9: number: 'no' is not a whole number like 753",
        ],
    ),
    (
        "bad embargo",
        MINIMAL + "embargo: 2022-04-28\n",
        ["release.yaml:4:10: embargo: '2022-04-28' has no time; write it like 2022-04-28 12:00"],
    ),
    (
        "bad language",
        MINIMAL + "lang: deutsch!\n",
        ["release.yaml:4:7: lang: 'deutsch!' is not a language tag like de-DE or en-GB"],
    ),
    (
        "unknown letterhead",
        MINIMAL + "letterhead: hamburg\n",
        [
            "release.yaml:4: letterhead: no built-in letterhead 'hamburg' (built in: dortmund) "
            "and no such file"
        ],
    ),
    (
        "missing letterhead file",
        MINIMAL + "letterhead: ../nowhere.toml\n",
        ["release.yaml:4: letterhead: letterhead file '../nowhere.toml' not found"],
    ),
]

TOML_CASES = [
    (
        "TOML syntax error",
        'date = 2022-04-28\nheadline = "T\nbody = "x"\n',
        ["release.toml:2:14: TOML syntax error: Illegal character '\\n'"],
    ),
    (
        "TOML unknown field and wrong type",
        'date = 2022-04-28\nheadline = 3\nbody = "x"\nsubtitel = "y"\n',
        [
            "release.toml:2:1: headline: expected text, found a number",
            "release.toml:4:1: unknown field 'subtitel' (did you mean 'subtitle'?)",
        ],
    ),
    (
        "TOML duplicate key",
        'date = 2022-04-28\nheadline = "A"\nheadline = "B"\nbody = "x"\n',
        ["release.toml:3:15: TOML syntax error: Cannot overwrite a value"],
    ),
    (
        "TOML datetime as date",
        'date = 2022-04-28T10:00:00\nheadline = "A"\nbody = "x"\n',
        ["release.toml:1:1: date: expected a date without a time"],
    ),
]


def _check(tmp_path: Path, name: str, content: bytes, expected: list[str]) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    result = run_cli("render", name, cwd=tmp_path)
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines() == expected
    assert not list(tmp_path.glob("*.pdf")), "a PDF was written for bad input"


@pytest.mark.parametrize(("case", "content", "expected"), CASES, ids=[c[0] for c in CASES])
def test_yaml_error(tmp_path: Path, case: str, content: str, expected: list[str]) -> None:
    _check(tmp_path, "release.yaml", content.encode(), expected)


@pytest.mark.parametrize(
    ("case", "content", "expected"), TOML_CASES, ids=[c[0] for c in TOML_CASES]
)
def test_toml_error(tmp_path: Path, case: str, content: str, expected: list[str]) -> None:
    _check(tmp_path, "release.toml", content.encode(), expected)


def test_bad_utf8_points_at_the_byte(tmp_path: Path) -> None:
    content = b"date: 2022-04-28\nheadline: Gr\xfc\xdfe\nbody: x\n"
    _check(
        tmp_path,
        "release.yaml",
        content,
        ["release.yaml:2:13: invalid UTF-8 byte 0xfc; save the file as UTF-8"],
    )


def test_control_character_is_rejected_with_its_line(tmp_path: Path) -> None:
    content = b'date: 2022-04-28\nheadline: T\nbody: "a\\x07b"\n'
    _check(
        tmp_path,
        "release.yaml",
        content,
        ["release.yaml:3:7: body: control character U+0007 is not allowed in text"],
    )


def test_yaml_does_not_guess_types(tmp_path: Path) -> None:
    source = tmp_path / "r.yaml"
    source.write_text("date: 2022-04-28\nnumber: 0753\nheadline: no\nsubtitle: 1e3\nbody: on\n")
    result = run_cli("render", source)
    assert result.returncode == 0, result.stderr.decode()
    text = pdf_pages(tmp_path / "r.pdf")[0]
    assert "753." in text and "491." not in text
    assert "\nno\n" in text and "1e3" in text and "\non" in text


def test_failed_render_keeps_the_previous_pdf(tmp_path: Path) -> None:
    source = tmp_path / "r.yaml"
    source.write_text(MINIMAL)
    assert run_cli("render", source).returncode == 0
    good = (tmp_path / "r.pdf").read_bytes()
    source.write_text("date: 2022-04-28\nheadline: [broken]\nbody: x\n")
    assert run_cli("render", source).returncode == 1
    assert (tmp_path / "r.pdf").read_bytes() == good


def test_output_may_not_be_the_input(tmp_path: Path) -> None:
    source = tmp_path / "r.yaml"
    source.write_text(MINIMAL)
    result = run_cli("render", source, "-o", source)
    assert result.returncode == 1
    assert "refusing to overwrite the input file" in result.stderr.decode()
    assert source.read_text() == MINIMAL


def test_usage_error_exits_2(tmp_path: Path) -> None:
    assert run_cli("render").returncode == 2
    assert run_cli("render", "--no-such-option", "x").returncode == 2


def test_missing_file(tmp_path: Path) -> None:
    result = run_cli("render", tmp_path / "nope.yaml")
    assert result.returncode == 1
    assert result.stderr.decode().strip() == f"{tmp_path / 'nope.yaml'}: no such file"


def test_page_limit_is_a_message_not_a_hang(monkeypatch, tmp_path: Path) -> None:
    from medieninfo.errors import InputError
    from medieninfo.model.release import load_release
    from medieninfo.pdf import pages
    from medieninfo.render import letterhead_for, render_release

    from conftest import EXAMPLES

    monkeypatch.setattr(pages, "MAX_PAGES", 1)
    release = load_release(EXAMPLES / "eu-mission.yaml")
    with pytest.raises(InputError) as caught:
        render_release(release, letterhead_for(release))
    (problem,) = caught.value.problems
    assert problem.line == 10
    assert problem.message == (
        "body: the release runs to more than 1 pages; split it into shorter releases"
    )


def test_an_empty_letterhead_is_told_what_a_letterhead_needs(tmp_path: Path) -> None:
    (tmp_path / "lh.toml").write_text("# nothing yet\n")
    (tmp_path / "r.yaml").write_text(MINIMAL + "letterhead: lh.toml\n")
    result = run_cli("render", "r.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.decode().strip() == (
        "lh.toml: file is empty; a letterhead needs at least organisation and sidebar"
    )
