"""Fixtures of the catalogue tests: real sample records, the demo province's agencies, officials."""

import os
import shutil
from pathlib import Path

import pytest

from congso.catalog.importer import import_paths
from congso.directory.models import AdministrativeUnit, Agency, Membership, Role

SAMPLES = Path(__file__).resolve().parent / "samples"
SAMPLE_COUNT = len(list(SAMPLES.glob("*.json")))  # Justice records plus a few of other ministries
# The full scraped data set lives next to the repository (../shared) on the team's machines; a user's
# clone does not have it, and the tests that need it skip. CONGSO_TTHC_DATA points elsewhere.
REPO = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("CONGSO_TTHC_DATA", REPO.parent / "shared" / "data" / "tthc"))


@pytest.fixture
def samples(tmp_path):
    """A writable copy of the committed sample records (real records of the national portal)."""
    target = tmp_path / "records"
    shutil.copytree(SAMPLES, target)
    return target


@pytest.fixture
def imported(db, samples):
    report = import_paths([samples])
    assert report.failed == 0, report.failures
    return report


@pytest.fixture
def units(db):
    province = AdministrativeUnit.objects.create(
        code="52", name="Tỉnh Gia Lai", kind=AdministrativeUnit.Kind.PROVINCE, level=1
    )
    pleiku = AdministrativeUnit.objects.create(
        code="23575", name="Phường Pleiku", kind=AdministrativeUnit.Kind.WARD, level=3, parent=province
    )
    iagrai = AdministrativeUnit.objects.create(
        code="23764", name="Xã Ia Grai", kind=AdministrativeUnit.Kind.COMMUNE, level=3, parent=province
    )
    return {"province": province, "pleiku": pleiku, "iagrai": iagrai}


@pytest.fixture
def agencies(units):
    province_pc = Agency.objects.create(
        code="000.00.00.H21",
        name="Ủy ban nhân dân tỉnh Gia Lai",
        kind=Agency.Kind.PEOPLES_COMMITTEE,
        unit=units["province"],
    )
    justice = Agency.objects.create(
        code="000.00.12.H21",
        name="Sở Tư pháp tỉnh Gia Lai",
        kind=Agency.Kind.DEPARTMENT,
        unit=units["province"],
        parent=province_pc,
    )
    pleiku = Agency.objects.create(
        code="H21.23575",
        name="Ủy ban nhân dân phường Pleiku",
        kind=Agency.Kind.PEOPLES_COMMITTEE,
        unit=units["pleiku"],
        parent=province_pc,
    )
    iagrai = Agency.objects.create(
        code="H21.23764",
        name="Ủy ban nhân dân xã Ia Grai",
        kind=Agency.Kind.PEOPLES_COMMITTEE,
        unit=units["iagrai"],
        parent=province_pc,
    )
    return {"province_pc": province_pc, "justice": justice, "pleiku": pleiku, "iagrai": iagrai}


@pytest.fixture
def make_official(db, django_user_model):
    def make(username, role=None, agency=None, include_subtree=False, **extra):
        user = django_user_model.objects.create_user(
            username=username,
            password="MatKhau@2026!",
            full_name=extra.pop("full_name", username),
            kind="official",
            **extra,
        )
        if role:
            Membership.objects.create(user=user, agency=agency, role=role, include_subtree=include_subtree)
        return user

    return make


@pytest.fixture
def pleiku_admin(make_official, agencies):
    return make_official("tran.van.minh", Role.AGENCY_ADMIN, agencies["pleiku"], full_name="Trần Văn Minh")


def write_bad_records(folder):
    """Three bad files beside good records: unreadable JSON, a record without a code, and a list with
    one good record (1.000894) and one that is not a record."""
    import json

    (folder / "hong.json").write_text("{ không phải JSON", encoding="utf-8")
    (folder / "thieu-ma.json").write_text(json.dumps({"ten_thu_tuc": "Đăng ký kết hôn"}), encoding="utf-8")
    (folder / "danh-sach.json").write_text(
        json.dumps(
            [{"ma_thu_tuc": "1.000894", "ten_thu_tuc": "Thủ tục đăng ký kết hôn"}, "không phải bản ghi"]
        ),
        encoding="utf-8",
    )
