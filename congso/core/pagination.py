"""django-ninja's paginations with input schemas of their own names.

Ninja names both its limit/offset and its page-number query schemas ``Input``; in one OpenAPI document
two schemas of one name overwrite each other (``congso.core.openapi`` refuses that). Routers paginate
with these classes instead of ninja's.
"""

from ninja.pagination import LimitOffsetPagination, PageNumberPagination


class LimitOffsetInput(LimitOffsetPagination.Input):
    """``limit`` and ``offset`` query parameters."""


class PageNumberInput(PageNumberPagination.Input):
    """``page`` and ``page_size`` query parameters."""


class LimitOffsetPages(LimitOffsetPagination):
    Input = LimitOffsetInput


class NumberedPages(PageNumberPagination):
    Input = PageNumberInput
