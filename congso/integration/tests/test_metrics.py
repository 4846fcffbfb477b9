"""/metrics: refused without the token or an allowed network; with them, the outbox's figures and the
request counters in Prometheus' text format."""

import pytest
from django.test import Client

from congso.integration import outbox

from .helpers import subscriber

pytestmark = pytest.mark.django_db


def test_hidden_without_token(settings):
    settings.CONGSO_METRICS_TOKEN = ""
    settings.CONGSO_METRICS_ALLOWED_NETWORKS = []
    assert Client().get("/metrics").status_code == 404
    settings.CONGSO_METRICS_TOKEN = "token-cho-prometheus-2026"
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer sai-token").status_code == 404


def test_with_token(settings, monkeypatch):
    monkeypatch.setattr("congso.integration.metrics.queue_in_database", lambda: True)
    settings.CONGSO_METRICS_TOKEN = "token-cho-prometheus-2026"
    subscriber("https://lgsp.gialai.gov.vn/hooks")
    outbox.publish("procedure.changed", "procedure", "1.001193", {})
    client = Client()
    client.get("/")  # one counted request
    answer = client.get("/metrics", HTTP_AUTHORIZATION="Bearer token-cho-prometheus-2026")
    assert answer.status_code == 200
    text = answer.content.decode()
    assert 'congso_outbox_queue_depth{state="pending"} 1.0' in text
    assert "congso_outbox_dead_letters 0.0" in text
    assert "congso_outbox_lag_seconds" in text
    assert "congso_http_requests_total{" in text
    assert "congso_http_request_duration_seconds_bucket{" in text
    assert "congso_background_jobs_failed 0.0" in text
    assert answer["Cache-Control"] == "no-store"


def test_from_an_allowed_network(settings):
    settings.CONGSO_METRICS_TOKEN = ""
    settings.CONGSO_METRICS_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert Client(REMOTE_ADDR="10.20.3.4").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.21.3.4").get("/metrics").status_code == 404
