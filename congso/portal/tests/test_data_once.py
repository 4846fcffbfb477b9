"""Data once: papers filed online are kept in the applicant's data store (once per content)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.accounts.models import AssistedAction
from congso.accounts.services import grant_consent
from congso.core.audit import AuditEntry
from congso.datastore import services as datastore
from congso.datastore.models import PersonalDocument
from congso.datastore.registries import Registry
from congso.dossiers.tests.conftest import pdf
from congso.portal import builder, definitions, services
from congso.portal.forms import FieldForm

from .conftest import BIRTH_ANSWERS

CERTIFICATE = "Giấy chứng sinh"


def _file(actor, content, *, citizen_cccd="", reuse=None):
    draft = services.start_draft(
        actor, procedure_code="1.001193", agency_code="H21.23575", citizen_cccd=citizen_cccd
    )
    services.update_draft(draft.pk, actor, fields=dict(BIRTH_ANSWERS))
    if reuse is not None:
        services.reuse_document(draft.pk, actor, component=CERTIFICATE, document_id=reuse.pk)
    else:
        services.stage_upload(
            draft.pk, actor, component=CERTIFICATE, file=SimpleUploadedFile("chung-sinh.pdf", content)
        )
    return services.submit_draft(draft.pk, actor)


def test_filed_papers_are_kept_for_next_time_once(citizen, profile, birth_form, pdf_bytes):
    dossier = _file(citizen, pdf_bytes)
    (kept,) = datastore.documents_for(citizen)
    assert (kept.source, kept.dossier, kept.title) == (PersonalDocument.Source.DOSSIER, dossier, CERTIFICATE)
    attachment = dossier.attachments.get(component=CERTIFICATE)
    assert kept.sha256 == attachment.sha256 and kept.file.read() == attachment.file.read()
    entry = AuditEntry.objects.get(action="datastore.store")
    assert entry.data["dossier"] == dossier.code and entry.actor_id == citizen.pk
    # the same file again, uploaded or reused from the store: not kept twice
    _file(citizen, pdf_bytes)
    _file(citizen, None, reuse=kept)
    assert datastore.documents_for(citizen).count() == 1
    # another file is kept too
    second = _file(citizen, pdf(2))
    assert datastore.documents_for(citizen).filter(dossier=second).count() == 1


def test_a_full_store_never_blocks_filing(citizen, profile, birth_form, pdf_bytes, settings):
    settings.CONGSO_DATASTORE_QUOTA_BYTES = 10
    dossier = _file(citizen, pdf_bytes)
    assert dossier.code and not datastore.documents_for(citizen).exists()
    skipped = AuditEntry.objects.get(action="datastore.store_skipped")
    assert skipped.data == {"reason": "quota", "components": [CERTIFICATE], "owner": citizen.pk}


def test_papers_filed_by_a_helper_go_to_the_citizen(citizen, profile, helper, birth_form, pdf_bytes):
    grant_consent(citizen, citizen=citizen, helper=helper, purpose="Nộp hồ sơ khai sinh", days=30)
    dossier = _file(helper, pdf_bytes, citizen_cccd="052095001234")
    (kept,) = datastore.documents_for(citizen)
    assert kept.dossier == dossier and not datastore.documents_for(helper).exists()
    assert AuditEntry.objects.get(action="datastore.store").actor_id == helper.pk


def test_a_failed_filing_keeps_nothing(citizen, profile, birth_form, pdf_bytes):
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    services.stage_upload(
        draft.pk, citizen, component=CERTIFICATE, file=SimpleUploadedFile("chung-sinh.pdf", pdf_bytes)
    )
    with pytest.raises(services.Incomplete):
        services.submit_draft(draft.pk, citizen)
    assert not PersonalDocument.objects.exists()


# --- prefill only what is stable ------------------------------------------------------------------


def test_details_prefill_only_fields_marked_reusable(citizen_client, citizen, profile, birth_form, pdf_bytes):
    first = _file(citizen, pdf_bytes)
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    assert set(draft.data["fields"]) == {"ho_ten_me", "ho_ten_cha", "quan_he"}
    assert "ho_ten_tre" not in draft.data["fields"] and "ngay_sinh_tre" not in draft.data["fields"]
    label = draft.data["prefill"]["fields"]["ho_ten_me"]["source"]
    assert label.startswith(f"Hồ sơ {first.code} nộp ngày ")
    html = citizen_client.get(f"/dich-vu-cong/ho-so-nhap/{draft.pk}/thong-tin/").content.decode()
    assert f"Điền sẵn theo: {label}" in html
    assert 'aria-describedby="id_f_ho_ten_me-source"' in html


def test_the_default_form_prefills_nothing_from_earlier_dossiers(citizen, profile, online, pdf_bytes):
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    services.update_draft(draft.pk, citizen, fields={"noi_dung": "Đề nghị đăng ký khai sinh cho bé Khang"})
    for name in ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"):
        services.stage_upload(draft.pk, citizen, component=name, file=SimpleUploadedFile("a.pdf", pdf_bytes))
    services.submit_draft(draft.pk, citizen)
    again = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    assert again.data["fields"] == {}


def test_suggested_prefill_for_new_fields(sysadmin, birth_form):
    assert definitions.suggested_prefill("nghe_nghiep", "text")
    assert definitions.suggested_prefill("cccd_me", "cccd")
    assert not definitions.suggested_prefill("dia_chi_noi_sinh", "text")  # where this child was born
    assert not definitions.suggested_prefill("noi_dung", "textarea")
    form = FieldForm({"label": "Nghề nghiệp", "key": "nghe_nghiep", "type": "text", "prefill": "auto"})
    assert form.is_valid() and form.spec().prefill is True
    form = FieldForm({"label": "Nghề nghiệp", "key": "nghe_nghiep", "type": "text", "prefill": "no"})
    assert form.is_valid() and form.spec().prefill is False
    builder.save_field(sysadmin, birth_form.pk, form.spec())
    assert birth_form.fields.get(key="nghe_nghiep").prefill is False


# --- the registry look-up, with its source shown ------------------------------------------------------

PLATFORM = "Dữ liệu của nền tảng congso, không phải CSDL quốc gia về dân cư"


class NationalPopulation:
    """A stand-in for an NDXP connector (authoritative), answering with a different address."""

    registry = "population"
    connected = True
    authoritative = True
    source = "CSDL quốc gia về dân cư (thử nghiệm)"

    def lookup(self, identifier):
        import datetime as dt

        answer = Registry.answer(
            self,
            identifier,
            found=True,
            data={
                "full_name": "Nguyễn Văn An",
                "date_of_birth": dt.date(1995, 4, 10),
                "permanent_address": "Số 25 Hùng Vương, phường Pleiku, tỉnh Gia Lai",
            },
            origin="Thường trú",
        )
        return answer


def test_applicant_prefill_names_the_registry_it_came_from(citizen_client, citizen, profile, birth_form):
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    registry = draft.data["prefill"]["registry"]
    assert registry["asked"] and registry["connected"] and registry["found"] and not registry["authoritative"]
    assert registry["source"] == PLATFORM
    sources = draft.data["prefill"]["applicant"]
    assert sources["address"]["source"].startswith(PLATFORM)
    assert sources["phone"]["source"] == "Tài khoản của bạn trên cổng"
    html = citizen_client.get(f"/dich-vu-cong/ho-so-nhap/{draft.pk}/nguoi-nop/").content.decode()
    assert f"Tra cứu Cơ sở dữ liệu quốc gia về dân cư: {PLATFORM}." in html
    assert f"Điền sẵn theo: {PLATFORM}" in html
    assert "Điền sẵn theo: Tài khoản của bạn trên cổng" in html
    # a value the person changed no longer claims a source
    services.update_draft(
        draft.pk, citizen, applicant={**draft.data["applicant"], "address": "Tổ 5, Ia Kring"}
    )
    html = citizen_client.get(f"/dich-vu-cong/ho-so-nhap/{draft.pk}/nguoi-nop/").content.decode()
    described = dict(re.findall(r'<input id="(id_[a-z_]+)"[^>]*?aria-describedby="([^"]*)"', html))
    assert "source" not in described.get("id_address", "")
    phone_note = next(i for i in described["id_phone"].split() if i.endswith("-source"))
    assert re.search(f'id="{phone_note}">Điền sẵn theo: Tài khoản của bạn trên cổng', html)
    # one's own look-up is no audit event
    assert not AuditEntry.objects.filter(action="datastore.registry_lookup").exists()


def test_not_connected_is_said_honestly(citizen_client, citizen, profile, birth_form, settings):
    settings.CONGSO_REGISTRIES = {"population": "none", "business": "none"}
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    registry = draft.data["prefill"]["registry"]
    assert registry["asked"] and not registry["connected"] and not registry["found"]
    assert draft.data["applicant"]["address"] == "Tổ 3, 25 Hùng Vương, Phường Pleiku"  # the account's
    assert draft.data["prefill"]["applicant"]["address"]["source"] == "Tài khoản của bạn trên cổng"
    html = citizen_client.get(f"/dich-vu-cong/ho-so-nhap/{draft.pk}/nguoi-nop/").content.decode()
    assert "Chưa kết nối" in html and "Nền tảng chưa kết nối với Cơ sở dữ liệu quốc gia về dân cư" in html


def test_an_authoritative_registry_wins_over_the_account(citizen, profile, birth_form, settings):
    settings.CONGSO_REGISTRIES = {
        "population": "congso.portal.tests.test_data_once.NationalPopulation",
        "business": "none",
    }
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    assert draft.data["applicant"]["address"] == "Số 25 Hùng Vương, phường Pleiku, tỉnh Gia Lai"
    source = draft.data["prefill"]["applicant"]["address"]["source"]
    assert source == "CSDL quốc gia về dân cư (thử nghiệm) (Thường trú)"
    assert draft.data["prefill"]["registry"]["authoritative"] is True


def test_a_helper_lookup_is_audited_under_the_consent(citizen, profile, helper, birth_form):
    grant_consent(citizen, citizen=citizen, helper=helper, purpose="Nộp hồ sơ khai sinh", days=30)
    draft = services.start_draft(
        helper, procedure_code="1.001193", agency_code="H21.23575", citizen_cccd="052095001234"
    )
    assert draft.data["prefill"]["applicant"]["phone"]["source"] == "Tài khoản của công dân trên cổng"
    entry = AuditEntry.objects.get(action="datastore.registry_lookup")
    assert entry.actor_id == helper.pk and entry.data["basis"] == "consent"
    assert entry.data["purpose"] == "1.001193"
    assert AssistedAction.objects.filter(action="datastore.registry_lookup").exists()


def test_without_a_cccd_nothing_is_asked(citizen, birth_form):
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    registry = draft.data["prefill"]["registry"]
    assert registry["asked"] is False and "chưa có số CCCD" in registry["message"]


def test_a_kept_paper_shares_the_dossiers_file_and_removing_it_keeps_the_dossiers(
    citizen, profile, birth_form, pdf_bytes, django_capture_on_commit_callbacks
):
    dossier = _file(citizen, pdf_bytes)
    (kept,) = datastore.documents_for(citizen)
    attachment = dossier.attachments.get(component=CERTIFICATE)
    assert kept.file.name == attachment.file.name  # no second copy written on every filing
    with django_capture_on_commit_callbacks(execute=True):
        datastore.remove(citizen, kept.pk)
    assert not datastore.documents_for(citizen).exists()
    assert attachment.file.storage.exists(attachment.file.name)
    assert attachment.file.read() == pdf_bytes


def test_the_prefill_note_is_shown_once_per_source_not_on_every_field(
    citizen_client, citizen, profile, birth_form
):
    """Issue 14: "Điền sẵn theo: …" was repeated under every prefilled field of a step."""
    draft = services.start_draft(citizen, procedure_code="1.001193", agency_code="H21.23575")
    html = citizen_client.get(f"/dich-vu-cong/ho-so-nhap/{draft.pk}/nguoi-nop/").content.decode()
    sources = draft.data["prefill"]["applicant"]
    prefilled = [key for key, value in sources.items() if value.get("source")]
    notes = re.findall(r'<p class="hint portal-source" id="([^"]+)">', html)
    assert 0 < len(notes) < len(prefilled)
    assert len(notes) <= len({value["source"] for value in sources.values() if value.get("source")}) + 1
    # every prefilled field is still described by a note that exists on the page
    for described in re.findall(r'aria-describedby="([^"]*-source[^"]*)"', html):
        assert any(note in described.split() for note in notes)
