"""Who may see the portal's pages about a dossier: the person it was filed for and the helper who filed it."""

from congso.core.permissions import rule


@rule("portal.own_dossier")
def own_dossier(user, dossier) -> bool:
    return bool(user.pk) and user.pk in (dossier.applicant_id, dossier.assisted_by_id)
