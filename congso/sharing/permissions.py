"""Who manages data-sharing agreements and who sees the reads of personal data.

Agreements bind the province to another agency: only system administrators make and revoke them. A
citizen sees the reads of their own data; a system administrator sees every read (for oversight).
"""

from congso.core.permissions import rule
from congso.directory.scope import is_sysadmin


@rule("sharing.manage_agreements")
def manage_agreements(user, agreement=None) -> bool:
    return is_sysadmin(user)


@rule("sharing.view_own_reads")
def view_own_reads(user, subject=None) -> bool:
    return subject is not None and subject.pk == user.pk
