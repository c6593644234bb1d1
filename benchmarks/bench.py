"""Benchmarks for medieninfo, reported as ratios against baselines measured in the same run.

Run it against an installed medieninfo, as users have it (a wheel install compiles the
bytecode; an editable install under PYTHONDONTWRITEBYTECODE would recompile every run):

    python3 -m venv /tmp/bench && /tmp/bench/bin/pip install . typst
    /tmp/bench/bin/python benchmarks/bench.py [--runs N] [--quick] [--no-batch]

The Typst peer (the `typst` PyPI binding) is optional; without it those rows are skipped.

What it measures, each as the median of N runs on this machine, right now (the cold runs
of the baseline, medieninfo and Typst take turns, run by run):
- baseline: a cold `python -c "import reportlab.platypus, yaml"` (the floor of our imports)
- cold render of examples/eu-mission.yaml through the installed `medieninfo` command
- the same release cold to plain text (`--to txt`) and to a web page (`--to html`), as
  ratios to the cold PDF render (all of them take turns with the baseline)
- the same release as a cold Typst render (the `typst` PyPI binding), if installed
- warm in-process render (library call, imports done), the `watch` loop's cost
- the first load of the German hyphenation patterns in a fresh process
- batch: 100 releases in one folder, `medieninfo render DIR`, against Typst compiling the
  same 100 documents in one warm process
- scale: a 1 MB release (2,000 paragraphs) and a single 300 KB paragraph, time and peak memory
- memory: peak RSS of a normal cold render
Machines here are shared and noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "eu-mission.yaml"
PY = sys.executable
MEDIENINFO = [str(Path(PY).with_name("medieninfo"))]
if not Path(MEDIENINFO[0]).exists():
    MEDIENINFO = [PY, "-m", "medieninfo"]


def _run(cmd: list[str], **kwargs: object) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, **kwargs)  # type: ignore[call-overload]
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{result.stderr.decode()[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before)


def _peak_rss(cmd: list[str]) -> int:
    """Peak RSS in KiB of a command, via /usr/bin/time when present (RUSAGE_CHILDREN is a max)."""
    if Path("/usr/bin/time").exists():
        result = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True)
        return int(result.stderr.decode().strip().splitlines()[-1])
    return _run(cmd)[1]


def _median(cmd: list[str], runs: int) -> float:
    return _medians([cmd], runs)[0]


def _medians(cmds: list[list[str]], runs: int) -> list[float]:
    """Median wall time of each command, the commands taking turns run by run, so that a
    noisy moment on a shared machine hits all of them alike."""
    for cmd in cmds:
        _run(cmd)  # warm the file cache
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(runs):
        for cmd, samples in zip(cmds, times, strict=True):
            samples.append(_run(cmd)[0])
    return [statistics.median(samples) for samples in times]


def typst_source(release_path: Path) -> str:
    """A Typst document close to what medieninfo draws: A4, sidebar, headline, body."""
    sys.path.insert(0, str(ROOT / "src"))
    from medieninfo.model.release import load_release

    release = load_release(release_path)

    def esc(text: str) -> str:
        return "".join("\\" + c if c in "\\#*_`$<>@[]~=-+/" else c for c in text)

    lines = [
        '#set page(paper: "a4", margin: (left: 25mm, right: 58mm, top: 30mm, bottom: 25mm))',
        '#set text(lang: "de", size: 10.5pt, hyphenate: true)',
        "#set par(leading: 0.65em)",
        "#set page(background: place(top + right, dx: -10mm, dy: 15mm, block(width: 48mm)["
        "*Stadt Dortmund* \\ MEDIENINFORMATION \\ Pressestelle der Stadt Dortmund \\ "
        "Frank Bußmann (verantwortlich) \\ Südwall 21–23, 44122 Dortmund]))",
        f"{release.date.day}.{release.date.month}.{release.date.year}\n",
        f"{release.number}.\n",
        f'#text(size: 15pt, weight: "bold")[{esc(release.headline)}]\n',
    ]
    if release.subtitle:
        lines.append(f"*_{esc(release.subtitle)}_*\n")
    for block in release.body.split("\n\n"):
        block = block.strip()
        if block.startswith("## "):
            lines.append(f"== {esc(block[3:])}\n")
        else:
            lines.append(esc(block).replace("\\~2\\~", "#sub[2]") + "\n")
    return "\n".join(lines)


def _releases(folder: Path, count: int) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for index in range(count):
        (folder / f"pm-{index:03d}.yaml").write_text(
            text.replace("number: 753", f"number: {index + 1}"), encoding="utf-8"
        )


def _big_release(path: Path, paragraphs: int, *, single: bool = False) -> None:
    sentence = (
        "Die Stadt Dortmund prüft, wie Klimaneutralität bis 2030 erreicht werden kann, "
        "und beteiligt die politischen Gremien an der Abstimmung über den Vertrag. "
    )
    if single:
        body = sentence * (300_000 // len(sentence))
    else:
        body = "\n\n".join(
            (f"## Abschnitt {n // 50 + 1}\n\n" if n % 50 == 0 else "") + sentence * 4
            for n in range(paragraphs)
        )
    import yaml

    path.write_text(
        yaml.safe_dump(
            {"date": "2022-04-28", "headline": "Große Veröffentlichung", "body": body},
            allow_unicode=True,
            width=100,
        ),
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="skip the scale runs")
    parser.add_argument("--no-batch", action="store_true", help="skip the batch runs")
    args = parser.parse_args()
    results: dict[str, object] = {
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        )
    }
    work = Path(tempfile.mkdtemp(prefix="medieninfo-bench-"))
    try:
        out = work / "out.pdf"
        have_typst = shutil.which("typst") is not None or _has_module("typst")
        typ = work / "release.typ"
        cold_runs = {
            "baseline": [PY, "-c", "import reportlab.platypus, yaml"],
            "pdf": [*MEDIENINFO, "render", "-q", str(EXAMPLE), "-o", str(out)],
            # The other outputs never load ReportLab (txt) or load Jinja2 instead (html).
            "txt": [*MEDIENINFO, "render", "-q", str(EXAMPLE), "--to", "txt", "-o", "-"],
            "html": [*MEDIENINFO, "render", "-q", str(EXAMPLE), "--to", "html", "-o", "-"],
        }
        if have_typst:
            typ.write_text(typst_source(EXAMPLE), encoding="utf-8")
            output = str(work / "t.pdf")
            cold_runs["typst"] = [
                PY,
                "-c",
                f"import typst; typst.compile({str(typ)!r}, {output=})",
            ]
        medians = dict(zip(cold_runs, _medians(list(cold_runs.values()), args.runs), strict=True))
        base, cold = medians["baseline"], medians["pdf"]
        results["baseline import reportlab.platypus, yaml (s)"] = round(base, 3)
        results["cold render (s)"] = round(cold, 3)
        results["cold render / baseline (target <= 1.6)"] = round(cold / base, 2)
        for kind in ("txt", "html"):
            results[f"cold --to {kind} (s)"] = round(medians[kind], 3)
            results[f"cold --to {kind} / cold PDF render"] = round(medians[kind] / cold, 2)
        results["cold render peak RSS (MiB, target < 70)"] = round(
            _peak_rss([*MEDIENINFO, "render", "-q", str(EXAMPLE), "-o", str(out)]) / 1024, 1
        )
        if "typst" in medians:
            results["typst cold render (s)"] = round(medians["typst"], 3)
            results["cold render / typst (target <= 3)"] = round(cold / medians["typst"], 2)

        load = subprocess.run(
            [PY, "-c", _HYPHENATION_LOAD], capture_output=True, check=True, text=True
        )
        results["German hyphenation patterns, first load (ms, target <= 50)"] = float(
            load.stdout.strip()
        )

        warm = subprocess.run(
            [PY, "-c", _WARM, str(EXAMPLE), str(max(args.runs, 20))],
            capture_output=True,
            check=True,
            text=True,
        )
        results["warm in-process render (ms)"] = float(warm.stdout.strip())

        batch = work / "batch"
        batch.mkdir()
        _releases(batch, 100)
        if args.no_batch:
            batch_time = 0.0
        else:
            batch_time = _median(
                [*MEDIENINFO, "render", "-q", "--force", str(batch)], max(args.runs // 5, 3)
            )
            results["batch of 100 (s)"] = round(batch_time, 2)
        if have_typst and batch_time:
            for index in range(100):
                (batch / f"pm-{index:03d}.typ").write_text(typ.read_text(), encoding="utf-8")
            typst_batch = _median([PY, "-c", _TYPST_BATCH, str(batch)], max(args.runs // 5, 3))
            results["typst batch of 100, one warm process (s)"] = round(typst_batch, 2)
            results["batch / typst batch (target <= 0.7)"] = round(batch_time / typst_batch, 2)

        if not args.quick:
            big = work / "big.yaml"
            _big_release(big, 2000)
            elapsed, _ = _run([*MEDIENINFO, "render", "-q", str(big)])
            results["1 MB release, 2000 paragraphs (s, target < 60)"] = round(elapsed, 1)
            results["1 MB release peak RSS (MiB, target < 400)"] = round(
                _peak_rss([*MEDIENINFO, "render", "-q", "--force", str(big)]) / 1024, 1
            )
            single = work / "single.yaml"
            _big_release(single, 0, single=True)
            elapsed, _ = _run([*MEDIENINFO, "render", "-q", str(single)])
            results["single 300 KB paragraph (s, target < 15)"] = round(elapsed, 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    width = max(map(len, results))
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    if os.environ.get("BENCH_JSON"):
        Path(os.environ["BENCH_JSON"]).write_text(json.dumps(results, indent=2))


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


_WARM = """
import statistics, sys, time
from pathlib import Path
from medieninfo.model.release import load_release
from medieninfo.render import letterhead_for, render_release
release = load_release(sys.argv[1]); letterhead = letterhead_for(release)
render_release(release, letterhead)
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter(); render_release(release, letterhead)
    times.append(time.perf_counter() - start)
print(round(statistics.median(times) * 1000, 1))
"""

_HYPHENATION_LOAD = """
import time
from medieninfo.text.hyphenation import hyphenator_for
start = time.perf_counter()
hyphenator_for("de-DE").positions("Klimaneutralität")
print(round((time.perf_counter() - start) * 1000, 1))
"""

_TYPST_BATCH = """
import sys, typst
from pathlib import Path
for source in sorted(Path(sys.argv[1]).glob("*.typ")):
    typst.compile(str(source), output=str(source.with_suffix(".typst.pdf")))
"""


if __name__ == "__main__":
    main()
