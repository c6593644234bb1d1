"""``medieninfo list``: one row per release with its outputs' state, as a table, JSON and
CSV; reads only the files (no ReportLab), and grows linearly with the folder."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from medieninfo.app.batch import find_releases, made_by
from medieninfo.newsroom.catalogue import read_entries
from medieninfo.newsroom.listing import rows

from conftest import ROOT, run_cli


def make_folder(folder: Path, count: int) -> None:
    """The benchmark's folder of small releases (benchmarks/newsroom.py), shared."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_newsroom", ROOT / "benchmarks/newsroom.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_folder(folder, count)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "releases"
    folder.mkdir()
    (folder / "alt.yaml").write_text(
        "date: 2022-04-28\nnumber: 753\nheadline: '[bold]Alt[/bold] & <b>'\nbody: Text.\n",
        encoding="utf-8",
    )
    (folder / "neu.toml").write_text(
        'date = 2026-11-24\nnumber = 12\nheadline = "Neu"\nembargo = "2026-11-24 12:00"\n'
        'body = "Text."\n',
        encoding="utf-8",
    )
    (folder / "kaputt.yaml").write_text("date: 2026-11-31\nheadline: X\nbody: y\n")
    return folder


def _json(*args: object) -> tuple[int, list[dict]]:
    result = run_cli("list", *map(str, args), "--json")
    return result.returncode, json.loads(result.stdout)


def test_rows_newest_first_with_sperrfrist_and_validity(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    code, data = _json(folder, "--now", "2026-11-24 11:00")
    assert code == 1  # an invalid file
    assert [(d["number"], d["headline"], d["valid"]) for d in data] == [
        (12, "Neu", True),
        (753, "[bold]Alt[/bold] & <b>", True),
        (None, None, False),
    ]
    assert data[0]["embargo"] == "2026-11-24T12:00" and data[0]["embargo_passed"] is False
    assert data[1]["embargo"] is None and data[1]["embargo_passed"] is None
    assert data[2]["file"] == str(folder / "kaputt.yaml")
    assert data[2]["errors"][0].startswith(f"{folder / 'kaputt.yaml'}:1:7: date")
    _, later = _json(folder, "--now", "2026-11-24 12:00")
    assert later[0]["embargo_passed"] is True


@pytest.mark.broken_pdfs_expected  # a stand-in PDF not made by medieninfo: stale
def test_outputs_up_to_date_stale_and_missing(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "kaputt.yaml").unlink()
    assert run_cli("render", folder / "alt.yaml", "--to", "pdf,html").returncode == 0
    _, data = _json(folder)
    alt = next(d for d in data if d["number"] == 753)
    assert alt["outputs"] == {
        "pdf": "up to date",
        "html": "up to date",
        "txt": "missing",
        "eml": "missing",
    }
    # The release edited after its outputs: both stale.
    later = time.time() + 5
    os.utime(folder / "alt.yaml", (later, later))
    _, data = _json(folder)
    alt = next(d for d in data if d["number"] == 753)
    assert alt["outputs"]["pdf"] == "stale" and alt["outputs"]["html"] == "stale"
    # A file of another version (or not ours) is stale too, whatever its time.
    (folder / "neu.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    _, data = _json(folder, "--to", "pdf")
    assert data[0]["outputs"] == {"pdf": "stale"}
    # --out-dir: the outputs are looked for there.
    earlier = time.time() - 10
    os.utime(folder / "alt.yaml", (earlier, earlier))
    assert run_cli("render", folder, "--out-dir", tmp_path / "web", "--to", "html").returncode == 0
    _, data = _json(folder, "--to", "html", "--out-dir", tmp_path / "web")
    assert [d["outputs"]["html"] for d in data] == ["up to date", "up to date"]


def test_csv_and_the_table(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    result = run_cli("list", folder, "--csv", "--to", "pdf", "--now", "2026-12-01 00:00")
    table = list(csv.DictReader(io.StringIO(result.stdout.decode())))
    assert [r["headline"] for r in table] == ["Neu", "[bold]Alt[/bold] & <b>", ""]
    assert table[0]["embargo_passed"] == "true" and table[0]["pdf"] == "missing"
    assert [r["valid"] for r in table] == ["true", "true", "false"]
    shown = run_cli("list", folder, "--now", "2026-12-01 00:00", env={"COLUMNS": "160"})
    text = shown.stdout.decode()
    # Rich markup in a headline is text, shown as typed.
    assert "[bold]Alt[/bold] & <b>" in text
    assert "24.11.2026, 12:00 Uhr (passed)" in text
    assert text.index("Neu") < text.index("Alt")
    assert run_cli("list", folder, "--csv", "--json").returncode == 2


@pytest.mark.parametrize(
    ("command", "unloaded"),
    [
        (["list", "{folder}", "--json"], {"reportlab", "jinja2"}),
        (["feed", "{folder}", "--base-url", "https://example.org/"], {"reportlab", "jinja2"}),
        (["check", "{folder}"], set()),  # the glyph check needs the fonts: a contrast
    ],
)
def test_list_and_feed_never_load_reportlab(
    tmp_path: Path, command: list[str], unloaded: set[str]
) -> None:
    folder = _folder(tmp_path)
    argv = ["medieninfo", *(part.format(folder=folder) for part in command)]
    code = (
        "import sys\n"
        "from medieninfo.app import cli\n"
        f"sys.argv = {argv!r}\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'jinja2'}),"
        " file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded = set(json.loads(result.stderr.strip().splitlines()[-1].replace("'", '"')))
    if unloaded:
        assert not loaded & unloaded, result.stderr
    else:
        assert "reportlab" in loaded  # the probe sees an import when there is one


def _cost(folder: Path) -> tuple[float, int]:
    """Listing ``folder``: the best of four timed runs (after a first, traced one) and the
    first run's peak of traced memory."""
    times = []
    peak = 0
    for attempt in range(5):
        if attempt == 0:
            tracemalloc.start()
        started = time.perf_counter()
        rows(
            read_entries(find_releases([folder])),
            now=dt.datetime(2026, 1, 1),
            formats=("pdf", "html"),
            made_by=made_by,
        )
        times.append(time.perf_counter() - started)
        if attempt == 0:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return min(times[1:] or times), peak


@pytest.mark.broken_pdfs_expected  # the benchmark's stand-in PDFs, never opened
def test_list_grows_linearly(tmp_path: Path) -> None:
    small, large = tmp_path / "small", tmp_path / "large"
    make_folder(small, 300)
    make_folder(large, 1200)
    _cost(small)  # imports, caches
    (t_small, m_small), (t_large, m_large) = _cost(small), _cost(large)
    # Four times the releases: four times the time and memory, with room for a noisy
    # shared machine (quadratic growth would be 16 times).
    assert t_large / t_small < 4 * 1.8, (t_small, t_large)
    assert m_large / m_small < 4 * 1.5, (m_small, m_large)
