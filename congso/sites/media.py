"""Uploads to the portals' image and document libraries, checked like every upload of the platform.

Wagtail's upload forms take these bases (settings ``WAGTAILIMAGES_IMAGE_FORM_BASE`` and
``WAGTAILDOCS_DOCUMENT_FORM_BASE``): the file's content is sniffed by ``core.uploads.inspect_upload``
(a PDF must be a PDF, an image a JPEG or PNG, whatever its name says), images are stored without
their metadata (EXIF, GPS position, comments) and upright, and a refusal is a clear Vietnamese message.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from congso.core.uploads import JPEG, PDF, PNG, UploadRejected, inspect_upload


def checked_file(upload, allowed):
    """The upload, content-checked and cleaned, as a new file object; ValidationError when refused."""
    if upload is None or not hasattr(upload, "read"):
        return upload
    if getattr(upload, "_congso_checked", False):
        return upload
    try:
        checked = inspect_upload(upload, allowed=allowed)
    except UploadRejected as exc:
        raise ValidationError(str(exc)) from None
    clean = SimpleUploadedFile(upload.name, checked.content, content_type=checked.mime)
    clean._congso_checked = True
    return clean


class CheckedImageForm(BaseImageForm):
    def clean_file(self):
        return checked_file(self.cleaned_data.get("file"), (JPEG, PNG))


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        return checked_file(self.cleaned_data.get("file"), (PDF,))
