"""Issue 14 / ADR 0143: online filing does not open for a procedure whose time limit is unknown."""

import copy

import pytest

from congso.catalog.models import Procedure, ProcedureVersion
from congso.core.errors import ServiceError
from congso.portal import services

pytestmark = pytest.mark.django_db


def test_online_filing_is_refused_until_the_agency_sets_the_limit(online, procedure_version, agencies):
    content = copy.deepcopy(procedure_version.content)
    for row in content["channels"]:
        row["time"] = {"value": 1, "unit": ""}  # the national record: a 1 without a unit
    ProcedureVersion.objects.filter(pk=procedure_version.pk).update(content=content)
    procedure = Procedure.objects.select_related("current_version").get(pk=procedure_version.procedure_id)
    with pytest.raises(ServiceError) as exc:
        services.online_offering(procedure, agencies["ward"])
    assert exc.value.code == "time_limit_unresolved" and "1.001193" in str(exc.value)
    online.local_time_value, online.local_time_unit = 0, "same_day"
    online.save()
    assert services.online_offering(procedure, agencies["ward"]) == online
