"""Parallel import (`--jobs N`): same result as a serial run, idempotent, failures reported per record.

Worker processes need committed data and their own connections, hence transactional tests. On SQLite
the import runs serially whatever ``jobs`` says (one writer at a time); the same assertions then check
that fallback. The batched writing of new procedures is exercised by both paths.
"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from congso.catalog import importer, parallel_import
from congso.catalog.importer import iter_files
from congso.catalog.models import Procedure, ProcedureField, ProcedureVersion, SearchDocument, SearchTerm
from congso.catalog.parallel_import import can_run_in_parallel, import_paths
from congso.core.models import AuditEntry

from . import failing_import_worker
from .conftest import SAMPLE_COUNT, write_bad_records
from .test_import import _list_workbook

pytestmark = pytest.mark.django_db(transaction=True)


def _state() -> dict:
    """Everything an import writes, without database ids and times."""
    procedures = {
        p.code: (
            p.name,
            p.field.name if p.field else None,
            p.levels,
            p.subjects_folded,
            p.online_level,
            p.is_active,
            p.name_length,
            p.current_version.number,
            p.current_version.content_hash,
        )
        for p in Procedure.objects.select_related("field", "current_version")
    }
    versions = sorted(
        ProcedureVersion.objects.values_list(
            "procedure__code", "number", "content_hash", "content", "source", "source_record"
        ),
        key=lambda v: (v[0], v[1]),
    )
    documents = sorted(SearchDocument.objects.values_list("procedure__code", "name_folded", "search_text"))
    return {
        "procedures": procedures,
        "versions": [json.dumps(v, sort_keys=True, ensure_ascii=False) for v in versions],
        "documents": documents,
        "fields": sorted(ProcedureField.objects.values_list("name", "name_folded")),
        "vocabulary": sorted(SearchTerm.objects.exclude(term="").values_list("term", "frequency")),
    }


def _wipe_catalogue():
    Procedure.objects.update(current_version=None)
    SearchDocument.objects.all().delete()
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    ProcedureField.objects.all().delete()


def _counts(report):
    return report.created, report.updated, report.unchanged, report.failed


def _changed_birth_record(samples):
    path = samples / "1.001193.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["cach_thuc_thuc_hien"] = record["cach_thuc_thuc_hien"].replace(
        "Trực tiếp1Miễn phí", "Trực tiếp3 Ngày làm việc8,000 VNĐ"
    )
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def test_parallel_import_gives_the_state_of_a_serial_one(samples, tmp_path):
    assert can_run_in_parallel(iter_files([samples])) == (connection.vendor == "postgresql")
    lists = tmp_path / "lists"
    lists.mkdir()
    _list_workbook(
        lists / "danh-sach-tthc-BoTuPhap.xlsx",
        [
            ["1.001193", "Thủ tục đăng ký khai sinh (tên trong danh sách)", "Bộ Tư pháp", "", "Hộ tịch"],
            ["1.000894", "Thủ tục đăng ký kết hôn", "Bộ Tư pháp", "Ủy ban nhân dân cấp xã", "Hộ tịch"],
        ],
    )
    serial = import_paths([samples, lists], jobs=1)
    serial_state = _state()
    _wipe_catalogue()
    parallel = import_paths([samples, lists], jobs=2)

    assert _counts(parallel) == _counts(serial) == (SAMPLE_COUNT + 1, 1, 0, 0)
    assert _state() == serial_state
    birth = Procedure.objects.get(code="1.001193")
    assert birth.content["issuing_agency"] == "Bộ Tư pháp"  # the list, read after the records, filled it
    assert birth.name == "Thủ tục đăng ký khai sinh"
    assert birth.versions.count() == 2

    # A change after a parallel run: a new version, the first one kept, the rest unchanged.
    _changed_birth_record(samples)
    again = import_paths([samples], jobs=2)
    assert _counts(again) == (0, 1, SAMPLE_COUNT - 1, 0)
    birth = Procedure.objects.get(code="1.001193")
    assert [v.number for v in birth.versions.order_by("number")] == [1, 2, 3]
    assert birth.current_version.number == 3


def test_reimport_with_two_jobs_is_idempotent(samples):
    first = import_paths([samples], jobs=2)
    assert _counts(first) == (SAMPLE_COUNT, 0, 0, 0)
    before = _state()
    again = import_paths([samples], jobs=2)
    assert _counts(again) == (0, 0, SAMPLE_COUNT, 0)
    assert _state() == before
    assert ProcedureVersion.objects.count() == SAMPLE_COUNT
    entries = AuditEntry.objects.filter(action="catalog.import").order_by("id")
    assert [e.data["created"] for e in entries] == [SAMPLE_COUNT, 0]  # one entry per run, not per worker
    assert entries.last().data["unchanged"] == SAMPLE_COUNT


def test_bad_records_in_a_worker_share_are_reported_and_the_others_imported(samples):
    write_bad_records(samples)
    # Valid structure, but PostgreSQL refuses a NUL character in JSON: its batch is retried one by one.
    record = json.loads((samples / "1.001193.json").read_text(encoding="utf-8"))
    record["ma_thu_tuc"] = "1.009999"
    record["noi_dung"] = importer.parser.parse_record(record) | {
        "code": "1.009999",
        "field": "Lĩnh vực chỉ bản ghi lỗi có",
        "steps": "bước\x00một",
    }
    (samples / "nul.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failed:  # exit status 1: some records failed
        call_command("catalog", "import", "--jobs", "2", str(samples), stdout=out, stderr=err)
    assert failed.value.returncode == 1

    messages = err.getvalue()
    assert "hong.json: không đọc được JSON" in messages
    assert "thieu-ma.json: thiếu mã thủ tục" in messages
    assert "danh-sach.json#2: bản ghi không phải là một đối tượng JSON" in messages
    good = SAMPLE_COUNT + 1  # the samples and the first record of danh-sach.json
    assert Procedure.objects.filter(code="1.000894").exists()
    if connection.vendor == "postgresql":
        assert "nul.json [1.009999]: cơ sở dữ liệu từ chối bản ghi" in messages
        assert f"Tạo mới: {good}" in out.getvalue() and "Lỗi: 4" in out.getvalue()
        assert not Procedure.objects.filter(code="1.009999").exists()
        # the field only the refused record named was created for the workers, and removed again
        assert not ProcedureField.objects.filter(name="Lĩnh vực chỉ bản ghi lỗi có").exists()
    else:  # SQLite stores the NUL character
        assert f"Tạo mới: {good + 1}" in out.getvalue() and "Lỗi: 3" in out.getvalue()
    assert Procedure.objects.filter(current_version__isnull=False).count() == Procedure.objects.count()
    assert AuditEntry.objects.filter(action="catalog.import").latest("id").data["failed"] in (3, 4)


def test_a_repeated_code_in_one_run_is_written_once(samples):
    """Two files with one code go to one worker, in file order: the second is a new version."""
    record = json.loads((samples / "1.001193.json").read_text(encoding="utf-8"))
    record["ten_thu_tuc"] = "Thủ tục đăng ký khai sinh (bản sửa)"
    (samples / "zz-1.001193-sua.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    report = import_paths([samples], jobs=2)
    assert _counts(report) == (SAMPLE_COUNT, 1, 0, 0)
    birth = Procedure.objects.get(code="1.001193")
    assert birth.name == "Thủ tục đăng ký khai sinh (bản sửa)"
    assert birth.current_version.number == 2


def test_jobs_must_be_positive(samples):
    with pytest.raises(CommandError):
        call_command("catalog", "import", "--jobs", "0", str(samples), stdout=StringIO())


def test_a_crashing_worker_rolls_every_worker_back(samples, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes run on PostgreSQL only")

    monkeypatch.setattr(parallel_import, "WORKER_ENTRY", failing_import_worker.main)
    with pytest.raises(parallel_import.ParallelImportError, match="hoàn tác"):
        import_paths([samples], jobs=2)
    assert not Procedure.objects.exists()
    assert not ProcedureField.objects.exists()
    assert not AuditEntry.objects.filter(action="catalog.import").exists()
