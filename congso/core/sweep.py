"""``congso storage sweep``: remove stored files that no row names (ADR 0141).

A file is written before the row that names it commits. A rollback removes it (``core.txfiles``), but
a process killed between the two (kill -9, a power cut, an out-of-memory kill), or a COMMIT whose
answer was lost, leaves a file that nothing names — with personal data in it. The sweep lists the
storage, reads every name held by a ``FileField`` of any installed model, and removes the files that no
row names and that are older than the grace period (default 24 hours: a file younger than that may
belong to a transaction still running, or to a commit about to be seen).

The storage is listed *before* the names are read, so a row committed in between counts as naming its
file. One audit entry per run (``storage.sweep``: counts and the names removed). ``dry_run`` lists the
orphans and removes nothing (its run is audited too, as a run that removed nothing).
Works on local storage (a walk of the directory) and on S3-compatible storage (one listing of the
bucket's keys, with their dates), and on any other storage through ``listdir``.
"""

from __future__ import annotations

import datetime
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone
from django.utils.functional import LazyObject, empty

from . import audit

logger = logging.getLogger(__name__)

DEFAULT_GRACE = datetime.timedelta(hours=24)
AUDITED_NAMES = 1000  # the names listed in the audit entry; the counts are always complete


@dataclass
class SweepResult:
    scanned: int = 0
    referenced: int = 0
    young: int = 0  # unnamed, but within the grace period
    orphans: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    dry_run: bool = False


def _unwrap(storage):
    """The storage behind ``default_storage`` (a lazy object)."""
    if isinstance(storage, LazyObject):
        if storage._wrapped is empty:
            storage._setup()
        return storage._wrapped
    return storage


def file_fields(storage=None) -> list[tuple[type[models.Model], models.FileField]]:
    """Every concrete ``FileField`` (``ImageField`` included) of every installed model kept in ``storage``."""
    target = _unwrap(storage or default_storage)
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField) and _unwrap(f.storage) is target:
                found.append((model, f))
    return found


def referenced_names(storage=None) -> set[str]:
    names: set[str] = set()
    for model, f in file_fields(storage):
        rows = model._base_manager.exclude(**{f.attname: ""}).exclude(**{f"{f.attname}__isnull": True})
        names.update(rows.values_list(f.attname, flat=True).iterator(chunk_size=5000))
    return names


def stored_files(storage=None) -> Iterator[tuple[str, datetime.datetime]]:
    """(name, modified) of every file in ``storage``: names as a ``FileField`` holds them."""
    target = _unwrap(storage or default_storage)
    if hasattr(target, "bucket") and hasattr(target, "location"):  # S3 (django-storages)
        prefix = f"{target.location.strip('/')}/" if target.location.strip("/") else ""
        for obj in target.bucket.objects.filter(Prefix=prefix):
            if obj.key.endswith("/"):
                continue
            yield obj.key[len(prefix) :], obj.last_modified
        return
    try:
        root = target.path("")
    except NotImplementedError:
        yield from _walk_listdir(target, "")
        return
    for directory, _subdirs, files in os.walk(root):
        for filename in files:
            path = os.path.join(directory, filename)
            try:
                mtime = os.stat(path).st_mtime
            except FileNotFoundError:  # removed meanwhile
                continue
            name = os.path.relpath(path, root).replace(os.sep, "/")
            yield name, datetime.datetime.fromtimestamp(mtime, tz=datetime.UTC)


def _walk_listdir(storage, directory: str) -> Iterator[tuple[str, datetime.datetime]]:
    subdirs, files = storage.listdir(directory)
    for filename in files:
        name = f"{directory}/{filename}" if directory else filename
        yield name, storage.get_modified_time(name)
    for sub in subdirs:
        yield from _walk_listdir(storage, f"{directory}/{sub}" if directory else sub)


def sweep(
    *,
    grace: datetime.timedelta = DEFAULT_GRACE,
    dry_run: bool = False,
    storage=None,
    now: datetime.datetime | None = None,
    actor=None,
) -> SweepResult:
    """Find (and unless ``dry_run``, remove) the stored files no row names, older than ``grace``."""
    if grace < datetime.timedelta(0):
        raise ValueError("grace must not be negative")
    storage = storage or default_storage
    now = now or timezone.now()
    cutoff = now - grace
    result = SweepResult(dry_run=dry_run)
    listed = list(stored_files(storage))  # first the files, then the names (see the module's doc)
    result.scanned = len(listed)
    names = referenced_names(storage)
    for name, modified in sorted(listed):
        if name in names:
            result.referenced += 1
        elif modified > cutoff:
            result.young += 1
        else:
            result.orphans.append(name)
    if not dry_run:
        for name in result.orphans:
            try:
                storage.delete(name)
            except Exception:  # noqa: BLE001 - reported, and tried again by the next run
                logger.warning("storage sweep could not remove %s", name, exc_info=True)
                result.failed.append(name)
            else:
                result.removed.append(name)
        _prune_empty_directories(storage, result.removed)
    audit.record(
        "storage.sweep",
        actor=actor,
        object_type="storage",
        object_repr=type(_unwrap(storage)).__name__,
        data={
            "dry_run": dry_run,
            "grace_seconds": int(grace.total_seconds()),
            "scanned": result.scanned,
            "referenced": result.referenced,
            "young": result.young,
            "orphans": len(result.orphans),
            "removed": len(result.removed),
            "failed": len(result.failed),
            "names": (result.orphans if dry_run else result.removed)[:AUDITED_NAMES],
        },
    )
    return result


def _prune_empty_directories(storage, removed: list[str]) -> None:
    """Local storage: remove the directories the sweep emptied (never the storage's root)."""
    target = _unwrap(storage)
    try:
        root = os.path.realpath(target.path(""))
    except NotImplementedError:
        return
    for directory in sorted({os.path.dirname(n) for n in removed if "/" in n}, key=len, reverse=True):
        path = os.path.realpath(target.path(directory))
        while path.startswith(root + os.sep):
            try:
                os.rmdir(path)  # only if empty
            except OSError:
                break
            path = os.path.dirname(path)
