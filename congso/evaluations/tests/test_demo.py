"""The demo's two frameworks, with the past round published (signed annex) and the current one under way."""

import io
from decimal import Decimal

import pytest

from congso.accounts import demo as accounts_demo
from congso.directory import demo as directory_demo
from congso.directory import demo_codes as dc
from congso.directory.models import Agency
from congso.evaluations import demo, selectors
from congso.evaluations.models import Framework, Round
from congso.signing import demo as signing_demo
from congso.signing.models import SigningKey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_demo_frameworks_and_rounds():
    out = io.StringIO()
    directory_demo.load(out)
    accounts_demo.load(out)
    pc = Agency.objects.get(code=dc.PROVINCE_PC)
    signing_demo.ensure_ca()
    signing_demo.demo_key(label="demo-seal-pc", kind=SigningKey.Kind.SEAL, common_name=pc.name, agency=pc)
    logins = demo.load(out)
    assert {login[1] for login in logins} == {"thamdinh.gialai", "lanhdao.tinh"}
    e_gov = Framework.objects.get(name="Bộ chỉ số đánh giá, xếp hạng mức độ chính quyền điện tử")
    plan = Framework.objects.get(name="Kế hoạch chuyển đổi số: 14 chỉ tiêu")
    assert len(selectors.leaves(plan)) == 14
    past = Round.objects.get(framework=e_gov, year=2025)
    assert past.state == Round.State.PUBLISHED and past.annex.file
    ranking = selectors.results(past)
    assert ranking[0].unit.code == dc.commune_pc("23575")
    assert ranking[0].total == Decimal("154.603") and ranking[0].level == "I"
    assert {r.level for r in ranking} >= {"I", "II"}
    assert Round.objects.get(framework=e_gov, year=2026).state == Round.State.REVIEW
    assert Round.objects.get(framework=plan, year=2026).state == Round.State.OPEN
    plan_past = Round.objects.get(framework=plan, year=2025)
    leaves, rows = selectors.met_table(plan_past)
    assert len(leaves) == 14 and any(m is False for _u, marks in rows for m in marks)
    # Idempotent.
    demo.load(out)
    assert Framework.objects.count() == 2 and Round.objects.count() == 4
