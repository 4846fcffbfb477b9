"""The data store's use cases: store (checked, de-duplicated, within quota), get_owned (never another
person's), reuse records and removal."""

import pytest
from django.core.files.storage import default_storage

from congso.accounts import services as account_services
from congso.accounts.testing import build_world
from congso.core.errors import NotFound, ServiceError
from congso.core.models import AuditEntry
from congso.core.uploads import UploadRejected
from congso.datastore import services
from congso.datastore.models import DocumentReuse, PersonalDocument
from congso.dossiers import services as dossier_services
from congso.dossiers.models import Channel

from .conftest import jpeg_with_exif, pdf, upload_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(staff, agencies, procedure_version, applicant):
    return dossier_services.receive(
        actor=staff["clerk"],
        agency=agencies["ward"],
        procedure_version=procedure_version,
        channel=Channel.IN_PERSON,
        applicant=applicant,
        accept_now=True,
    )


def test_store_keeps_a_checked_file_and_audits(citizen):
    doc = services.store(
        citizen, upload_file(pdf(), "giay-chung-nhan-ket-hon.pdf"), title="Giấy chứng nhận kết hôn"
    )
    assert doc.owner == citizen and doc.kind == "pdf" and doc.size > 0
    assert doc.original_name == "giay-chung-nhan-ket-hon.pdf"
    assert default_storage.exists(doc.file.name)
    assert AuditEntry.objects.filter(action="datastore.store", object_id=str(doc.pk)).exists()


def test_store_dedupes_the_same_paper_under_the_same_title(citizen):
    content = pdf()
    first = services.store(citizen, content, title="Căn cước công dân (bản chụp)")
    again = services.store(citizen, content, title="  Căn cước công dân (bản chụp) ")
    other_title = services.store(citizen, content, title="Căn cước công dân (mặt sau)")
    assert first.pk == again.pk
    assert other_title.pk != first.pk
    assert services.documents_for(citizen).count() == 2


def test_store_refuses_bad_input_and_writes_nothing(citizen, settings):
    with pytest.raises(UploadRejected, match="không phải là PDF"):
        services.store(citizen, upload_file(b"MZ\x90\x00 not a paper", "giay-to.pdf"), title="Giấy tờ")
    with pytest.raises(ServiceError, match="tên giấy tờ"):
        services.store(citizen, pdf(), title="   ")
    settings.CONGSO_MAX_UPLOAD_BYTES = 100
    with pytest.raises(UploadRejected, match="vượt quá dung lượng"):
        services.store(citizen, upload_file(pdf(), "lon.pdf"), title="Giấy tờ lớn")
    assert not PersonalDocument.objects.exists()
    assert not AuditEntry.objects.filter(action="datastore.store").exists()


def test_store_refuses_beyond_the_quota(citizen, settings):
    content = pdf()
    settings.CONGSO_DATASTORE_QUOTA_BYTES = len(content) + 10
    services.store(citizen, content, title="Giấy thứ nhất")
    with pytest.raises(ServiceError) as exc:
        services.store(citizen, pdf(2), title="Giấy thứ hai")
    assert exc.value.code == "quota_exceeded"
    assert services.documents_for(citizen).count() == 1


def test_store_strips_exif_from_a_jpeg(citizen):
    raw = jpeg_with_exif()
    assert b"Exif" in raw and b"Camera-Cua-An" in raw
    doc = services.store(citizen, upload_file(raw, "anh-cccd.jpg"), title="Căn cước công dân (ảnh chụp)")
    with doc.file.open("rb") as fh:
        stored = fh.read()
    assert doc.kind == "jpeg"
    assert b"Exif" not in stored and b"Camera-Cua-An" not in stored
    assert stored.startswith(b"\xff\xd8")


def test_get_owned_never_returns_another_persons_paper(citizen, other_citizen):
    doc = services.store(citizen, pdf(), title="Giấy chứng nhận kết hôn")
    assert services.get_owned(citizen, doc.pk) == doc
    assert services.get_owned(citizen, str(doc.pk)) == doc
    for who, ident in ((other_citizen, doc.pk), (citizen, "khong-phai-uuid"), (citizen, "1 OR 1=1")):
        with pytest.raises(NotFound):
            services.get_owned(who, ident)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotFound):
        services.get_owned(AnonymousUser(), doc.pk)
    assert list(services.documents_for(other_citizen)) == []


def test_record_reuse_and_history(citizen, dossier, staff):
    doc = services.store(citizen, pdf(), title="Giấy chứng sinh")
    reuse = services.record_reuse(doc, dossier, "Giấy chứng sinh", citizen)
    assert reuse.document == doc and reuse.dossier == dossier and reuse.reused_by == citizen
    document, history = services.reuses_for(citizen, doc.pk)
    assert [r.pk for r in history] == [reuse.pk]
    assert services.documents_with_usage(citizen).get(pk=doc.pk).reuse_count == 1
    assert AuditEntry.objects.filter(action="datastore.reuse", object_id=str(doc.pk)).exists()


def test_as_upload_files_a_stored_paper_again(citizen, dossier, staff):
    doc = services.store(citizen, pdf(2), title="Giấy chứng sinh")
    upload = services.as_upload(doc, "Giấy chứng sinh")
    assert upload.component == "Giấy chứng sinh"
    with doc.file.open("rb") as fh:
        assert upload.file == fh.read()


def test_a_paper_goes_only_into_its_owners_dossier(citizen, other_citizen, dossier):
    doc = services.store(other_citizen, pdf(), title="Giấy chứng sinh")
    with pytest.raises(NotFound):
        services.record_reuse(doc, dossier, "Giấy chứng sinh", other_citizen)
    assert not DocumentReuse.objects.exists()


def test_remove_deletes_a_paper_never_reused(citizen, other_citizen, django_capture_on_commit_callbacks):
    doc = services.store(citizen, pdf(), title="Giấy tờ cũ")
    with pytest.raises(NotFound):
        services.remove(other_citizen, doc.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove(citizen, doc.pk)
    assert not default_storage.exists(doc.file.name)
    assert list(services.documents_for(citizen)) == []
    with pytest.raises(NotFound):
        services.remove(citizen, doc.pk)
    assert AuditEntry.objects.filter(action="datastore.remove", object_id=str(doc.pk)).count() == 1


def test_remove_keeps_a_reused_paper_attached_to_its_dossiers(
    citizen, dossier, django_capture_on_commit_callbacks
):
    doc = services.store(citizen, pdf(), title="Giấy chứng sinh")
    services.record_reuse(doc, dossier, "Giấy chứng sinh", citizen)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove(citizen, doc.pk)
    doc.refresh_from_db()
    assert doc.deleted_at is not None
    assert DocumentReuse.objects.filter(document=doc, dossier=dossier).exists()
    assert default_storage.exists(doc.file.name)
    with pytest.raises(NotFound):  # no longer in the store, so not reusable again
        services.record_reuse(doc, dossier, "Giấy chứng sinh", citizen)


def test_a_helper_picks_a_citizens_papers_only_with_consent():
    from django.core.exceptions import PermissionDenied

    world = build_world()
    elder, helper, citizen = world.users["elder"], world.users["helper"], world.users["citizen"]
    doc = services.store(elder, pdf(), title="Giấy khai sinh của cháu")
    assert list(services.documents_for_filing(elder, elder)) == [doc]
    with pytest.raises(PermissionDenied):
        services.documents_for_filing(helper, elder, "1.001193")
    with pytest.raises(PermissionDenied):
        services.get_for_filing(citizen, elder, doc.pk)
    account_services.grant_consent(
        elder, citizen=elder, helper=helper, purpose="Đăng ký khai sinh", procedure_code="1.001193"
    )
    assert [d.pk for d in services.documents_for_filing(helper, elder, "1.001193")] == [doc.pk]
    assert services.get_for_filing(helper, elder, doc.pk, "1.001193") == doc
    with pytest.raises(PermissionDenied):  # consent is for another procedure
        services.get_for_filing(helper, elder, doc.pk, "1.000894")
    other = services.store(citizen, pdf(2), title="Giấy của người khác")
    with pytest.raises(NotFound):
        services.get_for_filing(helper, elder, other.pk, "1.001193")
    assert AuditEntry.objects.filter(action="datastore.listed_for_filing", actor_id=helper.pk).count() == 1
    # each paper a helper opens under the consent is audited; the owner's own reads are not
    read = AuditEntry.objects.get(action="datastore.read_for_filing", actor_id=helper.pk)
    assert read.object_id == str(doc.pk) and read.data["purpose"] == "1.001193"
    services.get_for_filing(elder, elder, doc.pk)
    assert AuditEntry.objects.filter(action="datastore.read_for_filing").count() == 1


def test_store_refuses_an_over_long_title_or_number(citizen):
    """Issue 15: the paper's name and number were silently cut; now refused, with nothing stored."""
    with pytest.raises(ServiceError, match="quá dài") as err:
        services.store(citizen, pdf(), title="Giấy " * 200_000)
    assert err.value.field == "title"
    with pytest.raises(ServiceError, match="quá dài") as err:
        services.store(citizen, pdf(), title="Giấy khai sinh", issued_number="1" * 101)
    assert err.value.field == "issued_number"
    assert not PersonalDocument.objects.exists()
