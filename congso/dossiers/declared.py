"""What the applicant declared (the "tờ khai"): the online form's answers kept with the dossier, in the
form's own layout, for everyone who handles it (ADR 0144).

The portal (a higher layer) writes, when the dossier is filed, a self-contained snapshot of the layout
into ``Dossier.form_data["declared"]`` next to the answers in ``form_data["fields"]``:

    {"version": 1, "sections": [{"title": "Tờ khai đăng ký khai sinh",
                                 "fields": [{"key": "ho_ten_tre", "label": "Họ, chữ đệm, tên của trẻ",
                                             "type": "text", "choices": []}, ...]}]}

so the dossier reads the same whatever happens to the form later (edited, republished, deleted), and
the back office renders it without asking the portal. Counter intake writes the same shape
(``snapshot``). Dossiers filed before the snapshot was kept (only ``fields`` and ``labels``) are shown
from those, in the order they were answered.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

SNAPSHOT_VERSION = 1
# The types a value is formatted by; any other type (text, number, cccd, phone, email…) reads as typed.
DATE, BIRTH_DATE, SELECT, CHECKBOX = "date", "birth_date", "select", "checkbox"
TRUE = {"on", "true", "1", "yes", "co"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class DeclaredRow:
    key: str
    label: str
    value: str  # formatted for reading: dates dd/mm/yyyy, choices by their label, "Có"/"Không"
    type: str = "text"
    raw: object = None  # the stored answer (ISO date, choice value…), for the API


@dataclass
class DeclaredSection:
    title: str
    rows: list[DeclaredRow] = field(default_factory=list)


def format_value(kind: str, value, choices: Iterable = ()) -> str:
    """How one answer reads on the dossier page, the printout and the API (the one formatter: the portal's
    check-your-answers page uses it too)."""
    if kind == CHECKBOX:
        if isinstance(value, bool):
            return _("Có") if value else _("Không")
        return _("Có") if str(value or "").strip().lower() in TRUE else _("Không")
    if value is None or value == "":
        return ""
    if kind == SELECT:
        return {str(v): str(label) for v, label in choices}.get(str(value), str(value))
    if kind in (DATE, BIRTH_DATE):
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    return str(value)


def field_layout(key: str, label: str, kind: str = "text", choices: Iterable = ()) -> dict:
    """One field of a snapshot."""
    return {
        "key": key,
        "label": str(label),
        "type": str(kind),
        "choices": [[str(v), str(c)] for v, c in choices],
    }


def snapshot(sections: Iterable[tuple[str, Iterable[dict]]]) -> dict:
    """The layout kept with a dossier: ``sections`` are (title, [field_layout(...), ...]) in order."""
    return {
        "version": SNAPSHOT_VERSION,
        "sections": [{"title": str(title), "fields": list(fields)} for title, fields in sections],
    }


def _legacy(form_data: dict, answers: dict) -> list[DeclaredSection]:
    labels = form_data.get("labels") or {}
    rows = []
    for key, value in answers.items():
        kind = CHECKBOX if isinstance(value, bool) else DATE if _ISO_DATE.match(str(value)) else "text"
        text = format_value(kind, value)
        if text:
            rows.append(DeclaredRow(key, str(labels.get(key) or key), text, kind, value))
    return [DeclaredSection(_("Nội dung tờ khai"), rows)] if rows else []


def declared_sections(dossier) -> list[DeclaredSection]:
    """The declared data of ``dossier`` section by section, in the form's order; fields left empty (or
    hidden by the form's conditions) are left out, and so are sections with nothing in them."""
    form_data = dossier.form_data or {}
    answers = form_data.get("fields") or {}
    if not isinstance(answers, dict) or not answers:
        return []
    layout = form_data.get("declared")
    if not isinstance(layout, dict) or not layout.get("sections"):
        return _legacy(form_data, answers)
    out = []
    for section in layout["sections"]:
        rows = []
        for item in section.get("fields") or []:
            key = item.get("key")
            if key not in answers:
                continue
            kind = item.get("type") or "text"
            text = format_value(kind, answers[key], item.get("choices") or ())
            if text:
                rows.append(DeclaredRow(key, item.get("label") or key, text, kind, answers[key]))
        if rows:
            out.append(DeclaredSection(section.get("title") or _("Nội dung tờ khai"), rows))
    return out
