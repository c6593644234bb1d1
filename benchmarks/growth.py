"""Growth of time and memory on the pathological inputs of issue #13, through the command.

Each family is rendered by the installed ``medieninfo`` command in a fresh process at two
sizes, the second twice the first; the script prints wall time and peak memory (the
child's own ``ru_maxrss``, from ``wait4``) of each and the ratios. Linear work doubles
(ratio ~2); the quadratic paths these inputs used to hit quadrupled. ``tests/test_growth.py``
checks the same families, smaller and in one process, on every test run.

    python benchmarks/growth.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import yaml

from test_growth import (
    autolinks,
    hyphen_chain,
    images,
    links,
    long_headline,
    long_subtitle,
    soft_hyphens,
    unclosed_link_target,
    url_blob,
)


def plain_text(size: int) -> dict[str, str]:
    sentence = "Die Stadt Dortmund stellt heute ihre Klimaanpassungsmaßnahmen vor. "
    return {"body": (sentence * (size // len(sentence) + 1))[:size]}


def one_word(size: int) -> dict[str, str]:
    return {"body": "a" * size}


def many_links(size: int) -> dict[str, str]:
    """Autolinks beyond the limit: refused before markdown-it reads them."""
    return autolinks(size)


#: Family, smaller size (characters of the growing part), and whether it is refused.
FAMILIES: list[tuple[Callable[[int], dict[str, str]], int]] = [
    (hyphen_chain, 2_400),
    (url_blob, 2_400),
    (soft_hyphens, 2_000),
    (long_subtitle, 100_000),
    (long_headline, 100_000),
    (links, 90_000),
    (autolinks, 60_000),
    (images, 60_000),
    (unclosed_link_target, 600_000),
    (plain_text, 500_000),
    (one_word, 2_450_000),
    (many_links, 2_400_000),
]


def _measure(command: str, document: dict[str, str], folder: Path) -> tuple[float, float, str]:
    source = folder / "release.yaml"
    data = {"date": "2022-04-28", "headline": "Eine Überschrift", **document}
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    started = time.monotonic()
    process = subprocess.Popen(
        [command, "render", str(source), "-o", str(folder / "out.pdf"), "--timeout", "0", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    outcome = "PDF" if status == 0 else "refused: " + stderr.strip().split(": ", 2)[-1][:40]
    return seconds, usage.ru_maxrss / 1024, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a quarter of the sizes")
    args = parser.parse_args()
    command = shutil.which("medieninfo") or str(Path(sys.executable).with_name("medieninfo"))
    print(
        f"{'family':22} {'size':>10} {'time':>8} {'MiB':>6} {'2x size':>10} {'time':>8}"
        f" {'MiB':>6} {'ratio':>6}  outcome"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for family, size in FAMILIES:
            if args.quick:
                size //= 4
            small = _measure(command, family(size), folder)
            large = _measure(command, family(2 * size), folder)
            print(
                f"{family.__name__:22} {size:>10,} {small[0]:>7.2f}s {small[1]:>6.0f}"
                f" {2 * size:>10,} {large[0]:>7.2f}s {large[1]:>6.0f}"
                f" {large[0] / small[0]:>6.2f}  {large[2]}",
                flush=True,
            )


if __name__ == "__main__":
    main()
