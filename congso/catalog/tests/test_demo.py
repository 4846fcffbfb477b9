"""The demo loads the real Justice catalogue and offers it at the demo communes and province."""

from io import StringIO

import pytest

from congso.catalog import demo
from congso.catalog.models import Offering, Procedure
from congso.directory import demo_codes

pytestmark = pytest.mark.django_db


def test_demo_loads_the_justice_catalogue_and_offers_it():
    out = StringIO()
    logins = demo.load(out)
    assert Procedure.objects.count() == len(list(demo.DATA_DIR.glob("bo-tu-phap/*.json"))) == 271
    for unit_code in demo_codes.COMMUNE_UNITS:
        offered = Offering.objects.filter(agency__code=demo_codes.commune_pc(unit_code), is_active=True)
        fields = set(offered.values_list("procedure__field__name", flat=True))
        assert fields == {"Hộ tịch", "Chứng thực"}
        assert offered.filter(procedure__code="1.001193").exists()  # đăng ký khai sinh
    province = Offering.objects.filter(agency__code=demo_codes.DEPT_JUSTICE)
    assert province.count() > 10
    assert logins and logins[0][1] == demo.ADMIN_USERNAME
    again = StringIO()
    demo.load(again)  # idempotent
    assert "271 không đổi" in again.getvalue()
    assert Offering.objects.count() == province.count() + 3 * offered.count()
