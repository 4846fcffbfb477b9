"""Reads remembered for the span of one read-only computation.

Some computations ask the same small question many times: the officials' menu asks each app for its
entries, and every app asks the directory which roles the user holds (ADR 0146). Inside
``with memo.scope():`` a lower app can answer such a question once with ``memo.cached(key, load)``;
outside a scope ``cached`` simply calls ``load``. A scope is meant for reads only: a use case that
changes what it reads must not run inside one, since it would read its own earlier answer.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_current: ContextVar[dict | None] = ContextVar("congso_memo", default=None)


@contextmanager
def scope() -> Iterator[None]:
    """Remember ``cached`` answers until the block ends (nested scopes share the outer one)."""
    if _current.get() is not None:
        yield
        return
    token = _current.set({})
    try:
        yield
    finally:
        _current.reset(token)


def cached(key: Hashable, load: Callable[[], T]) -> T:
    """``load()``, remembered under ``key`` while a scope is open."""
    store: dict[Any, Any] | None = _current.get()
    if store is None:
        return load()
    if key not in store:
        store[key] = load()
    return store[key]


def active() -> bool:
    """Whether a scope is open (a lower app may then answer from what it remembers)."""
    return _current.get() is not None
