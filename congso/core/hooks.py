"""Explicit extension points between layers (ADR 0090).

Apps form layers (docs/architecture.md): a lower app never imports a higher one. When a lower app must
let higher ones react or contribute, it *publishes* an extension point here, in its own ``hooks.py``,
and the higher apps *subscribe* in their ``AppConfig.ready()``:

    # congso/dossiers/hooks.py (the lower app publishes)
    result_issued = Event("dossiers.result_issued", "A dossier's result was issued: (dossier, result, actor).")

    # congso/datastore/apps.py (a higher app subscribes)
    def ready(self):
        from congso.dossiers.hooks import result_issued
        from . import services
        result_issued.subscribe(services.keep_result)

    # congso/dossiers/services/closing.py (the lower app fires, inside its transaction)
    hooks.result_issued.fire(dossier=dossier, result=result, actor=actor)

Three kinds, each called synchronously in the caller's thread and transaction, so what a subscriber
writes commits or rolls back with the change that fired it, and an exception in a subscriber aborts
the whole use case (nothing is swallowed):

- ``Event``: any number of subscribers, called in subscription order; ``fire()`` returns nothing.
  Example: a result issued, a payment recorded, a dossier event for the notification outbox.
- ``Provider``: exactly one implementation, whose answer the lower app needs (a higher app's URL for a
  dossier, say). Calling it with no provider raises ``HookNotProvided``; a second provider is refused;
  ``congso.E010`` (a system check) fails at start-up when a provider is missing.
- ``Registry``: named contributions collected for a lower app to list (the scorecard's indicators, the
  integration outbox's event types, dashboard tiles, menu links). Keys are unique; ``items()`` keeps
  the order of registration, which follows ``INSTALLED_APPS``.

Django's signals are not used for business logic: they are global, weakly referenced and silent when
nobody listens. A hook is a named object that a reader can grep for, a subscriber is a plain function,
and a missing provider is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Event", "HookNotProvided", "Provider", "Registry", "all_hooks"]

_ALL: dict[str, Event | Provider | Registry] = {}


class HookNotProvided(LookupError):
    """A Provider was called before any app provided it (a wiring error, never a user error)."""


def _declare(hook):
    if hook.name in _ALL:
        raise ValueError(f"extension point {hook.name!r} declared twice")
    _ALL[hook.name] = hook
    return hook


def all_hooks() -> dict[str, Event | Provider | Registry]:
    """Every declared extension point by name (for the system check and the architecture docs)."""
    return dict(_ALL)


def _name(fn: Callable) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


class Event:
    """Something happened in a lower app; every subscriber is called, in order, in the same transaction."""

    def __init__(self, name: str, doc: str):
        self.name = name
        self.doc = doc
        self._subscribers: list[Callable[..., Any]] = []
        _declare(self)

    def subscribe(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Add ``fn`` (idempotent: ``ready()`` may run twice in tests). Usable as a decorator."""
        if not any(_name(s) == _name(fn) for s in self._subscribers):
            self._subscribers.append(fn)
        return fn

    def unsubscribe(self, fn: Callable[..., Any]) -> None:
        self._subscribers = [s for s in self._subscribers if _name(s) != _name(fn)]

    @property
    def subscribers(self) -> list[Callable[..., Any]]:
        return list(self._subscribers)

    def fire(self, **kwargs: Any) -> None:
        for fn in list(self._subscribers):
            fn(**kwargs)

    def __repr__(self) -> str:
        return f"<Event {self.name} ({len(self._subscribers)} subscribers)>"


class Provider:
    """A lower app needs an answer that only a higher app can give; exactly one app provides it."""

    def __init__(self, name: str, doc: str):
        self.name = name
        self.doc = doc
        self._impl: Callable[..., Any] | None = None
        _declare(self)

    def provide(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        if self._impl is not None and _name(self._impl) != _name(fn):
            raise ValueError(f"{self.name} is already provided by {_name(self._impl)}; refused {_name(fn)}")
        self._impl = fn
        return fn

    @property
    def provided(self) -> bool:
        return self._impl is not None

    @property
    def implementation(self) -> Callable[..., Any] | None:
        return self._impl

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._impl is None:
            raise HookNotProvided(f"no installed app provides {self.name!r}: {self.doc}")
        return self._impl(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Provider {self.name} → {_name(self._impl) if self._impl else 'none'}>"


class Registry:
    """Named contributions (indicators, event types, tiles, links) that higher apps add in ``ready()``."""

    def __init__(self, name: str, doc: str):
        self.name = name
        self.doc = doc
        self._items: dict[str, Any] = {}
        _declare(self)

    def register(self, key: str, item: Any) -> Any:
        """Add ``item`` under ``key``; the same item again is a no-op, another item under the key an error."""
        if key in self._items and self._items[key] is not item and self._items[key] != item:
            raise ValueError(f"{self.name}: {key!r} is already registered")
        self._items[key] = item
        return item

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def items(self) -> list[tuple[str, Any]]:
        return list(self._items.items())

    def __repr__(self) -> str:
        return f"<Registry {self.name} ({len(self._items)} items)>"
