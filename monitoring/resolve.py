"""Resolve the unit of a row (a code, a name, or both) to an official GSO code.

A code and a name that name different units is an error, never a guess. A valid
code with a name that can't be matched is used with a warning. Results are cached
per distinct cell values, since a file repeats each unit on many rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from geo.matching import Match, match_commune, match_province
from geo.names import ascii_key
from geo.units import communes, provinces
from monitoring.problems import ERROR, WARNING
from monitoring.values import ValueProblem, parse_code, parse_text


@dataclass(frozen=True)
class Finding:
    """A problem with a row's unit: severity, the field it concerns and the messages."""

    severity: str
    field: str
    value: object
    message_vi: str
    message_en: str


@dataclass(frozen=True)
class Resolved:
    """The official code of a row's unit (None when unresolved) and what was found on the way."""

    code: str | None
    findings: tuple[Finding, ...] = ()


_COMMUNE_PREFIX = re.compile(r"^(ubnd )?(xa|phuong|dac khu)\b")


_PROVINCE_PREFIX = re.compile(r"^(ubnd )?(tinh|thanh pho|tp)\b")


def looks_like_commune(name: str) -> bool:
    """Tell whether a name is written as a commune ("Xã …", "UBND phường …")."""
    return bool(_COMMUNE_PREFIX.match(ascii_key(name)))


@lru_cache(maxsize=16_384)
def name_level(name: str) -> str:
    """Tell which level a unit name written in a generic column names.

    Returns "commune" or "province" when the prefix or the official lists settle it,
    "both" for a bare name that is a province and a commune ("Lào Cai" is a province
    and Phường Lào Cai), and "unknown" when it names neither.
    """
    if looks_like_commune(name):
        return "commune"
    if _PROVINCE_PREFIX.match(ascii_key(name)) and match_province(name).status in ("matched", "former"):
        return "province"

    is_province = match_province(name).status in ("matched", "former")
    is_commune = match_commune(name).status in ("matched", "ambiguous")
    if is_province and is_commune:
        return "both"
    if is_province:
        return "province"
    return "commune" if is_commune else "unknown"


def _match_fix(match: Match, english: bool) -> str:
    if match.status == "former":
        return (
            f"Write the current province, {match.name} (code {match.code})."
            if english
            else f"Hãy ghi tên tỉnh, thành phố hiện nay: {match.name} (mã {match.code})."
        )
    if match.status == "ambiguous":
        return "The unit code also settles it." if english else "Cũng có thể ghi mã đơn vị."
    return (
        "Check the spelling against the official list, or give the code."
        if english
        else "Hãy kiểm tra chính tả theo danh mục chính thức, hoặc ghi mã đơn vị."
    )


def _match_finding(match: Match, field_key: str, severity: str = ERROR) -> Finding:
    return Finding(
        severity,
        field_key,
        match.query,
        f"{match.message('vi')} {_match_fix(match, False)}",
        f"{match.message('en')} {_match_fix(match, True)}",
    )


def _code_finding(code: str, level: str, field_key: str) -> Finding:
    if level == "province":
        return Finding(
            ERROR,
            field_key,
            code,
            f"Mã tỉnh “{code}” không có trong danh mục 34 tỉnh, thành phố. Hãy ghi mã 2 chữ số, ví dụ 01 là Hà Nội.",
            f"Province code “{code}” is not one of the 34 provinces. Write the two-digit code, e.g. 01 for Hà Nội.",
        )
    return Finding(
        ERROR,
        field_key,
        code,
        f"Mã xã “{code}” không có trong danh mục 3.321 xã, phường. Hãy ghi mã 5 chữ số theo danh mục chính thức.",
        f"Commune code “{code}” is not one of the 3,321 communes. Write the five-digit official code.",
    )


def _conflict(code: str, official: str, name: str, named: str, field_key: str) -> Finding:
    return Finding(
        ERROR,
        field_key,
        name,
        f"Mã {code} là {official}, nhưng tên “{name}” là {named}. Hãy sửa mã hoặc tên cho khớp.",
        f"Code {code} is {official}, but the name “{name}” is {named}. Correct the code or the name so they agree.",
    )


def _unused_name(match: Match, official: str, field_key: str) -> Finding:
    return Finding(
        WARNING,
        field_key,
        match.query,
        f"Tên “{match.query}” không khớp chắc chắn với đơn vị nào; đã dùng mã, tức {official}.",
        f"The name “{match.query}” does not match one unit for certain; the code was used, which is {official}.",
    )


@dataclass
class UnitResolver:
    """Resolve provinces and communes, caching each distinct query."""

    _cache: dict[tuple, Resolved] = field(default_factory=dict)

    def province(self, code: object, name: object, code_field: str, name_field: str) -> Resolved:
        key = ("province", code, name, code_field, name_field)
        if key not in self._cache:
            self._cache[key] = self._province(code, name, code_field, name_field)
        return self._cache[key]

    def commune(self, code: object, name: object, province: Resolved | None, code_field: str, name_field: str) -> Resolved:
        key = ("commune", code, name, province.code if province else None, code_field, name_field)
        if key not in self._cache:
            self._cache[key] = self._commune(code, name, province, code_field, name_field)
        return self._cache[key]

    def _parse_code(self, raw: object, digits: int, field_key: str) -> tuple[str | None, list[Finding]]:
        try:
            return parse_code(raw, digits), []
        except ValueProblem as problem:
            return None, [Finding(ERROR, field_key, raw, problem.message("vi"), problem.message("en"))]

    def _province(self, raw_code: object, raw_name: object, code_field: str, name_field: str) -> Resolved:
        code, findings = self._parse_code(raw_code, 2, code_field)
        if code is not None and code not in provinces().index:
            return Resolved(None, (*findings, _code_finding(code, "province", code_field)))

        name = parse_text(raw_name)
        if name is None:
            return Resolved(code, tuple(findings))
        if code is None and name.isdecimal():
            return self._province(name, None, name_field, name_field)
        match = match_province(name)
        return self._combine(code, match, "province", name_field, findings)

    def _combine(self, code: str | None, match: Match, level: str, name_field: str, findings: list[Finding]) -> Resolved:
        official = provinces()["name"] if level == "province" else communes()["name"]
        if code is None:
            if match.status == "matched":
                return Resolved(match.code, tuple(findings))
            return Resolved(None, (*findings, _match_finding(match, name_field)))

        if match.status == "matched" and match.code != code:
            return Resolved(None, (*findings, _conflict(code, official[code], match.query, match.name, name_field)))
        if match.status == "former":
            if match.code != code:
                return Resolved(None, (*findings, _conflict(code, official[code], match.query, match.name, name_field)))
            return Resolved(code, (*findings, _match_finding(match, name_field, WARNING)))
        if match.status == "ambiguous":
            candidates = {candidate.code: candidate.name for candidate in match.candidates}
            if code in candidates:
                return Resolved(code, tuple(findings))
            named = ", ".join(candidates.values())
            return Resolved(None, (*findings, _conflict(code, official[code], match.query, named, name_field)))
        if match.status == "unknown":
            return Resolved(code, (*findings, _unused_name(match, official[code], name_field)))
        return Resolved(code, tuple(findings))

    def _commune(
        self, raw_code: object, raw_name: object, province: Resolved | None, code_field: str, name_field: str
    ) -> Resolved:
        code, findings = self._parse_code(raw_code, 5, code_field)
        if code is not None and code not in communes().index:
            return Resolved(None, (*findings, _code_finding(code, "commune", code_field)))

        scope = province.code if province else None
        if code is not None and scope is not None and communes().at[code, "province_code"] != scope:
            official = communes().at[code, "name"]
            in_province = provinces().at[communes().at[code, "province_code"], "name"]
            finding = Finding(
                ERROR,
                code_field,
                code,
                f"Mã xã {code} là {official} thuộc {in_province}, không thuộc {provinces().at[scope, 'name']}. "
                "Hãy sửa mã xã hoặc tỉnh.",
                f"Commune code {code} is {official} in {in_province}, not in {provinces().at[scope, 'name']}. "
                "Correct the commune code or the province.",
            )
            return Resolved(None, (*findings, finding))

        name = parse_text(raw_name)
        if name is None:
            return Resolved(code, tuple(findings))
        if code is None and name.isdecimal():
            return self._commune(name, None, province, name_field, name_field)
        match = match_commune(name, province=provinces().at[scope, "name"] if scope else None)
        return self._combine(code, match, "commune", name_field, findings)
