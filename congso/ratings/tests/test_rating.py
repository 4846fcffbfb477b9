"""Only the applicant rates a finished dossier, once; everything else is refused and writes nothing."""

import pytest

from congso.accounts.models import CommunityHelper, CommunityTeam, User
from congso.accounts.services import grant_consent
from congso.core.errors import Conflict, NotFound, ServiceError
from congso.core.models import AuditEntry
from congso.dossiers import services as dossiers
from congso.dossiers.models import StepRun
from congso.ratings import services
from congso.ratings.models import Rating

from .conftest import file_and_finish

pytestmark = pytest.mark.django_db


def test_applicant_rates_once(citizen, finished, answers, agencies):
    rating = services.rate(finished.code, actor=citizen, answers=answers)
    assert rating.overall == "satisfied" and rating.rater == citizen
    assert rating.receiving_agency == agencies["ward"] and rating.processing_agency == agencies["ward"]
    assert rating.procedure_id == finished.procedure_version.procedure_id
    with pytest.raises(Conflict, match="đã được đánh giá"):
        services.rate(finished.code, actor=citizen, answers={**answers, "overall": "dissatisfied"})
    assert Rating.objects.get().overall == "satisfied"

    assert AuditEntry.objects.filter(action="ratings.rate", actor_id=citizen.pk).count() == 1


def test_returned_dossier_can_be_rated(staff, citizen, finished, answers):
    dossiers.return_result(finished.pk, actor=staff["clerk"])
    assert services.rate(finished, actor=citizen, answers=answers).pk


def test_not_finished_yet(staff, citizen, agencies, procedure_version, applicant, answers):
    d = file_and_finish(staff, agencies, procedure_version, applicant, finish=False)
    with pytest.raises(ServiceError, match="chưa có kết quả") as exc:
        services.rate(d.code, actor=citizen, answers=answers)
    assert exc.value.code == "not_finished" and not Rating.objects.exists()


def test_staff_who_can_see_it_are_refused_clearly(staff, finished, answers):
    with pytest.raises(services.Forbidden, match="Chỉ người nộp hồ sơ") as exc:
        services.rate(finished.code, actor=staff["clerk"], answers=answers)
    assert exc.value.status == 403 and not Rating.objects.exists()


def test_a_stranger_does_not_learn_the_dossier_exists(finished, answers):
    stranger = User.objects.create_user("cd.binh", password="x", full_name="Trần Văn Bình", kind="citizen")
    with pytest.raises(NotFound):
        services.rate(finished.code, actor=stranger, answers=answers)
    with pytest.raises(NotFound):
        services.rating_for(finished.code, actor=stranger)
    assert not Rating.objects.exists()


def test_the_community_helper_does_not_rate_for_the_citizen(staff, finished, answers):
    helper = User.objects.create_user(
        "tcn.xuan", password="x", full_name="Nguyễn Thị Thanh Xuân", kind="citizen"
    )
    finished.assisted_by = helper
    finished.save(update_fields=["assisted_by"])
    # Without the citizen's consent the helper does not even see the dossier (ADR 0071) ...
    with pytest.raises(NotFound):
        services.rate(finished.code, actor=helper, answers=answers)
    # ... and with it they follow the dossier, but the rating is the citizen's own.
    import datetime as dt

    team = CommunityTeam.objects.create(
        name="Tổ CNS phường Pleiku", commune=finished.receiving_agency.unit, agency=finished.receiving_agency
    )
    CommunityHelper.objects.create(team=team, user=helper, valid_from=dt.date(2025, 7, 1))
    grant_consent(finished.applicant, citizen=finished.applicant, helper=helper, purpose="Khai sinh", days=30)
    with pytest.raises(services.Forbidden):
        services.rate(finished.code, actor=helper, answers=answers)
    assert not Rating.objects.exists()


def test_anonymous(finished, answers):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(services.Forbidden, match="đăng nhập"):
        services.rate(finished.code, actor=AnonymousUser(), answers=answers)


def test_unknown_dossier(citizen, answers):
    with pytest.raises(NotFound, match="Không tìm thấy hồ sơ"):
        services.rate("H21.23575-000000-9999", actor=citizen, answers=answers)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"overall": ""}, "overall", "Vui lòng trả lời câu hỏi: Nhìn chung"),
        ({"contacts": "7"}, "contacts", "Câu trả lời không hợp lệ cho câu hỏi: Ông/Bà phải liên hệ"),
        ({"attitude": None}, "attitude", "Vui lòng trả lời câu hỏi: Thái độ"),
        ({"comment": "x" * 1001}, "comment", "Góp ý dài tối đa 1000 ký tự (hiện có 1001)."),
    ],
)
def test_validation_messages(citizen, finished, answers, change, field, message):
    with pytest.raises(ServiceError) as exc:
        services.rate(finished.code, actor=citizen, answers={**answers, **change})
    assert exc.value.field == field and message in exc.value.message
    assert not Rating.objects.exists()


def test_processing_agency_is_where_the_last_step_ran(staff, citizen, agencies, finished, answers):
    run = StepRun.objects.filter(dossier=finished).order_by("-started_at", "-id").first()
    StepRun.objects.filter(pk=run.pk).update(agency=agencies["justice"])
    rating = services.rate(finished.code, actor=citizen, answers=answers)
    assert rating.processing_agency == agencies["justice"] and rating.receiving_agency == agencies["ward"]
