"""Match province and commune names as people write them to the official units.

A name matches only when it equals one official name after normalisation (see
`geo.names`). A name that fits several units, or none, is reported with its closest
official units so that a person can choose. The matcher never guesses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from geo.crosswalk import find_former_codes, former_provinces
from geo.names import (
    PROVINCE_ABBREVIATIONS,
    NameIndex,
    ascii_key,
    has_diacritics,
    lookup_levels,
    name_key,
    spaced_invisibles,
    strip_district_prefix,
    strip_prefixes,
)
from geo.units import communes, province_code, provinces

__all__ = ["Candidate", "Match", "match_commune", "match_province", "split_unit_name"]

MAX_CANDIDATES = 5
# Minimum difflib ratio for an official name to be offered as a close candidate.
MIN_CANDIDATE_SCORE = 0.6
# Maximum length of a name, after stripping surrounding spaces. The longest official
# name is well under 100 characters, so a longer text is not a unit name.
MAX_NAME_LENGTH = 200

# Values of `Match.reason`.
_TOO_LONG = "too long"
_DISTRICT = "district"

_STATUSES = ("matched", "former", "ambiguous", "unknown")
_LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class Candidate:
    """An official unit offered for a name that did not match exactly one unit.

    ``name`` is the official name. For a commune it ends with the province in
    brackets, e.g. "Xã Tân Hòa (An Giang)". ``score`` is a difflib similarity from 0
    to 1, and 1.0 for every unit of an ambiguous name.
    """

    code: str
    name: str
    score: float


@dataclass(frozen=True)
class Match:
    """The outcome of matching one name.

    ``status`` is one of four values:

    - "matched": ``code`` and ``name`` are the official unit.
    - "former": the name is a pre-2025 province. ``code`` and ``name`` are the
      current province that it belongs to, and ``former_name`` is its official
      former name.
    - "ambiguous": several units have the name. ``candidates`` lists them.
    - "unknown": no unit has the name. ``candidates`` are the closest official
      names, possibly none.

    ``reason`` is set for two kinds of "unknown" name: "too long" for a name of more
    than `MAX_NAME_LENGTH` characters, and "district" for a commune query that starts
    with a pre-2025 district-level type such as "Quận" or "Thành phố".
    """

    query: str
    status: str
    code: str | None
    name: str | None
    candidates: tuple[Candidate, ...]
    former_name: str | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        if self.status not in _STATUSES:
            raise ValueError(f"Invalid status {self.status!r}: expected one of {_STATUSES}")

    def message(self, lang: str = "vi") -> str:
        """Describe the outcome in one or two sentences for users.

        Parameters
        ----------
        lang : {"vi", "en"}, default "vi"
            Vietnamese or English.

        Examples
        --------
        >>> match_province("Hà Giang").message()
        'Hà Giang: tỉnh cũ, đã hợp nhất vào tỉnh Tuyên Quang từ ngày 01/07/2025.'
        >>> match_province("Hà Giang").message("en")
        'Hà Giang is a former province, merged into Tuyên Quang on 1 July 2025.'
        """
        if lang not in _LANGUAGES:
            raise ValueError(f"Invalid language {lang!r}: expected one of {_LANGUAGES}")

        english = lang == "en"
        query = self.query.strip()
        if not query:
            return "The unit name is empty." if english else "Tên đơn vị hành chính bị để trống."
        listed = ", ".join(candidate.name for candidate in self.candidates)

        if self.reason == _TOO_LONG:
            if english:
                return f"The unit name is too long: {len(query)} characters, maximum {MAX_NAME_LENGTH}."
            return f"Tên đơn vị quá dài: {len(query)} ký tự, tối đa {MAX_NAME_LENGTH}."

        if self.reason == _DISTRICT:
            return _district_message(query, listed, english)

        if self.status == "matched":
            if english:
                return f"“{query}” matched {self.name} (code {self.code})."
            return f"“{query}” khớp với {self.name} (mã {self.code})."

        if self.status == "former":
            return _former_message(self.former_name, self.code, english)

        if self.status == "ambiguous":
            hint = _ambiguity_hint(self.candidates, english)
            if english:
                return f"“{query}” matches several units, including {listed}. {hint}"
            return f"“{query}” khớp với nhiều đơn vị, trong đó có: {listed}. {hint}"

        if self.candidates:
            if english:
                return f"“{query}” was not found. Closest names: {listed}."
            return f"Không tìm thấy “{query}”. Tên gần nhất: {listed}."
        if english:
            return f"“{query}” was not found among the official administrative units."
        return f"Không tìm thấy “{query}” trong danh sách đơn vị hành chính."


def _former_message(former_name: str | None, code: str | None, english: bool) -> str:
    short_name = provinces().loc[code, "short_name"]
    division = provinces().loc[code, "division_type"]

    # Thừa Thiên Huế was renamed in January 2025 and kept its area and code, so the
    # message calls it the former name of Huế rather than a merged province.
    if short_name == "Huế":
        if english:
            return (
                f"{former_name} is the former name of Huế, "
                f"a centrally-run city since 1 January 2025."
            )
        return (
            f"{former_name}: tên cũ của thành phố Huế, "
            f"thành phố trực thuộc trung ương từ ngày 01/01/2025."
        )

    city = division != "tỉnh"
    if english:
        place = f"{short_name} City" if city else short_name
        return f"{former_name} is a former province, merged into {place} on 1 July 2025."
    place = f"thành phố {short_name}" if city else f"tỉnh {short_name}"
    return f"{former_name}: tỉnh cũ, đã hợp nhất vào {place} từ ngày 01/07/2025."


def _district_message(query: str, listed: str, english: bool) -> str:
    if english:
        message = (
            f"“{query}” looks like a pre-2025 district-level unit (quận, huyện, thị xã or "
            f"provincial city), and these no longer exist since 1 July 2025. "
            f"Give the commune (xã or phường) name."
        )
        return f"{message} Communes with this name: {listed}." if listed else message
    message = (
        f"“{query}” có vẻ là đơn vị cấp huyện trước năm 2025 (quận, huyện, thị xã hoặc "
        f"thành phố thuộc tỉnh), cấp này không còn từ ngày 01/07/2025. "
        f"Hãy ghi tên xã, phường."
    )
    return f"{message} Xã, phường có tên này: {listed}." if listed else message


def _ambiguity_hint(candidates: tuple[Candidate, ...], english: bool) -> str:
    """Tell the user what would single out one unit: the province, or the diacritics."""
    commune_provinces = {
        _commune_columns()[0][candidate.code]
        for candidate in candidates
        if len(candidate.code) == 5
    }
    if len(commune_provinces) > 1:
        if english:
            return "Give the province to choose one."
        return "Hãy ghi rõ tỉnh, thành phố."
    if english:
        return "Type the name with diacritics to choose one."
    return "Hãy gõ tên có dấu."


# --- Indices, built once ---------------------------------------------------------


@lru_cache(maxsize=1)
def _province_index() -> NameIndex[str]:
    table = provinces()
    codes = {name: code for code, name in table["short_name"].items()}
    entries = [(name, code) for code, name in table["name"].items()]
    entries += list(codes.items())
    entries += [
        (abbreviation, codes[name])
        for abbreviation, name in PROVINCE_ABBREVIATIONS.items()
        if name in codes
    ]
    return NameIndex(entries)


@lru_cache(maxsize=1)
def _commune_index() -> NameIndex[str]:
    table = communes()
    entries = [(name, code) for code, name in table["name"].items()]
    entries += [(name, code) for code, name in table["short_name"].items()]
    return NameIndex(entries)


@lru_cache(maxsize=1)
def _official_names() -> dict[str, str]:
    """Map each province and commune code to its official name."""
    return {**provinces()["name"].to_dict(), **communes()["name"].to_dict()}


@lru_cache(maxsize=1)
def _commune_columns() -> tuple[dict[str, str], dict[str, str]]:
    """Return the province code and the division type of each commune, by code."""
    table = communes()
    return table["province_code"].to_dict(), table["division_type"].to_dict()


@lru_cache(maxsize=1)
def _commune_codes_by_province() -> dict[str, frozenset[str]]:
    grouped = communes().groupby("province_code").groups
    return {code: frozenset(index) for code, index in grouped.items()}


@lru_cache(maxsize=1)
def _commune_labels() -> dict[str, str]:
    """Map each commune code to its official name followed by its province."""
    table = communes()
    province_names = provinces()["short_name"]
    return {
        code: f"{row.name} ({province_names[row.province_code]})"
        for code, row in zip(table.index, table.itertuples(index=False))
    }


@lru_cache(maxsize=1)
def _province_keys() -> list[tuple[str, str, str]]:
    table = provinces()
    return [(name_key(name), ascii_key(name), code) for code, name in table["short_name"].items()]


@lru_cache(maxsize=1)
def _commune_keys() -> dict[str | None, list[tuple[str, str, str]]]:
    """Return the short-name keys of communes, by province code and under None for all."""
    table = communes()
    keys: dict[str | None, list[tuple[str, str, str]]] = {None: []}
    for code, row in zip(table.index, table.itertuples(index=False)):
        entry = (name_key(row.short_name), ascii_key(row.short_name), code)
        keys[None].append(entry)
        keys.setdefault(row.province_code, []).append(entry)
    return keys


# --- Shared steps ----------------------------------------------------------------


def _check_text(value: object, parameter: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{parameter} must be a str, got {type(value).__name__}: {value!r}")


def _readings(text: str) -> set[tuple[str | None, str]]:
    """Return the ways to read a name.

    Prefixes are read both with and without folding diacritics, and invisible
    characters both as nothing and as a space ("Hà\u200bNội").
    """
    readings = set()
    for variant in {text, spaced_invisibles(text)}:
        readings |= {strip_prefixes(variant), strip_prefixes(variant, fold=False)}
    return readings


def _too_long(name: str) -> Match | None:
    if len(name.strip()) > MAX_NAME_LENGTH:
        return Match(name, "unknown", None, None, (), reason=_TOO_LONG)
    return None


def _closest(text: str, keys: Iterable[tuple[str, str, str]]) -> list[tuple[str, float]]:
    """Rank official names by difflib similarity to the text, best first."""
    use_ascii = not has_diacritics(text)
    query = ascii_key(text) if use_ascii else name_key(text)
    matcher = SequenceMatcher(autojunk=False)
    # SequenceMatcher caches what it learns about seq2, so the query goes there.
    matcher.set_seq2(query)

    best: dict[str, float] = {}
    for exact, folded, code in keys:
        matcher.set_seq1(folded if use_ascii else exact)
        if matcher.real_quick_ratio() < MIN_CANDIDATE_SCORE:
            continue
        if matcher.quick_ratio() < MIN_CANDIDATE_SCORE:
            continue
        score = matcher.ratio()
        if score >= MIN_CANDIDATE_SCORE and score > best.get(code, 0.0):
            best[code] = score

    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:MAX_CANDIDATES]


def _province_candidates(codes: Iterable[tuple[str, float]]) -> tuple[Candidate, ...]:
    names = _official_names()
    return tuple(Candidate(code, names[code], round(score, 3)) for code, score in codes)


def _commune_candidates(codes: Iterable[tuple[str, float]]) -> tuple[Candidate, ...]:
    labels = _commune_labels()
    return tuple(Candidate(code, labels[code], round(score, 3)) for code, score in codes)


def _tied(codes: Iterable[str]) -> list[tuple[str, float]]:
    return [(code, 1.0) for code in sorted(codes)[:MAX_CANDIDATES]]


# --- Provinces -------------------------------------------------------------------


def match_province(name: str) -> Match:
    """Match a province name to one of the 34 current provinces.

    Accepts official and short names ("Thành phố Hà Nội", "Hà Nội"), any prefix
    ("Tỉnh", "TP.", "Thủ đô", "UBND tỉnh …"), the abbreviations "TP HCM", "TPHCM",
    "HCM" and "Sài Gòn", and names typed without diacritics ("Khanh Hoa"), which
    match only when one province has that spelling. A pre-2025 province name
    ("Hà Giang", "Bà Rịa - Vũng Tàu") gives status "former" with the code of the
    province it belongs to now. A name that is both former and current
    ("Tuyên Quang") matches the current province.

    Parameters
    ----------
    name : str
        The province name as written.

    Returns
    -------
    Match
        ``status`` is "matched", "former", "ambiguous" or "unknown"; see `Match`.

    Examples
    --------
    >>> match_province("TP HCM").code
    '79'
    >>> match_province("Bình Dương").status, match_province("Bình Dương").code
    ('former', '79')
    """
    _check_text(name, "name")
    too_long = _too_long(name)
    if too_long is not None:
        return too_long

    found = _find_province(name)
    if found is not None:
        return found

    closest = _closest(strip_prefixes(name)[1], _province_keys())
    return Match(name, "unknown", None, None, _province_candidates(closest))


def _find_province(name: str) -> Match | None:
    """Match a province name without the search for close candidates, or return None."""
    texts = {rest for _, rest in _readings(name)}
    names = _official_names()

    for level in lookup_levels(name):
        codes = set().union(*(_province_index().find(text, level) for text in texts))
        if len(codes) == 1:
            code = codes.pop()
            return Match(name, "matched", code, names[code], ())
        if codes:
            return Match(name, "ambiguous", None, None, _province_candidates(_tied(codes)))

        former = _match_former(name, texts, level)
        if former is not None:
            return former
    return None


def _match_former(name: str, texts: set[str], level: str) -> Match | None:
    former_codes = set().union(*(find_former_codes(text, level) for text in texts))
    if not former_codes:
        return None

    rows = former_provinces().loc[sorted(former_codes)]
    if len(rows) > 1:
        new_codes = set(rows["province_code"])
        return Match(name, "ambiguous", None, None, _province_candidates(_tied(new_codes)))

    row = rows.iloc[0]
    code = row["province_code"]
    official_name = _official_names()[code]
    # The new province is also a candidate, so that reports built from candidates show its code.
    candidates = (Candidate(code, official_name, 1.0),)
    return Match(name, "former", code, official_name, candidates, row["former_name"])


def _resolve_province(province: str) -> str:
    """Return the two-digit code for a province given as a code or a name."""
    _check_text(province, "province")
    if province.strip().isdecimal():
        code = province_code(province.strip())
        if code in provinces().index:
            return code
        raise ValueError(
            f"Province code {province!r} not found: expected one of the 34 current "
            f"two-digit codes, e.g. '01' for Hà Nội"
        )

    match = match_province(province)
    if match.status in ("matched", "former"):
        return match.code
    raise ValueError(f"Province {province!r} not found. {match.message('en')}")


# --- Splitting "UBND xã X - tỉnh Y" ----------------------------------------------

# A comma, or a dash with or without spaces around it.
_SEPARATOR = re.compile(r"\s*,\s*|\s*[-‐‑‒–—―−]\s*")

# Maximum length of a province part such as "Ủy ban nhân dân Thành phố Hồ Chí Minh".
# Longer texts after a separator are not tried as provinces, which keeps splitting
# a text with many dashes linear instead of quadratic.
_MAX_PROVINCE_PART_LENGTH = 60

# Pre-2025 district types, by `ascii_key` and followed by a space.
_DISTRICT_PREFIXES = tuple(ascii_key(word) + " " for word in ("huyện", "quận", "thị xã", "thành phố", "tp"))


def _is_province_part(text: str) -> bool:
    """Tell whether the text names a province, even one that is not in the list.

    "Tỉnh …" always names a province. "Thành phố …" may also be a pre-2025
    district-level city ("thành phố Đà Lạt"), so it must match a province.
    """
    if strip_prefixes(text, fold=False)[0] == "tỉnh":
        return True
    found = _find_province(text)
    return found is not None and found.status in ("matched", "former")


def _is_district_part(text: str) -> bool:
    # The longest prefix, "thành phố ", has 10 characters, so the key of a short head
    # is enough and a long text costs no more than a short one.
    return ascii_key(text[:16] + " ").startswith(_DISTRICT_PREFIXES)


def _drop_districts(text: str) -> str:
    """Remove the pre-2025 district from "Xã X, huyện Z" so that only the commune remains."""
    for separator in _SEPARATOR.finditer(text):
        if _is_district_part(text[separator.end():]):
            return text[: separator.start()]
    return text


def _split_at_separator(text: str) -> tuple[str, str] | None:
    """Split "Xã X - tỉnh Y" at the last separator that a province follows, if any."""
    for separator in reversed(list(_SEPARATOR.finditer(text))):
        left, right = text[: separator.start()], text[separator.end():]
        if len(right) > _MAX_PROVINCE_PART_LENGTH:
            break
        if left and right and _is_province_part(right):
            return _drop_districts(left), right
    return None


_BRACKETED_PROVINCE = re.compile(r"^(?P<commune>.+?)\s*\((?P<province>[^()]+)\)$")
"""The form this module's own messages list candidates in: "Phường Ba Đình (Hà Nội)"."""


def _split_province_suffix(text: str) -> tuple[str, str] | None:
    """Split "commune - province", "commune, province" or "commune (province)"."""
    bracketed = _BRACKETED_PROVINCE.match(text)
    if bracketed and _is_province_part(bracketed["province"]):
        return bracketed["commune"], bracketed["province"]
    return _split_at_separator(text)


def _split(text: str) -> tuple[str | None, str]:
    """Split a name into its commune and province parts, keeping their prefixes."""
    text = " ".join(text.split())
    parts = _split_province_suffix(text)
    if parts is not None:
        return parts

    division, _ = strip_prefixes(text, fold=False)
    if division in ("xã", "phường", "đặc khu", "thị trấn"):
        return text, ""
    if _is_province_part(text):
        return None, text
    return text, ""


def split_unit_name(text: str) -> tuple[str | None, str]:
    """Split a unit name into its commune part and its province part.

    Understands the portal form "UBND xã Tân Hòa - tỉnh An Giang", commas
    ("Xã Tân Hòa, tỉnh An Giang"), dashes with or without spaces, and an old
    district in between ("Xã X, huyện Z, tỉnh Y"). A dash inside a commune name
    ("Văn Miếu - Quốc Tử Giám") does not split it, because a split needs a province
    after the separator.

    Returns
    -------
    tuple of (str or None, str)
        The commune part without its prefix, or None when the text names only a
        province, and the province part without its prefix, or "" when the text
        names no province.

    Examples
    --------
    >>> split_unit_name("UBND xã Tân Hòa - tỉnh An Giang")
    ('Tân Hòa', 'An Giang')
    >>> split_unit_name("UBND tỉnh An Giang")
    (None, 'An Giang')
    """
    _check_text(text, "text")
    commune, province = _split(text)
    commune_name = strip_prefixes(commune, fold=False)[1] if commune is not None else None
    province_name = strip_prefixes(province, fold=False)[1] if province else ""
    return commune_name, province_name


# --- Communes --------------------------------------------------------------------


def match_commune(name: str, province: str | None = None) -> Match:
    """Match a commune name to one of the 3,321 communes.

    The same commune name exists in several provinces, so the search runs within
    ``province`` when it is given, else within the province named in the text
    ("UBND xã Tân Hòa - tỉnh An Giang", "Xã Tân Hòa, An Giang"). With no province at
    all the search is national, and a name that several communes share is
    "ambiguous". A division prefix in the text ("Xã", "Phường", "Đặc khu") breaks a
    tie between units of different types, but a name without it still matches.

    Parameters
    ----------
    name : str
        The commune name as written.
    province : str, optional
        A current province as a two-digit code ("91") or a name in any form that
        `match_province` accepts, former names included. It takes precedence over a
        province named in ``name``.

    A commune part that starts with a pre-2025 district-level type ("Thành phố Thủ
    Đức", "TP Thủ Dầu Một", "Quận 1", "Huyện Củ Chi", "Thị xã Bến Cát") is "unknown"
    with ``reason`` "district", because such a unit was split into several of
    today's communes. Its candidates are the communes that have the rest of the name.

    Returns
    -------
    Match
        ``status`` is "matched", "ambiguous" or "unknown"; see `Match`. A commune
        never has status "former".

    Raises
    ------
    ValueError
        If ``province`` is given but matches no province or several.

    Examples
    --------
    >>> match_commune("Tân Hòa").status
    'ambiguous'
    >>> match_commune("UBND xã Hòa Thuận - tỉnh An Giang").code
    '30949'
    """
    _check_text(name, "name")
    too_long = _too_long(name)
    if too_long is not None:
        return too_long

    # A text without a separator is read as a commune name even when a province has
    # that name too, as "Phú Thọ" and "Quảng Ninh" are also communes.
    commune_text, province_part = _split_province_suffix(" ".join(name.split())) or (name, "")

    scope: str | None = None
    if province is not None:
        scope = _resolve_province(province)
    elif province_part:
        province_match = match_province(province_part)
        if province_match.status not in ("matched", "former"):
            return _unknown_commune(name, commune_text, None)
        scope = province_match.code

    district, rest = strip_district_prefix(commune_text)
    if district is not None:
        return _district_match(_match_in_scope(name, rest, scope))

    match = _match_in_scope(name, commune_text, scope)
    # "Thành phố" and "TP" are read with folded diacritics only when the text has
    # none, the same rule as `lookup_levels`. No commune name starts with "Thanh pho".
    if strip_prefixes(commune_text, fold=not has_diacritics(commune_text))[0] == "thành phố":
        return _district_match(match)
    return match


def _district_match(match: Match) -> Match:
    """Turn the match of a district-level name into "unknown", keeping its communes as candidates."""
    candidates = match.candidates
    if match.status == "matched":
        candidates = _commune_candidates([(match.code, 1.0)])
    return Match(match.query, "unknown", None, None, candidates, reason=_DISTRICT)


def _match_in_scope(query: str, text: str, scope: str | None) -> Match:
    readings = _readings(text)
    allowed = _commune_codes_by_province()[scope] if scope is not None else None

    for level in lookup_levels(text):
        codes: set[str] = set()
        for division, rest in readings:
            found = _commune_index().find(rest, level)
            if allowed is not None:
                found &= allowed
            codes |= _break_tie(found, division)

        if len(codes) == 1:
            code = codes.pop()
            return Match(query, "matched", code, _official_names()[code], ())
        if codes:
            return Match(query, "ambiguous", None, None, _commune_candidates(_tied_communes(codes)))

    return _unknown_commune(query, text, scope)


def _break_tie(codes: set[str], division: str | None) -> set[str]:
    """Keep the units of the division typed in the name, when that narrows several down."""
    if len(codes) < 2 or division not in ("xã", "phường", "đặc khu"):
        return codes
    types = _commune_columns()[1]
    same_type = {code for code in codes if types[code] == division}
    return same_type or codes


def _tied_communes(codes: set[str]) -> list[tuple[str, float]]:
    """Order tied communes by province code, then by commune code."""
    province_codes = _commune_columns()[0]
    ordered = sorted(codes, key=lambda code: (province_codes[code], code))
    return [(code, 1.0) for code in ordered[:MAX_CANDIDATES]]


def _unknown_commune(query: str, text: str, scope: str | None) -> Match:
    rest = strip_prefixes(text)[1]
    closest = _closest(rest, _commune_keys().get(scope, []))
    return Match(query, "unknown", None, None, _commune_candidates(closest))
