"""`congso storage sweep` removes stored files no row names, after a grace period (issue 15, ADR 0141)."""

import datetime
import io

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from moto import mock_aws

from congso.accounts.models import User
from congso.core import sweep
from congso.core.audit import AuditEntry
from congso.core.management.commands.storage import parse_grace
from congso.datastore.models import PersonalDocument

LATER = datetime.timedelta(days=2)
PDF = b"%PDF-1.7 giay khai sinh ban sao"


@pytest.fixture
def owner(db):
    return User.objects.create_user(
        "cd.binh", password="Mat-khau-dai-2026!", full_name="Lê Văn Bình", kind="citizen"
    )


def _document(owner, title="Giấy khai sinh"):
    document = PersonalDocument(
        owner=owner, title=title, kind="pdf", extension=".pdf", size=len(PDF), sha256="0" * 64
    )
    document.file.save("f", ContentFile(PDF), save=False)
    document.save()
    return document


def _orphan(name="dossiers/2026/12/mat-dien.pdf"):
    return default_storage.save(name, ContentFile(PDF))


def test_every_file_field_is_read():
    fields = {(m._meta.label, f.name) for m, f in sweep.file_fields()}
    assert {
        ("datastore.PersonalDocument", "file"),
        ("dossiers.Attachment", "file"),
        ("portal.DraftUpload", "file"),
        ("signing.IssuedDocument", "file"),
    } <= fields


def test_sweep_removes_old_orphans_only(owner):
    kept = _document(owner)
    orphan = _orphan()
    second = _orphan("portal/drafts/moi-ghi.pdf")
    result = sweep.sweep(now=timezone.now() + LATER)  # two days later, 24 h grace
    assert result.removed == sorted([orphan, second])  # both older than the grace by then
    assert default_storage.exists(kept.file.name)
    assert not default_storage.exists(orphan)


def test_grace_period_protects_young_files(owner):
    _document(owner)
    orphan = _orphan()
    result = sweep.sweep()  # now: the orphan is seconds old
    assert result.orphans == [] and result.young == 1 and result.referenced == 1
    assert default_storage.exists(orphan)
    assert sweep.sweep(grace=datetime.timedelta(0)).removed == [orphan]


def test_dry_run_lists_and_removes_nothing(owner):
    orphan = _orphan()
    out = io.StringIO()
    call_command("storage", "sweep", "--dry-run", "--grace", "0", stdout=out)
    assert f"sẽ xoá: {orphan}" in out.getvalue()
    assert "orphans=1 removed=0" in out.getvalue()
    assert default_storage.exists(orphan)
    entry = AuditEntry.objects.get(action="storage.sweep")
    assert entry.data["dry_run"] is True and entry.data["names"] == [orphan]


def test_one_audit_entry_per_run_with_counts_and_names(owner, settings):
    kept = _document(owner)
    orphans = sorted([_orphan(), _orphan("portal/drafts/x/bo-do.pdf")])
    out = io.StringIO()
    call_command("storage", "sweep", "--grace", "0", stdout=out)
    assert "scanned=3 referenced=1 young=0 orphans=2 removed=2 failed=0" in out.getvalue()
    (entry,) = AuditEntry.objects.filter(action="storage.sweep")
    assert entry.data["removed"] == 2 and entry.data["names"] == orphans
    assert entry.data["scanned"] == 3 and entry.data["grace_seconds"] == 0
    assert default_storage.exists(kept.file.name)
    # the directory the sweep emptied is gone too; the storage's root and used directories stay
    assert not (settings.MEDIA_ROOT / "portal" / "drafts" / "x").exists()
    assert (settings.MEDIA_ROOT / kept.file.name).exists()


def test_bad_grace_is_refused_and_nothing_removed(owner):
    orphan = _orphan()
    with pytest.raises(CommandError, match="Thời gian chờ không hợp lệ"):
        call_command("storage", "sweep", "--grace", "mot ngay")
    assert default_storage.exists(orphan)
    assert not AuditEntry.objects.filter(action="storage.sweep").exists()


@pytest.mark.parametrize(
    ("text", "seconds"), [("24h", 86400), ("90m", 5400), ("30s", 30), ("2d", 172800), ("0", 0)]
)
def test_grace_forms(text, seconds):
    assert parse_grace(text).total_seconds() == seconds


def test_sweep_on_s3(owner, settings):
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="congso-media")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "congso.core.s3storage.S3Storage",
                "OPTIONS": {
                    "bucket_name": "congso-media",
                    "region_name": "us-east-1",
                    "access_key": "congso",
                    "secret_key": "congso-secret",
                    "default_acl": None,
                    "file_overwrite": False,
                },
            },
        }
        kept = _document(owner)
        orphan = _orphan()
        assert type(sweep._unwrap(default_storage)).__name__ == "S3Storage"
        result = sweep.sweep(now=timezone.now() + LATER)
        assert result.scanned == 2 and result.referenced == 1 and result.removed == [orphan]
        keys = [
            o["Key"]
            for o in boto3.client("s3", region_name="us-east-1").list_objects_v2(Bucket="congso-media")[
                "Contents"
            ]
        ]
        assert keys == [kept.file.name]
