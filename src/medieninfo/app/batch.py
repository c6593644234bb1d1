"""Many releases at once: find them, skip the up-to-date ones, render the rest in parallel.

``medieninfo render FOLDER`` and ``medieninfo check FOLDER`` use :func:`find_releases`;
:func:`plan` pairs each release with its outputs (the PDF, or the formats of ``--to``) and
:func:`render_batch` renders them. Nothing
here prints: every finished file is reported to a callback as an :class:`Outcome`, and the
CLI decides how to show it.

Why a hand-made pool instead of :mod:`concurrent.futures`: a per-file time limit needs a
worker that runs over its limit to be killed and replaced, and a worker that dies (a crash
in a C extension) must fail only its own file. Both are impossible with ``ProcessPoolExecutor``.
A single file is rendered in this process (with ``SIGALRM`` as its time limit where there is
one), so the common ``medieninfo render release.yaml`` never imports :mod:`multiprocessing`.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import CREATOR
from ..errors import InputError, MedieninfoError, Problem, internal_error
from ..model.source import SUFFIXES
from . import defaults
from .guard import guarded, in_main_thread, timeout_message

if TYPE_CHECKING:
    from ..output import PendingWrite
    from ..render import Rendered

# A letterhead defines `organisation` or `sidebar` at the top level and has no `headline`
# or `body`. Matching top-level keys as text (YAML `key:`, TOML `key =`) keeps discovery
# free of parsing: a folder of a thousand releases is sorted in milliseconds.
_LETTERHEAD_KEY = re.compile(rb"^(?:organisation|sidebar)\s*[:=]", re.MULTILINE)
_RELEASE_KEY = re.compile(rb"^(?:headline|body)\s*[:=]", re.MULTILINE)
_SNIFF_BYTES = 256 * 1024


@dataclass(frozen=True)
class Task:
    """One release to render and where its outputs go; ``error`` if it cannot be planned.

    ``target`` is the file of the first format; the others lie beside it (see
    :func:`medieninfo.render.output_paths`)."""

    source: Path
    target: Path
    error: str | None = None
    formats: tuple[str, ...] = ("pdf",)

    @property
    def targets(self) -> dict[str, Path]:
        from ..render import output_paths

        return output_paths(self.target, self.formats)


@dataclass(frozen=True)
class Outcome:
    """What became of one task: ``rendered``, ``skipped`` (up to date) or ``failed``."""

    source: Path
    target: Path
    status: str
    pages: int = 0
    #: For a failure, each problem as ``file:line:col: message``.
    messages: tuple[str, ...] = ()
    #: Files the PDF depends on (the release, its letterhead, the letterhead's files),
    #: as far as they were found before a failure; ``watch`` polls these.
    depends: tuple[Path, ...] = ()
    #: The layout report of a rendered PDF (see medieninfo.report), one line each.
    findings: tuple[str, ...] = ()
    #: Every file written (``target`` and the other formats beside it).
    targets: tuple[Path, ...] = ()


@dataclass
class Summary:
    rendered: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        if outcome.status == "rendered":
            self.rendered += 1
        elif outcome.status == "skipped":
            self.skipped += 1
        else:
            self.failed += 1


OnOutcome = Callable[[Outcome], None]


# --------------------------------------------------------------------------- discovery


def is_letterhead_file(path: Path) -> bool:
    """True if ``path`` looks like a letterhead: top-level ``organisation``/``sidebar`` keys
    and no ``headline``/``body``. Unreadable files count as releases, so they get reported."""
    from ..model.source import read_regular

    try:
        # Never blocks and reads no FIFO, device or socket (read_regular).
        head = read_regular(path, limit=_SNIFF_BYTES)
    except OSError:
        return False
    return bool(_LETTERHEAD_KEY.search(head)) and not _RELEASE_KEY.search(head)


def find_releases(inputs: Sequence[Path]) -> list[tuple[Path, Path | None]]:
    """Release files among ``inputs``, each with the folder it was found under.

    A file named on the command line is taken as it is (even a missing one, so that it is
    reported); a folder is searched recursively for ``*.yaml``, ``*.yml`` and ``*.toml``,
    skipping hidden folders and letterhead files. The folder is ``None`` for named files.
    """
    found: list[tuple[Path, Path | None]] = []
    seen: set[Path] = set()
    for given in inputs:
        candidates: list[tuple[Path, Path | None]]
        if given.is_dir():
            # A file that leads out of the folder is not sniffed: it is reported, not read.
            candidates = [
                (path, given)
                for path in _walk(given)
                if refusal(path, given) or not is_letterhead_file(path)
            ]
        else:
            candidates = [(given, None)]
        for path, root in candidates:
            key = Path(os.path.abspath(path))
            if key not in seen:
                seen.add(key)
                found.append((path, root))
    return found


def refusal(path: Path, root: Path | None) -> str | None:
    """Why a file found under the folder ``root`` is not read, or None: it is a symbolic
    link (or lies below one) that leads out of the folder, as letterhead files may not."""
    if root is None or _linkless_below(path, root):
        return None
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        inside = False
    if inside:
        return None
    return (
        f"a symbolic link to a file outside {root}; not read "
        "(copy the file into the folder, or name it on the command line)"
    )


def _linkless_below(path: Path, root: Path) -> bool:
    """True if ``path`` is written as ``root`` and names below it (no ``..``), none of them
    a symbolic link: then it lies inside ``root`` whatever ``root`` itself is, found with a
    stat per name below ``root`` instead of resolving both paths from ``/`` (a folder of a
    thousand releases is planned twice as fast)."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    if not parts or ".." in parts:
        return False
    current = root
    for part in parts:
        current = current / part
        if os.path.islink(current):
            return False
    return True


def _walk(folder: Path) -> Iterator[Path]:
    for current, folders, files in os.walk(folder):
        # Sorted for a stable order; hidden folders (.git, .venv) are never releases.
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(SUFFIXES):
                yield Path(current, name)


def plan(
    inputs: Sequence[Path], *, out_dir: Path | None = None, formats: Sequence[str] = ("pdf",)
) -> list[Task]:
    """Pair each release with its outputs (one file per format): beside it, or under
    ``out_dir`` keeping the relative folder structure. Two releases that would write the same
    file (``a.yaml`` and ``a.toml``): the second one fails."""
    from ..output import NAMES, SUFFIXES

    tasks: list[Task] = []
    claimed: dict[Path, Path] = {}
    for source, root in find_releases(inputs):
        target = _target_for(source, root, out_dir, SUFFIXES[formats[0]])
        task = Task(source, target, formats=tuple(formats))
        error = refusal(source, root)
        if error is not None:
            error = f"{source}: {error}"
        else:
            for kind, target in task.targets.items():
                key = Path(os.path.abspath(target))
                if key in claimed:
                    error = (
                        f"{source}: would write the same {NAMES[kind]} as {claimed[key]}"
                        f" ({target}); rename one"
                    )
                    break
        if error is None:
            claimed.update((Path(os.path.abspath(t)), source) for t in task.targets.values())
        tasks.append(replace(task, error=error) if error else task)
    return tasks


def _target_for(source: Path, root: Path | None, out_dir: Path | None, suffix: str) -> Path:
    if out_dir is None:
        return source.with_suffix(suffix)
    relative = source.relative_to(root) if root is not None else Path(source.name)
    return out_dir / relative.with_suffix(suffix)


# --------------------------------------------------------------------------- check


def check_release(source: Path) -> list[Problem]:
    """Every problem with a release and its letterhead, short of layout: fields, Markdown,
    and a glyph for every character. Empty if it will render."""
    from ..model.release import load_release
    from ..render import letterhead_for, prepare

    def check() -> None:
        release = load_release(source)
        prepare(release, letterhead_for(release))

    return _problems_of(check, source)


def check_layout(source: Path) -> tuple[list[Problem], list[str]]:
    """Like :func:`check_release`, but lay the release out in memory as well: the problems
    only layout finds (too many pages) and the layout report's findings."""
    from ..model.release import load_release
    from ..render import letterhead_for, render_release

    findings: list[str] = []

    def check() -> None:
        release = load_release(source)
        rendered = render_release(release, letterhead_for(release))
        findings.extend(str(finding) for finding in rendered.findings)

    return _problems_of(check, source), findings


def _problems_of(check: Callable[[], None], source: Path) -> list[Problem]:
    try:
        check()
    except InputError as exc:
        return list(exc.problems)
    except MedieninfoError as exc:
        return [Problem(str(source), str(exc))]
    return []


# --------------------------------------------------------------------------- up to date


def pdf_creator(path: Path) -> str | None:
    """The /Creator of a PDF written by ReportLab, read from the file's tail (three small
    reads: trailer, cross-reference entry, Info object), or None if it cannot be found."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - 1024))
            tail = handle.read()
            xref = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", tail)
            info = re.search(rb"/Info\s+(\d+)\s+0\s+R", tail)
            if not xref or not info:
                return None
            handle.seek(int(xref.group(1)))
            header = re.match(rb"xref\s+(\d+)\s+\d+\s*?\n", handle.read(64))
            number = int(info.group(1))
            if not header or number < int(header.group(1)):
                return None
            handle.seek(int(xref.group(1)) + header.end() + 20 * (number - int(header.group(1))))
            entry = re.match(rb"(\d{10}) \d{5} n", handle.read(20))
            if not entry:
                return None
            handle.seek(int(entry.group(1)))
            body = handle.read(4096)
    except (OSError, ValueError):
        return None
    creator = re.search(rb"/Creator\s*\(((?:[^()\\]|\\.)*)\)", body.split(b"endobj", 1)[0])
    return creator.group(1).decode("latin-1") if creator else None


_HTML_GENERATOR = re.compile(rb'<meta name="generator" content="([^"<>]*)">')
_EML_GENERATOR = re.compile(rb"^X-Generator: ([^\r\n]*)\r?$", re.MULTILINE)


def made_by(path: Path, kind: str) -> str | None:
    """The medieninfo version that wrote an output (its ``CREATOR`` string), read from the
    file's first few kilobytes (the PDF: its tail), or None if it cannot be found. Plain text
    carries no version (it is for wire services): its modification time alone decides."""
    if kind == "pdf":
        return pdf_creator(path)
    if kind == "txt":
        return CREATOR
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    if kind == "eml":
        head = head.split(b"\r\n\r\n", 1)[0]
    found = (_HTML_GENERATOR if kind == "html" else _EML_GENERATOR).search(head)
    return found.group(1).decode("utf-8", "replace") if found else None


def is_up_to_date(task: Task) -> bool:
    """True if every output of the task is the one its record says was made by this version
    of medieninfo from the release, its letterhead and the letterhead's files, all as they
    are now (same modification time and size; :func:`medieninfo.output.is_current`). Clock
    order is not trusted: a release saved while its outputs were rendered is stale however
    the times fall. Any doubt means False (and then every format of the task is rendered
    again)."""
    from ..output import is_current

    return all(
        is_current(target, source=task.source, creator=CREATOR) for target in task.targets.values()
    )


# --------------------------------------------------------------------------- rendering


def render_task(
    task: Task, *, letterhead: str | Path | None = None, timeout: float | None = None
) -> Outcome:
    """Render one task in this process; every failure becomes a failed :class:`Outcome`."""
    return _render_task(task, letterhead=letterhead, timeout=timeout, write=True)[0]


def _render_task(
    task: Task, *, letterhead: str | Path | None, timeout: float | None, write: bool
) -> tuple[Outcome, PendingWrite | None]:
    """:func:`render_task`; without ``write``, the outputs are returned unwritten (for
    :func:`write_outcome`) with the outcome they will have once written."""
    if task.error:
        return Outcome(task.source, task.target, "failed", messages=(task.error,)), None
    targets = tuple(task.targets.values())
    depends: list[Path] = [task.source]
    unwritten: list[PendingWrite] = []

    def work() -> Rendered:
        from ..output import write_pending
        from ..render import render_unwritten

        rendered, pending = render_unwritten(
            task.target,
            source=task.source,
            letterhead=letterhead,
            depends=depends,
            formats=task.formats,
        )
        if write:
            write_pending(pending)
        else:
            unwritten.append(pending)
        return rendered

    rendered, messages = guarded(work, label=str(task.source), timeout=timeout)
    if rendered is None:
        failed = Outcome(
            task.source, task.target, "failed", messages=messages, depends=tuple(depends)
        )
        return failed, None
    outcome = Outcome(
        task.source,
        task.target,
        "rendered",
        pages=rendered.pages,
        depends=tuple(depends),
        findings=tuple(map(str, rendered.findings)),
        targets=targets,
    )
    return outcome, (unwritten[0] if unwritten else None)


def write_outcome(
    outcome: Outcome, pending: PendingWrite, *, cleaned: set[Path] | None = None
) -> Outcome:
    """Write what a worker rendered (:func:`medieninfo.output.write_pending`, ``cleaned``
    as there); the outcome as it stands then: ``outcome``, or a failure if a file could
    not be written."""
    from ..output import write_pending

    try:
        write_pending(pending, cleaned=cleaned)
    except MedieninfoError as exc:
        message = str(exc)
    except Exception as exc:  # a bug must fail its own file, not the batch
        message = internal_error(str(outcome.source), exc)
    else:
        return outcome
    return Outcome(
        outcome.source, outcome.target, "failed", messages=(message,), depends=outcome.depends
    )


def render_batch(
    tasks: Sequence[Task],
    *,
    letterhead: str | Path | None = None,
    force: bool = False,
    workers: int | None = None,
    timeout: float | None = defaults.TIMEOUT,
    on_outcome: OnOutcome | None = None,
    on_tick: Callable[[], None] | None = None,
) -> Summary:
    """Render every task; skip those whose PDF is up to date unless ``force``.

    A letterhead given on the command line always renders: the PDF does not record which
    letterhead made it. ``workers`` defaults to the number of cores; ``on_tick`` is called
    about ten times a second while workers are busy (to animate a progress bar).
    """
    started = time.monotonic()
    summary = Summary()

    def report(outcome: Outcome) -> None:
        summary.add(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    todo: list[Task] = []
    for task in tasks:
        if not force and letterhead is None and not task.error and is_up_to_date(task):
            targets = tuple(task.targets.values())
            report(Outcome(task.source, task.target, "skipped", targets=targets))
        else:
            todo.append(task)
    size = min(workers or os.cpu_count() or 1, len(todo))
    if size <= 1 and len(todo) <= 1:
        for task in todo:
            report(render_task(task, letterhead=letterhead, timeout=timeout))
    elif todo:
        drawn = any({"pdf", "eml"} & set(task.formats) for task in todo)
        pool = _Pool(max(size, 1), letterhead=letterhead, timeout=timeout, pdf=drawn)
        pool.warm(todo)
        pool.run(todo, report, on_tick)
    summary.seconds = time.monotonic() - started
    return summary


# --------------------------------------------------------------------------- the pool


def _serve(
    connection: Any,
    letterhead: str | Path | None,
    parent: int | None = None,
    inherited: Sequence[Any] = (),
) -> None:
    """A worker: render tasks from ``connection`` until it closes.

    ``inherited`` are the connections a forked worker got from its parent that are not its
    own: the parent's ends of every pipe (closed as objects, not as descriptor numbers, so
    nothing closes a reused number later). Closed here, the parent's end of this worker's pipe
    is held by the parent alone, so when the parent ends, however it ends, the pipe reports
    end-of-file and the worker returns; a worker held the other's pipe end open before and
    both waited for good. ``parent`` is the parent's pid, for :func:`_end_with_parent`.
    """
    for other in inherited:
        with contextlib.suppress(OSError):
            other.close()
    _end_with_parent(parent)
    # Ctrl-C reaches the whole process group; the parent stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if gc.isenabled():
        # Young objects collected every 10,000 net allocations, not 700: a render's live
        # objects (a few thousand) were scanned again and again; 127 collections per 50
        # renders became 9, and the collector's time per worker 40 ms to ~30 ms (README).
        gc.set_threshold(_WORKER_YOUNG, *gc.get_threshold()[1:])
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        # The parent writes the outputs (see _Writer): this worker goes on to its next task.
        connection.send(_render_task(task, letterhead=letterhead, timeout=None, write=False))


#: A worker's threshold for collecting young objects (Python's default: 700).
_WORKER_YOUNG = 10_000


#: prctl option: the signal this process gets when its parent thread ends (linux/prctl.h).
_PR_SET_PDEATHSIG = 1


def _end_with_parent(parent: int | None) -> None:
    """Have the kernel kill this worker when its parent dies, even in the middle of a render
    (Linux; elsewhere the pipe's end-of-file ends an idle worker). Checked once more after
    asking, since the parent may have died before: then it ends at once."""
    import sys

    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


#: Tasks a worker holds at once: the one it renders and the next, waiting in its pipe, so
#: that it starts that one at once instead of after a round trip through a parent that may
#: be unpickling the other worker's PDF (its tasks are small; a few hundred bytes each).
_AHEAD = 2


@dataclass
class _Worker:
    process: Any
    connection: Any
    #: The tasks sent to it, in order: it renders the first; ``deadline`` is the first's.
    queued: list[Task] = field(default_factory=list)
    deadline: float = 0.0

    @property
    def task(self) -> Task | None:
        """The task it is rendering, or None when it has none."""
        return self.queued[0] if self.queued else None


class _Pool:
    """Worker processes, each rendering one task at a time with the next one queued (see
    :data:`_AHEAD`), killed and replaced when over time; the next task of a killed worker
    goes to another."""

    def __init__(
        self,
        size: int,
        *,
        letterhead: str | Path | None,
        timeout: float | None,
        pdf: bool = True,
    ):
        import multiprocessing

        # fork where it exists: the workers start warm, with the render stages imported here.
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self._size = size
        self._letterhead = letterhead
        self._timeout = timeout if timeout and timeout > 0 else None
        #: The parent's ends of the live workers' pipes.
        self._open: list[Any] = []
        #: Tasks queued for a worker that was killed before it began them (see _kill).
        self._unbegun: list[Task] = []
        self._forks = "fork" in methods
        self._pdf = pdf
        if self._forks:
            from .. import render  # noqa: F401  (imported so that forks inherit them)

            if pdf:  # only a PDF needs ReportLab; --to html,txt never loads it
                from ..pdf import pages  # noqa: F401  (imported so that forks inherit them)

    def warm(self, tasks: Sequence[Task]) -> None:
        """Before the first fork, do here once what each worker's first render would do on
        its own: read the first release's letterhead (remembered, see
        :func:`~medieninfo.model.letterhead.cached_letterhead`), build the Markdown parser,
        load its language's hyphenation patterns, register its fonts and find its glyphs
        (:func:`medieninfo.render.prepare`), and import the layout. Forked workers inherit
        all of it; with spawn there is nothing to inherit, so nothing is done.

        Nothing here lays a release out (where a render may run long: that stays in the
        workers, under their time limit), and a problem is left for the worker that renders
        the release to report."""
        task = next((task for task in tasks if not task.error), None)
        if not self._forks or task is None:
            return
        from ..model.release import load_release
        from ..render import compose, letterhead_for, prepare
        from ..text.hyphenation import hyphenator_for

        with contextlib.suppress(Exception):
            release = load_release(task.source)
            letterhead = letterhead_for(release, self._letterhead)
            if self._pdf:
                from ..pdf import breaking, layout, report, tagging  # noqa: F401

                exceptions = letterhead.hyphenation_exceptions
                if hyphenator := hyphenator_for(release.lang, exceptions=exceptions):
                    hyphenator.positions("Silbentrennung")  # the patterns load on first use
                prepare(release, letterhead)
            else:
                compose(release, letterhead)

    def _start(self) -> _Worker:
        mine, theirs = self._context.Pipe()
        # A forked worker inherits every descriptor: it closes the parent's pipe ends.
        forked = self._context.get_start_method() == "fork"
        inherited = [*self._open, mine] if forked else []
        process = self._context.Process(
            target=_serve,
            args=(theirs, self._letterhead, os.getpid(), inherited),
            daemon=True,
        )
        # Objects alive now are the worker's for good (imports, the warm state): frozen, its
        # collector never scans them (nor copies their pages, writing their headers). Not
        # in a program that froze objects of its own: unfreezing would release those too.
        freeze = gc.get_freeze_count() == 0
        if freeze:
            gc.freeze()
        try:
            process.start()
        finally:
            if freeze:
                gc.unfreeze()  # the parent's own collector sees them as before
        theirs.close()
        self._open.append(mine)
        return _Worker(process, mine)

    def _close(self, worker: _Worker) -> None:
        if worker.connection in self._open:
            self._open.remove(worker.connection)
        worker.connection.close()

    def run(
        self, tasks: Sequence[Task], report: OnOutcome, on_tick: Callable[[], None] | None
    ) -> None:
        from multiprocessing.connection import wait

        pending = list(reversed(tasks))
        workers = [self._start() for _ in range(self._size)]
        writer: _Writer | None = None
        finished = False
        try:
            # After the forks: no worker starts as a copy of a process with a second thread
            # (only one that replaces a killed worker does; the thread holds no lock it needs).
            writer = _Writer(self._context)
            while True:
                for worker in workers:
                    # Rendered outputs wait in memory for the writer: a few per worker at most.
                    while (
                        pending
                        and writer.backlog < 2 * self._size
                        and self._wants(worker, left=len(pending))
                    ):
                        self._assign(worker, pending.pop())
                busy = [worker for worker in workers if worker.task is not None]
                if not busy and not writer.backlog:
                    finished = True
                    return
                deadline = min((worker.deadline for worker in busy), default=float("inf"))
                wait_for = max(0.0, min(0.1, deadline - time.monotonic()))
                ready = wait([*(w.connection for w in busy), writer.wakeup], timeout=wait_for)
                for index, worker in enumerate(workers):
                    if worker.task is None:
                        continue
                    collected = self._collect(worker, ready)
                    if collected is not None:
                        # A killed worker's next task was never begun: it goes to another.
                        pending.extend(reversed(self._unbegun))
                        self._unbegun.clear()
                        if worker.process is None:  # killed or died: start another
                            workers[index] = self._start()
                        outcome, unwritten = collected
                        if unwritten is None:
                            report(outcome)
                        else:
                            writer.submit(outcome, unwritten)
                for outcome in writer.written():
                    report(outcome)
                if on_tick is not None:
                    on_tick()
        finally:
            self._stop(workers)
            if writer is not None:
                writer.close(wait=finished)

    def _wants(self, worker: _Worker, *, left: int) -> bool:
        """Whether ``worker`` takes another task of the ``left`` not yet handed out: one
        when it has none; a next one while it renders only if every worker can still get
        one too, so that at the end no worker idles while another holds two."""
        if not worker.queued:
            return True
        return len(worker.queued) < _AHEAD and left >= self._size

    def _assign(self, worker: _Worker, task: Task) -> None:
        worker.connection.send(task)
        worker.queued.append(task)
        if len(worker.queued) == 1:
            self._begun(worker)

    def _begun(self, worker: _Worker) -> None:
        """The worker's first task starts its time limit now: sent to an idle worker, or
        next in its pipe when the one before came back."""
        worker.deadline = time.monotonic() + self._timeout if self._timeout else float("inf")

    def _collect(
        self, worker: _Worker, ready: list[Any]
    ) -> tuple[Outcome, PendingWrite | None] | None:
        """The worker's finished task (its outcome, and its outputs for the writer), a
        failure if it died or ran over time, or None while it is still at work."""
        task = worker.task
        assert task is not None
        if worker.connection in ready:
            try:
                collected: tuple[Outcome, PendingWrite | None] = worker.connection.recv()
            except (EOFError, OSError):
                worker.process.join(1)
                code = worker.process.exitcode
                self._kill(worker)
                message = f"{task.source}: internal error: the renderer died (exit code {code})"
                return Outcome(task.source, task.target, "failed", messages=(message,)), None
            worker.queued.pop(0)
            if worker.queued:
                self._begun(worker)
            return collected
        if time.monotonic() >= worker.deadline:
            self._kill(worker)
            message = timeout_message(task.source, self._timeout)
            return Outcome(task.source, task.target, "failed", messages=(message,)), None
        return None

    def _kill(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join()
        self._close(worker)
        # No process marks the worker as dead: run() replaces it, and hands the tasks queued
        # behind the one it was rendering to the others.
        self._unbegun.extend(worker.queued[1:])
        worker.queued.clear()
        worker.process = None

    def _stop(self, workers: list[_Worker]) -> None:
        """End every worker: all are told at once, then each is waited for (a second at
        most, then killed), so that they end side by side."""
        live = [worker for worker in workers if worker.process is not None]
        for worker in live:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
        until = time.monotonic() + 1
        for worker in live:
            worker.process.join(max(0.0, until - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            self._close(worker)


class _Writer:
    """Writes what the workers rendered, in a thread of the parent, while they render on.

    Each file is written as a single render writes it (:func:`write_outcome`: atomically,
    flushed and synced to disk, renamed, its folder synced, then its record), and its outcome
    is reported only after that; but a worker no longer waits for the disk between two
    releases (an fsync costs a few milliseconds on a busy disk, a render twenty or so). The
    thread waits on the disk with the GIL released; ``wakeup`` becomes readable when it
    has finished a file, for the pool's ``wait``.
    """

    def __init__(self, context: Any):
        import queue
        import threading

        self._jobs: queue.SimpleQueue[tuple[Outcome, PendingWrite] | None] = queue.SimpleQueue()
        self._done: queue.SimpleQueue[Outcome] = queue.SimpleQueue()
        self.wakeup, self._wake = context.Pipe(duplex=False)
        #: Outputs handed over and not yet reported as written (the pool's thread only).
        self.backlog = 0
        #: Folders cleaned of stale temporary files in this batch (the writer thread only).
        self._cleaned: set[Path] = set()
        # Under `ulimit -f` the kernel kills a process that writes past the limit with
        # SIGXFSZ; ignored (for the whole process, which only the main thread can ask for),
        # the write fails with EFBIG instead and becomes that file's failure.
        self._xfsz = _ignore_signal("SIGXFSZ")
        self._thread = threading.Thread(target=self._serve, name="medieninfo-writer", daemon=True)
        self._thread.start()

    def submit(self, outcome: Outcome, pending: PendingWrite) -> None:
        self.backlog += 1
        self._jobs.put((outcome, pending))

    def written(self) -> list[Outcome]:
        """The outcomes of the files written since the last call, in the order handed over."""
        import queue

        while self.wakeup.poll():
            self.wakeup.recv_bytes()
        done: list[Outcome] = []
        with contextlib.suppress(queue.Empty):
            while True:
                done.append(self._done.get_nowait())
        self.backlog -= len(done)
        return done

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            self._done.put(write_outcome(*job, cleaned=self._cleaned))
            with contextlib.suppress(OSError):
                self._wake.send_bytes(b"")

    def close(self, *, wait: bool) -> None:
        """End the thread, after the files handed over are written if ``wait`` (otherwise,
        after an interruption, an unfinished write leaves only a temporary file)."""
        self._jobs.put(None)
        if wait:
            self._thread.join()
        if self._xfsz is not None:
            signal.signal(signal.SIGXFSZ, self._xfsz)
        self.wakeup.close()
        if wait:
            self._wake.close()


def _ignore_signal(name: str) -> Any:
    """Ignore the signal ``name`` if this platform has it and this is the main thread; the
    previous handler, or None."""
    number = getattr(signal, name, None)
    if number is None or not in_main_thread():
        return None
    return signal.signal(number, signal.SIG_IGN)
