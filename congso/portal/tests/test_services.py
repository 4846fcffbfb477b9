import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from congso.accounts.models import AssistedAction, Organisation, Representative
from congso.accounts.services import grant_consent, revoke_consent
from congso.catalog.models import OnlineLevel
from congso.core.audit import AuditEntry
from congso.core.errors import NotFound, ServiceError
from congso.core.uploads import UploadRejected
from congso.datastore import services as datastore
from congso.datastore.models import DocumentReuse
from congso.dossiers.models import Attachment, Dossier, Status
from congso.portal import services
from congso.portal.models import Draft, DraftUpload

from .conftest import BIRTH_ANSWERS


def fill(draft, actor, answers=None):
    services.update_draft(draft.pk, actor, fields=answers or dict(BIRTH_ANSWERS))


def ready_draft(citizen, pdf_bytes, **kwargs):
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575", **kwargs)
    fill(draft, citizen)
    services.stage_upload(
        draft.pk, citizen, component="Giấy chứng sinh", file=SimpleUploadedFile("chung-sinh.pdf", pdf_bytes)
    )
    return draft


def test_start_prefills_from_profile(citizen, profile, birth_form):
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    assert draft.data["applicant"] == {
        "name": "Nguyễn Văn An",
        "id_number": "052095001234",
        "date_of_birth": "1995-04-10",
        "phone": "0905123456",
        "email": "an.nguyen@example.vn",
        "address": "Tổ 3, 25 Hùng Vương, Phường Pleiku",
        "on_behalf_of": "",
    }
    assert draft.expires_at > timezone.now() + dt.timedelta(days=29)
    assert AuditEntry.objects.filter(action="portal.draft.create").count() == 1


def test_prefill_from_earlier_dossier(citizen, profile, birth_form, pdf_bytes):
    services.submit_draft(ready_draft(citizen, pdf_bytes).pk, citizen)
    again = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    # the parents and the declarant's relationship again; the first child's own details never
    assert again.data["fields"] == {
        "ho_ten_me": "Trần Thị Mai",
        "ho_ten_cha": "Nguyễn Văn An",
        "quan_he": "cha",
    }


def test_submit_creates_one_online_dossier(citizen, profile, birth_form, pdf_bytes):
    draft = ready_draft(citizen, pdf_bytes)
    dossier = services.submit_draft(draft.pk, citizen, "key-1")
    assert dossier.channel == 2 and dossier.status == Status.NEW  # Channel.ONLINE
    assert dossier.applicant == citizen and dossier.assisted_by is None
    assert dossier.applicant_id_number == "052095001234"
    assert dossier.form_data["fields"]["ho_ten_tre"] == "NGUYỄN MINH KHANG"
    assert "dia_chi_noi_sinh" not in dossier.form_data["fields"]
    assert list(Attachment.objects.filter(dossier=dossier).values_list("component", flat=True)) == [
        "Giấy chứng sinh"
    ]
    draft.refresh_from_db()
    assert draft.dossier == dossier and draft.submitted_at
    assert DraftUpload.objects.filter(draft=draft).count() == 0  # staged files are let go
    # double submit: same draft, same or other key → the same dossier, nothing new
    assert services.submit_draft(draft.pk, citizen, "key-1") == dossier
    assert services.submit_draft(draft.pk, citizen, "") == dossier
    assert Dossier.objects.count() == 1
    (entry,) = AuditEntry.objects.filter(action="dossier.receive")  # one entry: the submission
    assert entry.data["portal_draft"] == str(draft.pk) and entry.data["direct"] is False


def test_idempotency_key_returns_earlier_dossier(citizen, profile, birth_form, pdf_bytes):
    first = services.submit_draft(ready_draft(citizen, pdf_bytes).pk, citizen, "same-key")
    assert services.submit_draft(first.portal_draft.pk, citizen, "same-key") == first
    # the same key for another draft is another request: refused (422), never the first dossier
    second_draft = ready_draft(citizen, pdf_bytes)
    with pytest.raises(services.KeyReused):
        services.submit_draft(second_draft.pk, citizen, "same-key")
    assert Dossier.objects.count() == 1


def test_incomplete_draft_writes_nothing(citizen, profile, birth_form):
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    with pytest.raises(services.Incomplete) as exc:
        services.submit_draft(draft.pk, citizen)
    assert set(exc.value.errors) == {"details", "uploads"}
    assert "Cần tải lên “Giấy chứng sinh”" in exc.value.message
    assert Dossier.objects.count() == 0
    draft.refresh_from_db()
    assert draft.submitted_at is None


def test_declaration_required(citizen, profile, birth_form, pdf_bytes):
    draft = ready_draft(citizen, pdf_bytes)
    with pytest.raises(ServiceError, match="cam đoan"):
        services.submit_draft(draft.pk, citizen, declaration=False)
    assert Dossier.objects.count() == 0


def test_bad_files_are_refused(citizen, profile, birth_form, settings, pdf_bytes):
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    with pytest.raises(UploadRejected, match="không phải là PDF"):
        services.stage_upload(
            draft.pk,
            citizen,
            component="Giấy chứng sinh",
            file=SimpleUploadedFile("a.pdf", b"MZ\x90 not a pdf"),
        )
    with pytest.raises(ServiceError, match="không thuộc thủ tục"):
        services.stage_upload(
            draft.pk, citizen, component="Sổ đỏ", file=SimpleUploadedFile("a.pdf", pdf_bytes)
        )
    settings.CONGSO_MAX_UPLOAD_BYTES = 100
    with pytest.raises(UploadRejected, match="vượt quá dung lượng"):
        services.stage_upload(
            draft.pk,
            citizen,
            component="Giấy chứng sinh",
            file=SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 200),
        )
    assert DraftUpload.objects.count() == 0


def test_expired_draft_cannot_continue_or_submit(citizen, profile, birth_form, pdf_bytes):
    draft = ready_draft(citizen, pdf_bytes)
    Draft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(services.DraftExpired, match="hết hạn"):
        services.submit_draft(draft.pk, citizen)
    with pytest.raises(services.DraftExpired):
        services.update_draft(draft.pk, citizen, fields={})
    assert Dossier.objects.count() == 0
    services.delete_draft(draft.pk, citizen)  # an expired draft can still be deleted
    assert not Draft.objects.filter(pk=draft.pk).exists()


def test_another_citizens_draft_is_not_found(citizen, profile, other_citizen, birth_form, pdf_bytes):
    draft = ready_draft(citizen, pdf_bytes)
    for call in (
        lambda: services.get_draft(other_citizen, draft.pk),
        lambda: services.update_draft(draft.pk, other_citizen, fields={}),
        lambda: services.submit_draft(draft.pk, other_citizen),
        lambda: services.delete_draft(draft.pk, other_citizen),
        lambda: services.get_draft(citizen, "not-a-uuid"),
    ):
        with pytest.raises(NotFound):
            call()
    assert Dossier.objects.count() == 0


def test_online_closed_and_information_only(citizen, profile, online):
    online.online_open = False
    online.save()
    with pytest.raises(ServiceError, match="chưa mở nộp hồ sơ trực tuyến"):
        services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    online.online_open = True
    online.save()
    with pytest.raises(ServiceError, match="chưa mở"):  # not offered online at another commune
        services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23764")
    procedure = online.procedure
    procedure.online_level = OnlineLevel.INFO
    procedure.save()
    with pytest.raises(ServiceError, match="chỉ cung cấp thông tin"):
        services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    assert Draft.objects.count() == 0


def test_closing_online_after_the_draft_refuses_submit(citizen, profile, birth_form, pdf_bytes, online):
    draft = ready_draft(citizen, pdf_bytes)
    online.online_open = False
    online.save()
    with pytest.raises(ServiceError, match="chưa mở"):
        services.submit_draft(draft.pk, citizen)
    assert Dossier.objects.count() == 0


def test_reuse_from_personal_data_store_is_recorded(citizen, profile, other_citizen, birth_form, pdf_bytes):
    mine = datastore.store(
        citizen, SimpleUploadedFile("cs.pdf", pdf_bytes), title="Giấy chứng sinh của bé Khang"
    )
    theirs = datastore.store(
        other_citizen, SimpleUploadedFile("x.pdf", pdf_bytes), title="Giấy của người khác"
    )
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    fill(draft, citizen)
    with pytest.raises(NotFound):
        services.reuse_document(draft.pk, citizen, component="Giấy chứng sinh", document_id=theirs.pk)
    services.reuse_document(draft.pk, citizen, component="Giấy chứng sinh", document_id=mine.pk)
    dossier = services.submit_draft(draft.pk, citizen)
    reuse = DocumentReuse.objects.get()
    assert reuse.document == mine and reuse.dossier == dossier and reuse.reused_by == citizen
    assert Attachment.objects.get(dossier=dossier).sha256 == mine.sha256


def test_organisation_the_citizen_represents(citizen, profile, birth_form, pdf_bytes):
    org = Organisation.objects.create(name="Công ty TNHH Cà phê Pleiku", tax_code="5900189308")
    other = Organisation.objects.create(name="Công ty Khác", tax_code="0100109106")
    Representative.objects.create(organisation=org, user=citizen, kind="legal")
    draft = ready_draft(citizen, pdf_bytes)
    applicant = dict(draft.data["applicant"])
    _d, errors = services.update_draft(
        draft.pk, citizen, applicant={**applicant, "on_behalf_of": str(other.pk)}
    )
    assert "on_behalf_of" in errors
    _d, errors = services.update_draft(
        draft.pk, citizen, applicant={**applicant, "on_behalf_of": str(org.pk)}
    )
    assert errors == {}
    dossier = services.submit_draft(draft.pk, citizen)
    assert dossier.on_behalf_of == "Công ty TNHH Cà phê Pleiku (MST 5900189308)"


def test_assisted_filing_with_consent(citizen, profile, helper, birth_form, pdf_bytes):
    consent = grant_consent(citizen, citizen=citizen, helper=helper, purpose="Nộp hồ sơ khai sinh", days=30)
    draft = ready_draft(helper, pdf_bytes, citizen_cccd="052095001234")
    assert draft.owner == helper and draft.citizen == citizen
    assert draft.data["applicant"]["name"] == "Nguyễn Văn An"  # prefilled from the citizen
    dossier = services.submit_draft(draft.pk, helper)
    assert dossier.applicant == citizen and dossier.assisted_by == helper
    action = AssistedAction.objects.get(action="submit")  # (the other: the prefill's registry look-up)
    assert action.consent == consent and action.action == "submit" and action.object_id == str(dossier.pk)
    # the citizen follows it in their own account, and so does the helper
    assert services.own_dossier(citizen, dossier.code) == dossier
    assert services.own_dossier(helper, dossier.code) == dossier


def test_assisted_filing_without_consent_is_refused(
    citizen, profile, helper, other_citizen, birth_form, pdf_bytes
):
    with pytest.raises(services.ConsentMissing, match="chưa đồng ý"):
        services.start_draft(
            helper, procedure_code="1.001193", agency_code="H21.23575", citizen_cccd="052095001234"
        )
    with pytest.raises(services.ConsentMissing, match="Không tìm thấy công dân"):
        services.start_draft(
            helper, procedure_code="1.001193", agency_code="H21.23575", citizen_cccd="052095009999"
        )
    with pytest.raises(services.ConsentMissing, match="Chỉ thành viên"):
        services.start_draft(
            other_citizen, procedure_code="1.001193", agency_code="H21.23575", citizen_cccd="052095001234"
        )
    # consent revoked between the draft and the submit
    consent = grant_consent(citizen, citizen=citizen, helper=helper, purpose="Nộp hồ sơ khai sinh", days=30)
    draft = ready_draft(helper, pdf_bytes, citizen_cccd="052095001234")
    revoke_consent(citizen, consent)
    with pytest.raises(services.ConsentMissing):
        services.submit_draft(draft.pk, helper)
    assert Dossier.objects.count() == 0 and not AssistedAction.objects.filter(action="submit").exists()


def test_receipt_only_for_own_dossier(citizen, profile, other_citizen, birth_form, pdf_bytes):
    dossier = services.submit_draft(ready_draft(citizen, pdf_bytes).pk, citizen)
    receipt = services.receipt_for(
        citizen, dossier.code
    )  # before the counter's check: the submission receipt
    assert receipt.kind == "submission" and receipt.code == dossier.code
    with pytest.raises(NotFound):
        services.receipt_for(other_citizen, dossier.code)
    assert services.appointment_for(dossier) is not None
