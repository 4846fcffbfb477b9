"""django-ninja's paginations with input schemas of their own names.

Ninja names both its limit/offset and its page-number query schemas ``Input``; in one OpenAPI document
two schemas of one name overwrite each other (``congso.core.openapi`` refuses that). Routers paginate
with these classes instead of ninja's.

Both also bound what ninja leaves open: an offset or a page number beyond a 64-bit integer reached the
database as an OFFSET it could not hold and answered 500 (found by the fuzzing campaign, ADR 0140).
No list here comes near a billion rows, so a larger value is refused with 422 before any query runs.
"""

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
