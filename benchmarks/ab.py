"""A/B of two installed medieninfo builds: the same cold render, the two taking turns.

    python3 -m venv /tmp/a && /tmp/a/bin/pip install dist-before/*.whl
    python3 -m venv /tmp/b && /tmp/b/bin/pip install .
    python3 benchmarks/ab.py /tmp/a /tmp/b [--runs 41] [--release examples/eu-mission.yaml]

Prints the median wall and CPU time (user + system, which other work on a shared machine
disturbs less than wall time) of each build's cold `medieninfo render`, their ratios, and
whether the two PDFs are byte-identical. The import floor (`import reportlab.platypus,
yaml` in B's interpreter) runs in the same rotation, for the ratio bench.py reports.

With ``--warm``, it compares the warm in-process render instead: each round starts one
process per build that renders the release ``--renders`` times after a first render and
prints the median CPU time of one render; the builds take turns, round by round, and the
report is the median over rounds.

With ``--batch DIR``, it compares ``medieninfo render DIR --force --jobs 2`` (a folder that
does not exist is made with bench.py's 100 different releases): each build renders its own
copy of the folder, the builds take turns, and the report gives wall and CPU (the parent
and its workers) medians and whether every PDF of A equals B's.
"""

from __future__ import annotations

import argparse
import filecmp
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _take_turns(
    commands: dict[str, list[str]], runs: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU seconds of each command over ``runs`` rounds, the commands taking turns
    within each round (after one untimed run each, to warm the file cache)."""
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for cmd in commands.values():
        subprocess.run(cmd, check=True)
    for _ in range(runs):
        for name, cmd in commands.items():
            start_cpu, start = _cpu(), time.perf_counter()
            subprocess.run(cmd, check=True)
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(_cpu() - start_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="venv of build A (the baseline)")
    parser.add_argument("b", type=Path, help="venv of build B")
    parser.add_argument("--runs", type=int, default=41)
    parser.add_argument("--release", type=Path, default=ROOT / "examples" / "eu-mission.yaml")
    parser.add_argument("--warm", action="store_true", help="warm in-process renders")
    parser.add_argument("--renders", type=int, default=20, help="renders per warm process")
    parser.add_argument("--batch", type=Path, metavar="DIR", help="a folder of releases")
    parser.add_argument("--jobs", type=int, default=2, help="workers for --batch")
    args = parser.parse_args()
    if args.warm:
        _warm(args)
        return
    if args.batch:
        _batch(args)
        return
    out = Path(tempfile.mkdtemp())
    commands = {
        "A": [str(args.a / "bin" / "medieninfo"), "render", "-q", str(args.release), "-o"],
        "B": [str(args.b / "bin" / "medieninfo"), "render", "-q", str(args.release), "-o"],
    }
    commands = {name: [*cmd, str(out / f"{name}.pdf")] for name, cmd in commands.items()}
    commands["floor"] = [str(args.b / "bin" / "python"), "-c", "import reportlab.platypus, yaml"]
    wall, cpu = _take_turns(commands, args.runs)
    for label, samples in (("wall", wall), ("cpu", cpu)):
        median = {name: statistics.median(values) for name, values in samples.items()}
        a, b, floor = median["A"], median["B"], median["floor"]
        print(
            f"{label}: A {a * 1000:.1f} ms, B {b * 1000:.1f} ms, floor {floor * 1000:.1f} ms; "
            f"B/A {b / a:.3f}, A/floor {a / floor:.2f}, B/floor {b / floor:.2f}"
        )
    same = filecmp.cmp(out / "A.pdf", out / "B.pdf", shallow=False)
    print("PDFs byte-identical" if same else "PDFs differ")


_WARM = """
import hashlib, statistics, sys, time
from medieninfo.model.release import load_release
from medieninfo.render import letterhead_for, render_release
release = load_release(sys.argv[1]); letterhead = letterhead_for(release)
first = render_release(release, letterhead).pdf
cpu = []
for _ in range(int(sys.argv[2])):
    start = time.process_time()
    pdf = render_release(release, letterhead).pdf
    cpu.append(time.process_time() - start)
    assert pdf == first, "the same input must give the same bytes"
print(statistics.median(cpu), hashlib.sha256(first).hexdigest())
"""


def _warm(args: argparse.Namespace) -> None:
    cpu: dict[str, list[float]] = {"A": [], "B": []}
    digests: dict[str, str] = {}
    for _ in range(args.runs):
        for name, venv in (("A", args.a), ("B", args.b)):
            done = subprocess.run(
                [str(venv / "bin" / "python"), "-c", _WARM, str(args.release), str(args.renders)],
                check=True,
                capture_output=True,
                text=True,
            )
            seconds, digests[name] = done.stdout.split()
            cpu[name].append(float(seconds))
    a, b = (statistics.median(cpu[name]) for name in ("A", "B"))
    print(f"warm cpu: A {a * 1000:.2f} ms, B {b * 1000:.2f} ms; B/A {b / a:.3f}")
    print("PDFs byte-identical" if digests["A"] == digests["B"] else "PDFs differ")


def _batch(args: argparse.Namespace) -> None:
    if not args.batch.exists():
        import sys

        sys.path.insert(0, str(ROOT / "benchmarks"))
        from bench import _releases

        args.batch.mkdir(parents=True)
        _releases(args.batch, 100)
    work = Path(tempfile.mkdtemp())
    commands = {}
    for name, venv in (("A", args.a), ("B", args.b)):
        folder = work / name
        shutil.copytree(args.batch, folder)
        medieninfo = str(venv / "bin" / "medieninfo")
        commands[name] = [medieninfo, "render", "-q", "--force", "--jobs", str(args.jobs)]
        commands[name].append(str(folder))
    wall, cpu = _take_turns(commands, args.runs)
    for label, samples in (("wall", wall), ("cpu", cpu)):
        a, b = (statistics.median(samples[name]) for name in ("A", "B"))
        runs = " ".join(f"{x:.2f}/{y:.2f}" for x, y in zip(samples["A"], samples["B"], strict=True))
        # Run by run, B against the A just before it: the load moves less within one pair.
        pairs = statistics.median(y / x for x, y in zip(samples["A"], samples["B"], strict=True))
        print(
            f"batch {label}: A {a:.3f} s, B {b:.3f} s; B/A {b / a:.3f}, "
            f"pairwise B/A {pairs:.3f}  (A/B by run: {runs})"
        )
    pdfs = sorted(path.name for path in (work / "A").glob("*.pdf"))
    same = all(filecmp.cmp(work / "A" / name, work / "B" / name, shallow=False) for name in pdfs)
    print(f"{len(pdfs)} PDFs " + ("byte-identical" if same else "differ"))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
