"""Rules that derive a commune's status from its readiness conditions.

The default rules:

- every condition met → Xanh;
- a critical condition not met → Đỏ (critical by default: digital signature,
  public-service software and connectivity, without which a centre cannot
  take an online dossier at all);
- otherwise → Vàng.

A condition left blank counts as not met when at least one condition of the
row is filled in. A row with every condition blank and no status is a commune
with no report. A status written in the data always wins over the rules.

``DXMAP_CRITICAL_CONDITIONS`` (environment or ``secrets.toml``) replaces the
critical set with a comma-separated list of condition keys; an empty value
makes no condition critical.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from geo.settings import get_setting
from monitoring.model import CONDITION_KEYS, DO, VANG, XANH

CRITICAL_CONDITIONS_SETTING = "DXMAP_CRITICAL_CONDITIONS"

DEFAULT_CRITICAL = frozenset({"digital_signature", "public_service_software", "connectivity"})


@dataclass(frozen=True)
class StatusRules:
    """Which missing conditions make a commune Đỏ rather than Vàng."""

    critical: frozenset[str] = DEFAULT_CRITICAL

    def __post_init__(self) -> None:
        unknown = sorted(set(self.critical) - set(CONDITION_KEYS))
        if unknown:
            raise ValueError(
                f"Unknown readiness condition {', '.join(unknown)}: expected keys from {', '.join(CONDITION_KEYS)}"
            )

    @classmethod
    def from_settings(cls) -> StatusRules:
        """Return the rules set by ``DXMAP_CRITICAL_CONDITIONS``, else the defaults."""
        if CRITICAL_CONDITIONS_SETTING in os.environ:
            configured = os.environ[CRITICAL_CONDITIONS_SETTING]
        else:
            configured = get_setting(CRITICAL_CONDITIONS_SETTING)
        if configured is None:
            return cls()
        keys = frozenset(key.strip() for key in configured.split(",") if key.strip())
        return cls(critical=keys)

    def derive(self, conditions: pd.DataFrame) -> pd.Series:
        """Derive a status per row of ``conditions`` (one boolean column per condition key).

        Rows with no condition filled in get ``<NA>``.
        """
        met = conditions.reindex(columns=list(CONDITION_KEYS)).astype("boolean")
        reported = met.notna().any(axis=1)
        met = met.fillna(False).astype(bool)

        all_met = met.all(axis=1)
        critical = [key for key in CONDITION_KEYS if key in self.critical]
        critical_missing = ~met[critical].all(axis=1) if critical else pd.Series(False, index=met.index)

        status = pd.Series(VANG, index=met.index, dtype="string")
        status[critical_missing] = DO
        status[all_met] = XANH
        status[~reported] = pd.NA
        return status


def effective_status(table: pd.DataFrame, rules: StatusRules | None = None) -> pd.Series:
    """Return each commune row's status: the given one, else one derived by ``rules``."""
    rules = rules or StatusRules.from_settings()
    derived = rules.derive(table)
    return table["status"].astype("string").fillna(derived)


def missing_conditions(table: pd.DataFrame) -> pd.Series:
    """Return, per commune row, the keys of the conditions reported as not met."""
    unmet = table.reindex(columns=list(CONDITION_KEYS)).astype("boolean").eq(False).fillna(False)
    lists = [[key for key, flag in zip(CONDITION_KEYS, row) if flag] for row in unmet.to_numpy(dtype=bool)]
    return pd.Series(lists, index=table.index, dtype=object)
