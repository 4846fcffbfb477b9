"""The citizen's dossier list and page: who may see what, supplements, withdrawal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from congso.accounts.models import AssistedAction
from congso.core.errors import NotFound
from congso.core.permissions import can
from congso.datastore.models import DocumentReuse
from congso.datastore.services import store
from congso.directory.testing import login_verified
from congso.dossiers import services as dossier_services
from congso.dossiers.models import ClockPause, Dossier, Status
from congso.dossiers.testing import advance
from congso.tracking import services

from .conftest import pdf

pytestmark = pytest.mark.django_db


def fresh(d):
    return Dossier.objects.get(pk=d.pk)


# --- list and detail permissions ---------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, received):
    for url in ("/ho-so/", f"/ho-so/{received.code}/", f"/ho-so/{received.code}/ket-qua/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/tai-khoan/" in response["Location"] or "login" in response["Location"]


def test_applicant_sees_list_and_page(client, citizen, received):
    client.force_login(citizen)
    page = client.get("/ho-so/").content.decode()
    assert received.code in page
    assert "Đã tiếp nhận" in page
    detail = client.get(f"/ho-so/{received.code}/").content.decode()
    assert "Đang xử lý tại Ủy ban nhân dân phường Pleiku" in detail
    assert "Tờ khai đăng ký khai sinh" in detail
    assert "Tải giấy biên nhận hồ sơ (PDF)" in detail


def test_list_filters_by_status_and_ignores_nonsense(client, citizen, received):
    client.force_login(citizen)
    assert received.code not in client.get("/ho-so/?trang-thai=5").content.decode()
    assert received.code in client.get("/ho-so/?trang-thai=2").content.decode()
    assert client.get("/ho-so/?trang-thai=abc&trang=-3").status_code == 200


def test_other_citizen_and_officials_of_other_agencies_get_404(client, stranger, staff, received):
    client.force_login(stranger)
    assert client.get(f"/ho-so/{received.code}/").status_code == 404
    assert received.code not in client.get("/ho-so/").content.decode()
    # Not found for a code that does not exist reads exactly the same.
    missing = client.get("/ho-so/H21.23575-990101-9999/")
    assert missing.status_code == 404
    login_verified(client, staff["other_clerk"])
    assert client.get(f"/ho-so/{received.code}/").status_code == 404


def test_internal_notes_and_official_names_are_not_shown(client, citizen, staff, received):
    dossier_services.assign(received.pk, actor=staff["leader"], assignee=staff["officer"])
    advance(received.pk, actor=staff["officer"], note="Ghi chú nội bộ: đã gọi điện xác minh")
    client.force_login(citizen)
    page = client.get(f"/ho-so/{received.code}/").content.decode()
    assert "Ghi chú nội bộ" not in page
    assert "Phạm Văn Nam" not in page  # the officer's name
    assert "Phân công" not in page


def test_helper_follows_with_active_consent_only(client, helper, consent, citizen, assisted):
    client.force_login(helper)
    assert client.get(f"/ho-so/{assisted.code}/").status_code == 200
    assert assisted.code in client.get("/ho-so/").content.decode()
    consent.revoked_at = timezone.now()
    consent.revoked_by = citizen
    consent.save()
    assert client.get(f"/ho-so/{assisted.code}/").status_code == 404
    assert assisted.code not in client.get("/ho-so/").content.decode()
    # …and the back office's rules agree: no applicant role, no view.

    assert not can(helper, "dossiers.view", fresh(assisted))
    assert "applicant" not in dossier_services.roles_for(helper, fresh(assisted))


def test_helper_without_consent_for_this_procedure_gets_404(client, helper, consent, assisted):
    consent.procedure_code = "1.000000"
    consent.save()
    client.force_login(helper)
    assert client.get(f"/ho-so/{assisted.code}/").status_code == 404


def test_citizen_sees_a_dossier_a_helper_filed_for_her(client, citizen, assisted):
    client.force_login(citizen)
    page = client.get(f"/ho-so/{assisted.code}/").content.decode()
    assert "Nộp với sự hỗ trợ của" in page
    assert assisted.code in client.get("/ho-so/").content.decode()


# --- supplements -------------------------------------------------------------------------------


def test_supplement_page_shows_exactly_what_is_missing(client, citizen, in_supplement):
    client.force_login(citizen)
    page = client.get(f"/ho-so/{in_supplement.code}/").content.decode()
    assert "Chờ bạn bổ sung hồ sơ" in page
    assert "Giấy chứng sinh bị mờ, không đọc được số." in page
    assert "Giấy chứng sinh (bản rõ nét)" in page
    assert 'name="file_0"' in page


def test_supplement_resumes_the_clock(client, citizen, in_supplement):
    client.force_login(citizen)
    assert ClockPause.objects.filter(dossier=in_supplement, ended_at__isnull=True).exists()
    response = client.post(
        f"/ho-so/{in_supplement.code}/bo-sung/",
        {
            "expected_version": in_supplement.version,
            "file_0": SimpleUploadedFile("chung-sinh.pdf", pdf(), "application/pdf"),
            "note": "Gửi lại bản rõ nét",
        },
    )
    assert response.status_code == 302
    d = fresh(in_supplement)
    assert d.status == Status.ACCEPTED
    assert not ClockPause.objects.filter(dossier=d, ended_at__isnull=True).exists()
    assert d.due_at is not None
    assert d.attachments.filter(purpose="supplement", component="Giấy chứng sinh (bản rõ nét)").count() == 1
    # A second click with the old version changes nothing and says why.
    again = client.post(
        f"/ho-so/{in_supplement.code}/bo-sung/",
        {
            "expected_version": in_supplement.version,
            "file_0": SimpleUploadedFile("chung-sinh.pdf", pdf(), "application/pdf"),
        },
    )
    assert again.status_code in (302, 400, 404)
    assert fresh(in_supplement).attachments.filter(purpose="supplement").count() == 1


def test_supplement_with_a_bad_file_or_nothing_writes_nothing(client, citizen, in_supplement):
    client.force_login(citizen)
    bad = client.post(
        f"/ho-so/{in_supplement.code}/bo-sung/",
        {
            "expected_version": in_supplement.version,
            "file_0": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00not a pdf", "application/pdf"),
        },
    )
    assert bad.status_code == 400
    assert "error-summary" in bad.content.decode()
    empty = client.post(f"/ho-so/{in_supplement.code}/bo-sung/", {"expected_version": in_supplement.version})
    assert empty.status_code == 400
    d = fresh(in_supplement)
    assert d.status == Status.SUPPLEMENT
    assert d.version == in_supplement.version
    assert not d.attachments.filter(purpose="supplement").exists()


def test_supplement_reuses_a_paper_from_the_personal_data_store(client, citizen, in_supplement):
    document = store(
        citizen, SimpleUploadedFile("gcs.pdf", pdf(), "application/pdf"), title="Giấy chứng sinh của bé Na"
    )
    client.force_login(citizen)
    page = client.get(f"/ho-so/{in_supplement.code}/").content.decode()
    assert "Giấy chứng sinh của bé Na" in page
    response = client.post(
        f"/ho-so/{in_supplement.code}/bo-sung/",
        {"expected_version": in_supplement.version, "reuse_0": str(document.pk)},
    )
    assert response.status_code == 302
    assert fresh(in_supplement).status == Status.ACCEPTED
    reuse = DocumentReuse.objects.get()
    assert reuse.document == document and reuse.component == "Giấy chứng sinh (bản rõ nét)"


def test_someone_elses_store_paper_cannot_be_reused(citizen, stranger, in_supplement):
    theirs = store(stranger, SimpleUploadedFile("x.pdf", pdf(), "application/pdf"), title="Giấy của Bình")
    with pytest.raises(NotFound):
        services.supplement(
            citizen,
            in_supplement.code,
            reuse=[(str(theirs.pk), "Giấy chứng sinh")],
            expected_version=in_supplement.version,
        )
    assert fresh(in_supplement).status == Status.SUPPLEMENT


def test_helper_supplement_is_recorded_as_assisted(helper, consent, staff, assisted):
    asked = dossier_services.request_supplement(
        assisted.pk, actor=staff["clerk"], reason="Thiếu tờ khai", missing=["Tờ khai"]
    )
    services.supplement(
        helper,
        assisted.code,
        uploads=[dossier_services.Upload("Tờ khai", pdf(), "tk.pdf")],
        expected_version=asked.version,
    )
    assert fresh(assisted).status == Status.NEW
    assert AssistedAction.objects.filter(action="dossier.submit_supplement", consent=consent).count() == 1


# --- withdrawal --------------------------------------------------------------------------------


def test_withdraw_needs_confirmation_and_reason(client, citizen, received):
    client.force_login(citizen)
    page = client.get(f"/ho-so/{received.code}/rut-ho-so/")
    assert page.status_code == 200
    assert "Xác nhận rút hồ sơ" in page.content.decode()
    no_confirm = client.post(
        f"/ho-so/{received.code}/rut-ho-so/", {"reason": "Nộp nhầm", "expected_version": received.version}
    )
    assert no_confirm.status_code == 400
    assert fresh(received).status == Status.ACCEPTED
    ok = client.post(
        f"/ho-so/{received.code}/rut-ho-so/",
        {"reason": "Nộp nhầm thủ tục", "expected_version": received.version, "confirm": "on"},
    )
    assert ok.status_code == 302
    d = fresh(received)
    assert d.status == Status.WITHDRAWN
    assert d.timeline.last().note == "Nộp nhầm thủ tục"
    # Double click: a clear message, nothing more written.
    again = client.post(
        f"/ho-so/{received.code}/rut-ho-so/",
        {"reason": "Nộp nhầm thủ tục", "expected_version": received.version, "confirm": "on"},
    )
    assert again.status_code == 400
    assert "không còn đang giải quyết" in again.content.decode()
    assert fresh(received).timeline.filter(action="withdraw").count() == 1


def test_stale_version_is_a_clear_conflict(client, citizen, staff, received):
    dossier_services.assign(received.pk, actor=staff["leader"], assignee=staff["officer"])  # version moves
    client.force_login(citizen)
    response = client.post(
        f"/ho-so/{received.code}/rut-ho-so/",
        {"reason": "Nộp nhầm", "expected_version": received.version, "confirm": "on"},
    )
    assert response.status_code == 400
    assert "vừa được người khác cập nhật" in response.content.decode()
    assert fresh(received).status == Status.ACCEPTED


def test_stranger_cannot_withdraw(client, stranger, received):
    client.force_login(stranger)
    response = client.post(
        f"/ho-so/{received.code}/rut-ho-so/",
        {"reason": "Phá", "expected_version": received.version, "confirm": "on"},
    )
    assert response.status_code == 404
    assert fresh(received).status == Status.ACCEPTED


def test_applicant_downloads_the_receipt_with_the_lookup_link(client, citizen, stranger, received):
    import io

    from pypdf import PdfReader

    client.force_login(citizen)
    response = client.get(f"/ho-so/{received.code}/giay-tiep-nhan/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "/ho-so/tra-cuu/" in text.replace("\n", "")
    client.force_login(stranger)
    assert client.get(f"/ho-so/{received.code}/giay-tiep-nhan/").status_code == 404
