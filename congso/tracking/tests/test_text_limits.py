"""Issue 15: a citizen's free text (a withdrawal's reason, a supplement's note) is bounded, with a
Vietnamese message, and an over-long one writes nothing (it was silently cut)."""

import pytest

from congso.core.text import MAX_REASON
from congso.dossiers.models import Dossier, Status

pytestmark = pytest.mark.django_db


def test_over_long_withdraw_reason_is_refused(client, citizen, received):
    client.force_login(citizen)
    response = client.post(
        f"/api/v1/dossiers/mine/{received.code}/withdraw",
        {"reason": "x" * 2_000_000, "expected_version": received.version},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "quá dài" in response.json()["detail"] and str(MAX_REASON) in response.json()["detail"]
    assert Dossier.objects.get(pk=received.pk).status != Status.WITHDRAWN
