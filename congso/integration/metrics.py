"""Prometheus metrics for operators (ADR 0154), with ``prometheus-client``.

- Requests and latencies: counted by ``RequestMetricsMiddleware`` (first in ``MIDDLEWARE``) per method,
  route name (the URL pattern's name: a bounded set) and status class. With several server processes,
  set ``PROMETHEUS_MULTIPROC_DIR`` (the library's multi-process mode) so one scrape sums them.
- Queue depth, outbox lag, dead letters, delivery failures and background job failures: read from the
  database at scrape time by ``OutboxCollector``, so every process reports the same truth.

``/metrics`` answers only with ``Authorization: Bearer <CONGSO_METRICS_TOKEN>`` or to an address in
``CONGSO_METRICS_ALLOWED_NETWORKS``; with neither configured it is 404.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from congso.core.middleware import client_ip
from congso.core.task_backends import queue_in_database

from . import selectors

log = logging.getLogger(__name__)

REQUESTS = Counter("congso_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram(
    "congso_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})


class RequestMetricsMiddleware:
    """Count every request and time it (labels kept bounded: unknown methods and routes are "other")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"
        match = getattr(request, "resolver_match", None)
        route = (match.view_name or "other") if match is not None else "unmatched"
        status = f"{response.status_code // 100}xx"
        REQUESTS.labels(method, route, status).inc()
        LATENCY.labels(method, route).observe(time.perf_counter() - started)
        return response


class OutboxCollector:
    """The outbox's and the job queue's figures, read when Prometheus scrapes."""

    def collect(self):
        h = selectors.health()
        depth = GaugeMetricFamily(
            "congso_outbox_queue_depth", "Deliveries not yet delivered", labels=["state"]
        )
        depth.add_metric(["pending"], h.pending)
        depth.add_metric(["due"], h.due)
        depth.add_metric(["leased"], h.leased)
        yield depth
        yield GaugeMetricFamily(
            "congso_outbox_lag_seconds", "Age of the oldest undelivered pending delivery", value=h.lag_seconds
        )
        yield GaugeMetricFamily(
            "congso_outbox_dead_letters", "Deliveries given up (dead letters)", value=h.dead
        )
        yield GaugeMetricFamily(
            "congso_outbox_failed_attempts_last_hour",
            "Failed delivery attempts in the last hour",
            value=h.failed_attempts_hour,
        )
        per = GaugeMetricFamily(
            "congso_outbox_subscriber_pending", "Pending deliveries per subscriber", labels=["subscriber"]
        )
        dead = GaugeMetricFamily(
            "congso_outbox_subscriber_dead_letters", "Dead letters per subscriber", labels=["subscriber"]
        )
        for s in h.subscribers:
            per.add_metric([str(s.pk)], s.pending)
            dead.add_metric([str(s.pk)], s.dead)
        yield per
        yield dead
        failed = background_job_failures()
        if failed is not None:
            yield GaugeMetricFamily(
                "congso_background_jobs_failed",
                "Background jobs that ended in failure (kept results)",
                value=failed,
            )


def background_job_failures() -> int | None:
    """Failed jobs of the configured queue: rows of the embedded queue, or RQ's failed-job registry."""
    try:
        if queue_in_database():
            from django_tasks_db.models import DBTaskResult  # local import: only with the embedded queue

            return DBTaskResult.objects.filter(status="FAILED").count()
        queues = getattr(settings, "RQ_QUEUES", None)
        if not queues:
            return None  # an in-process queue (tests): failures are raised, not kept
        import django_rq  # local import: only with the Redis queue

        return sum(len(django_rq.get_queue(name).failed_job_registry) for name in queues)
    except Exception:  # noqa: BLE001 — a scrape reports what it can; the rest is logged
        log.warning("background job failures unavailable", exc_info=True)
        return None


def allowed(request) -> bool:
    token = getattr(settings, "CONGSO_METRICS_TOKEN", "")
    if token:
        given = request.headers.get("Authorization", "")
        if given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode()):
            return True
    networks = getattr(settings, "CONGSO_METRICS_ALLOWED_NETWORKS", [])
    ip = client_ip(request)
    if networks and ip:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(n, strict=False) for n in networks)
    return False


@require_GET
def metrics(request):
    if not allowed(request):
        raise Http404
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ProcessMetrics())
    registry.register(OutboxCollector())
    response = HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


class _ProcessMetrics:
    """This process's request metrics (single-process servers)."""

    def collect(self):
        yield from REQUESTS.collect()
        yield from LATENCY.collect()
