"""Sync with the National Public Service Portal (DVCQG) behind an adapter (ADR 0168): status pushes
through the outbox (``adapter``, ``messages``), dossiers filed there (``inbound``), reconciliation
(``reconcile``) and a local sandbox of the portal with fault injection (``sandbox``)."""
