"""One render under a time limit, every failure turned into messages.

Its own module so that a single-file render (``medieninfo render release.yaml``) does not
import the batch machinery (:mod:`.batch`) just for this.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, MedieninfoError, internal_error

if TYPE_CHECKING:
    from ..render import Rendered

__all__ = ["guarded", "in_main_thread", "timeout_message"]


class _TimeLimit(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with SIGALRM (main thread, Unix); else no limit."""
    usable = (
        seconds is not None and seconds > 0 and hasattr(signal, "setitimer") and in_main_thread()
    )
    if not usable:
        yield
        return

    def expire(_signum: int, _frame: Any) -> None:
        raise _TimeLimit

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)  # type: ignore[arg-type]
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def timeout_message(source: Path | str, seconds: float | None) -> str:
    return f"{source}: took longer than {seconds:g} s; stopped (raise the limit with --timeout)"


def guarded(
    work: Callable[[], Rendered], *, label: str, timeout: float | None = None
) -> tuple[Rendered | None, tuple[str, ...]]:
    """Run one render and never raise for a problem with it: a bad input, an unwritable
    target, a crash or running over ``timeout`` become messages (``label`` names the input).
    """
    try:
        with _time_limit(timeout):
            return work(), ()
    except _TimeLimit:
        return None, (timeout_message(label, timeout),)
    except InputError as exc:
        return None, tuple(str(problem) for problem in exc.problems)
    except MedieninfoError as exc:
        return None, (str(exc),)
    except Exception as exc:  # a bug must fail its own file, not the batch
        return None, (internal_error(label, exc),)
