"""Regular expressions that libraries compile when imported and a render never uses,
compiled on first use instead.

Importing ReportLab's ``platypus`` compiles a pattern for splitting long URLs across lines
(``paragraph.uri_pat``, a Django validator with ``\\xa1-\\uffff`` classes: 20 ms, a tenth
of a cold render when it was measured); its ``textsplit`` compiles one for wrapping CJK
text (2.6 ms), and PyYAML's pure-Python reader one for unprintable characters (3.5 ms),
which libyaml's reader, the one used when it is installed, does without. ReportLab calls
its pattern only when its own line breaker splits a URL, which ours
(:mod:`medieninfo.pdf.breaking`) replaces, so a render pays for three compilations it
never runs.

:func:`install` has the command compile these few, named by the module and the start of
the pattern, when first used: while such a module runs its import, ``re.compile`` hands
out a :class:`Deferred` for them and compiles everything else as before. A Deferred
answers every attribute of the compiled pattern (``match``, ``search``, ``pattern``),
compiling it on the first, so the module works as it did. It is only for patterns those
modules use by their methods: ``re.match(deferred, text)`` would not take one (the
deferral tests check each use). The command installs this; the library leaves Python's
import system as it finds it.
"""

from __future__ import annotations

import re
import sys
from typing import Any

#: Python's own, kept before any deferral replaces it for the length of an import.
_compile = re.compile

#: Per module, how the patterns begin that it compiles at import and a render does not use.
DEFERRED: dict[str, tuple[str, ...]] = {
    "reportlab.platypus.paragraph": ("(^(?:[a-z0-9\\.\\-\\+]*)://)",),
    "reportlab.lib.textsplit": ("([\u2e80-\uffff])",),
    "yaml.reader": ("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff",),
}


class Deferred:
    """``re.compile(pattern, flags)``, made when one of its attributes is first read."""

    __slots__ = ("_compiled", "_flags", "_pattern")

    def __init__(self, pattern: str, flags: int) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> bool:
        """Whether the pattern has been compiled (it is on first use)."""
        return self._compiled is not None

    def __getattr__(self, name: str) -> Any:
        # Only called for names the slots do not hold: the compiled pattern's.
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = _compile(self._pattern, self._flags)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"Deferred({self._pattern[:40]!r}…, {self._flags})"


def install() -> None:
    """Defer the :data:`DEFERRED` patterns of modules not imported yet; once per process."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


class _Finder:
    """Finds nothing itself: for a module of :data:`DEFERRED`, asks the finders after it and
    has the loader they found run the module with deferring compilations."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        starts = DEFERRED.get(name)
        if starts is None:
            return None
        spec = None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(name, path, target)
            if spec is not None:
                break
        run = getattr(spec.loader, "exec_module", None) if spec is not None else None
        if run is not None:
            # The loader is this module's own (one per file), so its method is replaced on it.
            spec.loader.exec_module = _deferring(run, starts)  # type: ignore[union-attr]
        return spec


def _deferring(run: Any, starts: tuple[str, ...]) -> Any:
    def exec_module(module: Any) -> None:
        outer = re.compile

        def compile_later(pattern: Any, flags: int = 0) -> Any:
            if isinstance(pattern, str) and pattern.startswith(starts):
                return Deferred(pattern, flags)
            return outer(pattern, flags)

        re.compile = compile_later
        try:
            run(module)
        finally:
            re.compile = outer

    return exec_module
