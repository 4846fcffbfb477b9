"""The papers a procedure asks for, read from the catalogue's component list as a checklist: the
counter's completeness check and the officials' supplement request use it.

The national records (``ProcedureVersion.content["components"]``, rows of ``catalog.schemas.Component``)
mix papers with notes and use ``group`` for two different things, so the rows are read like this:

* **Notes are not papers.** Rows under a group titled “Lưu ý”/“Ghi chú”, rows whose name starts with
  “Lưu ý”, and rows with no quantity (0 originals and 0 copies: explanatory sentences) are left out, as
  is the interactive e-form of online filing (“mẫu … điện tử tương tác”).
* **Optional papers.** A paper whose name starts with “Trường hợp” or says “nếu có” / “trong trường
  hợp” is needed only in that case: it is listed, never required.
* **Category groups** — “Giấy tờ phải nộp”, “Giấy tờ phải xuất trình”, “Thành phần hồ sơ” — are headings:
  every required paper under them is needed (papers “xuất trình” are shown and checked against the
  original at the counter).
* **Case groups** — any other group title, e.g. 1.002755 “Gia hạn tạm trú”: “Hồ sơ gia hạn tạm trú
  gồm”, “Gia hạn tạm trú tại nơi đơn vị đóng quân …”, “Gia hạn tạm trú theo danh sách …” — are
  alternatives when there are two or more of them: the papers of ONE case suffice. The clerk may name
  the case; otherwise the case closest to complete is used to say what is missing. A single case group
  is simply required.
* **“Đối với …” rows** inside one group (“Đối với Quân đội nhân dân: …”, “Đối với Công an nhân dân:
  …”) are alternatives to one another: one of them suffices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NOTE_GROUPS = ("lưu ý", "ghi chú")
CATEGORY_GROUPS = ("phải nộp", "xuất trình", "thành phần hồ sơ", "giấy tờ cần nộp")
PRESENT_GROUPS = ("xuất trình",)
OPTIONAL_MARKS = ("nếu có", "trong trường hợp")
ONLINE_ONLY_MARKS = ("điện tử tương tác",)
ALTERNATIVE_PREFIX = "đối với"


def clean_name(name: str) -> str:
    return re.sub(r"^[\s\-+*•–]+", "", name or "").strip()[:500]


def clean_title(title: str) -> str:
    return re.sub(r"^[\s\-+*•–]+", "", title or "").strip().rstrip(":").strip()


@dataclass(frozen=True)
class Item:
    key: int  # the row's index in the catalogue list: stable form field names
    name: str
    group: str
    required: bool
    present: bool = False  # shown at the counter and checked against the original (xuất trình)
    alternative: bool = False  # one of the group's “Đối với …” rows suffices


@dataclass
class Section:
    title: str
    items: list[Item]
    is_case: bool = False


@dataclass
class Checklist:
    sections: list[Section] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    @property
    def cases(self) -> list[Section]:
        return [s for s in self.sections if s.is_case]

    def names(self) -> list[str]:
        return [item.name for item in self.items]

    @staticmethod
    def _section_missing(section: Section, provided: set[int]) -> list[Item]:
        missing = [i for i in section.items if i.required and not i.alternative and i.key not in provided]
        alternatives = [i for i in section.items if i.required and i.alternative]
        if alternatives and not any(i.key in provided for i in alternatives):
            missing.append(alternatives[0])  # reported as “one of …” by ``missing``
        return missing

    def _label(self, section: Section, item: Item) -> str:
        if not item.alternative:
            return item.name
        options = [i.name for i in section.items if i.alternative]
        return " hoặc ".join(options)

    def missing(self, provided, case: int | None = None) -> list[str]:
        """Names of the required papers not ``provided`` (a set of item keys). ``case``: the index in
        ``cases`` of the alternative the applicant follows (None: the one closest to complete)."""
        provided = set(provided)
        result = []
        for section in self.sections:
            if not section.is_case:
                result += [self._label(section, i) for i in self._section_missing(section, provided)]
        cases = self.cases
        if cases:
            if case is not None and 0 <= case < len(cases):
                chosen = cases[case]
            else:
                gaps = [
                    (len(self._section_missing(c, provided)), -self._count(c, provided), n)
                    for n, c in enumerate(cases)
                ]
                chosen = cases[min(gaps)[2]]
            result += [self._label(chosen, i) for i in self._section_missing(chosen, provided)]
        return result

    @staticmethod
    def _count(section: Section, provided: set[int]) -> int:
        return sum(1 for i in section.items if i.key in provided)


def _is_note(name: str, group: str, row: dict) -> bool:
    lowered = name.lower()
    if not name or any(mark in group for mark in NOTE_GROUPS) or lowered.startswith(NOTE_GROUPS):
        return True
    if any(mark in lowered for mark in ONLINE_ONLY_MARKS):
        return True
    return row.get("originals") == 0 and not row.get("copies")


def build(components) -> Checklist:
    """The checklist of a procedure version's ``content["components"]``."""
    sections: dict[str, Section] = {}
    seen = set()
    for key, row in enumerate(components or []):
        name = clean_name(row.get("name") or "")
        title = clean_title(row.get("group") or "")
        group = title.lower()
        if _is_note(name, group, row) or name in seen:
            continue
        seen.add(name)
        lowered = name.lower()
        optional = lowered.startswith("trường hợp") or any(mark in lowered for mark in OPTIONAL_MARKS)
        item = Item(
            key=key,
            name=name,
            group=title,
            required=not optional,
            present=any(mark in group for mark in PRESENT_GROUPS),
            alternative=lowered.startswith(ALTERNATIVE_PREFIX),
        )
        sections.setdefault(title, Section(title, []))
        sections[title].items.append(item)
    ordered = list(sections.values())
    # A lone “Đối với …” row has no alternative: it is simply required.
    for section in ordered:
        if sum(1 for i in section.items if i.alternative) == 1:
            section.items = [
                Item(i.key, i.name, i.group, i.required, i.present, False) for i in section.items
            ]
    cases = [s for s in ordered if s.title and not any(mark in s.title.lower() for mark in CATEGORY_GROUPS)]
    if len(cases) >= 2:
        for section in cases:
            section.is_case = True
    # Headings first (ungrouped papers, then categories), then the alternative cases, in catalogue order.
    return Checklist(sorted(ordered, key=lambda s: (s.is_case, s.title != "")))
