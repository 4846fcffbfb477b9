"""The English translation is complete: every catalogue string has an English text, none left fuzzy
(a fuzzy entry is not compiled, so the page would fall back to Vietnamese)."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CATALOGUES = sorted(ROOT.glob("congso/**/locale/en/LC_MESSAGES/django.po"))


def _entries(po: Path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from i18n_fill import _unquote
    finally:
        sys.path.pop(0)
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = block.split("\n")
        starts = [k for k, line in enumerate(lines) if line.startswith("msgid ")]
        if not starts:
            continue
        i = starts[0]
        j = next(k for k, line in enumerate(lines) if line.startswith(("msgstr", "msgid_plural")))
        msgid = _unquote([lines[i][6:], *lines[i + 1 : j]])
        if not msgid:
            continue  # the header
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        texts = []  # each msgstr (or msgstr[n]) with its continuation lines
        for line in lines[j:]:
            if line.startswith("msgstr"):
                texts.append([line.split(" ", 1)[1]])
            elif line.startswith('"') and texts:
                texts[-1].append(line)
        yield msgid, fuzzy, bool(texts) and all(_unquote(t) for t in texts)


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_has_its_english_text(po):
    untranslated = [msgid for msgid, fuzzy, translated in _entries(po) if fuzzy or not translated]
    assert not untranslated, f"{len(untranslated)} untranslated or fuzzy in {po}: {untranslated[:5]}"
