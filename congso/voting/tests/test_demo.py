"""The demo step, after the directory's and the accounts' steps, runs twice and leaves the ward People's
Committee as a body with a closed poll (signed result) and an open one."""

import io

import pytest

from congso.accounts import demo as accounts_demo
from congso.directory import demo as directory_demo
from congso.voting import demo
from congso.voting.models import Ballot, Body, Poll

pytestmark = pytest.mark.django_db


def test_demo_body_and_polls(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    directory_demo.load(io.StringIO())
    accounts_demo.load(io.StringIO())
    logins = demo.load(io.StringIO())
    assert {u for _label, u, _p in logins} == {"lanhdao.pleiku", "vanphong.pleiku"}
    assert demo.load(io.StringIO()) == [] and Poll.objects.count() == 2
    body = Body.objects.get()
    assert body.members.count() == 5 and body.members.filter(username="lanhdao.pleiku").exists()
    closed = Poll.objects.get(ballot__status=Ballot.Status.CLOSED)
    assert closed.result_document_id and closed.result_document.sha256
    assert closed.ballot.result["non_answers"] == 1
    assert Poll.objects.filter(ballot__status=Ballot.Status.OPEN).exists()
