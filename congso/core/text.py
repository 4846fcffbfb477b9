"""Vietnamese text folding: one definition of "the same words, ignoring diacritics and case".

Citizens type "dang ky khai sinh" for "đăng ký khai sinh". Every search and every
comparison that should ignore diacritics goes through fold().
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z\s.]")


def ascii_digits(value) -> bool:
    """A non-empty string of the digits 0-9 only. ``str.isdigit()`` also accepts "²" and other Unicode
    digits that ``int()`` refuses: guard an ``int()`` of what a request sent with this instead."""
    return isinstance(value, str) and value.isascii() and value.isdigit()


class _Unmarked(dict):
    """Code point → the character without its nonspacing marks (Unicode category Mn, after canonical
    decomposition), worked out the first time a character is seen: ``str.translate`` then does the work
    in C, where a Python loop over every character cost about 0.1 µs each (a received decision's
    7,000 characters of text were folded several times). At most ``LIMIT`` characters are remembered, so
    a text of many rare characters cannot grow it without bound."""

    LIMIT = 20_000

    def __missing__(self, code: int) -> str:
        value = "".join(c for c in unicodedata.normalize("NFD", chr(code)) if unicodedata.category(c) != "Mn")
        if len(self) < self.LIMIT:
            self[code] = value
        return value


_UNMARKED = _Unmarked({ord("đ"): "d", ord("Đ"): "D"})


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks and map đ/Đ to d/D, keeping case.

    The same as removing every nonspacing mark from the text's canonical decomposition (NFD) and
    recomposing (NFC), one character at a time: a decomposition never spans characters, and the final
    NFC puts any marks that remain in canonical order, as a whole-text NFD would have."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text.translate(_UNMARKED))


def fold(text: str | None) -> str:
    """Lower-case, diacritic-free, punctuation-free, single-spaced form of text."""
    if not text:
        return ""
    text = strip_diacritics(unicodedata.normalize("NFC", text)).lower()
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def words(text: str | None) -> list[str]:
    return fold(text).split()


# --- Length limits of free text (issue 15) ---------------------------------------------------
# One declaration per kind of text, used by the API schemas (``Bounded``), the page forms
# (``max_length=``) and the services (``check_length``).
MAX_REASON = 2000  # a reason, a note, a comment an official or a citizen writes to explain an action
MAX_LIST_ITEM = 500  # one item of a list (a paper asked for, a missing document)
MAX_LIST_ITEMS = 100  # items in such a list
MAX_COMMENT = 2000  # a citizen's comment (a rating)
MAX_LABEL = 200  # a short label or title (a paper's name in the data store)
MAX_LINE = 255  # a one-line text field (a name, a line of an address)
MAX_LONG_TEXT = 4000  # a long answer in a form (a text area)


def too_long_message(limit: int, length: int) -> str:
    return _("Nội dung quá dài: tối đa %(limit)s ký tự (đã nhập %(length)s ký tự).") % {
        "limit": limit,
        "length": length,
    }


def check_length(value: str | None, limit: int) -> str | None:
    """``value`` unchanged, or a ``ValidationError`` with a Vietnamese message when longer than ``limit``."""
    if value is not None and len(value) > limit:
        raise ValidationError(too_long_message(limit, len(value)), code="max_length")
    return value


def moment_text(value) -> str:
    """An appointment as the one-stop forms write it: ``15 giờ 30 phút, ngày 08/12/2026`` in local time
    (the project's time zone), whatever the browser's locale; "" for None."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return _("%(hour)s giờ %(minute)s phút, ngày %(date)s") % {
        "hour": f"{local.hour:02d}",
        "minute": f"{local.minute:02d}",
        "date": local.strftime("%d/%m/%Y"),
    }
