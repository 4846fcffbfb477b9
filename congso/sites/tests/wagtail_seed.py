"""Wagtail's own seed rows (its locales, the page tree's root and the root collection).

Wagtail's migrations create them; a transactional test's flush removes them. The root conftest calls
``seed`` (listed in its ``DATA_SEEDS``) to put them back, as it does for the project's own seed rows.
"""

from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page


def seed(apps, schema_editor):
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:  # and English (sites migration 0004)
        Locale.objects.get_or_create(language_code=code)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
