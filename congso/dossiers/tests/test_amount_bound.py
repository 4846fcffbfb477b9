"""An amount the ledger's columns cannot hold (14 digits) is refused where the action table parses it."""

from decimal import Decimal

import pytest

from congso.core.errors import ServiceError
from congso.dossiers import actions


@pytest.mark.parametrize("via", ["page", "api"])
@pytest.mark.parametrize("amount", [Decimal(10**14), Decimal("1e30"), 10**20])
def test_request_payment_refuses_an_amount_of_14_digits_or_more(via, amount):
    declared = actions.get("request_payment")
    with pytest.raises(ServiceError, match="Số tiền quá lớn") as caught:
        actions.resolve(declared, {"amount": amount, "note": "Lệ phí", "expected_version": 1}, via=via)
    assert caught.value.field == "amount"


def test_the_largest_amount_the_ledger_holds_passes():
    declared = actions.get("request_payment")
    values = actions.resolve(
        declared, {"amount": Decimal(10**14 - 1), "note": "Lệ phí", "expected_version": 1}, via="api"
    )
    assert values["amount"] == 10**14 - 1
