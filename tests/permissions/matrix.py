"""The permission matrix's declaration: ``Op``, ``op`` and ``MATRIX`` (see ``test_api_matrix``).

The declarations themselves live in ``test_api_matrix.py`` and, for the newer apps, in one
``matrix_<area>.py`` module each, which ``test_api_matrix`` imports so that they register.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .conftest import ROLES

ALL = frozenset(ROLES)
SIGNED_IN = ALL - {"anonymous"}
CITIZENS = frozenset({"citizen", "other_citizen"})
OFFICIALS = SIGNED_IN - CITIZENS
NOBODY = frozenset()


@dataclass(frozen=True)
class Op:
    """One operation's request and expectations.

    ``url``: the path with ``{names}`` of the world's objects (and its query string); ``json``, ``form``
    or ``multipart`` (values ``"pdf"`` become a PDF file): the body. ``allowed``: the roles that pass.
    ``hidden``: the refused roles that get 404 (the object does not exist for them); the other refused
    signed-in roles get 403, anonymous 401. ``headers``: sent with the request. ``statuses``: the few
    roles whose answer is neither a pass nor a refusal of the right, with that status (each with its
    reason in a comment: e.g. 400 for an official "granting" a consent, which only citizens grant)."""

    url: str
    allowed: frozenset
    hidden: frozenset = NOBODY
    json: object = None
    form: dict | None = None
    multipart: dict | None = None
    headers: dict = field(default_factory=dict)
    statuses: dict = field(default_factory=dict)

    def refusal(self, role: str) -> int:
        if role in self.statuses:
            return self.statuses[role]
        if role in self.hidden:
            return 404
        return 401 if role == "anonymous" else 403


def fmt(value, v):
    if isinstance(value, str):
        return value.format(**v)
    if isinstance(value, dict):
        return {k: fmt(x, v) for k, x in value.items()}
    if isinstance(value, list):
        return [fmt(x, v) for x in value]
    return value


DOSSIER_STAFF = frozenset({"clerk", "officer", "leader", "clerical", "agency_admin"})
REASON = "Lý do cụ thể gửi người nộp hồ sơ"

MATRIX: dict[str, Op] = {}


def op(key: str, url: str, allowed, **kw) -> None:
    assert key not in MATRIX, key
    MATRIX[key] = Op(url=url, allowed=frozenset(allowed), **kw)
