"""Background jobs of official documents (django-tasks: database worker or RQ)."""

from django_tasks import task

from . import services  # services enqueues these tasks: the module, not its names (a cycle)


@task()
def ocr_document(document_id: int) -> str:
    """Read a scanned incoming document by OCR and keep its text for search (ADR 0169)."""
    doc = services.run_ocr(document_id)
    return doc.ocr_state if doc else "skipped"
