"""The review-chain edit page and API: the agency administrator sets the steps an outgoing draft goes
through; drafts waiting at a step stay there; a step with a draft waiting cannot be removed."""

import pytest
from django.core.exceptions import PermissionDenied

from congso.core.errors import ServiceError
from congso.core.models import AuditEntry
from congso.directory.testing import login_verified
from congso.documents import selectors, services
from congso.documents.models import Document, ReviewStep
from congso.documents.testing import pdf_bytes

pytestmark = pytest.mark.django_db

META = {"doc_type": "QĐ", "subject": "Quyết định về công tác văn thư", "pages": 1}


def chain(agency):
    return [(s.position, s.title, s.role) for s in selectors.review_steps(agency)]


def test_admin_edits_the_chain_and_drafts_follow_it(world):
    u = world.users
    justice = world.agencies["justice"]
    steps = services.set_review_chain(
        justice,
        actor=u["agency_admin"],
        steps=[
            {"title": "Chuyên viên pháp chế thẩm định", "role": "officer"},
            {"title": "Trưởng phòng duyệt", "role": "leader"},
            {"title": "Giám đốc Sở duyệt", "role": "leader"},
        ],
    )
    assert [s.position for s in steps] == [1, 2, 3]
    assert chain(justice)[0] == (1, "Chuyên viên pháp chế thẩm định", "officer")
    assert AuditEntry.objects.filter(action="documents.set_review_chain").exists()
    doc = services.create_draft(actor=u["officer"], agency=justice, metadata=META, upload=pdf_bytes())
    services.submit(doc, actor=u["officer"])
    doc.refresh_from_db()
    assert doc.review_step.title == "Chuyên viên pháp chế thẩm định"
    # a draft waits at step 1: it may be renamed, not removed
    services.set_review_chain(
        justice, actor=u["agency_admin"], steps=[{"title": "Pháp chế", "role": "officer"}]
    )
    doc.refresh_from_db()
    assert doc.review_step.title == "Pháp chế" and chain(justice) == [(1, "Pháp chế", "officer")]
    with pytest.raises(ServiceError) as exc:
        services.set_review_chain(justice, actor=u["agency_admin"], steps=[])
    assert "đang chờ" in exc.value.message and len(chain(justice)) == 1
    services.approve(doc, actor=u["officer"])
    doc.refresh_from_db()
    assert doc.status == Document.Status.TO_SIGN  # the last step: to the leader's signature
    services.set_review_chain(justice, actor=u["agency_admin"], steps=[])
    assert chain(justice) == []


def test_bad_chains_and_other_people_are_refused(world):
    u = world.users
    justice = world.agencies["justice"]
    before = chain(justice)
    for steps, words in (
        ([{"title": "", "role": "leader"}], "Nhập tên bước 1"),
        ([{"title": "Duyệt", "role": "citizen"}], "Vai trò duyệt"),
        ([{"title": "x" * 151, "role": "leader"}], "150"),
        ([{"title": f"B{i}", "role": "leader"} for i in range(11)], "tối đa 10"),
    ):
        with pytest.raises(ServiceError) as exc:
            services.set_review_chain(justice, actor=u["agency_admin"], steps=steps)
        assert words in exc.value.message
    for who in ("clerical", "leader", "other_admin", "officer"):
        with pytest.raises(PermissionDenied):
            services.set_review_chain(justice, actor=u[who], steps=[{"title": "Duyệt", "role": "leader"}])
    assert chain(justice) == before


def test_page_and_api(world, client):
    u = world.users
    justice = world.agencies["justice"]
    login_verified(client, u["agency_admin"])
    page = client.get(f"/van-ban/quy-trinh-duyet/?agency={justice.code}")
    assert page.status_code == 200 and "Trưởng phòng thẩm định" in page.content.decode()
    answer = client.post(
        "/van-ban/quy-trinh-duyet/",
        {
            "agency": justice.code,
            "title": ["Trưởng phòng thẩm định", "Lãnh đạo Sở duyệt", "Văn thư kiểm tra thể thức"],
            "role": ["leader", "leader", "clerical"],
            "remove-1": "1",
        },
    )
    assert answer.status_code == 302
    assert [t for _, t, _ in chain(justice)] == ["Trưởng phòng thẩm định", "Văn thư kiểm tra thể thức"]
    bad = client.post(
        "/van-ban/quy-trinh-duyet/", {"agency": justice.code, "title": ["A"], "role": ["sysadmin"]}
    )
    assert bad.status_code == 400 and "Vai trò duyệt" in bad.content.decode()
    api = client.put(
        "/api/v1/documents/review-chain",
        {"agency": justice.code, "steps": [{"title": "Lãnh đạo duyệt", "role": "leader"}]},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json() == [
        {"position": 1, "title": "Lãnh đạo duyệt", "role": "leader"}
    ]
    assert (
        client.get(f"/api/v1/documents/review-chain?agency={justice.code}").json()[0]["title"]
        == "Lãnh đạo duyệt"
    )
    login_verified(client, u["clerical"])
    assert client.get(f"/van-ban/quy-trinh-duyet/?agency={justice.code}").status_code == 403
    answer = client.put(
        "/api/v1/documents/review-chain",
        {"agency": justice.code, "steps": []},
        content_type="application/json",
    )
    assert answer.status_code == 403 and ReviewStep.objects.filter(agency=justice).count() == 1
