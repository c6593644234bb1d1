"""The patterns libraries compile at import and a render never uses (medieninfo.app.deferred).

Each check runs in a fresh interpreter: the modules are imported once per process, and this
one has imported them long ago."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from medieninfo.app import deferred

from conftest import EXAMPLES

# Where each deferred pattern lives, by module and attribute (a class's with a dot).
WHERE = {
    "reportlab.platypus.paragraph": "uri_pat",
    "reportlab.lib.textsplit": "rx",
    "yaml.reader": "Reader.NON_PRINTABLE",
}

_STATE = """
import importlib, json, sys
from medieninfo.app import deferred
if sys.argv[1] == "install":
    deferred.install()
render = sys.argv[2:]
if render:
    from medieninfo.app import cli
    sys.argv = ["medieninfo", "render", "-q", *render]
    try:
        cli.main()
    except SystemExit as exc:
        assert not exc.code, exc.code
state = {}
for name, attribute in json.loads(sys.stdin.read()).items():
    value = importlib.import_module(name)
    for part in attribute.split("."):
        value = getattr(value, part)
    state[name] = [type(value).__name__, getattr(value, "compiled", None)]
print(json.dumps(state))
"""


def _state(mode: str, *render: str) -> dict[str, list[object]]:
    done = subprocess.run(
        [sys.executable, "-c", _STATE, mode, *render],
        input=json.dumps(WHERE),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_every_deferred_module_is_listed_here() -> None:
    assert set(WHERE) == set(deferred.DEFERRED)


def test_a_render_never_compiles_them(tmp_path: Path) -> None:
    # The reason for deferring: the whole command ran and none of the three was needed.
    out = tmp_path / "out.pdf"
    state = _state("install", str(EXAMPLES / "eu-mission.yaml"), "-o", str(out))
    assert out.stat().st_size > 0
    assert state == {name: ["Deferred", False] for name in WHERE}


def test_without_install_they_are_compiled_at_import() -> None:
    # The start of each pattern still finds it: were a library to change the pattern, the
    # test above would see a compiled Pattern there.
    assert _state("plain") == {name: ["Pattern", None] for name in WHERE}


@pytest.mark.parametrize("name", sorted(WHERE))
def test_each_use_is_a_method_call(name: str) -> None:
    """A Deferred stands in only where the module calls the pattern's methods:
    ``re.sub(pattern, …)`` or ``isinstance(pattern, re.Pattern)`` would not take one."""
    import importlib

    source = inspect.getsource(importlib.import_module(name))
    attribute = WHERE[name].rsplit(".", 1)[-1]
    assignments = re.findall(rf"\b{attribute}\s*=\s*re\.compile\(", source)
    uses = re.findall(rf"\b{attribute}\b(?!\s*=)(.?)", source)
    assert len(assignments) == 1, f"{attribute} is no longer compiled once in {name}"
    # Every other use is followed by a method: ``uri_pat.match(``.
    assert uses and set(uses) == {"."}, uses


URLS = [
    "https://www.dortmund.de/de/leben_in_dortmund/index.html",
    "http://localhost:8080/a?b=c#d",
    "ftp://192.168.1.1/pub",
    "https://müller.example/straße",
    "mailto:presse@stadtdo.de",
    "no url at all",
    "https://-bad-.example",
]


def test_a_deferred_pattern_answers_as_the_compiled_one() -> None:
    from reportlab.platypus import paragraph

    real = paragraph.uri_pat
    if isinstance(real, deferred.Deferred):  # this process imported it deferred
        real = re.compile(real.pattern, real.flags)
    lazy = deferred.Deferred(real.pattern, real.flags)
    assert not lazy.compiled
    for url in URLS:
        expected = real.match(url)
        found = lazy.match(url)
        assert (found and found.groups()) == (expected and expected.groups()), url
    assert lazy.compiled
    assert (lazy.pattern, lazy.flags) == (real.pattern, real.flags)
    assert lazy.sub("X", "a https://x.de") == real.sub("X", "a https://x.de")


_SPLIT = """
import json, sys
from medieninfo.app import deferred
if sys.argv[1] == "install":
    deferred.install()
from reportlab.platypus import paragraph
urls = json.loads(sys.stdin.read())
print(json.dumps([paragraph._uri_split_pairs(url) and list(paragraph._uri_split_pairs(url))
                  for url in urls]))
"""


def test_reportlab_splits_urls_as_before() -> None:
    # ReportLab's own use (splitting a URL at its slashes) gives the same pairs deferred.
    def split(mode: str) -> object:
        done = subprocess.run(
            [sys.executable, "-c", _SPLIT, mode],
            input=json.dumps(URLS),
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout)

    plain = split("plain")
    assert plain == split("install")
    assert any(plain) and not all(plain)


def test_installing_twice_adds_one_finder() -> None:
    before = list(sys.meta_path)
    try:
        # From a process without one (another test may have installed it here).
        sys.meta_path[:] = [f for f in before if not isinstance(f, deferred._Finder)]
        deferred.install()
        deferred.install()
        assert sum(isinstance(f, deferred._Finder) for f in sys.meta_path) == 1
        assert isinstance(sys.meta_path[0], deferred._Finder)  # asked before the others
    finally:
        sys.meta_path[:] = before


def test_other_patterns_compile_as_before() -> None:
    run = deferred._deferring(lambda module: module.update(p=re.compile("ab+")), ("zz",))
    names: dict[str, object] = {}
    run(names)
    assert isinstance(names["p"], re.Pattern)
    assert re.compile is deferred._compile  # put back after the module ran
