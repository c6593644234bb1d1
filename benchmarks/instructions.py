"""The warm render of two installed builds, counted in instructions instead of timed.

    python3 benchmarks/instructions.py /tmp/a /tmp/b [--release examples/eu-mission.yaml]
                                      [--renders 5]

On a machine shared with other work, CPU times of the same render spread by 10-30 %;
valgrind's callgrind counts the instructions a process executes, which does not depend on
what else runs (the session's starting build gave 191.4 M per render in two runs hours
apart, the first with the other core busy, to the 0.1 M it prints).
Each build runs the release once, then in a second process 1 + ``renders`` times; the
difference over ``renders`` is one warm render, imports and first-render work cancelled
out. ``PYTHONHASHSEED=0`` keeps dict and set order, and so the work, the same run to run.

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

_RENDERS = """
import sys
from medieninfo.model.release import load_release
from medieninfo.render import letterhead_for, render_release
release = load_release(sys.argv[1]); letterhead = letterhead_for(release)
for _ in range(int(sys.argv[2])):
    render_release(release, letterhead)
"""


def _instructions(python: Path, release: Path, renders: int) -> int:
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         str(python), "-c", _RENDERS, str(release), str(renders)],
        capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )  # fmt: skip
    found = re.search(r"Collected : (\d+)", result.stderr)
    if found is None:
        raise SystemExit(f"no instruction count from valgrind:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def per_render(venv: Path, release: Path, renders: int) -> float:
    """Instructions of one warm render of ``release`` by the build in ``venv``."""
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
    args = parser.parse_args()
    a = per_render(args.a, args.release.resolve(), args.renders)
    b = per_render(args.b, args.release.resolve(), args.renders)
    print(f"warm render, instructions: A {a / 1e6:.1f} M, B {b / 1e6:.1f} M; B/A {b / a:.3f}")


if __name__ == "__main__":
    main()
