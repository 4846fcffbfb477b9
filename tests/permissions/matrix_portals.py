"""The permission matrix's declarations for Wagtail portals (sites), notifications to a person and the feedback map (see ``test_api_matrix``)."""

from .matrix import ALL, CITIZENS, NOBODY, OFFICIALS, SIGNED_IN, op  # noqa: F401
