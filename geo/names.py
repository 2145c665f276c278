"""Comparison keys for Vietnamese unit names as people write them.

The same name reaches the product in many spellings. They differ in Unicode form (NFC
or NFD), in old or new tone-mark placement ("Hoà"/"Hòa", "Thuỷ"/"Thủy"), in
apostrophes ("Ea H’leo", "Ea H'Leo"), dashes, case and spacing. Some lack diacritics,
and many carry prefixes such as "UBND tỉnh", "TP." or "Xã". The functions here reduce
those spellings to keys that compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable
from functools import lru_cache
from typing import Generic, TypeVar

__all__ = [
    "LEVELS",
    "PROVINCE_ABBREVIATIONS",
    "NameIndex",
    "ascii_key",
    "compact_key",
    "has_diacritics",
    "lookup_levels",
    "name_key",
    "spaced_invisibles",
    "strip_district_prefix",
    "strip_prefixes",
]

# The five tone marks, numbered as in the VNI input method. Circumflex, breve and horn
# are not tones. They make a different vowel, so they stay in the key.
_TONE_NUMBERS = {
    "\u0301": "1",  # sắc (acute)
    "\u0300": "2",  # huyền (grave)
    "\u0309": "3",  # hỏi (hook above)
    "\u0303": "4",  # ngã (tilde)
    "\u0323": "5",  # nặng (dot below)
}

_APOSTROPHES = "'’‘ʼʻ`´′"
_DASHES = "-‐‑‒–—―−﹣－"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

# Apostrophes are dropped ("H’leo" -> "hleo", the way "Ea Hleo" is also written) and
# every dash becomes a word break, so "Bà Rịa-Vũng Tàu" equals "Bà Rịa – Vũng Tàu".
_PUNCTUATION = str.maketrans(
    {
        **{c: None for c in _APOSTROPHES + _INVISIBLE},
        **{c: " " for c in _DASHES},
    }
)


def _words(text: str) -> list[str]:
    """Split text into case-folded NFD words, with apostrophes and dashes handled."""
    if not isinstance(text, str):
        raise TypeError(f"A unit name must be a str, got {type(text).__name__}: {text!r}")

    text = text.translate(_PUNCTUATION)
    # NFKD also turns NBSP and full-width letters into their plain forms.
    text = unicodedata.normalize("NFKD", text).casefold()
    return unicodedata.normalize("NFD", text).split()


def _word_key(word: str) -> str:
    tones = "".join(_TONE_NUMBERS[c] for c in word if c in _TONE_NUMBERS)
    letters = "".join(c for c in word if c not in _TONE_NUMBERS)
    return unicodedata.normalize("NFC", letters) + tones


def name_key(text: str) -> str:
    """Return a key that compares Vietnamese names regardless of how they were typed.

    Two names get the same key when they differ only in Unicode form (NFC/NFD), in
    tone-mark placement ("Hoà"/"Hòa"), in apostrophes or dashes, in case or in
    whitespace. Diacritics still count, so "Tịnh Biên" and "Tỉnh Biên" get different
    keys.

    Parameters
    ----------
    text : str
        A name as written, without prefix handling (see `strip_prefixes`).

    Returns
    -------
    str
        Lower-case NFC words separated by single spaces. Each word loses its tone mark
        and ends with the tone's VNI number (1 acute, 2 grave, 3 hook, 4 tilde,
        5 dot below), so where the mark sat no longer matters.

    Examples
    --------
    >>> name_key("Khánh Hoà") == name_key("KHÁNH HÒA")
    True
    >>> name_key("Văn Miếu-Quốc Tử Giám")
    'văn miêu1 quôc1 tư3 giam1'
    """
    return " ".join(_word_key(word) for word in _words(text))


def _fold_word(word: str) -> str:
    letters = (c for c in word if not unicodedata.combining(c))
    return "".join(letters).replace("đ", "d")


def ascii_key(text: str) -> str:
    """Return `name_key` without any diacritics, for names typed without them.

    Every combining mark goes and "đ" becomes "d", so "Đắk Lắk", "Dak Lak" and
    "DAK-LAK" all give "dak lak".
    """
    return " ".join(_fold_word(word) for word in _words(text))


def compact_key(text: str) -> str:
    """Return `ascii_key` without spaces, so that "Hanoi" equals "Hà Nội"."""
    return ascii_key(text).replace(" ", "")


def has_diacritics(text: str) -> bool:
    """Tell whether the text contains any Vietnamese mark or the letter đ."""
    decomposed = unicodedata.normalize("NFD", text)
    return any(unicodedata.combining(c) or c in "đĐ" for c in decomposed)


# Words that name the people's committee of a unit rather than the unit.
_COMMITTEE_PHRASES = ("UBND", "U.B.N.D", "Ủy ban nhân dân")

# Division prefixes and the division type each one stands for. "Thị trấn" is a
# pre-2025 commune type that old data still uses.
_DIVISION_PHRASES = (
    ("Thành phố", "thành phố"),
    ("Thủ đô", "thành phố"),
    ("Tỉnh", "tỉnh"),
    ("Xã", "xã"),
    ("Phường", "phường"),
    ("Đặc khu", "đặc khu"),
    ("Thị trấn", "thị trấn"),
)

# "TP", "TP.", "T.P", "Tp." and "TP.HCM" (dot, no space), but not "TPHCM". Without a
# dot or a space the letters belong to an abbreviation (see PROVINCE_ABBREVIATIONS).
_CITY_ABBREVIATION = re.compile(r"t\.?\s?p(?:\.\s*|\s+)", re.IGNORECASE)

_ENGLISH_SUFFIXES = ("province", "city")

# Separators that may sit between a prefix and the name: "UBND - tỉnh X", "Tỉnh: X".
_LEADING_SEPARATORS = " .:,;" + _DASHES


_INVISIBLE_TABLE = str.maketrans(dict.fromkeys(_INVISIBLE))


_INVISIBLE_AS_SPACE = str.maketrans(dict.fromkeys(_INVISIBLE, " "))

# Punctuation around a whole name, as in "Hà Nội.", "(Hà Nội)" or "“Hà Nội”". A
# trailing "*" often marks a footnote in a table.
_SURROUNDING_PUNCTUATION = " .,;:()[]\"“”"


def _clean(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"A unit name must be a str, got {type(text).__name__}: {text!r}")
    text = text.translate(_INVISIBLE_TABLE)
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return text.strip(_SURROUNDING_PUNCTUATION).rstrip("*").strip(_SURROUNDING_PUNCTUATION)


def spaced_invisibles(text: str) -> str:
    """Replace each invisible character (zero-width space or joiner, soft hyphen, BOM) with a space.

    The other functions here delete these characters, which joins "Hà\u200bNội" into
    one word. A caller that matches names should try both readings.
    """
    return text.translate(_INVISIBLE_AS_SPACE)


def _phrase_keys(phrase: str) -> tuple[int, str, str]:
    return len(phrase.split(" ")), name_key(phrase), ascii_key(phrase)


_COMMITTEE_KEYS = [_phrase_keys(phrase) for phrase in _COMMITTEE_PHRASES]
_DIVISION_KEYS = [(_phrase_keys(phrase), division) for phrase, division in _DIVISION_PHRASES]


# Leading words repeat across a table ("Xã", "UBND", "Tân"), so their keys are cached.
@lru_cache(maxsize=4096)
def _head_keys(head: str) -> tuple[str, str | None]:
    folded = None if has_diacritics(head) else ascii_key(head)
    return name_key(head), folded


def _strip_phrase(text: str, phrase_keys: tuple[int, str, str], fold: bool) -> str | None:
    """Return the text after a leading phrase, or None when it does not start with it."""
    count, exact, folded = phrase_keys
    words = text.split(" ", count)
    if len(words) <= count:
        return None

    head_exact, head_folded = _head_keys(" ".join(words[:count]).rstrip(".:,"))
    if head_exact != exact and not (fold and head_folded == folded):
        return None

    rest = words[count].lstrip(_LEADING_SEPARATORS)
    return rest or None


def _strip_committee(text: str, fold: bool) -> str:
    for phrase_keys in _COMMITTEE_KEYS:
        rest = _strip_phrase(text, phrase_keys, fold)
        if rest is not None:
            return rest
    return text


def _strip_division(text: str, fold: bool) -> tuple[str | None, str]:
    abbreviation = _CITY_ABBREVIATION.match(text)
    if abbreviation and text[abbreviation.end():]:
        return "thành phố", text[abbreviation.end():]

    for phrase_keys, division in _DIVISION_KEYS:
        rest = _strip_phrase(text, phrase_keys, fold)
        if rest is not None:
            return division, rest
    return None, text


def _strip_english_suffix(text: str) -> str:
    words = text.split(" ")
    if len(words) > 1 and _head_keys(words[-1])[1] in _ENGLISH_SUFFIXES:
        return " ".join(words[:-1]).rstrip(_LEADING_SEPARATORS)
    return text


# Pre-2025 district types other than "Thành phố", with whether a spelling without
# diacritics is also recognised. "Quan" is not, because commune names such as
# "Quan Sơn" and "Quản Bạ" start with it.
_DISTRICT_PHRASES = (("Quận", False), ("Huyện", True), ("Thị xã", True))
_DISTRICT_KEYS = [(_phrase_keys(phrase), phrase.lower(), foldable) for phrase, foldable in _DISTRICT_PHRASES]


def strip_district_prefix(text: str) -> tuple[str | None, str]:
    """Split a pre-2025 district type ("quận", "huyện", "thị xã") off the front of a name.

    A leading "UBND" is skipped. "Thành phố" is not covered here because it also
    names provinces, see `strip_prefixes`.

    Returns
    -------
    tuple of (str or None, str)
        The district type and the rest of the name, or None and the name without a
        leading "UBND" when it does not start with a district type.
    """
    text = _strip_committee(_clean(text), fold=True)
    for phrase_keys, division, foldable in _DISTRICT_KEYS:
        rest = _strip_phrase(text, phrase_keys, foldable)
        if rest is not None:
            return division, rest
    return None, text


def strip_prefixes(text: str, *, fold: bool = True) -> tuple[str | None, str]:
    """Split the administrative words off the front of a unit name.

    Removes a leading "UBND" or "Ủy ban nhân dân", then one division prefix: "Tỉnh",
    "Thành phố", "TP", "TP.", "T.P", "Thủ đô", "Xã", "Phường", "Đặc khu" or
    "Thị trấn", in any case and tone-mark placement. A trailing English "Province" or
    "City" goes too. A prefix is never stripped when nothing would remain.

    Parameters
    ----------
    text : str
        A name as written, e.g. "UBND xã Tân Hòa" or "Thanh pho Ha Noi".
    fold : bool, default True
        Also recognise prefixes typed without diacritics ("Tinh", "Thanh pho", "Xa").
        Such a match can be wrong, because "Tinh Bien" may be the commune
        "Tịnh Biên". A caller that matches names should try both ``fold=True`` and
        ``fold=False``.

    Returns
    -------
    tuple of (str or None, str)
        The division type ("tỉnh", "thành phố", "xã", "phường", "đặc khu",
        "thị trấn") or None when no division prefix was found, and the rest of the
        name as written (NFC, single spaces).

    Examples
    --------
    >>> strip_prefixes("UBND xã Tân Hòa")
    ('xã', 'Tân Hòa')
    >>> strip_prefixes("TP.HCM")
    ('thành phố', 'HCM')
    """
    text = _clean(text)
    text = _strip_committee(text, fold)
    division, rest = _strip_division(text, fold)
    return division, _strip_english_suffix(rest)


# Abbreviations and everyday names of provinces, with the official short name each one
# is for. Former provinces are included because old data still uses them. Indices add
# these as extra names, so the usual keys cover "TP HCM", "Saigon" or "BR - VT" too.
PROVINCE_ABBREVIATIONS = {
    "HCM": "Hồ Chí Minh",
    "TPHCM": "Hồ Chí Minh",
    "HCMC": "Hồ Chí Minh",
    "Sài Gòn": "Hồ Chí Minh",
    "BR-VT": "Bà Rịa - Vũng Tàu",
    "TT-Huế": "Thừa Thiên Huế",
    # Spellings of Đắk Lắk seen in official documents, which differ from the
    # official name in their vowels (ă for ắ, c for k), not only in tone marks.
    "Đăk Lăk": "Đắk Lắk",
    "Đăk Lắk": "Đắk Lắk",
    "Đắk Lăk": "Đắk Lắk",
    "Đắc Lắc": "Đắk Lắk",
    "Đắc Lắk": "Đắk Lắk",
    "Đắk Lắc": "Đắk Lắk",
}


T = TypeVar("T", bound=Hashable)

# Lookup levels from strictest to loosest.
LEVELS = ("exact", "ascii", "compact")

_KEY_FUNCTIONS = {"exact": name_key, "ascii": ascii_key, "compact": compact_key}


def lookup_levels(query: str) -> tuple[str, ...]:
    """Return the `LEVELS` at which to look up a name as written, prefixes included.

    A query without any diacritics skips the "exact" level, even where an official
    name has no diacritics either. "Thanh An" could be "Thạnh An" typed without
    them, so it must also find "Thạnh An" and be reported as ambiguous. One mark
    anywhere, even only in a prefix ("Xã Thanh An"), shows that the writer typed
    diacritics, so the exact spelling is tried first.
    """
    if has_diacritics(query):
        return LEVELS
    return LEVELS[1:]


class NameIndex(Generic[T]):
    """Values indexed by name at the three levels of `LEVELS`.

    "exact" compares `name_key`. "ascii" and "compact" compare `ascii_key` and
    `compact_key`, and only for a text without diacritics, because diacritics that
    differ from the official ones name another place. `lookup_levels` returns the
    levels that suit a query.
    """

    def __init__(self, entries: Iterable[tuple[str, T]]):
        self._keys: dict[str, defaultdict[str, set[T]]] = {
            level: defaultdict(set) for level in LEVELS
        }
        for name, value in entries:
            for level, key_function in _KEY_FUNCTIONS.items():
                self._keys[level][key_function(name)].add(value)

    def find(self, text: str, level: str) -> set[T]:
        """Return the values whose name equals the text at the given level."""
        if level not in _KEY_FUNCTIONS:
            raise ValueError(f"Invalid level {level!r}: expected one of {LEVELS}")
        if level != "exact" and has_diacritics(text):
            return set()

        key = _KEY_FUNCTIONS[level](text)
        return set(self._keys[level].get(key, ()))


_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_TONE_ORDER = {"": 0, "\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
"""Tones in dictionary order: level, huyền, sắc, hỏi, ngã, nặng."""


def vietnamese_sort_key(text: str) -> tuple:
    """Return a key that sorts names in Vietnamese alphabetical order.

    Letters compare by the Vietnamese alphabet (a ă â b c d đ e ê … u ư v x y), so
    "Đông Thái" follows "Duy Tiên". Tone marks only break ties between otherwise equal
    names. Characters outside the alphabet (digits, spaces) sort before letters, by
    code point.
    """
    letters: list[tuple[int, int]] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFC", text.lower()):
        decomposed = unicodedata.normalize("NFD", char)
        tone = next((mark for mark in decomposed if mark in _TONE_ORDER), "")
        base = unicodedata.normalize("NFC", decomposed.replace(tone, "")) if tone else char
        rank = _LETTER_RANK.get(base)
        letters.append((1, rank) if rank is not None else (0, ord(base)))
        tones.append(_TONE_ORDER[tone])
    return tuple(letters), tuple(tones)
