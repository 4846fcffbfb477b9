"""Vietnamese text folding: one definition of "the same words, ignoring diacritics and case".

Citizens type "dang ky khai sinh" for "đăng ký khai sinh". Every search and every
comparison that should ignore diacritics goes through fold().
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z\s.]")


def ascii_digits(value) -> bool:
    """A non-empty string of the digits 0-9 only. ``str.isdigit()`` also accepts "²" and other Unicode
    digits that ``int()`` refuses: guard an ``int()`` of what a request sent with this instead."""
    return isinstance(value, str) and value.isascii() and value.isdigit()


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks and map đ/Đ to d/D, keeping case."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def fold(text: str | None) -> str:
    """Lower-case, diacritic-free, punctuation-free, single-spaced form of text."""
    if not text:
        return ""
    text = strip_diacritics(unicodedata.normalize("NFC", text)).lower()
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def words(text: str | None) -> list[str]:
    return fold(text).split()
