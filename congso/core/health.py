"""Liveness checks used by /healthz and the API: the database and the file storage answer."""

import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

log = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_storage() -> None:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as fh:
            if fh.read() != b"ok":
                raise OSError("storage returned other bytes than written")
    finally:
        default_storage.delete(name)


CHECKS = {"database": check_database, "storage": check_storage}


def run_checks() -> tuple[bool, dict[str, str]]:
    results, ok = {}, True
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception:  # noqa: BLE001 — a health check reports, it never raises
            log.exception("health check %s failed", name)
            results[name] = "error"
            ok = False
    return ok, results
