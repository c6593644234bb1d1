"""The warm render of two installed builds, counted in instructions instead of timed.

    python3 benchmarks/instructions.py /tmp/a /tmp/b [--release examples/eu-mission.yaml]
                                      [--batch DIR]
                                      [--renders 5]

On a machine shared with other work, CPU times of the same render spread by 10-30 %;
valgrind's callgrind counts the instructions a process executes, which does not depend on
what else runs (the session's starting build gave 191.4 M per render in two runs hours
apart, the first with the other core busy, to the 0.1 M it prints).
Each build runs the release once, then in a second process 1 + ``renders`` times; the
difference over ``renders`` is one warm render, imports and first-render work cancelled
out. ``PYTHONHASHSEED=0`` keeps dict and set order, and so the work, the same run to run;
the cyclic collector is off (why: see the scripts below).

Instructions are not time (a cache miss costs more than an add), so use this to compare
two builds' warm renders, and ``ab.py --warm`` or ``bench.py`` for the milliseconds.
Needs ``valgrind`` (Debian's package); about 15 s per process.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Both scripts run without the cyclic collector. Its runs fall at other moments when a
# change allocates differently, and move the count by more than small savings: the
# report's preview read only for findings saved 0.6 M instructions with it off and "cost"
# 1.1 M with it on (Python's default thresholds). A batch worker collects young objects
# every 10,000 allocations, where the collector's count is within 0.1 % of none.
_RENDERS = """
import gc, sys
gc.disable()
from medieninfo.model.release import load_release
from medieninfo.render import letterhead_for, render_release
release = load_release(sys.argv[1]); letterhead = letterhead_for(release)
for _ in range(int(sys.argv[2])):
    render_release(release, letterhead)
"""

# --batch: what a batch worker does per release (read it, render it, keep the bytes for the
# parent to write), each time another of the folder's releases.
_BATCH = """
import gc, sys
gc.disable()
from pathlib import Path
from medieninfo.app.batch import _render_task, plan
tasks = plan([Path(sys.argv[1])])
for index in range(int(sys.argv[2])):
    _render_task(tasks[index % len(tasks)], letterhead=None, timeout=None, write=False)
"""


def _instructions(python: Path, release: Path, renders: int) -> int:
    script = _BATCH if release.is_dir() else _RENDERS
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         str(python), "-c", script, str(release), str(renders)],
        capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )  # fmt: skip
    found = re.search(r"Collected : (\d+)", result.stderr)
    if found is None:
        raise SystemExit(f"no instruction count from valgrind:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def per_render(venv: Path, release: Path, renders: int) -> float:
    """Instructions of one warm render of ``release`` by the build in ``venv`` (a folder:
    of one of its releases, read from its file, as a batch worker renders it)."""
    python = venv / "bin" / "python"
    first = _instructions(python, release, 1)
    more = _instructions(python, release, 1 + renders)
    return (more - first) / renders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="venv of build A (the baseline)")
    parser.add_argument("b", type=Path, help="venv of build B")
    parser.add_argument("--release", type=Path, default=ROOT / "examples" / "eu-mission.yaml")
    parser.add_argument("--renders", type=int, default=5)
    parser.add_argument(
        "--batch", type=Path, metavar="DIR", help="releases read from DIR's files, in turn"
    )
    args = parser.parse_args()
    release = args.release.resolve()
    label = "warm render"
    if args.batch is not None:
        if not args.batch.exists():
            import sys

            sys.path.insert(0, str(ROOT / "benchmarks"))
            from bench import _releases

            args.batch.mkdir(parents=True)
            _releases(args.batch, 100)
        release, label = args.batch.resolve(), "batch release"
    a = per_render(args.a, release, args.renders)
    b = per_render(args.b, release, args.renders)
    print(f"{label}, instructions: A {a / 1e6:.1f} M, B {b / 1e6:.1f} M; B/A {b / a:.3f}")


if __name__ == "__main__":
    main()
