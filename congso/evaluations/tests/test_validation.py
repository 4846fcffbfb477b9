"""Messages of the one validation module keep their labels as written ("mức I" stays "mức I")."""

import pytest

from congso.core.errors import ServiceError
from congso.evaluations.validation import parse_decimal


def test_a_label_at_the_start_of_a_message_keeps_its_capitals():
    with pytest.raises(ServiceError) as refused:
        parse_decimal("mười hai", "điểm tối thiểu mức I", field="level_1_min")
    assert str(refused.value).startswith("Điểm tối thiểu mức I phải là một số")


def test_a_number_typed_the_vietnamese_way_is_read():
    assert str(parse_decimal("12,5", "điểm", field="points")) == "12.5"
