"""Thin views of the portals; the pages themselves are Wagtail's (models.py)."""

from __future__ import annotations

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

RENDITIONS_DIR = "images/"


@require_safe
def rendition(request, name: str):
    """A resized image (Wagtail rendition) by its storage name; never an original, never outside images/."""
    if ".." in name.split("/") or name.startswith("/") or "\\" in name:
        raise Http404
    stored = RENDITIONS_DIR + name
    if not default_storage.exists(stored):
        raise Http404
    content_type = mimetypes.guess_type(stored)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404
    response = FileResponse(default_storage.open(stored, "rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
