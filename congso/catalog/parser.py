"""Parse the national portal's procedure records into structured content.

The portal's detail pages are scraped into flat strings where table cells run together, for example
``"Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến2 Ngày làm việcMiễn phí"``. This module turns such a
record (a dict with the portal's unaccented keys: ``ma_thu_tuc``, ``cach_thuc_thuc_hien``, ...) into one
plain dict, the *content* of a procedure version. It knows the portal's table layout (column headers,
channel names, units, currencies, the "Không có thông tin" placeholder) and nothing about any ministry.

Pure Python, no Django: easy to test on sample files, and reused by the exporter.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from congso.core.text import fold

EMPTY_MARKERS = ("Không có thông tin", "Không có thông tin.")

# Submission channels (cách thức thực hiện), codes as in the dossier status sync: 1, 2, 3.
CHANNELS = {
    "Trực tiếp": "in_person",
    "Trực tuyến": "online",
    "Dịch vụ bưu chính": "post",
}
CHANNEL_LABELS = {value: key for key, value in CHANNELS.items()}

# Time units, longest label first so "Ngày làm việc" wins over "Ngày".
UNITS = [
    ("Ngày làm việc", "working_days"),
    ("Ngày", "days"),
    ("Tháng", "months"),
    ("Giờ", "hours"),
    ("Năm", "years"),
    ("Tuần", "weeks"),
    ("Phút", "minutes"),
]
# Limits stated in words instead of a number ("Trực tuyếnTrong ngàyMiễn phí"), longest first: they
# count nothing and are kept with the value 0 (ADR 0143).
TIME_PHRASES = [
    ("Ngay trong ngày làm việc", "same_day"),
    ("Trong ngày làm việc", "same_day"),
    ("Ngay trong ngày", "same_day"),
    ("Trong ngày", "same_day"),
    ("Trả kết quả ngay", "immediate"),
    ("Giải quyết ngay", "immediate"),
    ("Trả ngay", "immediate"),
    ("Ngay", "immediate"),
]
UNIT_LABELS = {code: label for label, code in UNITS} | {"same_day": "Trong ngày", "immediate": "Trả ngay"}

CURRENCIES = [
    ("Việt Nam Đồng", "VND"),
    ("VNĐ", "VND"),
    ("VND", "VND"),
    ("Đồng", "VND"),
    ("đồng", "VND"),
    ("USD", "USD"),
    ("Đô la Mỹ", "USD"),
    ("EUR", "EUR"),
    ("Euro", "EUR"),
]
CURRENCY_LABELS = {"VND": "Việt Nam Đồng", "USD": "USD", "EUR": "EUR"}

LEVELS = {
    "cap bo": "ministry",
    "cap trung uong": "ministry",
    "cap tinh": "province",
    "cap huyen": "district",
    "cap xa": "commune",
    "co quan khac": "other",
}

ONLINE_FULL, ONLINE_PARTIAL, ONLINE_INFO = "full", "partial", "info"

_PHRASE_ALT = "|".join(re.escape(phrase) for phrase, _ in TIME_PHRASES)
_CHANNEL_RE = re.compile(
    "("
    + "|".join(re.escape(label) for label in CHANNELS)
    + r")(?=\s?\d|Không có thông tin|"
    + _PHRASE_ALT
    + ")"
)
_UNIT_ALT = "|".join(re.escape(label) for label, _ in UNITS)
_CURRENCY_ALT = "|".join(re.escape(label) for label, _ in CURRENCIES)
_TIME_RE = re.compile(r"\s?(\d+(?:[.,]\d+)?)(?:\s?(" + _UNIT_ALT + r"))?")
_TIME_TEXT_RE = re.compile(r"\s?(\d+(?:[.,]\d+)?)(?:\s?(" + _UNIT_ALT + r"))?", re.IGNORECASE)
_FEE_AMOUNT_RE = re.compile(r"\s?(\d[\d.,]*)\s?(" + _CURRENCY_ALT + r")")
_FREE = "Miễn phí"


class ParseError(ValueError):
    """A record that cannot be read at all (missing code or name, wrong shape)."""


_SPACES_RE = re.compile(r"[ \t]+")


def clean(value) -> str:
    """Strip, normalise spaces (the portal uses no-break spaces) and turn the empty marker into ''."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    # No-break spaces become spaces; NUL characters (never meaningful, refused by PostgreSQL) go.
    text = value.replace("\x00", "").replace("\xa0", " ").replace("\r\n", "\n").strip()
    text = _SPACES_RE.sub(" ", text)
    if text in EMPTY_MARKERS or text.strip(" .-") == "":
        return ""
    return text


def _strip_empty(text: str) -> str:
    return "" if text.strip() in EMPTY_MARKERS else text.strip()


# --- numbers ------------------------------------------------------------------------------------


def parse_amount(text: str) -> Decimal | None:
    """'10,000' → 10000, '1.700.000' → 1700000, '2.5' → 2.5, '10.000.0000' (a typo) → 100000000."""
    text = text.strip().rstrip(".,")
    if not text:
        return None
    groups = re.split(r"[.,]", text)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        digits = "".join(groups)
    elif len(groups) == 2:
        digits = groups[0] + "." + groups[1]  # a decimal
    else:
        digits = "".join(groups)  # malformed grouping: keep the digits
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _number(text: str):
    value = parse_amount(text)
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- cách thức thực hiện: channel | time | fee | description --------------------------------------


def match_time_phrase(text: str) -> tuple[str, int] | None:
    """(unit, length) when ``text`` starts with a limit stated in words ("Trả ngay", "Trong ngày làm
    việc"), case-insensitively, and the phrase ends there (no lower-case letter follows: the next
    column starts with a capital, after any spaces)."""
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    folded = stripped.casefold()
    for phrase, unit in TIME_PHRASES:
        if folded.startswith(phrase.casefold()):
            after = stripped[len(phrase) :].lstrip(" ")[:1]
            if after and after.isalpha() and after.islower():
                continue  # "Ngay sau khi…": words of a sentence, not a column
            return unit, offset + len(phrase)
    return None


def parse_time(text: str) -> dict | None:
    """A processing time as people write it: "5 ngày làm việc", "4 giờ", "Trả ngay", "trong ngày",
    "ngay trong ngày làm việc" → {"value", "unit"}; a number alone keeps an empty unit; None if no time."""
    text = clean(text)
    phrase = match_time_phrase(text)
    if phrase is not None:
        return {"value": 0, "unit": phrase[0]}
    m = _TIME_TEXT_RE.match(text)
    if m is None:
        return None
    label = next((lab for lab, _code in UNITS if (m.group(2) or "").casefold() == lab.casefold()), "")
    return {"value": _number(m.group(1)), "unit": dict(UNITS).get(label, "")}


def _balanced(text: str, start: int) -> int:
    """Index just past the parenthesised group opening at text[start] (or len(text) if unbalanced)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _split_time_and_amount(digits: str, known_times: set[str]) -> tuple[str, str]:
    """'1200' before a currency: the time had no unit and ran into the fee. Choose where to cut.

    Prefer a cut whose time value appears in another row of the same table; otherwise the shortest
    time that leaves a well-formed amount (no leading zero, valid thousands grouping).
    """
    candidates = []
    for k in range(1, len(digits)):
        time, amount = digits[:k], digits[k:]
        if not time.isdigit() or amount[0] in "0.,":
            continue
        if re.search(r"[.,]", amount) and not re.fullmatch(r"\d{1,3}([.,]\d{3})+", amount):
            continue
        candidates.append((time, amount))
    if not candidates:
        return "", digits
    for time, amount in candidates:
        if time in known_times:
            return time, amount
    return candidates[0]


def parse_channels(text: str) -> list[dict]:
    text = clean(text)
    if not text:
        return []
    positions = [(m.start(), m.end(), CHANNELS[m.group(1)]) for m in _CHANNEL_RE.finditer(text)]
    segments = []
    for i, (_start, end, channel) in enumerate(positions):
        stop = positions[i + 1][0] if i + 1 < len(positions) else len(text)
        segments.append((channel, text[end:stop]))
    # Times stated with a unit, to disambiguate unit-less times glued to an amount.
    known_times = set()
    for _channel, body in segments:
        m = re.match(r"\s?(\d+)\s?(?:" + _UNIT_ALT + ")", body)
        if m:
            known_times.add(m.group(1))
        m = re.match(r"\s?(\d+)(?:" + re.escape(_FREE) + "|Không có thông tin)", body)
        if m:
            known_times.add(m.group(1))
    rows = []
    for channel, body in segments:
        row = {"channel": channel, "time": None, "fee": None, "description": ""}
        rest = body
        glued = re.match(r"\s?(\d[\d.,]*)\s?(" + _CURRENCY_ALT + r")", rest)
        if glued:  # unit-less time followed directly by an amount: "1200 VNĐ"
            time_digits, amount = _split_time_and_amount(glued.group(1), known_times)
            if time_digits:
                row["time"] = {"value": _number(time_digits), "unit": ""}
            rest = amount + " " + glued.group(2) + rest[glued.end() :]
        elif rest.startswith("Không có thông tin"):
            rest = rest[len("Không có thông tin") :]
        elif phrase := match_time_phrase(rest):
            row["time"] = {"value": 0, "unit": phrase[0]}
            rest = rest[phrase[1] :]
        else:
            m = _TIME_RE.match(rest)
            if m:
                unit = dict(UNITS).get(m.group(2) or "", "")
                row["time"] = {"value": _number(m.group(1)), "unit": unit}
                rest = rest[m.end() :]
        # fee
        fee = {"kind": "unknown", "amount": None, "currency": "", "description": ""}
        if rest.startswith(_FREE):
            fee["kind"] = "free"
            rest = rest[len(_FREE) :]
        elif rest.startswith("Không có thông tin"):
            rest = rest[len("Không có thông tin") :]
        else:
            m = _FEE_AMOUNT_RE.match(rest)
            if m:
                amount = parse_amount(m.group(1))
                fee["kind"] = "amount"
                fee["amount"] = str(amount) if amount is not None else None
                fee["currency"] = dict(CURRENCIES)[m.group(2)]
                rest = rest[m.end() :]
        if rest.startswith("("):
            end = _balanced(rest, 0)
            inner = rest[1 : end - 1] if rest[end - 1 : end] == ")" else rest[1:end]
            fee["description"] = clean(inner.strip())
            rest = rest[end:]
        row["fee"] = fee
        row["description"] = clean(rest)
        rows.append(row)
    return rows


# --- thành phần hồ sơ: groups of (document | form template | quantity) ----------------------------

_COMPONENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_QUANTITY_RE = re.compile(r"(?<!\d)(\d+) bản chính(?:,\s?(\d+) bản sao)?|(?<!\d)(\d+) bản sao")
# File names run into the next one ("Mau A.docxMau B.docx"): an extension ends where a lower-case letter
# does not follow (case-sensitive on purpose).
_EXTENSION_RE = re.compile(r"\.(?:docx|doc|pdf|xlsx|xls|odt|ods|rtf|zip|rar|DOCX|DOC|PDF|XLSX|XLS)(?![a-z])")


def _is_row_quantity(text: str, match: re.Match) -> bool:
    after = text[match.end() : match.end() + 3]
    stripped = after.lstrip()
    if after.startswith(")"):
        return False
    if stripped and stripped[0].isalpha() and stripped[0].islower():
        return False
    return True


def _filename_start(text: str, lo: int, hi: int, after_file: bool) -> int:
    """Where a form file name ending at text[hi] starts, looking no further back than lo."""
    if after_file:
        return lo
    region_start = lo
    for sep in (". ", "; ", ": "):
        found = text.rfind(sep, lo, hi)
        if found >= 0:
            region_start = max(region_start, found + len(sep))
    for i in range(max(region_start, lo + 1), hi):
        cur, prev = text[i], text[i - 1]
        if prev.isspace() or not (cur.isupper() or cur.isdigit()):
            continue
        if (prev.isalpha() and prev.islower()) or prev in ").;:,]" or (prev.isdigit() and cur.isalpha()):
            return i
    # no visible boundary: the file name is the last word
    space = text.rfind(" ", region_start, hi)
    return space + 1 if space >= 0 else region_start


def split_forms(text: str) -> tuple[str, list[str]]:
    """'Tờ khai theo mẫuMau to khai.docx' → ('Tờ khai theo mẫu', ['Mau to khai.docx'])."""
    matches = list(_EXTENSION_RE.finditer(text))
    if not matches:
        return text.strip(), []
    forms = []
    name_end = None
    lo = 0
    for index, m in enumerate(matches):
        start = _filename_start(text, lo, m.start(), after_file=index > 0 and lo == matches[index - 1].end())
        if index == 0:
            name_end = start
        forms.append(text[start : m.end()].strip())
        lo = m.end()
    name = (text[:name_end] + " " + text[lo:]).strip() if lo < len(text) else text[:name_end].strip()
    return name, [f for f in forms if f]


def parse_components(text: str) -> list[dict]:
    text = clean(text)
    if not text:
        return []
    parts = text.split(_COMPONENT_HEADER)
    components = []
    group = _group_title(parts[0]) if len(parts) > 1 else ""
    bodies = parts[1:] if len(parts) > 1 else parts
    for index, body in enumerate(bodies):
        last = index == len(bodies) - 1
        pos = 0
        for m in _QUANTITY_RE.finditer(body):
            if not _is_row_quantity(body, m):
                continue
            row = body[pos : m.start()].strip()
            pos = m.end()
            if not row:
                continue
            name, forms = split_forms(row)
            if m.group(3) is not None:
                originals, copies = 0, int(m.group(3))
            else:
                originals, copies = int(m.group(1)), int(m.group(2) or 0)
            components.append(
                {"group": group, "name": name, "forms": forms, "originals": originals, "copies": copies}
            )
        tail = body[pos:].strip()
        if last:
            if tail:
                name, forms = split_forms(tail)
                components.append(
                    {"group": group, "name": name, "forms": forms, "originals": None, "copies": None}
                )
        else:
            group = _group_title(tail)
    return components


def _group_title(text: str) -> str:
    text = text.strip()
    return "" if text.strip("-* ") == "" else text


# --- căn cứ pháp lý: (title | number) ----------------------------------------------------------------

_LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
_NUMBER = r"\d+(?:\.\d+)*(?:/\d{4})?/[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*"
_DOC_NUMBER_RE = re.compile(r"(?<![\d/])(" + _NUMBER + r")(?=$|\s|\x00|[A-ZĐÀ-Ỹ][a-zà-ỹđ]|[a-zà-ỹđ]|\d)")
# A title that ends with the number, glued to the number cell: "Luật 60/2014/QH1360/2014/QH13".
_DUPLICATE_RE = re.compile(r"(?<![\d/])(\d+(?:\.\d+)*(?:/\d{4})?/[A-ZĐ][A-ZĐ0-9\-]*?)(?=\1)")


def _resplit(title: str, number: str) -> tuple[str, str]:
    """'Luật 60/2014/QH13' + '60/2014/QH13' glued as 'Luật 60/2014/QH1360/2014/QH13'."""
    lead = re.match(r"\d+", number)
    year = re.match(r"((?:19|20)\d\d)\d", number)
    if year and fold(title).endswith("nam"):
        return title + year.group(1), number[4:]
    for k in range(0, len(lead.group(0)) if lead else 0):
        t, n = title + number[:k], number[k:]
        if n in t:
            return t, n
    return title, number


def parse_legal_basis(text: str) -> list[dict]:
    text = clean(text)
    if not text:
        return []
    text = _DUPLICATE_RE.sub(lambda m: m.group(1) + "\x00", text.replace(_LEGAL_HEADER, "", 1))
    rows = []
    pos = 0
    for m in _DOC_NUMBER_RE.finditer(text):
        if m.start() < pos:
            continue
        number, end = m.group(1), m.end()
        nxt = text[end : end + 1]
        if nxt.isalpha() and nxt.islower() and number[-1].isupper():
            number, end = number[:-1], end - 1  # "NĐ-CPNghị": the N starts the next title
            nxt = text[end : end + 1]
        if nxt == "\x00":  # the title ends with the number, the cell repeats it
            rows.append({"title": clean(text[pos:end]), "number": number})
            pos = end + 1 + len(number)
            continue
        if nxt.isdigit():
            continue
        after = text[end : end + 6]
        if after.startswith(" ") and after[1:2].islower():
            continue  # "… 03/2023/TT-BTP ngày 02/8/2023": still inside the title
        title = text[pos : m.start()]
        if not title.strip():
            continue
        title, number = _resplit(title, number)
        rows.append({"title": clean(title), "number": number})
        pos = end
    tail = clean(text[pos:].replace("\x00", ""))
    if tail:
        rows.append({"title": tail, "number": ""})
    return rows


# --- kết quả: name + "Mã: KQ..." -----------------------------------------------------------------

_RESULT_TAIL_MARKERS = ("Từ khóa", "Chọn cơ quan thực hiện")


def parse_results(text: str) -> tuple[list[dict], str]:
    text = clean(text)
    if not text:
        return [], ""
    description = ""
    cut = len(text)
    for marker in _RESULT_TAIL_MARKERS:
        found = text.find(marker)
        if found >= 0:
            cut = min(cut, found)
    tail = text[cut:]
    body = text[:cut]
    m = re.search(r"Mô tả(.*?)(?:Chọn cơ quan thực hiện|$)", tail, re.S)
    if m:
        description = clean(m.group(1))
    results = []
    pos = 0
    for m in re.finditer(r"Mã:\s?([A-Z0-9][A-Z0-9.\-_]*)", body):
        code = m.group(1)
        end = m.end()
        nxt = body[end : end + 1]
        if nxt and nxt.isalpha() and nxt.islower() and code[-1:].isalpha():
            code, end = code[:-1], end - 1
        name = clean(body[pos : m.start()])
        results.append({"name": name, "code": code.rstrip(".-")})
        pos = end
    rest = clean(body[pos:])
    if rest:
        results.append({"name": rest, "code": ""})
    return results, description


# --- the whole record ----------------------------------------------------------------------------


def parse_levels(text: str) -> list[str]:
    levels = []
    for part in re.split(r"[,;\n]", clean(text)):
        key = fold(part)
        if not key:
            continue
        level = LEVELS.get(key, "other")
        if level not in levels:
            levels.append(level)
    return levels


def split_list(text: str) -> list[str]:
    """Items of a comma-, semicolon- or line-separated list; separators inside parentheses do not split
    ("Tổ chức (không bao gồm doanh nghiệp, HTX)" is one item)."""
    items = []
    for part in _split_top_level(clean(text)):
        part = part.strip(" .")
        if part and part not in items:
            items.append(part)
    return items


def _split_top_level(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char in ",;\n" and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


# The portal's target subjects (đối tượng thực hiện) that contain a comma themselves. Every subject
# in its fixed list starts with a capital letter, so a piece starting in lower case continues the
# previous one ("Cán bộ, công chức, viên chức"); this list also keeps these whole when a file
# capitalises them differently. One place for every ministry's files.
SUBJECT_PHRASES = ("Cán bộ, công chức, viên chức",)
_SUBJECT_PHRASES = {tuple(fold(p) for p in _split_top_level(phrase)): phrase for phrase in SUBJECT_PHRASES}


def join_subjects(pieces: list[str]) -> list[str]:
    """Put back together the subjects a comma split apart: a piece in lower case, or one after an
    unclosed parenthesis, continues the previous piece (lists split by older versions of this parser
    are mended the same way). Idempotent on an already good list."""
    merged: list[str] = []
    index = 0
    while index < len(pieces):
        for key, phrase in _SUBJECT_PHRASES.items():
            window = tuple(fold(p) for p in pieces[index : index + len(key)])
            if window == key:
                merged.append(phrase)
                index += len(key)
                break
        else:
            piece = pieces[index].strip(" .")
            if merged and (piece[:1].islower() or merged[-1].count("(") > merged[-1].count(")")):
                merged[-1] = f"{merged[-1]}, {piece}"
            elif piece:
                merged.append(piece)
            index += 1
    unique: list[str] = []
    for subject in merged:
        if subject not in unique:
            unique.append(subject)
    return unique


def split_subjects(text: str) -> list[str]:
    """Target subjects: 'Tổ chức (không bao gồm doanh nghiệp, HTX), Cán bộ, công chức, viên chức'
    → ['Tổ chức (không bao gồm doanh nghiệp, HTX)', 'Cán bộ, công chức, viên chức']."""
    return join_subjects([part.strip(" .") for part in _split_top_level(clean(text))])


# Where a record may state its online service level (Decree 42/2022: toàn trình, một phần; the older
# scale: mức độ 4, 3, 2, 1). A statement is a phrase about the online service, so "một phần dự án" or
# "tài khoản định danh mức độ 2" say nothing about it.
_LEVEL_STATEMENT_RE = re.compile(
    r"(?:dich vu cong|truc tuyen|dvc|dvctt)(?: truc tuyen)? "
    r"(?:(toan trinh|mot phan)(?: hoac (toan trinh|mot phan))?|(?:o |theo )?muc do ([1-4])(?![0-9]))"
)
_LEVEL_NEGATION_RE = re.compile(r"\b(?:chua|khong)\b")
_LEVEL_BY_WORD = {
    "toan trinh": ONLINE_FULL,
    "4": ONLINE_FULL,
    "mot phan": ONLINE_PARTIAL,
    "3": ONLINE_PARTIAL,
}
_LEVEL_RANK = {ONLINE_INFO: 0, ONLINE_PARTIAL: 1, ONLINE_FULL: 2}
# Keys a portal record (or another ministry's export) may use for the level itself.
LEVEL_KEYS = (
    "muc_do",
    "muc_do_dvc",
    "muc_do_dvctt",
    "muc_do_truc_tuyen",
    "muc_do_dich_vu_cong",
    "muc_do_dich_vu_cong_truc_tuyen",
    "muc_do_cung_cap_dich_vu_cong_truc_tuyen",
)


def online_level_label(text: str) -> str:
    """A field that states the level: 'Toàn trình', 'Dịch vụ công trực tuyến một phần', 'Mức độ 4',
    'Cung cấp thông tin trực tuyến', '3' … → full/partial/info, or '' when it says nothing readable."""
    folded = fold(clean(text))
    if not folded:
        return ""
    if "toan trinh" in folded or re.fullmatch(r"(?:muc do )?4", folded):
        return ONLINE_FULL
    if "mot phan" in folded or re.fullmatch(r"(?:muc do )?3", folded):
        return ONLINE_PARTIAL
    if "thong tin" in folded or re.fullmatch(r"(?:muc do )?[12]", folded):
        return ONLINE_INFO
    return ""


def stated_online_level(text: str) -> str:
    """The highest level a free text states for the online service ('' when it states none).

    "đủ điều kiện thực hiện dịch vụ công trực tuyến toàn trình" → full; "bằng dịch vụ công trực
    tuyến một phần hoặc trực tiếp" → partial; a statement just after "chưa"/"không" does not count."""
    folded = fold(clean(text))
    found = ""
    for match in _LEVEL_STATEMENT_RE.finditer(folded):
        if _LEVEL_NEGATION_RE.search(folded[max(0, match.start() - 30) : match.start()]):
            continue
        for word in filter(None, match.groups()):  # "một phần hoặc toàn trình": both are offered
            level = _LEVEL_BY_WORD.get(word, ONLINE_INFO)
            if not found or _LEVEL_RANK[level] > _LEVEL_RANK[found]:
                found = level
    return found


def online_level(channels: list[dict], name: str = "", record: dict | None = None) -> str:
    """Decree 42/2022 level, from what the record states, in this order of authority:

    1. a field of its own (any of ``LEVEL_KEYS``);
    2. the name ("… thực hiện bằng dịch vụ công trực tuyến toàn trình");
    3. the descriptions of the submission channels ("đủ điều kiện thực hiện dịch vụ công trực tuyến
       toàn trình");
    and when none states it: an online channel → partially online, none → information only.
    Administrators may still correct it per procedure (``Procedure.online_level_override``)."""
    for key in LEVEL_KEYS:
        level = online_level_label((record or {}).get(key) or "")
        if level:
            return level
    stated = stated_online_level(name)
    if not stated:
        for row in channels:
            level = stated_online_level(row.get("description", "")) or stated_online_level(
                (row.get("fee") or {}).get("description", "")
            )
            if level and (not stated or _LEVEL_RANK[level] > _LEVEL_RANK[stated]):
                stated = level
    if stated:
        return stated
    if any(row["channel"] == "online" for row in channels):
        return ONLINE_PARTIAL
    return ONLINE_INFO


def fee_set_locally(channels: list[dict]) -> bool:
    """The fee is decided by the provincial People's Council (so a province may set its own)."""
    return any("hoi dong nhan dan" in fold((row.get("fee") or {}).get("description", "")) for row in channels)


def parse_record(record: dict) -> dict:
    """The portal's detail record → the structured content of a procedure version."""
    if not isinstance(record, dict):
        raise ParseError("bản ghi không phải là một đối tượng JSON")
    code = clean(record.get("ma_thu_tuc"))
    name = clean(record.get("ten_thu_tuc"))
    if not code:
        raise ParseError("thiếu mã thủ tục (ma_thu_tuc)")
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.\-_]{0,39}", code):
        raise ParseError(f"mã thủ tục không hợp lệ: {code[:50]!r}")
    if not name:
        raise ParseError("thiếu tên thủ tục (ten_thu_tuc)")
    channels = parse_channels(record.get("cach_thuc_thuc_hien"))
    results, result_description = parse_results(record.get("ket_qua_xu_ly"))
    content = {
        "code": code,
        "name": name,
        "decision": clean(record.get("so_quyet_dinh")),
        "kind": clean(record.get("loai_thu_tuc")),
        "field": clean(record.get("linh_vuc")),
        "levels": parse_levels(record.get("cap_thuc_hien")),
        "level_text": clean(record.get("cap_thuc_hien")),
        "subjects": split_subjects(record.get("doi_tuong_thuc_hien")),
        "competent_agency": clean(record.get("co_quan_co_tham_quyen")),
        "implementing_agency": clean(record.get("co_quan_thuc_hien")),
        "authorised_agency": clean(record.get("co_quan_duoc_uy_quyen")),
        "coordinating_agency": clean(record.get("co_quan_phoi_hop")),
        "receiving_address": clean(record.get("dia_chi_tiep_nhan")),
        "related": clean(record.get("thu_tuc_lien_quan")),
        "steps": clean(record.get("trinh_tu_thuc_hien")),
        "channels": channels,
        "components": parse_components(record.get("thanh_phan_ho_so")),
        "conditions": clean(record.get("yeu_cau_dieu_kien")),
        "legal_basis": parse_legal_basis(record.get("can_cu_phap_ly")),
        "results": results,
        "result_description": result_description,
        "source_url": clean(record.get("detail_url")),
    }
    content["online_level"] = online_level(channels, name, record)
    content["fee_set_locally"] = fee_set_locally(channels)
    return content
