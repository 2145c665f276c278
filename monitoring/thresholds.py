"""Thresholds of the briefing's findings, read from settings (environment or ``secrets.toml``).

Each setting is a fraction between 0 and 1:

- ``DXMAP_GOOD_INFRASTRUCTURE`` (default 0.5): a province whose share of Xanh communes
  is above it has good infrastructure;
- ``DXMAP_LOW_ONLINE`` (default 0.3): a province whose online filing rate is under it
  files little online;
- ``DXMAP_JUNE_DROP`` (default 0.7): a province whose daily online dossiers over the
  filing window are under this share of its June 2025 daily average has fallen enough
  to flag.

The defaults are the constants that the dashboard's pages use, so that a briefing
without settings states what the pages show.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.errors import BilingualError
from geo.settings import get_setting
from monitoring.charts import GOOD_INFRASTRUCTURE, LOW_ONLINE
from monitoring.summary import DROP_THRESHOLD

GOOD_INFRASTRUCTURE_SETTING = "DXMAP_GOOD_INFRASTRUCTURE"
LOW_ONLINE_SETTING = "DXMAP_LOW_ONLINE"
JUNE_DROP_SETTING = "DXMAP_JUNE_DROP"


class ThresholdSettingError(BilingualError):
    """A threshold setting is not a fraction between 0 and 1; the message names the setting, value and fix."""

    def __init__(self, setting: str, value: str, default: float):
        super().__init__(
            f"Thiết lập {setting} có giá trị không hợp lệ “{value}”: cần một tỷ lệ từ 0 đến 1, "
            f"ví dụ {str(default).replace('.', ',')} cho {default:.0%}. Hãy sửa hoặc xóa {setting} trong "
            "biến môi trường hoặc .streamlit/secrets.toml (xóa đi thì dùng giá trị mặc định "
            f"{str(default).replace('.', ',')}).",
            f"Invalid value “{value}” for the setting {setting}: expected a fraction from 0 to 1, "
            f"e.g. {default} for {default:.0%}. Fix or remove {setting} in the environment or "
            f".streamlit/secrets.toml (without it the default {default} applies).",
        )
        self.setting = setting
        self.value = value


@dataclass(frozen=True)
class Thresholds:
    """Thresholds behind the findings, as fractions."""

    good_infrastructure: float = GOOD_INFRASTRUCTURE
    low_online: float = LOW_ONLINE
    june_drop: float = DROP_THRESHOLD

    @classmethod
    def from_settings(cls) -> Thresholds:
        """Return the thresholds set by the three settings, each defaulting to the pages' constant.

        Raises
        ------
        ThresholdSettingError
            When a setting is not a number from 0 to 1.
        """
        return cls(
            good_infrastructure=_fraction_setting(GOOD_INFRASTRUCTURE_SETTING, GOOD_INFRASTRUCTURE),
            low_online=_fraction_setting(LOW_ONLINE_SETTING, LOW_ONLINE),
            june_drop=_fraction_setting(JUNE_DROP_SETTING, DROP_THRESHOLD),
        )


def _fraction_setting(setting: str, default: float) -> float:
    """Read ``setting`` as a fraction, accepting a decimal comma ("0,5") as Vietnamese users write it."""
    raw = get_setting(setting)
    if raw is None:
        return default

    try:
        value = float(raw.strip().replace(",", "."))
    except ValueError:
        raise ThresholdSettingError(setting, raw, default) from None

    # A percentage such as "50" is rejected rather than read as 50%, because 0.5 and 50 are both plausible.
    if not 0 <= value <= 1:
        raise ThresholdSettingError(setting, raw, default)
    return value
