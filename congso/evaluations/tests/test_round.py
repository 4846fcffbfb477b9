"""A yearly round through its services: self-assessment with evidence, review, close, results."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.core.audit import AuditEntry
from congso.core.errors import Conflict, InvalidFields, NotFound, ServiceError
from congso.evaluations import selectors, services
from congso.evaluations.models import Entry, Result, Round
from congso.evaluations.testing import build_evaluation_world, leaf, pdf_bytes

pytestmark = pytest.mark.django_db


def evidence(name="bien-ban.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


@pytest.fixture
def ew():
    ew = build_evaluation_world()
    ew.source.values[ew.agencies["justice"].code] = "99.5"
    return ew


@pytest.fixture
def round_(ew):
    return services.open_round(ew.users["evaluator"], ew.framework, year=2025)


def test_framework_bands_and_criteria_are_validated(ew):
    admin = ew.users["province_admin"]
    with pytest.raises(InvalidFields) as exc:
        services.create_framework(
            admin,
            owner=ew.agencies["province_pc"],
            data={
                "name": "",
                "year": "20x",
                "applies_to": [],
                "level_1_min": "10",
                "level_2_min": "20",
                "level_3_min": "abc",
                "level_4_min": "1",
            },
        )
    assert {"name", "year", "applies_to", "level_3_min"} <= set(exc.value.errors)
    with pytest.raises(InvalidFields) as exc:
        services.add_criterion(
            admin,
            ew.framework,
            {
                "kind": "indicator",
                "code": "3",
                "name": "Chỉ số tự động",
                "max_points": "5",
                "source": "metric",
                "metric_key": "khong.co",
            },
        )
    assert "không tồn tại" in exc.value.errors["metric_key"][0]
    with pytest.raises(InvalidFields) as exc:
        services.add_criterion(
            admin,
            ew.framework,
            {"kind": "sub", "code": "1.1", "name": "Trùng", "max_points": "1", "source": "manual"},
        )
    assert "đã có" in exc.value.errors["code"][0] and "parent" in exc.value.errors


def test_only_the_owners_administrators_edit_a_framework(ew):
    for key in ("agency_admin", "leader", "evaluator", "citizen"):
        with pytest.raises(PermissionDenied):
            services.add_criterion(
                ew.users[key], ew.framework, {"kind": "group", "code": "9", "name": "Nhóm"}
            )
    assert services.add_criterion(
        ew.users["sysadmin"], ew.framework, {"kind": "group", "code": "9", "name": "Nhóm"}
    )


def test_a_framework_in_use_is_locked(ew, round_):
    with pytest.raises(Conflict):
        services.add_criterion(
            ew.users["province_admin"], ew.framework, {"kind": "group", "code": "9", "name": "N"}
        )


def test_units_are_departments_and_communes_below_the_owner(ew):
    names = {a.code for a in selectors.units_for(ew.framework)}
    a = ew.agencies
    assert names == {a[k].code for k in ("justice", "construction", "pleiku_pc", "iagrai_pc")}


def test_manual_value_needs_evidence_note_and_range(ew, round_):
    justice, admin = ew.agencies["justice"], ew.users["agency_admin"]
    c11 = leaf(ew.framework, "1.1")
    with pytest.raises(ServiceError) as exc:
        services.submit_value(admin, round_, justice, c11, value="8", note="Đã bồi dưỡng 40 người")
    assert exc.value.field == "evidence" and "minh chứng" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        services.submit_value(admin, round_, justice, c11, value="12", note="x", evidence=evidence())
    assert exc.value.code == "out_of_range" and "từ 0 đến 10" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        services.submit_value(admin, round_, justice, c11, value="8", note="  ", evidence=evidence())
    assert exc.value.field == "note"
    with pytest.raises(ServiceError) as exc:
        bad = SimpleUploadedFile("anh.pdf", b"<html>not a pdf</html>")
        services.submit_value(admin, round_, justice, c11, value="8", note="Có", evidence=bad)
    assert "không phải là" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        services.submit_value(
            admin, round_, justice, leaf(ew.framework, "2.1"), value="99", note="x", evidence=evidence()
        )
    assert exc.value.code == "automatic"
    assert not Entry.objects.exists()
    entry = services.submit_value(
        admin, round_, justice, c11, value="8,5", note="Bồi dưỡng 40 người", evidence=evidence()
    )
    assert entry.value == Decimal("8.5") and entry.evidence and len(entry.evidence_sha256) == 64
    assert AuditEntry.objects.filter(action="evaluations.submit", object_id=str(entry.pk)).exists()


def test_only_the_units_own_leaders_and_administrators_self_assess(ew, round_):
    c11, justice = leaf(ew.framework, "1.1"), ew.agencies["justice"]
    for key in ("other_admin", "officer", "clerk", "evaluator", "province_leader", "citizen", "ioc_viewer"):
        with pytest.raises(PermissionDenied):
            services.submit_value(
                ew.users[key], round_, justice, c11, value="8", note="x", evidence=evidence()
            )
    services.submit_value(ew.users["leader"], round_, justice, c11, value="8", note="x", evidence=evidence())
    admin_of_pc = ew.users["province_admin"]
    with pytest.raises(NotFound):  # the province's own People's Committee is not evaluated
        services.submit_value(admin_of_pc, round_, ew.agencies["province_pc"], c11, value="8", note="x")


def test_an_evaluator_cannot_score_their_own_unit(ew, round_):
    construction = ew.agencies["construction"]
    entry = services.submit_value(
        ew.users["other_admin"],
        round_,
        construction,
        leaf(ew.framework, "1.1"),
        value="9",
        note="x",
        evidence=evidence(),
    )
    with pytest.raises(PermissionDenied) as exc:
        services.review_value(ew.users["evaluator"], entry, action="accept")
    assert "đơn vị mình đang công tác" in str(exc.value)
    for key in ("other_admin", "province_leader", "agency_admin"):
        with pytest.raises(PermissionDenied):
            services.review_value(ew.users[key], entry, action="accept")
    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED


def test_full_round_review_close_results_and_freeze(ew, round_):
    a, u = ew.agencies, ew.users
    c11, c12 = leaf(ew.framework, "1.1"), leaf(ew.framework, "1.2")
    e1 = services.submit_value(
        u["agency_admin"], round_, a["justice"], c11, value="9", note="x", evidence=evidence()
    )
    e2 = services.submit_value(
        u["agency_admin"], round_, a["justice"], c12, value="95", note="x", evidence=evidence()
    )
    e3 = services.submit_value(
        u["commune_admin"], round_, a["iagrai_pc"], c11, value="10", note="x", evidence=evidence()
    )
    # A unit may change its value until it is reviewed.
    e3 = services.submit_value(u["commune_admin"], round_, a["iagrai_pc"], c11, value="7", note="Sửa lại")
    assert e3.value == 7 and e3.evidence
    services.start_review(u["evaluator"], round_)
    with pytest.raises(Conflict):  # self-assessment is over
        services.submit_value(
            u["agency_admin"], round_, a["justice"], c11, value="10", note="x", evidence=evidence()
        )
    services.review_value(u["evaluator"], e1, action="accept")
    with pytest.raises(ServiceError) as exc:
        services.review_value(u["evaluator"], e2, action="correct", value="80")
    assert exc.value.field == "reason"
    with pytest.raises(ServiceError) as exc:
        services.review_value(u["evaluator"], e2, action="correct", value="180", reason="Sai số liệu")
    assert exc.value.code == "out_of_range"
    round_.refresh_from_db()
    with pytest.raises(Conflict) as exc:
        services.close_round(u["evaluator"], round_)
    assert exc.value.code == "pending_review"
    services.review_value(
        u["evaluator"], e2, action="correct", value="80", reason="Biên bản kiểm tra: 80 % máy kết nối"
    )
    services.review_value(u["evaluator"], e3, action="accept")
    with pytest.raises(PermissionDenied):
        services.close_round(u["agency_admin"], round_)
    results = services.close_round(u["evaluator"], round_)
    round_.refresh_from_db()
    assert round_.state == Round.State.CLOSED and round_.closed_at
    by_code = {r.unit.code: r for r in results}
    # Justice: 9 + 80/90×20 (=17.778) + metric 99.5 ≥ 98 → 20: 46.778, level I
    assert by_code[a["justice"].code].total == Decimal("46.778")
    assert by_code[a["justice"].code].level == "I" and by_code[a["justice"].code].rank == 1
    # Ia Grai: 7 points, no metric data → 7, below level IV
    assert by_code[a["iagrai_pc"].code].total == Decimal("7.000") and by_code[a["iagrai_pc"].code].level == ""
    assert by_code[a["construction"].code].total == 0 and by_code[a["construction"].code].rank == 3
    assert by_code[a["pleiku_pc"].code].rank == 3  # tied at 0: competition ranking
    # Frozen: the metric's value no longer follows its source.
    ew.source.values[a["justice"].code] = "50"
    frozen = Entry.objects.get(round=round_, unit=a["justice"], criterion__code="2.1")
    assert frozen.status == Entry.Status.AUTOMATIC and frozen.value == Decimal("99.500")
    rows, total = selectors.sheet(round_, a["justice"])
    assert total == Decimal("46.778")
    assert [r.points for r in rows if r.criterion.code == "1"] == [Decimal("26.778")]
    with pytest.raises(Conflict):
        services.submit_value(
            u["agency_admin"], round_, a["justice"], c11, value="10", note="x", evidence=evidence()
        )
    with pytest.raises(Conflict):
        services.review_value(u["evaluator"], e1, action="accept")
    leaves, table = selectors.met_table(round_)
    assert [c.code for c in leaves] == ["1.1", "1.2", "2.1"]
    assert {unit.code: marks for unit, marks in table}[a["justice"].code] == [True, False, True]
    assert Result.objects.filter(round=round_).count() == 4


def test_year_over_year_lists_indicators_still_unmet(ew, round_):
    a, u = ew.agencies, ew.users
    c12 = leaf(ew.framework, "1.2")
    e = services.submit_value(
        u["agency_admin"], round_, a["justice"], c12, value="70", note="x", evidence=evidence()
    )
    services.start_review(u["evaluator"], round_)
    services.review_value(u["evaluator"], e, action="accept")
    services.close_round(u["evaluator"], round_)
    current = services.open_round(u["province_admin"], ew.framework, year=2026)
    e = services.submit_value(
        u["agency_admin"], current, a["justice"], c12, value="92", note="x", evidence=evidence()
    )
    before, rows = selectors.still_unmet(current)
    assert before == round_
    unmet = {unit.code: [c.code for c in cs] for unit, cs in rows}
    # 1.2 was unmet (70 < 90) and is met now (92): not listed; 1.1 unmet both years (no value).
    assert unmet[a["justice"].code] == ["1.1"]
    assert "1.1" in unmet[a["iagrai_pc"].code] and "2.1" in unmet[a["iagrai_pc"].code]


def test_one_round_per_year_and_one_in_progress(ew, round_):
    with pytest.raises(Conflict):
        services.open_round(ew.users["evaluator"], ew.framework, year=2026)
    with pytest.raises(PermissionDenied):
        services.open_round(ew.users["agency_admin"], ew.framework, year=2026)


def test_a_framework_in_use_is_copied_for_a_new_year(ew, round_):
    with pytest.raises(PermissionDenied):
        services.copy_framework(ew.users["agency_admin"], ew.framework, year=2026)
    with pytest.raises(InvalidFields):
        services.copy_framework(ew.users["province_admin"], ew.framework, year="năm sau")
    copy = services.copy_framework(ew.users["province_admin"], ew.framework, year=2026)
    assert copy.year == 2026 and copy.applies_to == ew.framework.applies_to
    old = [(c.code, c.kind, c.max_points, c.target, c.metric_key) for c, _d in selectors.tree(ew.framework)]
    new = [(c.code, c.kind, c.max_points, c.target, c.metric_key) for c, _d in selectors.tree(copy)]
    assert new == old and leaf(copy, "1.1").parent.framework == copy
    services.add_criterion(ew.users["province_admin"], copy, {"kind": "group", "code": "3", "name": "Mới"})
    assert not ew.framework.criteria.filter(code="3").exists()
