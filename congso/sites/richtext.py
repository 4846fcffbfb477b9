"""Rich text sent through the API, cleaned by Wagtail's own converter for the field's features (ADR 0180).

The editing interface never stores what a browser sends: Draftail posts its content state, which
Wagtail's ``ContentstateConverter`` (built for the block's feature list) turns into the stored format,
dropping every element, attribute and link scheme the features do not allow. The API takes HTML, so
``clean`` runs the same converter both ways (HTML → content state → stored HTML) after two checks of
its own, each refused with a Vietnamese message naming the field:

- the HTML is first read by BeautifulSoup (as Wagtail's whitelister does), which closes what was left
  open (``<br>``, a ``<b>`` without its end tag), so the converter gets balanced markup;
- an element the features do not know (``<script>``, ``<style>``, ``<iframe>``, ``<img>``, ``<table>``…)
  is refused rather than unwrapped: the converter would keep a script's text as words of the article.

Attributes outside the features (``onclick``, ``style``, ``class``) and links with another scheme than
http(s), mailto, tel or a page address (``javascript:``) are removed by the converter, as in /cms/.
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from django.utils.translation import gettext as _
from wagtail.admin.rich_text import get_rich_text_editor_widget

from congso.core.errors import InvalidFields

# The most HTML one rich-text body may carry (about a hundred pages of text).
MAX_HTML = 200_000


class RichTextRefused(InvalidFields):
    """Rich text the features do not allow, or that cannot be read: 422, nothing stored."""

    status = 422
    code = "invalid_rich_text"


def _converter(features):
    return get_rich_text_editor_widget(features=list(features)).converter


def allowed_elements(features) -> set[str]:
    """The HTML elements Wagtail's converter maps for ``features`` (plus paragraphs and line breaks)."""
    handler = _converter(features).html_to_contentstate_handler
    return set(handler.element_handlers.element_rules) | {"p", "br"}


def clean(html: str, features, *, field: str = "body") -> str:
    """``html`` in Wagtail's stored rich-text format for ``features``; "" when it has no text."""
    html = (html or "").strip()
    if not html:
        return ""
    if len(html) > MAX_HTML:
        raise RichTextRefused(
            {field: [_("Nội dung quá dài (tối đa %(max)s ký tự HTML).") % {"max": MAX_HTML}]}
        )
    soup = BeautifulSoup(html, "html.parser")
    allowed = allowed_elements(features)
    refused = sorted({tag.name for tag in soup.find_all(True)} - allowed)
    if refused:
        raise RichTextRefused(
            {
                field: [
                    _("Nội dung có thẻ HTML không được dùng: %(tags)s. Chỉ dùng được: %(allowed)s.")
                    % {
                        "tags": ", ".join(f"<{name}>" for name in refused),
                        "allowed": ", ".join(f"<{name}>" for name in sorted(allowed)),
                    }
                ]
            }
        )
    converter = _converter(features)
    try:
        stored = converter.to_database_format(converter.from_database_format(str(soup)))
    except (AssertionError, ValueError, LookupError) as exc:
        raise RichTextRefused(
            {field: [_("Không đọc được nội dung HTML: kiểm tra các thẻ đóng, mở.")]}
        ) from exc
    if not BeautifulSoup(stored, "html.parser").get_text(strip=True) and "<hr" not in stored:
        return ""
    return stored
