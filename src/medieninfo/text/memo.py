"""A memo of bounded size for processes that live long (``watch``, batch workers).

Two generations: new entries go into the young one; when it is full, it becomes the old one
and the previous old one is dropped. A hit in the old generation moves the entry back to the
young one. So what is used keeps being found, and at most twice the limit is ever held:
memory stays flat however many different texts a long ``watch`` sees.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedMemo(Generic[K, V]):
    """``get``/``put`` like a dict, holding at most ``2 * limit`` entries."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._young: dict[K, V] = {}
        self._old: dict[K, V] = {}

    def __len__(self) -> int:
        return len(self._young) + len(self._old)

    def get(self, key: K) -> V | None:
        value = self._young.get(key)
        if value is None:
            value = self._old.pop(key, None)
            if value is not None:
                self.put(key, value)
        return value

    def put(self, key: K, value: V) -> None:
        if len(self._young) >= self.limit:
            self._old = self._young
            self._young = {}
        self._young[key] = value

    def drop(self, matches: Callable[[K], bool]) -> None:
        """Forget every entry whose key ``matches``."""
        for generation in (self._young, self._old):
            for key in [key for key in generation if matches(key)]:
                del generation[key]
