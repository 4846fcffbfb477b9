"""The portals' content languages (ADR 0181): Vietnamese pages are the source, English ones translations.

Wagtail's localisation (``WAGTAIL_I18N_ENABLED``) keeps one page tree per language, linked by
``translation_key``. An editor translates a page with "Dịch trang" (``wagtail.contrib.simple_translation``):
Wagtail copies it into the English tree and creates its missing parents there as *aliases* (live copies
that follow the Vietnamese page). Addresses stay those of the Vietnamese tree: a reader who chose English
(the language switch of the whole platform) gets, at the same address, the page's live English
translation when an editor wrote one, else the Vietnamese page, in English chrome. Lists, menus and search
read the Vietnamese tree only, so a translation never shows up twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from wagtail.models import Locale


def source_language() -> str:
    return settings.LANGUAGE_CODE


def in_source() -> Q:
    """Filter of pages (or any ``TranslatableMixin`` rows) in the source language."""
    return Q(locale__language_code=source_language())


# Locale id → language code, read once per process and again when an unknown id shows up (a locale
# added since). Locales are a handful of rows that are never renumbered: this spares every page link the
# query of its ``locale`` (a results page or a section lists dozens).
_codes: dict[int, str] = {}


def language_of(page) -> str:
    code = _codes.get(page.locale_id)
    if code is None:
        _codes.update(Locale.objects.values_list("id", "language_code"))
        code = _codes.get(page.locale_id) or page.locale.language_code
    return code


def is_source(page) -> bool:
    return language_of(page) == source_language()


def source_of(page):
    """The Vietnamese page ``page`` translates (``page`` itself when it is one), as its specific class."""
    if is_source(page):
        return page
    source = page.get_translation_or_none(Locale.objects.get(language_code=source_language()))
    return source.specific if source is not None else page


def reader_translation(page):
    """The live English (or other active-language) translation of a source ``page`` written by an
    editor, or None: aliases are copies of the Vietnamese page and are not translations to show."""
    active = Locale.get_active()
    if active.language_code == language_of(page):
        return None
    translation = page.get_translation_or_none(active)
    if translation is None or not translation.live or translation.alias_of_id is not None:
        return None
    return translation.specific
