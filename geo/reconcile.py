"""Reconcile boundary features with the official list of units.

Each feature is matched by name, within its province for communes, and the code
it carries is only a cross-check: when the two disagree the official code wins and
the disagreement is listed. A feature whose name matches nothing, or matches
several units that its code cannot tell apart, stays unmatched with its closest
candidates; nothing is guessed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import geopandas as gpd
import pandas as pd

from geo import units
from geo.matching import Match, match_commune, match_province

# A name that matches no unit is still accepted when the code it carries names a
# unit of the same province whose name is at least this similar (0..1), since two
# independent signals then agree.
NAME_SIMILARITY_WITH_CODE = 0.75


@dataclass
class Unmatched:
    """A feature that could not be tied to one official unit."""

    source_code: str
    source_name: str
    province_code: str | None
    reason: str
    candidates: list[dict] = field(default_factory=list)


@dataclass
class CodeConflict:
    """A feature whose own code disagrees with the official code of the unit its name matched."""

    source_code: str
    source_name: str
    official_code: str
    official_name: str
    code_belongs_to: str | None  # official name of the unit the source code denotes, if any


@dataclass
class LevelReport:
    """Result of reconciling one level (provinces or communes)."""

    level: str
    features: int = 0
    matched: int = 0
    unmatched: list[Unmatched] = field(default_factory=list)
    code_conflicts: list[CodeConflict] = field(default_factory=list)
    matched_by_code: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    repaired_geometries: int = 0

    def to_dict(self) -> dict:
        """Return the report as plain JSON-ready values."""
        return asdict(self)


def _normalise_code(code: str, width: int) -> str:
    code = str(code).strip()
    return code.zfill(width) if code.isdigit() else code


def _candidates(match: Match) -> list[dict]:
    return [{"code": c.code, "name": c.name, "score": round(c.score, 3)} for c in match.candidates]


def _match_feature(level: str, name: str, unit_type: str, province_code: str | None) -> Match:
    if level == "province":
        return match_province(name)
    query = f"{unit_type} {name}".strip() if unit_type else name
    return match_commune(query, province=province_code)


def _resolve_by_code(match: Match, source_code: str, official: pd.DataFrame, level: str) -> str | None:
    """Return the source code when it settles an ambiguous or near-miss name, else None."""
    if source_code not in official.index:
        return None
    if match.status == "ambiguous" and level == "commune":
        # The candidates list is cut short, so ask again within the code's own province.
        within = match_commune(match.query, province=official.at[source_code, "province_code"])
        return source_code if within.status == "matched" and within.code == source_code else None
    if match.status == "ambiguous":
        return source_code if source_code in {c.code for c in match.candidates} else None
    if match.status == "unknown":
        close = {c.code for c in match.candidates if c.score >= NAME_SIMILARITY_WITH_CODE}
        return source_code if source_code in close else None
    return None


def reconcile(features: gpd.GeoDataFrame, level: str) -> tuple[gpd.GeoDataFrame, LevelReport]:
    """Tie each feature to an official unit.

    Parameters
    ----------
    features
        Columns ``source_code``, ``source_name``, ``source_type``,
        ``source_province_code`` and ``geometry``, as the readers return them.
    level
        "province" or "commune".

    Returns
    -------
    matched
        One row per matched feature: ``code``, ``name``, ``province_code``, ``geometry``.
    report
        Counts, unmatched features with candidates, code conflicts and missing units.
    """
    official = units.provinces() if level == "province" else units.communes()
    width = 2 if level == "province" else 5
    report = LevelReport(level=level, features=len(features))

    rows = []
    for feature in features.itertuples(index=False):
        code = _assign_code(feature, level, width, official, report)
        if code is not None:
            rows.append((code, feature))

    matched = _matched_frame(rows, level, official, report)
    report.matched = len(matched)
    report.missing = [
        {"code": code, "name": official.at[code, "name"]}
        for code in official.index.difference(matched["code"])
    ]
    return matched, report


def _assign_code(feature, level: str, width: int, official: pd.DataFrame, report: LevelReport) -> str | None:
    source_code = _normalise_code(feature.source_code, width)
    province_code = feature.source_province_code if level == "commune" else None
    match = _match_feature(level, feature.source_name, feature.source_type, province_code)

    code = match.code if match.status == "matched" else _resolve_by_code(match, source_code, official, level)
    if code is None:
        report.unmatched.append(
            Unmatched(source_code, feature.source_name, province_code, match.message("en"), _candidates(match))
        )
        return None

    if match.status != "matched":
        report.matched_by_code.append({"source_name": feature.source_name, "official_code": code})
    if source_code and source_code != code:
        belongs_to = official.at[source_code, "name"] if source_code in official.index else None
        report.code_conflicts.append(
            CodeConflict(source_code, feature.source_name, code, official.at[code, "name"], belongs_to)
        )
    return code


def _matched_frame(rows: list, level: str, official: pd.DataFrame, report: LevelReport) -> gpd.GeoDataFrame:
    """Build the matched frame; a second feature for the same unit is reported, not kept."""
    seen: set[str] = set()
    unique_rows = []
    for code, feature in rows:
        if code in seen:
            reason = f"duplicate feature for the same official unit {official.at[code, 'name']} ({code})"
            report.unmatched.append(Unmatched(feature.source_code, feature.source_name, None, reason))
            continue
        seen.add(code)
        unique_rows.append({"code": code, "geometry": feature.geometry})

    frame = gpd.GeoDataFrame(unique_rows, columns=["code", "geometry"], geometry="geometry", crs="EPSG:4326")
    frame["name"] = frame["code"].map(official["name"])
    frame["province_code"] = frame["code"] if level == "province" else frame["code"].map(official["province_code"])
    return frame[["code", "name", "province_code", "geometry"]].sort_values("code", ignore_index=True)
