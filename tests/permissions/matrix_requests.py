"""The permission matrix's declarations for access-to-information requests (inforequests) and the national portal's inbound sync (integration/national) (see ``test_api_matrix``)."""

from .matrix import ALL, CITIZENS, NOBODY, OFFICIALS, SIGNED_IN, op  # noqa: F401
