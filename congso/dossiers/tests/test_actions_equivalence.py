"""The dossier page and the API do the same thing for every action (congso/dossiers/actions.py).

For each transition of the workflow (and ``assign``), two identical dossiers are put in a state where
it is allowed; the same official takes it once through the page (a form POST) and once through the
API, with the same parameters. Both must end in the same status, step, agency and assignee, bump the
version once, write the same timeline entry and audit action — and refuse a bad parameter with the
same message, changing nothing. A transition added to the workflow without a case here fails."""

import io

import pytest
from django.contrib.messages import constants as message_levels

from congso.core.models import AuditEntry
from congso.directory.testing import login_verified
from congso.dossiers import actions, services
from congso.dossiers.models import Channel, Dossier, Result
from congso.dossiers.processes import template_for
from congso.dossiers.testing import advance
from congso.dossiers.workflow import TRANSITIONS

from .conftest import pdf

pytestmark = pytest.mark.django_db

REASON = "Hồ sơ cần làm rõ nội dung tờ khai"


# name: (start state, actor, page params, API params, bad page params, bad API params)
# A parameter given as ("user", key) is an official: the page sends their id, the API their username.
# "file" marks an uploaded PDF. "stale" as a bad case sends an outdated expected_version instead.
CASES = {
    "accept": ("new", "clerk", {"note": "Đủ thành phần"}, None, "stale", None),
    "refuse": ("new", "clerk", {"reason": REASON}, None, {"reason": ""}, None),
    "request_supplement": (
        "accepted",
        "officer",
        {"missing": ["Giấy chứng sinh"], "reason": ""},
        None,
        {"missing": [], "reason": ""},
        None,
    ),
    "submit_supplement": (
        "supplement",
        "clerk",
        {"supplement_file_1": "file", "note": "Nộp tại quầy"},
        {"components": ["Giấy chứng sinh"], "files": "file", "note": "Nộp tại quầy"},
        "stale",
        None,
    ),
    "forward": (
        "accepted",
        "officer",
        {"note": "Đã thẩm định", "assignee": ("user", "leader")},
        None,
        {"assignee": ("user", "clerical")},
        None,
    ),
    "approve": (
        "review",
        "leader",
        {"note": "Đồng ý, trình ký", "assignee": ("user", "leader")},
        None,
        {"assignee": ("user", "clerical")},
        None,
    ),
    "return_for_revision": ("review", "leader", {"reason": REASON}, None, {"reason": ""}, None),
    "transfer": (
        "accepted",
        "leader",
        {"agency_code": "000.00.12.H21", "transfer_role": "officer", "reason": REASON},
        {"agency": "000.00.12.H21", "role": "officer", "reason": REASON},
        {"agency_code": "KHONG.CO", "reason": REASON},
        {"agency": "KHONG.CO", "reason": REASON},
    ),
    "request_payment": (
        "accepted",
        "clerk",
        {"amount": "50000", "note": "Lệ phí đăng ký khai sinh"},
        {"amount": 50000, "note": "Lệ phí đăng ký khai sinh"},
        {"amount": "0", "note": "Lệ phí đăng ký khai sinh"},
        {"amount": 0, "note": "Lệ phí đăng ký khai sinh"},
    ),
    "record_payment": (
        "financial",
        "clerk",
        {"channel": "bank_transfer", "reference": "UNC-2027-0001"},
        None,
        {"channel": "tien-ao"},
        None,
    ),
    "extend": (
        "accepted",
        "officer",
        {"new_due_at": "2099-01-05T17:00", "reason": REASON},
        {"new_due_at": "2099-01-05T17:00:00", "reason": REASON},
        {"new_due_at": "2099-01-05T17:00", "reason": ""},
        {"new_due_at": "2099-01-05T17:00:00", "reason": ""},
    ),
    "stop": ("accepted", "leader", {"reason": REASON}, None, {"reason": ""}, None),
    "withdraw": ("accepted", "clerk", {"reason": REASON}, None, {"reason": "  "}, None),
    "issue_result": (
        "issue",
        "clerical",
        {"number": "12/GKS", "title": "Giấy khai sinh", "file": "file"},
        None,
        "stale",
        None,
    ),
    "return_result": ("processed", "clerk", {"delivery": "post"}, None, {"delivery": "drone"}, None),
    "attach": (
        "accepted",
        "officer",
        {"file": "file", "note": "Biên bản xác minh"},
        {"components": ["Văn bản xử lý"], "files": "file", "note": "Biên bản xác minh"},
        "stale",
        None,
    ),
    "assign": (
        "accepted",
        "leader",
        {"assignee": ("user", "officer")},
        None,
        {"assignee": ("user", "clerical")},
        None,
    ),
}


def test_the_table_covers_the_workflow():
    """One declaration per transition, and only ``assign`` besides."""
    assert set(actions.ACTIONS) == {t.name for t in TRANSITIONS} | {"assign"}
    assert set(CASES) == set(actions.ACTIONS)


@pytest.fixture
def make_dossier(staff, agencies, procedure_version, applicant):
    template_for(agencies["ward"], procedure_version.procedure)

    def make(state):
        d = services.receive(
            actor=staff["clerk"],
            agency=agencies["ward"],
            procedure_version=procedure_version,
            channel=Channel.IN_PERSON,
            applicant=applicant,
            accept_now=state != "new",
        )
        if state == "supplement":
            services.request_supplement(
                d.pk, actor=staff["officer"], reason="Thiếu giấy chứng sinh", missing=["Giấy chứng sinh"]
            )
        elif state == "financial":
            services.request_payment(d.pk, actor=staff["clerk"], amount=50000, description="Lệ phí")
        elif state == "review":
            advance(d.pk, actor=staff["officer"])  # → the division head's review (a leader's step)
        elif state in ("issue", "processed"):
            for who in ("officer", "leader", "leader"):
                advance(d.pk, actor=staff[who])
            if state == "processed":
                services.issue_result(
                    d.pk,
                    actor=staff["clerical"],
                    number="01/GKS",
                    title="Giấy khai sinh",
                    upload=services.Upload("Kết quả giải quyết", pdf(), "kq.pdf"),
                )
        return Dossier.objects.get(pk=d.pk)

    return make


def _page_body(params, staff, version):
    body = {"expected_version": version}
    for key, value in params.items():
        if isinstance(value, tuple):
            value = staff[value[1]].pk
        elif value == "file":
            value = io.BytesIO(pdf())
            value.name = "van-ban.pdf"
        body[key] = value
    return body


def _api_call(client, d, name, params, staff, version):
    """POST the action to its API endpoint (JSON, or multipart for the file endpoints)."""
    endpoint = actions.ACTIONS[name].api
    body = {"expected_version": version}
    for key, value in params.items():
        if isinstance(value, tuple):
            value = staff[value[1]].username
        elif value == "file":
            value = io.BytesIO(pdf())
            value.name = "van-ban.pdf"
        body[key] = value
    if endpoint == "actions":
        return client.post(f"/api/v1/dossiers/{d.code}/actions/{name}", body, content_type="application/json")
    if name == "issue_result":
        return client.post(f"/api/v1/dossiers/{d.code}/result", body)
    return client.post(f"/api/v1/dossiers/{d.code}/{endpoint}", body)


def _page_call(client, d, name, params, staff, version):
    response = client.post(f"/mot-cua/ho-so/{d.code}/thao-tac/{name}/", _page_body(params, staff, version))
    assert response.status_code == 302, response.content[:300]
    return list(response.wsgi_request._messages._queued_messages)  # this request's messages only


def outcome(d, version_before):
    d = Dossier.objects.select_related("current_step").get(pk=d.pk)
    entry = d.timeline.order_by("-at", "-id").first()
    data = {k: v for k, v in entry.data.items() if k != "issued_document"}  # a fresh id each time
    audit = (
        AuditEntry.objects.filter(object_type="dossiers.dossier", object_id=str(d.pk))
        .exclude(action__in=("dossier.read", "dossier.attachment.read"))
        .order_by("-id")
        .values_list("action", flat=True)
        .first()
    )
    return {
        "status": d.status,
        "step": d.current_step.name if d.current_step_id else None,
        "agency": d.current_agency_id,
        "assignee": d.assignee_id,
        "holder_role": d.holder_role,
        "version_bump": d.version - version_before,
        "timeline": (entry.action, entry.note, data),
        "audit": audit,
        "attachments": sorted(d.attachments.values_list("component", "purpose")),
        "obligations": list(d.obligations.values_list("amount", "payment_channel", "payment_reference")),
        "result": Result.objects.filter(dossier=d).values_list("number", "title", "delivery").first(),
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_page_and_api_do_the_same(client, staff, make_dossier, name):
    state, who, page_params, api_params, bad_page, bad_api = CASES[name]
    api_params = page_params if api_params is None else api_params
    bad_api = bad_page if bad_api is None else bad_api
    actor = staff[who]
    on_page, on_api = make_dossier(state), make_dossier(state)
    login_verified(client, actor)

    # A bad parameter: the same refusal, nothing changed.
    before_page, before_api = outcome(on_page, on_page.version), outcome(on_api, on_api.version)
    if bad_page == "stale":
        page_msgs = _page_call(client, on_page, name, page_params, staff, on_page.version - 1)
        refused = _api_call(client, on_api, name, api_params, staff, on_api.version - 1)
    else:
        page_msgs = _page_call(client, on_page, name, bad_page, staff, on_page.version)
        refused = _api_call(client, on_api, name, bad_api, staff, on_api.version)
    assert 400 <= refused.status_code < 500, refused.content
    errors = [str(m).replace(on_page.code, "{code}") for m in page_msgs if m.level == message_levels.ERROR]
    assert errors == [refused.json()["detail"].replace(on_api.code, "{code}")], (errors, refused.json())
    assert outcome(on_page, on_page.version) == before_page
    assert outcome(on_api, on_api.version) == before_api

    # The action itself.
    page_msgs = _page_call(client, on_page, name, page_params, staff, on_page.version)
    assert [m.level for m in page_msgs] == [message_levels.SUCCESS], [str(m) for m in page_msgs]
    done = _api_call(client, on_api, name, api_params, staff, on_api.version)
    assert done.status_code == 200, done.content
    page_result, api_result = outcome(on_page, on_page.version), outcome(on_api, on_api.version)
    page_result["version_bump"] = Dossier.objects.get(pk=on_page.pk).version - on_page.version
    api_result["version_bump"] = Dossier.objects.get(pk=on_api.pk).version - on_api.version
    assert page_result == api_result
    assert page_result["timeline"][0] == name
    assert page_result["version_bump"] >= 1
