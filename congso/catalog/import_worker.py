"""The entry point of one parallel-import worker process (ADR 0076).

Workers are spawned: each is a fresh interpreter, which unpickles its target before anything else runs.
So this module imports nothing of Django's at import time (a model import before ``django.setup()``
fails with AppRegistryNotReady); ``main`` sets Django up, then hands over to ``parallel_import.run_worker``.
"""

import os


def main(pipe, settings_module: str, database: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()
    # local import: models load only after django.setup() in this fresh interpreter
    from congso.catalog.parallel_import import run_worker

    run_worker(pipe, database)
