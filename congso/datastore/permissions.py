"""Permission rules of the personal data store and the registry look-ups.

A person's papers are theirs alone: every read goes through ``services.get_owned`` (NotFound for
anyone else, so nobody learns that a paper exists). Who may look whom up in a registry is decided by
``registries.authorise`` (self / organisation represented / clerk at their agency / helper with
consent); the rule below exposes it to ``core.permissions.can``.
"""

from django.core.exceptions import PermissionDenied

from congso.core.errors import ServiceError
from congso.core.permissions import rule

from . import registries


@rule("datastore.registry_lookup")
def registry_lookup(user, request):
    """``request`` is a dict: registry, identifier, and optionally agency and purpose."""

    try:
        identifier = registries._identifier(request["registry"], request["identifier"])
        registries.authorise(
            user,
            request["registry"],
            identifier,
            agency=request.get("agency"),
            purpose=request.get("purpose", ""),
        )
    except (PermissionDenied, ServiceError):
        return False
    return True
