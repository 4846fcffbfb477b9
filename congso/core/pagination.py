"""django-ninja's paginations with input schemas of their own names.

Ninja names both its limit/offset and its page-number query schemas ``Input``; in one OpenAPI document
two schemas of one name overwrite each other (``congso.core.openapi`` refuses that). Routers paginate
with these classes instead of ninja's.

Both also bound what ninja leaves open: an offset or a page number beyond a 64-bit integer reached the
database as an OFFSET it could not hold and answered 500 (found by the fuzzing campaign, ADR 0140).
No list here comes near a billion rows, so a larger value is refused with 422 before any query runs.

``uncounted_page`` pages an HTML list without counting it: one row more than the page shows tells whether a
next page exists (a COUNT over a million reports or a hundred thousand search matches cost a second).
"""

import dataclasses

from django.conf import settings
from ninja import Field
from ninja.pagination import LimitOffsetPagination, PageNumberPagination

#: The largest ``offset`` (and the largest number of rows a page number may skip) a request may ask for.
MAX_OFFSET = 1_000_000_000


class LimitOffsetInput(LimitOffsetPagination.Input):
    """``limit`` and ``offset`` query parameters."""

    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class PageNumberInput(PageNumberPagination.Input):
    """``page`` and ``page_size`` query parameters (``page_size`` is clamped by the paginator)."""

    page: int = Field(1, ge=1, le=MAX_OFFSET // settings.NINJA_PAGINATION_MAX_LIMIT)


class LimitOffsetPages(LimitOffsetPagination):
    Input = LimitOffsetInput


class NumberedPages(PageNumberPagination):
    Input = PageNumberInput


@dataclasses.dataclass
class UncountedPage:
    """One page of a list without counting every row: ``rows`` of page ``number`` (``per_page`` a page),
    whether a next page exists, and the ``total`` once it is known (this is the last page)."""

    number: int
    rows: list
    has_next: bool
    per_page: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1

    @property
    def total(self) -> int | None:
        if self.has_next or (not self.rows and self.number > 1):  # not known: more, or past the end
            return None
        return (self.number - 1) * self.per_page + len(self.rows)


def uncounted_page(rows, number, *, per_page: int, max_page: int) -> UncountedPage:
    """Page ``number`` (1 when it is not a number; at most ``max_page``) of ``rows`` (a queryset or
    search results): ``per_page`` rows, and one more read to know whether a next page exists."""
    try:
        number = max(1, min(int(number or 1), max_page))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    got = list(rows[start : start + per_page + 1])
    return UncountedPage(
        number=number,
        rows=got[:per_page],
        has_next=len(got) > per_page and number < max_page,
        per_page=per_page,
    )
