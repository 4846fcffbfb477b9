"""The catalogue's parallel import (ADR 0076): detail records spread over worker processes, each in
its own transaction, all committing or all rolling back together. PostgreSQL only; ``import_paths``
falls back to the single-process import of ``importer.py`` otherwise.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import traceback
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction

from . import import_worker, parser
from .importer import (
    BATCH_SIZE,
    STRUCTURED_KEY,
    ImportReport,
    _finish,
    _import_paths,
    _Importer,
    _run_file,
    iter_files,
)
from .models import ProcedureField

MAX_JOBS = 4
WORKER_ENTRY = import_worker.main  # what each worker process runs (a test swaps it for a failing one)


def import_paths(paths, actor=None, jobs: int = 1) -> ImportReport:
    """Import files and folders, the detail records in ``jobs`` worker processes when that is possible
    (PostgreSQL, outside a transaction, more than one detail file; see ``import_parallel``), else in
    this process, in one transaction (``importer.import_paths``)."""
    files = iter_files(paths)
    if jobs > 1 and can_run_in_parallel(files):
        return import_parallel(paths, files, actor, min(jobs, MAX_JOBS))
    with transaction.atomic():
        return _import_paths(paths, actor)


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_JOBS))


def can_run_in_parallel(files: list[Path]) -> bool:
    """Worker processes need their own connections to one server and a committed starting point.

    SQLite allows one writer at a time (workers would wait on each other or fail with "database is
    locked"), and inside an open transaction the workers could not see, nor wait for, its rows."""
    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and sum(1 for p in files if p.suffix.lower() == ".json") > 1
    )


class ParallelImportError(RuntimeError):
    """A worker process crashed; every worker rolled back (or, if it happened while committing, see
    the message)."""


def _record_key(record) -> str:
    """The procedure code a record will be saved under ("" when it has none: it will fail anyway)."""
    if not isinstance(record, dict):
        return ""
    structured = record.get(STRUCTURED_KEY)
    if structured is not None:
        return str(structured.get("code") or "") if isinstance(structured, dict) else ""
    return parser.clean(record.get("ma_thu_tuc"))


def _record_field(record) -> str:
    """The field (lĩnh vực) name the record will ask for, as ``parse_record`` reads it."""
    if not isinstance(record, dict):
        return ""
    structured = record.get(STRUCTURED_KEY)
    if structured is not None:
        value = structured.get("field") if isinstance(structured, dict) else ""
        return value if isinstance(value, str) else ""
    return parser.clean(record.get("linh_vuc"))


def import_parallel(paths, files: list[Path], actor, jobs: int) -> ImportReport:
    """Detail records in ``jobs`` worker processes, then the rest (list exports) here.

    1. Here: read the JSON files (reading failures are reported here), create the fields (lĩnh vực)
       they name and commit, so no two workers race to insert the same row; give all records of one
       code to the same worker (a code's records stay in file order).
    2. Each worker imports its share in one transaction over its own connection, reports, and waits;
       when every worker has reported, all commit; if any crashed, all roll back.
    3. Here, in one transaction: drop the fields created in step 1 that no procedure uses (a field of
       a record that failed), import the files after the first list export as the serial run would,
       rebuild the search vocabulary once, and write the one audit entry of the run.
    """
    cut = next((i for i, p in enumerate(files) if p.suffix.lower() == ".xlsx"), len(files))
    head, rest = files[:cut], files[cut:]
    failures: list[tuple[tuple, str, str]] = []  # (order, source, reason)
    tasks: list[tuple[tuple, str, object]] = []  # (order, source, record)
    for index, path in enumerate(head):
        if not path.exists():
            failures.append(((index,), str(path), "không tìm thấy tệp"))
        elif path.suffix.lower() != ".json":
            failures.append(((index,), str(path), "chỉ nhận tệp .json hoặc .xlsx"))
        else:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                failures.append(((index,), str(path), f"không đọc được JSON: {exc}"))
                continue
            if isinstance(data, list):
                tasks.extend(((index, n), f"{path}#{n + 1}", record) for n, record in enumerate(data))
            else:
                tasks.append(((index, 0), str(path), data))

    with transaction.atomic():
        known_fields = set(ProcedureField.objects.values_list("name", flat=True))
        names = {name[:255] for name in map(_record_field, (t[2] for t in tasks)) if name}
        added = [ProcedureField.objects.get_or_create(name=name)[0].pk for name in names - known_fields]

    shares: list[list] = [[] for _ in range(jobs)]
    worker_of: dict[str, int] = {}
    for number, task in enumerate(tasks):
        key = _record_key(task[2])
        worker = worker_of.setdefault(key, len(worker_of) % jobs) if key else number % jobs
        shares[worker].append(task)
    shares = [share for share in shares if share]

    try:
        reports = _run_workers(shares) if shares else []
    except ParallelImportError:
        ProcedureField.objects.filter(pk__in=added, procedures__isnull=True).delete()
        raise

    report = ImportReport()
    for worker_report, worker_failures in reports:
        report.created += worker_report.created
        report.updated += worker_report.updated
        report.unchanged += worker_report.unchanged
        failures.extend(worker_failures)
    report.failures = [(source, reason) for _order, source, reason in sorted(failures, key=lambda f: f[0])]

    with transaction.atomic():
        ProcedureField.objects.filter(pk__in=added, procedures__isnull=True).delete()
        importer = _Importer(actor, batch_size=BATCH_SIZE)
        importer.report = report
        for path in rest:
            _run_file(importer, path)
        return _finish(importer, paths, actor)


def _run_workers(shares: list[list]) -> list[tuple[ImportReport, list]]:
    # Fresh interpreters (spawn), never forks: a forked child of a process that runs other threads (a
    # web server, a test runner's browser driver) can inherit a held lock or another thread's
    # connection. Starting one costs about a second. Each worker's share goes over its pipe once the
    # worker runs: a share given as the process's arguments is written into the start-up pipe before
    # the child reads it, and that write blocks for ever if the child dies while starting.
    context = multiprocessing.get_context("spawn")
    database = connection.settings_dict["NAME"]  # the test database under pytest
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "congso.settings")
    connections.close_all()  # the parent's own connection is not needed while the workers run
    workers = []
    for _share in shares:
        ours, theirs = context.Pipe()
        process = context.Process(target=WORKER_ENTRY, args=(theirs, settings_module, database), daemon=True)
        process.start()
        theirs.close()
        workers.append((process, ours))
    results, errors = [], []
    for (_process, pipe), share in zip(workers, shares, strict=True):
        try:
            pipe.send(share)
        except OSError:  # the worker ended before reading its share: receiving below says so
            pass
    for _process, pipe in workers:
        message = _receive(pipe)
        (results if message[0] == "done" else errors).append(message[1])
    decision = "rollback" if errors else "commit"
    for _process, pipe in workers:
        try:
            pipe.send(decision)
        except OSError:
            pass
    for process, pipe in workers:
        message = _receive(pipe)
        if decision == "commit" and message[0] != "committed":
            errors.append(message[1])
        pipe.close()
        process.join()
    if errors:
        raise ParallelImportError(
            (
                "một tiến trình nhập gặp lỗi, mọi tiến trình đã hoàn tác"
                if decision == "rollback"
                else "một tiến trình nhập gặp lỗi khi lưu; hãy chạy lại lệnh nhập"
            )
            + ":\n"
            + "\n".join(errors)
        )
    return results


def _receive(pipe) -> tuple:
    try:
        return pipe.recv()
    except (EOFError, OSError) as exc:
        return ("error", f"worker process ended unexpectedly ({exc.__class__.__name__})")


def run_worker(pipe, database: str) -> None:
    """One worker (in its own process, Django set up by ``import_worker.main``): receive its share,
    import it in one transaction, report, then commit or roll back as the parent decides."""
    settings.DATABASES["default"]["NAME"] = database
    connections["default"].settings_dict["NAME"] = database
    try:
        share = pipe.recv()
        with transaction.atomic():
            codes = {key for key in map(_record_key, (t[2] for t in share)) if key}
            importer = _Importer(batch_size=BATCH_SIZE, codes=codes)
            for _order, source, record in share:
                importer.import_record(record, source)
            importer.flush()
            order_of = {source: order for order, source, _record in share}
            failures = [(_order_of(order_of, s), s, r) for s, r in importer.report.failures]
            pipe.send(("done", (importer.report, failures)))
            if pipe.recv() != "commit":
                raise _RolledBack
        pipe.send(("committed", None))
    except _RolledBack:
        pipe.send(("rolled back", None))
    except BaseException:
        try:
            pipe.send(("error", traceback.format_exc(limit=5)))
        except OSError:
            pass
    finally:
        connections.close_all()
        pipe.close()


class _RolledBack(Exception):
    pass


def _order_of(order_of: dict, label: str) -> tuple:
    """A failure's place in the serial order: its label is the source, perhaps with " [code]" added."""
    if label in order_of:
        return order_of[label]
    return order_of.get(label[: label.rfind(" [")], ())
