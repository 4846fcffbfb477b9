"""Database engines: Django's PostgreSQL and SQLite backends with ``core.txfiles``'s rollback cleanup.

``settings.DATABASES`` maps ``django.db.backends.postgresql``/``sqlite3`` to these (ADR 0141).
"""
