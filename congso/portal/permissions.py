"""Who may see the portal's pages about a dossier: the person it was filed for, and the helper who filed
it while the citizen's consent lasts — the same rule as the citizen's dossier pages (ADR 0071)."""

from congso.core.permissions import rule


@rule("portal.own_dossier")
def own_dossier(user, dossier) -> bool:
    from congso.dossiers.services import acts_as_applicant

    return acts_as_applicant(user, dossier)
