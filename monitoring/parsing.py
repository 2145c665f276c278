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
    "human_resources": ("nhan luc", "nguon nhan luc", "can bo", "human", "staff"),
}
_GROUP_SEPARATORS = re.compile(r"[;,\n/+|]|\bva\b|\band\b")


def _group_key(part: str) -> str | None:
    text = ascii_key(part).strip(" .")
    if text in {"1", "2", "3", "4"}:
        return TASK_GROUPS[int(text) - 1].key
    text = text.replace("_", " ")
    for key, words in _GROUP_WORDS.items():
        if text == key.replace("_", " ") or any(word in text for word in words):
            return key
    return None


def parse_groups(value: object) -> str | None:
    """Parse task groups written as names, keys or numbers 1–4, separated by ";", ",", "/" or "và".

    Returns the keys joined by ";" in the model's order, or None for an empty cell.
    """
    if value is None or str(value).strip() == "":
        return None
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)

    found = []
    for part in _split_groups(text):
        key = _group_key(part)
        if key is None:
            raise ValueProblem(
                f"Nhóm nhiệm vụ “{text.strip()}” không hợp lệ. Hãy ghi một hoặc nhiều nhóm, cách nhau bởi dấu chấm phẩy: "
                "Thể chế; Hạ tầng; Nền tảng; Nhân lực (hoặc số 1–4).",
                f"Task groups “{text.strip()}” are not valid. Write one or more groups separated by semicolons: "
                "Institutional; Infrastructure; Platforms; Human resources (or numbers 1–4).",
            )
        found.append(key)
    ordered = [group.key for group in TASK_GROUPS if group.key in found]
    return ";".join(ordered)


def _split_groups(text: str) -> list[str]:
    """Split a groups cell. A group name with a comma or "và" in it ("Thể chế, pháp lý")
    splits into parts of the same group, which the caller merges."""
    return [part for part in _GROUP_SEPARATORS.split(ascii_key(text)) if part.strip()]


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
