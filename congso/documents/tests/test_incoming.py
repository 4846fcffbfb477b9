"""Incoming documents: registration (paper, scan, exchange seam), routing, assignment, handling, secrecy."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from congso.core.audit import AuditEntry
from congso.core.errors import InvalidFields, ServiceError
from congso.core.permissions import can
from congso.core.statemachine import TransitionError
from congso.documents import selectors, services
from congso.documents.models import Document, Urgency
from congso.documents.testing import pdf_bytes

pytestmark = pytest.mark.django_db

META = {
    "doc_type": "QĐ",
    "symbol": "125/QĐ-UBND",
    "number": "125",
    "issued_on": "02/12/2026",
    "issuing_organ": "Ủy ban nhân dân tỉnh Gia Lai",
    "subject": "Về việc giao chỉ tiêu chuyển đổi số năm 2027",
    "signer_name": "Phạm Anh Tuấn",
    "signer_position": "Chủ tịch",
    "pages": 3,
}


def register(world, **extra):
    return services.register_incoming(
        actor=world.users["clerical"], agency=world.agencies["justice"], metadata={**META, **extra}
    )


def test_paper_document_is_registered_with_arrival_number(world):
    doc = register(world)
    second = register(world, subject="Về việc tổ chức Hội nghị tổng kết")
    assert (doc.arrival_number, second.arrival_number) == (1, 2)
    assert doc.status == Document.Status.REGISTERED and doc.source == Document.Source.PAPER
    assert doc.doc_type.abbreviation == "QĐ" and doc.issued_on == dt.date(2026, 12, 2)
    assert AuditEntry.objects.filter(action="documents.register_incoming").count() == 2


def test_bad_metadata_is_refused_by_field_and_nothing_written(world):
    with pytest.raises(InvalidFields) as exc:
        register(world, subject="", issued_on="31/02/2026", doc_type="XYZ", urgency=9)
    assert {"subject", "issued_on", "doc_type", "urgency"} <= set(exc.value.errors)
    assert not Document.objects.exists()


def test_a_scan_is_checked_by_content(world):
    fake = SimpleUploadedFile("quyet-dinh.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ServiceError) as exc:
        services.register_incoming(
            actor=world.users["clerical"], agency=world.agencies["justice"], metadata=META, upload=fake
        )
    assert "không phải là" in exc.value.message
    good = SimpleUploadedFile("quyet-dinh.pdf", pdf_bytes(2), content_type="application/pdf")
    doc = services.register_incoming(
        actor=world.users["clerical"], agency=world.agencies["justice"], metadata=META, upload=good
    )
    assert doc.source == Document.Source.SCAN and doc.file and doc.file_sha256


def test_exchange_seam_keeps_signature_results(world):
    doc = services.register_incoming(
        actor=None,
        agency=world.agencies["justice"],
        metadata=META,
        source="exchange",
        pdf=pdf_bytes(),
        signatures=[{"signer": "Phạm Anh Tuấn", "valid": True}],
        as_system=True,
    )
    assert doc.source == "exchange" and doc.external_metadata["signatures"][0]["valid"] is True


def test_full_handling_flow(world):
    u = world.users
    doc = register(world, urgency=Urgency.FLASH)
    services.route(doc, actor=u["clerical"])
    with pytest.raises(PermissionDenied):
        services.assign(doc, actor=u["clerical"], lead=u["officer"])
    services.assign(
        doc,
        actor=u["leader"],
        lead=u["officer"],
        co=[u["head_civil"]],
        readers=[u["agency_admin"]],
        working_days=5,
    )
    doc.refresh_from_db()
    assert doc.status == Document.Status.IN_PROGRESS and doc.handling_deadline > timezone.localdate()
    assert can(u["officer"], "documents.view", doc) and can(u["agency_admin"], "documents.view", doc)
    assert not can(u["other_admin"], "documents.view", doc)
    services.add_opinion(doc, actor=u["head_civil"], text="Đề nghị phòng HCTP tham mưu kế hoạch.")
    with pytest.raises(PermissionDenied):
        services.add_opinion(doc, actor=u["agency_admin"], text="Để biết không cho ý kiến")
    services.attach_draft(doc, actor=u["officer"], upload=pdf_bytes(), note="Dự thảo kế hoạch")
    with pytest.raises(PermissionDenied):
        services.finish(doc, actor=u["head_civil"], result="xong")
    with pytest.raises(TransitionError):
        services.finish(doc, actor=u["officer"], result="")
    services.finish(doc, actor=u["officer"], result="Đã ban hành Kế hoạch 15/KH-STP.")
    doc.refresh_from_db()
    assert doc.status == Document.Status.DONE and services.on_time(doc) is True
    kinds = list(doc.notes.values_list("kind", flat=True))
    assert "opinion" in kinds and "result" in kinds


def test_sub_assign_stays_within_the_handlers_deadline(world):
    u = world.users
    doc = register(world)
    services.route(doc, actor=u["clerical"])
    due = timezone.localdate() + dt.timedelta(days=10)
    services.assign(doc, actor=u["leader"], lead=u["officer"], deadline=due)
    with pytest.raises(ServiceError):
        services.sub_assign(
            doc, actor=u["officer"], user=u["head_civil"], deadline=due + dt.timedelta(days=1)
        )
    a = services.sub_assign(doc, actor=u["officer"], user=u["head_civil"])
    assert a.deadline == due and a.parent.user == u["officer"]
    with pytest.raises(ServiceError):
        services.sub_assign(doc, actor=u["officer"], user=u["cx_officer"])  # not staff of the agency


def test_overdue_is_flagged_by_unit_and_person(world):
    u = world.users
    doc = register(world)
    services.route(doc, actor=u["clerical"])
    services.assign(doc, actor=u["leader"], lead=u["officer"], co=[u["head_civil"]], working_days=1)
    Document.objects.filter(pk=doc.pk).update(handling_deadline=timezone.localdate() - dt.timedelta(days=3))
    doc.assignments.update(deadline=timezone.localdate() - dt.timedelta(days=3))
    overdue = selectors.overdue_incoming(u["leader"], world.agencies["justice"])
    assert [d.pk for d in overdue["documents"]] == [doc.pk]
    people = {row["user"].username: row["count"] for row in overdue["by_person"]}
    assert people == {"chuyenvien.tuphap": 1, "truongphong.htp": 1}
    units = {row["unit"]: row["count"] for row in overdue["by_unit"]}
    assert units == {"Phòng Hành chính tư pháp": 2}


def test_flash_documents_come_first_in_the_inbox(world):
    register(world, subject="Văn bản thường")
    register(world, subject="Văn bản hỏa tốc", urgency=Urgency.FLASH)
    register(world, subject="Văn bản khẩn", urgency=Urgency.URGENT)
    inbox = list(selectors.inbox(world.users["clerical"], direction="in"))
    assert [d.subject for d in inbox] == ["Văn bản hỏa tốc", "Văn bản khẩn", "Văn bản thường"]


def test_secret_documents_keep_metadata_only_and_only_named_people_see_them(world):
    u = world.users
    with pytest.raises(ServiceError) as exc:
        services.register_incoming(
            actor=u["clerical"],
            agency=world.agencies["justice"],
            metadata={**META, "secrecy": "mat"},
            upload=pdf_bytes(),
        )
    assert "mật" in exc.value.message
    doc = register(world, secrecy="mat")
    assert doc.register.secret and not doc.file
    assert can(u["leader"], "documents.view", doc)
    assert not can(u["officer"], "documents.view", doc)
    assert not can(u["ioc_viewer"], "documents.view", doc)
    services.name_secret_readers(doc, actor=u["leader"], users=[u["officer"]])
    assert can(u["officer"], "documents.view", doc)
    assert not can(u["head_civil"], "documents.view", doc)
    assert doc.pk not in [d.pk for d in selectors.inbox(u["head_civil"], direction="in")]
    assert doc.pk in [d.pk for d in selectors.inbox(u["officer"], direction="in")]
