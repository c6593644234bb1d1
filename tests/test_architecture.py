"""The package's stages, as the import statements show them: who may import whom.

A second output channel (web page, plain text, mail) reads the model without ReportLab; the
library never imports the command line; no two modules import each other, however lazily.
The lint rule (ruff's banned-api, see pyproject.toml) keeps ReportLab and Rich in their
stages; these tests keep the stages themselves apart.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import medieninfo

PACKAGE = Path(medieninfo.__file__).parent

#: What each stage may import from medieninfo (besides itself and the top-level helpers).
ALLOWED = {
    "model": set(),
    "text": {"model"},
    "pdf": {"model", "text"},
    "html": {"model", "text"},
    "plain": {"model", "text"},
    "mail": {"model", "text"},
    "newsroom": {"model", "text", "render", "output"},
    "app": {"model", "text", "pdf", "html", "plain", "mail", "newsroom", "render", "output"},
    "render": {"model", "text", "pdf", "html", "plain", "mail", "output"},
}
#: Cross-stage helpers every stage may use.
SHARED = {"medieninfo", "medieninfo.errors", "medieninfo.assets"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every medieninfo module ``path`` imports, at the top or inside a function."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            modules = {base}
            # `from . import pages` imports a module; `from .errors import X` a name.
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                if _exists(candidate):
                    modules.add(candidate)
            found.update(modules)
    return {module for module in found if module.split(".")[0] == "medieninfo"} - {name}


def _exists(module: str) -> bool:
    relative = Path(*module.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative).is_dir()


def _graph() -> dict[str, set[str]]:
    return {_module_name(path): _imports(path) for path in PACKAGE.rglob("*.py")}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "medieninfo"


def test_each_stage_imports_only_the_stages_before_it() -> None:
    wrong = []
    for module, imports in sorted(_graph().items()):
        stage = _stage(module)
        if stage not in ALLOWED:
            continue
        for imported in sorted(imports - SHARED):
            if _stage(imported) not in {stage, *ALLOWED[stage]}:
                wrong.append(f"{module} imports {imported}")
    assert not wrong


def test_no_module_imports_the_command_line_but_the_command_line() -> None:
    graph = _graph()
    users = {m for m, imports in graph.items() if any(_stage(i) == "app" for i in imports)}
    assert {_stage(m) for m in users} <= {"app", "__main__"}


def test_no_import_circles() -> None:
    try:
        tuple(TopologicalSorter(_graph()).static_order())
    except CycleError as exc:
        raise AssertionError(f"import circle: {' -> '.join(exc.args[1])}") from None


def test_the_graph_sees_imports() -> None:
    # The tests above pass on an empty graph too; this one shows that they read real edges.
    graph = _graph()
    assert "medieninfo.model.release" in graph["medieninfo.render"]
    assert "medieninfo.model.letterhead" in graph["medieninfo.pdf.fonts"]
    assert "medieninfo.pdf.pages" in graph["medieninfo.app.batch"]  # a lazy import


def test_reading_a_release_and_its_letterhead_needs_no_reportlab_or_rich() -> None:
    code = (
        "import sys; from pathlib import Path\n"
        "from medieninfo.model.content import parse_body\n"
        "from medieninfo.model.release import load_release\n"
        "from medieninfo.render import letterhead_for\n"
        "from medieninfo.text.hyphenation import hyphenator_for\n"
        "from medieninfo.text.refinement import refine_blocks, refine_release\n"
        "for source in sys.argv[1:]:\n"
        "    release = refine_release(load_release(Path(source)))\n"
        "    letterhead = letterhead_for(release)\n"
        "    refine_blocks(parse_body(release.body), lang=release.lang)\n"
        "    hyphenator_for(release.lang)('Klimaneutralität')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'rich', 'typer'}))\n"
    )
    examples = PACKAGE.parents[1] / "examples"
    sources = [examples / "eu-mission.yaml", examples / "musterstadt" / "release.yaml"]
    result = subprocess.run(
        [sys.executable, "-c", code, *map(str, sources)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_one_release_renders_without_the_batch_machinery(tmp_path: Path) -> None:
    """A single-file render pays for neither the batch module nor multiprocessing."""
    code = (
        "import sys\n"
        "from medieninfo.app import cli\n"
        "sys.argv = ['medieninfo', 'render', '-q', sys.argv[1], '-o', sys.argv[2]]\n"
        "try:\n"
        "    cli.main()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "wanted = ('medieninfo.app.batch', 'multiprocessing')\n"
        "print(sorted(m for m in sys.modules if m in wanted))\n"
    )
    example = PACKAGE.parents[1] / "examples" / "eu-mission.yaml"
    result = subprocess.run(
        [sys.executable, "-c", code, str(example), str(tmp_path / "out.pdf")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF-")
    assert result.stdout.strip() == "[]"
