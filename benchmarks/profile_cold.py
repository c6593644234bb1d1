"""Where a cold ``medieninfo render`` spends its time: imports by package, then each stage.

Run it against an installed medieninfo, as ``bench.py`` is run:

    /tmp/bench/bin/python benchmarks/profile_cold.py [release.yaml] [--runs N]

Imports are ``python -X importtime`` self times summed by top-level package (that flag adds
its own overhead, so read them as shares). Stages are wall times of the pipeline's functions
in a fresh process, imports made inside a stage included. Each figure is a median of N runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs one render in this process with timers around the pipeline's stages; prints JSON.
_STAGES = r"""
import gc, json, sys, time
gc.disable()  # as cli.entry_point, the command, does
start = time.perf_counter()
from medieninfo.app import cli
from medieninfo.pdf import fonts, glyphs
from medieninfo.model import letterhead, content
from medieninfo import output, render
from medieninfo.text import refinement
import reportlab.platypus.doctemplate as doctemplate
spent = {"import the CLI and the pipeline's modules": time.perf_counter() - start}

def timed(owner, name, label):
    inner = getattr(owner, name)
    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - began
    setattr(owner, name, wrapper)

timed(render, "load_release", "read and validate the release")
timed(render, "cached_letterhead", "read and check the letterhead")
timed(fonts, "register_family", "register the fonts")
timed(refinement, "refine_release", "typography: headline, subtitle")
timed(content, "parse_body", "parse the Markdown body")
timed(refinement, "refine_blocks", "typography: body")
timed(glyphs, "check", "check every glyph has a font")
timed(doctemplate.BaseDocTemplate, "build", "lay out, hyphenate, shape and draw")
timed(output, "write_atomically", "write and sync the file")
sys.argv = ["medieninfo", "render", "-q", sys.argv[1], "-o", sys.argv[2]]
began = time.perf_counter()
cli._run()
spent["command, in all"] = time.perf_counter() - began
print(json.dumps(spent))
"""


def _imports(release: Path, out: Path) -> dict[str, float]:
    command = ["render", "-q", str(release), "-o", str(out)]
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "medieninfo", *command],
        capture_output=True,
        text=True,
        check=True,
    )
    by_package: dict[str, float] = defaultdict(float)
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = line.removeprefix("import time:").split("|")
        package = name.strip().split(".")[0].lstrip("_")
        by_package[package if package in _NAMED else "(standard library and others)"] += (
            int(self_us) / 1000
        )
    return by_package


# Typer 0.28 carries its own copy of click, as typer._click: it counts as typer.
_NAMED = {
    "reportlab",
    "yaml",
    "PIL",
    "uharfbuzz",
    "typer",
    "markdown_it",
    "mdurl",
    "mdit_py_plugins",
    "medieninfo",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("release", nargs="?", default=ROOT / "examples" / "eu-mission.yaml")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "out.pdf"
        imports = [_imports(args.release, out) for _ in range(args.runs)]
        stages = [
            json.loads(
                subprocess.run(
                    [sys.executable, "-c", _STAGES, str(args.release), str(out)],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            for _ in range(args.runs)
        ]
    print(f"cold render of {args.release}, medians of {args.runs} runs, ms")
    print("imports by package (python -X importtime, self time):")
    for package in sorted(imports[0], key=lambda p: -imports[0][p]):
        print(f"  {package:<48} {statistics.median(run[package] for run in imports):6.1f}")
    print("stages (wall time in a fresh process):")
    for stage in stages[0]:
        print(f"  {stage:<48} {statistics.median(run[stage] for run in stages) * 1000:6.1f}")


if __name__ == "__main__":
    main()
