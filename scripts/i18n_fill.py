"""Fill msgstr entries of a .po file from a JSON dictionary {msgid: msgstr}.

    python scripts/i18n_fill.py congso/locale/en/LC_MESSAGES/django.po translations.json

Prints the msgids that are still untranslated. Run `make messages` afterwards to compile.
"""

import json
import sys


def _unquote(lines: list[str]) -> str:
    return "".join(json.loads(line) for line in lines)


def fill(po_text: str, translations: dict[str, str]) -> tuple[str, list[str]]:
    out, missing = [], []
    for block in po_text.split("\n\n"):
        lines = block.split("\n")
        starts = [k for k, line in enumerate(lines) if line.startswith("msgid ")]
        if not starts:
            out.append(block)
            continue
        i = starts[0]
        j = next(k for k, line in enumerate(lines) if line.startswith(("msgstr ", "msgid_plural")))
        msgid = _unquote([lines[i][6:], *lines[i + 1 : j]])
        if not msgid or lines[j].startswith("msgid_plural"):
            out.append(block)
            continue
        current = _unquote([lines[j][7:], *[line for line in lines[j + 1 :] if line.startswith('"')]])
        if msgid in translations:
            lines = [*lines[:j], "msgstr " + json.dumps(translations[msgid], ensure_ascii=False)]
            lines = [line for line in lines if line != "#, fuzzy"]
        elif not current:
            missing.append(msgid)
        out.append("\n".join(lines))
    return "\n\n".join(out), missing


def main() -> None:
    po_path, dict_path = sys.argv[1], sys.argv[2]
    with open(dict_path, encoding="utf-8") as fh:
        translations = json.load(fh)
    with open(po_path, encoding="utf-8") as fh:
        text, missing = fill(fh.read(), translations)
    with open(po_path, "w", encoding="utf-8") as fh:
        fh.write(text)
    for msgid in missing:
        print("untranslated:", msgid)


if __name__ == "__main__":
    main()
