"""The permission matrix's declarations for meetings, voting and work calendars (see ``test_api_matrix``)."""

from .matrix import ALL, CITIZENS, NOBODY, OFFICIALS, SIGNED_IN, op  # noqa: F401
