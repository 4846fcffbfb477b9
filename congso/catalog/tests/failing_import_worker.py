"""A parallel-import worker with a bug, not a bad record: it fails on procedure 1.001193.

Workers are fresh interpreters, so a monkeypatch in the test process does not reach them; the test
swaps ``parallel_import.WORKER_ENTRY`` for this entry point instead, which plants the bug in the worker."""

import os


def main(pipe, settings_module: str, database: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()
    # local import: models load only after django.setup() in this fresh interpreter
    from congso.catalog import importer, parallel_import

    original = importer._Importer.import_record

    def crash_on_birth(self, record, source):
        if isinstance(record, dict) and record.get("ma_thu_tuc") == "1.001193":
            raise RuntimeError("lỗi lập trình giả định")
        return original(self, record, source)

    importer._Importer.import_record = crash_on_birth
    parallel_import.run_worker(pipe, database)
