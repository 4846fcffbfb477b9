"""The demo: a past session with its issued conclusion notice and tasks, an upcoming one with papers."""

import io

import pytest
from django.utils import timezone

from congso.accounts import demo as accounts_demo
from congso.directory import demo as directory_demo
from congso.documents import demo as documents_demo
from congso.meetings import demo
from congso.meetings.models import Conclusion, Meeting
from congso.signing import keystore

pytestmark = pytest.mark.django_db


def test_demo_has_a_past_session_with_its_notice_and_an_upcoming_one():
    keystore.forget_cached_signers()
    out = io.StringIO()
    directory_demo.load(out)
    accounts_demo.load(out)
    documents_demo.load(out)
    demo.load(out)
    past, upcoming = Meeting.objects.order_by("start")
    assert past.end < timezone.now() < upcoming.start
    assert past.status == "ended" and past.conclusion_document.status == "issued"
    assert past.conclusion_document.symbol.endswith("/TB-UBND") or "/TB-" in past.conclusion_document.symbol
    assert Conclusion.objects.filter(meeting=past, task__isnull=False).count() == 2
    assert upcoming.papers_published_at and upcoming.items.filter(papers__isnull=False).exists()
    demo.load(out)
    assert Meeting.objects.count() == 2
