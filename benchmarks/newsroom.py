"""``medieninfo list`` and ``feed`` on a large folder: time and peak memory at several sizes.

    python benchmarks/newsroom.py [--sizes 1000,5000] [--runs 3]

Each size is a fresh folder of small releases (a headline, a number, two paragraphs), a
quarter of them with a PDF beside them; each run is a cold ``medieninfo list DIR --json``
in a process of its own (the wall time and its peak RSS, from ``getrusage``), and one cold
``medieninfo feed DIR`` (which parses each body for its first paragraph). Printed as
JSON, with the time per release, so the growth can be read off: linear means the
per-release figure stays flat as the folder grows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_folder(folder: Path, count: int) -> None:
    """``count`` small releases over a few years, in one subfolder per year."""
    for index in range(count):
        year = 2020 + index % 5
        sub = folder / str(year)
        sub.mkdir(parents=True, exist_ok=True)
        source = sub / f"{index:05d}.yaml"
        source.write_text(
            f"date: {year}-{1 + index % 12:02d}-{1 + index % 28:02d}\n"
            f"number: {index // 5 + 1}\n"
            f"headline: Pressemitteilung Nummer {index} über den Haushalt\n"
            "subtitle: Ein Satz, der sagt, worum es geht.\n"
            "body: |\n  Der erste Absatz sagt das Wichtigste.\n\n  Ein zweiter Absatz.\n",
            encoding="utf-8",
        )
        if index % 4 == 0:
            source.with_suffix(".pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")


def run_list(folder: Path, *command: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one cold ``medieninfo list --json`` (or
    ``command``)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "medieninfo", *(command or ("list", "--json")), str(folder)],
        capture_output=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(result.stderr.decode())
    # ru_maxrss of children is the largest child so far: each size runs after smaller ones.
    return seconds, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    results = []
    for size in sorted(int(s) for s in options.sizes.split(",")):
        with tempfile.TemporaryDirectory() as temp:
            folder = Path(temp)
            make_folder(folder, size)
            runs = [run_list(folder) for _ in range(options.runs)]
            feed = run_list(folder, "feed", "--base-url", "https://example.org/")
        seconds = statistics.median(r[0] for r in runs)
        results.append(
            {
                "releases": size,
                "seconds": round(seconds, 3),
                "ms_per_release": round(1000 * seconds / size, 3),
                "peak_rss_mib": round(max(r[1] for r in runs) / 1024, 1),
                "feed_seconds": round(feed[0], 3),
            }
        )
    print(json.dumps({"cpus": os.cpu_count(), "runs": options.runs, "sizes": results}, indent=2))


if __name__ == "__main__":
    main()
