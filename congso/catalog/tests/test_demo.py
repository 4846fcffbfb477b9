"""The demo loads the real Justice catalogue and offers it at the demo communes and province."""

from io import StringIO

import pytest

from congso.catalog import demo, services
from congso.catalog.models import Offering, Procedure
from congso.directory import demo_codes
from congso.directory.models import Agency

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


def test_demo_sets_local_limits_and_keeps_one_flag():
    """Issue 14: the demo's records without a unit get realistic local limits (birth registration
    "trong ngày"), and one procedure stays unresolved so its administrator sees the flag."""
    demo.load(StringIO())
    ward = Agency.objects.get(code=demo_codes.commune_pc("23575"))  # phường Pleiku
    birth = Offering.objects.get(agency=ward, procedure__code="1.001193")
    assert (birth.local_time_value, birth.local_time_unit) == (0, "same_day")
    marital = Offering.objects.get(agency=ward, procedure__code="1.004873")  # the record: "3", no unit
    assert (marital.local_time_value, marital.local_time_unit) == (3, "working_days")
    assert [o.procedure.code for o in services.unresolved_offerings(ward)] == [demo.KEEP_UNRESOLVED]
