"""Parsers for the fields of the import columns that `monitoring.values` doesn't cover:
task groups, score periods and scores."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from geo.names import ascii_key
from monitoring.model import SCORE_MAXIMUM, TASK_GROUPS
from monitoring.values import ValueProblem, parse_number

_GROUP_WORDS = {
    "institutional": ("the che", "phap ly", "phap luat", "institutional", "legal"),
    "infrastructure": ("ha tang", "co so du lieu", "csdl", "infrastructure", "database"),
    "platforms": ("nen tang", "ung dung", "platform", "application"),
    "human_resources": ("nhan luc", "can bo", "human", "staff"),
}
_WORD_PATTERNS = {
    key: re.compile(r"\b(" + "|".join(re.escape(word) for word in words) + r")\b") for key, words in _GROUP_WORDS.items()
}
_HARD_SEPARATORS = re.compile(r"[;\n\r/+|&]|\s[-–—]\s")
_NUMBERS = re.compile(r"^[\d\s,.]+$")


def _groups_in(chunk: str) -> list[str] | None:
    """Return the groups one chunk of a groups cell names, or None when it names none.

    A chunk may name one group in words that contain a comma ("Thể chế, pháp lý",
    "Nền tảng số dùng chung cho người dân, doanh nghiệp"), several groups ("Thể chế và
    Nhân lực", "Hạ tầng - Nền tảng"), or group numbers ("1, 3").
    """
    text = ascii_key(chunk).strip(" .")
    if _NUMBERS.match(text):
        numbers = [part for part in re.split(r"[\s,.]+", text) if part]
        if all(part in {"1", "2", "3", "4"} for part in numbers):
            return [TASK_GROUPS[int(part) - 1].key for part in numbers]
        return None
    text = text.replace("_", " ")
    found = [key for key, pattern in _WORD_PATTERNS.items() if pattern.search(text) or text == key.replace("_", " ")]
    return found or None


def parse_groups(value: object) -> str | None:
    """Parse task groups written as names, keys or numbers 1–4, separated by ";", a line
    break, "/", "+", "&", " - ", "," or "và".

    Returns the keys joined by ";" in the model's order, or None for an empty cell.
    """
    if value is None or str(value).strip() == "":
        return None
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)

    found = []
    for chunk in _HARD_SEPARATORS.split(text):
        if not chunk.strip():
            continue
        keys = _groups_in(chunk)
        if keys is None:
            raise ValueProblem(
                f"Nhóm nhiệm vụ “{chunk.strip()}” không hợp lệ. Hãy ghi một hoặc nhiều nhóm, cách nhau bởi dấu "
                "chấm phẩy: Thể chế; Hạ tầng; Nền tảng; Nhân lực (hoặc số 1–4).",
                f"Task group “{chunk.strip()}” is not valid. Write one or more groups separated by semicolons: "
                "Institutional; Infrastructure; Platforms; Human resources (or numbers 1–4).",
            )
        found.extend(keys)
    ordered = [group.key for group in TASK_GROUPS if group.key in found]
    return ";".join(ordered)


_YEAR = re.compile(r"^(\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(?:thang\s*|t\s*)?(\d{1,2})\s*[-/.]\s*(\d{4})$")


def parse_period(value: object) -> str | None:
    """Parse a score period: a year ("2025") or a month ("2025-10", "10/2025", "T10/2025",
    "Tháng 10/2025", or a date cell). Returns "YYYY" or "YYYY-MM"."""
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, (datetime, date)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, (int, float)) and float(value).is_integer():
        value = str(int(value))

    text = " ".join(unicodedata.normalize("NFD", str(value)).encode("ascii", "ignore").decode().lower().split())
    if match := _YEAR.match(text):
        return match.group(1)
    if match := _YEAR_MONTH.match(text):
        return _month(match.group(1), match.group(2), value)
    if match := _MONTH_YEAR.match(text):
        return _month(match.group(2), match.group(1), value)
    raise ValueProblem(
        f"Kỳ đánh giá “{value}” không hợp lệ. Hãy ghi năm (2025) hoặc tháng (10/2025).",
        f"Period “{value}” is not valid. Write a year (2025) or a month (10/2025).",
    )


def _month(year: str, month: str, value: object) -> str:
    if not 1 <= int(month) <= 12:
        raise ValueProblem(
            f"Kỳ đánh giá “{value}” có tháng không hợp lệ. Hãy ghi tháng từ 1 đến 12.",
            f"Period “{value}” has an invalid month. Write a month from 1 to 12.",
        )
    return f"{year}-{int(month):02d}"


def parse_score(value: object, maximum: float) -> float | None:
    """Parse a score between 0 and ``maximum`` points."""
    number = parse_number(value)
    if number is None:
        return None
    if not 0 <= number <= maximum:
        raise ValueProblem(
            f"Điểm {value} nằm ngoài khoảng 0–{maximum:g}. Hãy kiểm tra lại điểm.",
            f"Score {value} is outside 0–{maximum:g}. Check the score.",
        )
    return number


def score_maximum(key: str) -> float:
    return SCORE_MAXIMUM.get(key, 100.0)
