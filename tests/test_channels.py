"""``medieninfo render --to``: every format through the CLI, for single files, folders,
standard input and output, ``watch`` and the up-to-date check; and the hostile corpus
through the new outputs."""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import tomllib
from email import policy
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, MINIMAL, pdf_pages, run_cli, squash
from test_html import assert_nothing_typed_is_live

HOSTILE = Path(__file__).parent / "hostile"
CASES: list[dict[str, Any]] = tomllib.loads((HOSTILE / "cases.toml").read_text())["case"]
ALL = "pdf,html,txt,eml"


def _text(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stdout.decode() + result.stderr.decode()


def test_the_example_to_four_files(tmp_path: Path) -> None:
    result = run_cli("render", EXAMPLES / "eu-mission.yaml", "--to", ALL, "--out-dir", tmp_path)
    assert result.returncode == 0, _text(result)
    names = sorted(path.name for path in tmp_path.iterdir() if not path.name.startswith("."))
    assert names == ["eu-mission.eml", "eu-mission.html", "eu-mission.pdf", "eu-mission.txt"]
    out = tmp_path / "eu-mission"
    assert f"-> {out}.pdf, {out}.html, {out}.txt, {out}.eml (2 pages)" in _text(result)
    assert "Klimaneutralität" in pdf_pages(tmp_path / "eu-mission.pdf")[0]
    # no temporary file left behind: the hidden files are each output's record (is_current)
    hidden = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert hidden == [f".{name}.medieninfo" for name in names]


def test_o_names_every_format_by_its_suffix(tmp_path: Path) -> None:
    target = tmp_path / "out" / "753.pdf"
    result = run_cli("render", EXAMPLES / "eu-mission.yaml", "--to", "html,txt", "-o", target)
    assert result.returncode == 0, _text(result)
    made = sorted(p.name for p in target.parent.iterdir() if not p.name.startswith("."))
    assert made == ["753.html", "753.txt"]
    # one format: -o is the file, whatever its name
    single = tmp_path / "pressetext"
    result = run_cli("render", EXAMPLES / "eu-mission.yaml", "--to", "txt", "-o", single)
    assert result.returncode == 0, _text(result)
    assert single.read_text(encoding="utf-8").startswith("28.4.2022, Nr. 753\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "pdf,html", "-o", "-"], "standard output takes one format"),
        (["--to", "docx"], "unknown format 'docx'; --to takes pdf, html, txt, eml"),
        (["--to", "txt", "--open"], "--open and --preview show the PDF; add pdf to --to"),
        (["--to", "html", "--report"], "--report is about the PDF's layout"),
    ],
)
def test_usage_errors(args: list[str], message: str, tmp_path: Path) -> None:
    result = run_cli("render", EXAMPLES / "eu-mission.yaml", *args, cwd=tmp_path)
    assert result.returncode == 2, _text(result)
    assert message in result.stderr.decode()
    assert list(tmp_path.iterdir()) == []


def test_standard_input_to_standard_output_in_each_format(tmp_path: Path) -> None:
    data = (EXAMPLES / "eu-mission.yaml").read_bytes()
    files = tmp_path / "files"
    assert run_cli("render", EXAMPLES / "eu-mission.yaml", "--to", ALL, "--out-dir", files)
    for kind in ("html", "txt", "eml", "pdf"):
        result = run_cli("render", "-", "--to", kind, input=data, cwd=EXAMPLES)
        assert result.returncode == 0, _text(result)
        made = (files / f"eu-mission.{kind}").read_bytes()
        if kind == "eml":
            # the attachment is named after the release (there is no file name on stdin)
            parsed = email.message_from_bytes(result.stdout, policy=policy.default)
            (attachment,) = parsed.iter_attachments()  # type: ignore[attr-defined]
            assert attachment.get_filename() == "medieninformation-753.pdf"
            assert attachment.get_content() == (files / "eu-mission.pdf").read_bytes()
        else:
            assert result.stdout == made, kind


def test_a_failed_render_writes_no_format(tmp_path: Path) -> None:
    source = tmp_path / "r.yaml"
    source.write_text("date: 2022-04-28\nheadline: Kaputt\nnumber: drei\nbody: Text.\n")
    result = run_cli("render", source, "--to", ALL)
    assert result.returncode == 1
    assert "r.yaml:3:9: number" in result.stderr.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.yaml"]


def test_a_foreign_file_is_never_overwritten(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("meine Notizen")
    source = tmp_path / "r.yaml"
    source.write_text(MINIMAL)
    result = run_cli("render", source, "--to", "txt", "-o", notes)
    assert result.returncode == 1
    assert "notes.md: exists and is not a .txt file; refusing to overwrite it" in _text(result)
    assert notes.read_text() == "meine Notizen"
    # the input itself, named as output
    result = run_cli("render", source, "--to", "txt", "-o", source)
    assert result.returncode == 1 and "refusing to overwrite the input file" in _text(result)


def test_folders_incremental_per_format(tmp_path: Path) -> None:
    folder = tmp_path / "releases"
    (folder / "sub").mkdir(parents=True)
    (folder / "one.yaml").write_text(MINIMAL)
    (folder / "sub" / "two.yaml").write_text(MINIMAL.replace("Überschrift", "Meldung"))
    out = tmp_path / "out"
    result = run_cli("render", folder, "--to", "html,txt", "--out-dir", out)
    assert result.returncode == 0, _text(result)
    assert "2 rendered, 0 skipped, 0 failed" in _text(result)
    made = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )
    assert made == ["one.html", "one.txt", "sub/two.html", "sub/two.txt"]
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}

    result = run_cli("render", folder, "--to", "html,txt", "--out-dir", out)
    assert "0 rendered, 2 skipped, 0 failed" in _text(result), _text(result)
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    # a format not made yet makes its release stale, and only that one
    (out / "one.txt").unlink()
    result = run_cli("render", folder, "--to", "html,txt", "--out-dir", out)
    assert "1 rendered, 1 skipped, 0 failed" in _text(result), _text(result)
    assert (out / "one.txt").exists()
    # a page from another version of medieninfo is stale
    page = out / "sub" / "two.html"
    page.write_text(page.read_text().replace('content="medieninfo ', 'content="medieninfo 0.0.0'))
    result = run_cli("render", folder, "--to", "html,txt", "--out-dir", out)
    assert "1 rendered, 1 skipped, 0 failed" in _text(result), _text(result)
    # asking for a new format renders everything in it
    result = run_cli("render", folder, "--to", "eml", "--out-dir", out)
    assert "2 rendered, 0 skipped, 0 failed" in _text(result)
    result = run_cli("render", folder, "--to", "eml", "--out-dir", out)
    assert "0 rendered, 2 skipped, 0 failed" in _text(result)


def test_up_to_date_reads_the_version_each_format_carries(tmp_path: Path) -> None:
    from medieninfo import CREATOR
    from medieninfo.app.batch import made_by

    result = run_cli("render", EXAMPLES / "eu-mission.yaml", "--to", ALL, "--out-dir", tmp_path)
    assert result.returncode == 0, _text(result)
    for kind in ("pdf", "html", "eml"):
        assert made_by(tmp_path / f"eu-mission.{kind}", kind) == CREATOR, kind
    stranger = tmp_path / "stranger.html"
    stranger.write_text("<!DOCTYPE html><title>x</title>")
    assert made_by(stranger, "html") is None


def test_watch_writes_every_format(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(MINIMAL)
    result = run_cli("watch", tmp_path, "--to", "txt,html", "--passes", "2", "--interval", "0.01")
    assert result.returncode == 0, _text(result)
    assert f"-> {tmp_path / 'r.txt'}, {tmp_path / 'r.html'}" in _text(result)
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").startswith("28.4.2022\n")
    assert not (tmp_path / "r.pdf").exists()


def test_plain_text_never_loads_reportlab_in_the_cli(tmp_path: Path) -> None:
    """The command itself (Typer included), not only the library: ``--to txt`` imports no
    ReportLab and no Jinja2."""
    code = (
        "import sys, runpy; sys.argv = ['medieninfo', 'render', sys.argv[1], '--to', 'txt',"
        " '-o', sys.argv[2]]\n"
        "try:\n    runpy.run_module('medieninfo', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
    )
    probe = (
        "import atexit, sys\natexit.register(lambda: print(sorted({m.split('.')[0] for m in"
        " sys.modules} & {'reportlab', 'jinja2', 'PIL', 'rich'}), file=sys.stderr))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe + code, str(EXAMPLES / "eu-mission.yaml"), "r.txt"],
        capture_output=True,
        cwd=tmp_path,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert (tmp_path / "r.txt").exists(), result.stderr.decode()
    assert result.stderr.decode().strip().splitlines()[-1] == "[]"


# --------------------------------------------------------------------------- hostile input


def _page_text(html: str) -> str:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.skip += tag in ("script", "style", "title")

        def handle_endtag(self, tag: str) -> None:
            self.skip -= tag in ("script", "style", "title")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return "".join(parser.parts)


def _case_id(case: dict[str, Any]) -> str:
    return Path(case.get("letterhead") or case["file"]).name


@pytest.mark.parametrize("formats", [ALL, "html,txt"], ids=["with-pdf", "without-pdf"])
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_hostile_case_through_every_format(
    case: dict[str, Any], formats: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The same answer as the PDF (tests/test_hostile.py): the same clean message, or
    outputs in which nothing typed is live markup, a link of another scheme or a header.
    Without the PDF (no fonts, no glyph check) the corpus still gets the same answers."""
    if "xfail" in case:
        request.applymarker(pytest.mark.xfail(reason=case["xfail"], strict=True))
    source = tmp_path / case["file"]
    shutil.copyfile(HOSTILE / case["file"], source)
    args = ["render", source.name, "--to", formats, "-o", "out.pdf"]
    if "letterhead" in case:
        args += ["--letterhead", str(HOSTILE / case["letterhead"])]
    result = run_cli(*args, cwd=tmp_path, timeout=60)
    stderr = result.stderr.decode("utf-8", "replace")
    for marker in ("Traceback", "Warning:", "internal error"):
        assert marker not in stderr, stderr
    exit_code = case["exit"]
    if formats != ALL and "is not a usable TrueType font" in case.get("message", ""):
        exit_code = 0  # no glyph is drawn without the PDF, so its fonts are not parsed
    assert result.returncode == exit_code, stderr
    if exit_code:
        assert case.get("message", "") in stderr
    outputs = [tmp_path / f"out.{kind}" for kind in ("pdf", "html", "txt", "eml")]
    if exit_code != 0:
        assert not [path for path in outputs if path.exists()]
        return
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert_nothing_typed_is_live(html)
    shown = squash(_page_text(html))
    for expected in case.get("text", ()):
        assert squash(expected) in shown  # as in the PDF
        # the text's date line says "Nr. 753" where the PDF has "753."
        assert squash(expected.replace("753.", "Nr. 753")) in squash(text)
    if formats != ALL:
        return
    message = email.message_from_bytes((tmp_path / "out.eml").read_bytes(), policy=policy.default)
    assert [key.lower() for key in message] == [
        "from",
        "subject",
        "x-unsent",
        "x-generator",
        "mime-version",
        "content-type",
        "content-language",
    ]
    assert not (tmp_path / "pwned").exists()


def test_a_letterhead_with_its_own_fonts_loads_no_reportlab_for_text(tmp_path: Path) -> None:
    from medieninfo.assets import DEFAULT_FONTS, assets_dir

    folder = tmp_path / "lh"
    folder.mkdir()
    for name in DEFAULT_FONTS.values():
        shutil.copyfile(assets_dir() / "fonts" / name, folder / name)
    fonts = "".join(f'{key} = "{name}"\n' for key, name in DEFAULT_FONTS.items())
    (folder / "letterhead.toml").write_text(
        f'organisation = "Eigene Schrift"\nsidebar = ["Zeile"]\n[fonts]\n{fonts}'
    )
    source = tmp_path / "r.yaml"
    source.write_text(MINIMAL + "letterhead: lh/letterhead.toml\n")
    code = (
        "import sys\nfrom pathlib import Path\nfrom medieninfo.render import render_file\n"
        "r = render_file(None, source=Path(sys.argv[1]), formats=('html', 'txt'))\n"
        "assert 'Eigene Schrift' in r.outputs['txt'].decode()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('reportlab', 'medieninfo.pdf'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(source)], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stderr
    # The PDF still parses them, and renders with them.
    result = run_cli("render", source, "--to", "pdf,txt")
    assert result.returncode == 0, _text(result)


def test_text_needs_no_glyph_but_the_pdf_does(tmp_path: Path) -> None:
    source = tmp_path / "r.yaml"
    source.write_text(MINIMAL.replace("Ein Absatz.", "Ein Absatz 😀."), encoding="utf-8")
    result = run_cli("render", source, "--to", "txt")
    assert result.returncode == 0, _text(result)
    assert "Ein Absatz 😀." in (tmp_path / "r.txt").read_text(encoding="utf-8")
    result = run_cli("render", source, "--to", "pdf,txt", "-o", tmp_path / "both.pdf")
    assert result.returncode == 1
    assert "is in no shipped font" in result.stderr.decode()
    assert not (tmp_path / "both.txt").exists()


def test_a_missing_checker_skips_locally_and_fails_under_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from channels import need_file, need_program

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must install it"):
        need_program("no-such-checker", "nothing")
    with pytest.raises(pytest.fail.Exception, match="npm ci --prefix tools/node"):
        need_file(tmp_path / "vnu.jar", "vnu-jar")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="apt-get install nothing"):
        need_program("no-such-checker", "nothing")
