"""Benchmarks for medieninfo, reported as ratios against baselines measured in the same run.

Run it against an installed medieninfo, as users have it (a wheel install compiles the
bytecode; an editable install under PYTHONDONTWRITEBYTECODE would recompile every run):

    python3 -m venv /tmp/bench && /tmp/bench/bin/pip install . typst
    /tmp/bench/bin/python benchmarks/bench.py [--runs N] [--batch-runs N] [--quick] [--no-batch]

The Typst peer (the `typst` PyPI binding) is optional; without it those rows are skipped.

What it measures, each as the median of N runs on this machine, right now (the cold runs
of the baseline, medieninfo and Typst take turns, run by run):
- baseline: a cold `python -c "import reportlab.platypus, yaml"` (the floor of our imports)
- cold render of examples/eu-mission.yaml through the installed `medieninfo` command
- the same release cold to plain text (`--to txt`) and to a web page (`--to html`), as
  ratios to the cold PDF render (all of them take turns with the baseline)
- the same release as a cold Typst render with pdf_standards ["ua-1", "a-2u"], as ours
- warm in-process render (library call, imports done), the `watch` loop's cost, wall and
  CPU time, and its CPU time by stage (compose, prepare, story, layout, letterhead, save)
- the first load of the German hyphenation patterns in a fresh process
- batch: 100 different releases (number and headline varied, so that Typst's memoisation
  cannot skip work) in one folder, `medieninfo render DIR --force --jobs 2`, against Typst
  compiling the same 100 documents (same standards) in one warm process, taking turns
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
#: What medieninfo's PDF is (tagged PDF/UA-1, archival PDF/A-2u): Typst does the same work.
TYPST_STANDARDS = ("ua-1", "a-2u")
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
    return [statistics.median(samples) for samples in _samples(cmds, runs)]


def _samples(cmds: list[list[str]], runs: int) -> list[list[float]]:
    """Each command's wall times, run by run, the commands taking turns (see _medians)."""
    for cmd in cmds:
        _run(cmd)  # warm the file cache
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(runs):
        for cmd, samples in zip(cmds, times, strict=True):
            samples.append(_run(cmd)[0])
    return times


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
        # PDF/UA-1 wants a title (medieninfo's is the headline) and a language.
        f'#set document(title: "{release.headline.replace(chr(34), "")}")',
        "#set par(leading: 0.65em)",
        "#set page(background: place(top + right, dx: -10mm, dy: 15mm, block(width: 48mm)["
        "*Stadt Dortmund* \\ MEDIENINFORMATION \\ Pressestelle der Stadt Dortmund \\ "
        "Frank Bußmann (verantwortlich) \\ Südwall 21–23, 44122 Dortmund]))",
        f"{release.date.day}.{release.date.month}.{release.date.year}\n",
        f"{release.number}.\n",
        # PDF/UA-1 wants the first heading at level 1: the headline is that heading.
        '#show heading.where(level: 1): set text(size: 15pt, weight: "bold")',
        f"= {esc(release.headline)}\n",
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


#: Headlines the batch cycles through, each with the release's number in it, so that no
#: two releases of a batch are the same document (Typst memoises identical work).
_HEADLINES = (
    "Europäische Kommission will Klimaneutralität in Dortmund bis 2030 fördern",
    "Dortmund wird Teil der EU-Mission für klimaneutrale und intelligente Städte",
    "Stadt Dortmund beteiligt die politischen Gremien an der EU-Mission",
    "Hundert Städte, ein Ziel: Dortmund plant die Klimaneutralität",
)


def _releases(folder: Path, count: int, *, typst: bool = False) -> None:
    """``count`` different releases (number and headline varied) in ``folder``; with
    ``typst``, each also as the Typst document of the same release."""
    text = EXAMPLE.read_text(encoding="utf-8")
    old_headline = next(line for line in text.splitlines() if line.startswith("headline:"))
    for index in range(count):
        headline = f"{_HEADLINES[index % len(_HEADLINES)]} ({index + 1})"
        varied = text.replace("number: 753", f"number: {index + 1}").replace(
            old_headline, f'headline: "{headline}"'
        )
        source = folder / f"pm-{index:03d}.yaml"
        source.write_text(varied, encoding="utf-8")
        if typst:
            source.with_suffix(".typ").write_text(typst_source(source), encoding="utf-8")


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
    parser.add_argument(
        "--batch-runs", type=int, help="runs of each batch (default: a fifth of --runs, 3 or more)"
    )
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
                f"import typst; typst.compile({str(typ)!r}, {output=}, "
                f"pdf_standards={list(TYPST_STANDARDS)!r})",
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
        warm_wall, warm_cpu = map(float, warm.stdout.split())
        results["warm in-process render (ms)"] = warm_wall
        results["warm in-process render (CPU ms, target <= 12)"] = warm_cpu

        results.update(_stages(max(args.runs, 20)))

        batch = work / "batch"
        batch.mkdir()
        _releases(batch, 100, typst=have_typst)
        if not args.no_batch:
            # 100 different releases (see _releases), two workers; Typst renders the same
            # 100 documents in one warm process. The two take turns, run by run.
            batch_runs = [[*MEDIENINFO, "render", "-q", "--force", "--jobs", "2", str(batch)]]
            if have_typst:
                batch_runs.append([PY, "-c", _TYPST_BATCH, str(batch)])
            samples = _samples(batch_runs, args.batch_runs or max(args.runs // 5, 3))
            batch_times = [statistics.median(times) for times in samples]
            results["batch of 100 different releases, 2 workers (s)"] = round(batch_times[0], 2)
            if have_typst:
                typst_batch = batch_times[1]
                results["typst batch of the same 100, one warm process (s)"] = round(typst_batch, 2)
                results["batch / typst batch (target <= 0.7)"] = round(
                    batch_times[0] / typst_batch, 2
                )
                # Each run against the Typst run right after it: the spread, not only the median.
                ratios = [ours / theirs for ours, theirs in zip(*samples, strict=True)]
                results["batch / typst batch, run by run (lowest-highest)"] = (
                    f"{min(ratios):.3f}-{max(ratios):.3f}"
                )

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
wall, cpu = [], []
for _ in range(int(sys.argv[2])):
    start, start_cpu = time.perf_counter(), time.process_time()
    render_release(release, letterhead)
    wall.append(time.perf_counter() - start); cpu.append(time.process_time() - start_cpu)
print(round(statistics.median(wall) * 1000, 1), round(statistics.median(cpu) * 1000, 1))
"""

_HYPHENATION_LOAD = """
import time
from medieninfo.text.hyphenation import hyphenator_for
start = time.perf_counter()
hyphenator_for("de-DE").positions("Klimaneutralität")
print(round((time.perf_counter() - start) * 1000, 1))
"""

_TYPST_BATCH = f"""
import sys, typst
from pathlib import Path
for source in sorted(Path(sys.argv[1]).glob("*.typ")):
    typst.compile(str(source), output=str(source.with_suffix(".typst.pdf")),
                  pdf_standards={list(TYPST_STANDARDS)!r})
"""

_STAGES = """
import json, statistics, sys, time
from medieninfo import render
from medieninfo.model.release import load_release
from medieninfo.pdf import pages
from reportlab.platypus import doctemplate

spent = {}
def timed(name, owner, attribute):
    original = getattr(owner, attribute)
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - start
    setattr(owner, attribute, wrapper)

# Nested stages: save and the letterhead within build, build within render; the report
# subtracts the inner ones.
timed("compose", render, "compose")
timed("prepare", render, "_prepare_pdf")
timed("render", render, "_render_pdf")
timed("build", doctemplate.BaseDocTemplate, "build")
timed("save", pages.LetterheadCanvas, "save")
timed("letterhead", pages, "draw_letterhead")
release = load_release(sys.argv[1]); letterhead = render.letterhead_for(release)
render.render_release(release, letterhead)
samples = []
for _ in range(int(sys.argv[2])):
    spent.clear()
    render.render_release(release, letterhead)
    samples.append(dict(spent))
median = {k: statistics.median(s[k] for s in samples) * 1000 for k in samples[0]}
print(json.dumps({
    "compose: Markdown, refinement": median["compose"],
    "prepare: fonts, glyph check": median["prepare"],
    "story: styles, flowables": median["render"] - median["build"],
    "layout: wrap, break, split, draw": (
        median["build"] - median["letterhead"] - median["save"]
    ),
    "letterhead: sidebar, logo, per page": median["letterhead"],
    "save: structure tree, fonts, PDF objects": median["save"],
}))
"""


def _stages(runs: int) -> dict[str, float]:
    """The warm render's CPU time by stage (medians of ``runs`` renders, ms)."""
    done = subprocess.run(
        [PY, "-c", _STAGES, str(EXAMPLE), str(runs)], capture_output=True, check=True, text=True
    )
    stages = json.loads(done.stdout)
    return {f"warm stage {name} (CPU ms)": round(value, 1) for name, value in stages.items()}


if __name__ == "__main__":
    main()
