"""Generate the illustrative sample dataset shipped in ``data/sample``.

The sample is invented, but on the report date of 15 July 2025 it reproduces the
figures the central steering committee published for that date:

- 33 Xanh provinces and 1 Vàng, and 3,320 communes reported;
- 9 provinces with over 50% of communes Xanh (5 of them over 70%) and 9 under 10%;
- one province with good infrastructure and about 10% online filing, and one whose
  online dossiers fell well below its June 2025 daily average;
- 11 overdue tasks, counted by group as 5 + 3 + 2 + 2.

The other report dates show plausible progress around it. The constants below fix
which province plays which role. Everything else is drawn from
``numpy.random.default_rng`` seeded with ``seed``, so a seed always gives the same tables.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from geo.units import communes, provinces
from monitoring.dataset import SAMPLE_DIR, SAMPLE_FILES, Dataset, Provenance, write_table_file
from monitoring.model import (
    COMMUNE_STATUS,
    CONDITION_KEYS,
    DO,
    FILING,
    JUNE_BASELINE,
    KINDS,
    PROVINCE_STATUS,
    SCORE_KEYS,
    SCORE_MAXIMUM,
    SCORES,
    TASKS,
    VANG,
    XANH,
    normalise_table,
)
from monitoring.rules import DEFAULT_CRITICAL

DEFAULT_SEED = 20250715

REPORT_DATES = tuple(
    pd.Timestamp(day) for day in ("2025-07-01", "2025-07-08", "2025-07-15", "2025-07-22", "2025-07-29", "2025-08-01")
)
"""Weekly report dates, then the target date of the plan (1 August 2025)."""

HEADLINE_DATE_INDEX = 2
"""Position of 15 July 2025, the date of the published figures, in `REPORT_DATES`."""

NEVER = len(REPORT_DATES)
"""Date index meaning "not by the last report date"."""

FILING_DAYS = pd.date_range(JUNE_BASELINE[0], "2025-07-31", freq="D")

# Coverage (share of a province's communes that are Xanh on 15 July) by province.
# Each band keeps its shares at least 2 points away from the 10/50/70% breaks.
OVER_70_PROVINCES = ("01", "22", "24", "48", "75")
OVER_50_PROVINCES = ("19", "31", "46", "92")
UNDER_10_PROVINCES = ("04", "08", "11", "12", "14", "15", "20", "52", "66")
COVERAGE_BANDS = {
    "over_70": ((0.72, 1.00), (0.74, 0.86)),
    "over_50": ((0.52, 0.68), (0.54, 0.66)),
    "middle": ((0.12, 0.48), (0.15, 0.45)),
    "under_10": ((0.00, 0.08), (0.02, 0.07)),
}
"""Per band: the allowed share range, then the range the target share is drawn from."""

LOW_ONLINE_PROVINCE = "22"
"""Quảng Ninh: over 70% of communes Xanh, but only about 10% of dossiers filed online."""

BELOW_JUNE_PROVINCE = "38"
"""Thanh Hóa: online rate from 1 July under half the June rate, recovering after 15 July."""

HIGH_ONLINE_PROVINCES = ("01", "19", "24", "31", "37", "46", "48", "75", "80", "92")
"""Provinces whose target online rate is 92-96%."""

LATE_COMMUNE = "11948"
"""Đặc khu Bạch Long Vĩ (Hải Phòng), an island that sends its first report on 22 July."""

OUTAGE_PROVINCE = "40"
"""Nghệ An: a few Xanh communes lose connectivity in the report of 29 July."""

OUTAGE_COMMUNES = 6
OUTAGE_DATE_INDEX = 4

PROVINCE_ALERTS = {
    "04": (
        (VANG, VANG, XANH, XANH, XANH, XANH),
        "Nhiều xã vùng cao chưa có đường truyền số liệu chuyên dùng; thiếu nhân sự hỗ trợ tại "
        "Trung tâm Phục vụ hành chính công cấp xã.",
    ),
    "08": (
        (VANG, XANH, XANH, XANH, XANH, XANH),
        "Chưa hoàn thành cấp chữ ký số, chứng thư số cho công chức cấp xã sau sắp xếp.",
    ),
    "11": (
        (VANG, VANG, XANH, XANH, XANH, XANH),
        "Phần mềm hộ tịch và phần mềm dịch vụ công chưa cập nhật đầy đủ đơn vị hành chính mới.",
    ),
    "12": (
        (VANG, VANG, VANG, VANG, XANH, XANH),
        "Phần lớn xã chưa đủ điều kiện vận hành Trung tâm Phục vụ hành chính công: thiếu chữ ký số, "
        "đường truyền chưa ổn định, chưa ban hành quy trình nội bộ.",
    ),
    "14": (
        (DO, VANG, XANH, XANH, XANH, XANH),
        "Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh chưa vận hành cho các xã mới; "
        "nhiều xã chưa tiếp nhận được hồ sơ trực tuyến.",
    ),
    "52": (
        (VANG, XANH, XANH, XANH, XANH, XANH),
        "Chưa thống nhất một hệ thống thông tin giải quyết thủ tục hành chính sau hợp nhất tỉnh.",
    ),
}
"""Provinces that are not Xanh on some report date: status per report date, and the note."""

CRITICAL_KEYS = tuple(key for key in CONDITION_KEYS if key in DEFAULT_CRITICAL)
NONCRITICAL_KEYS = tuple(key for key in CONDITION_KEYS if key not in DEFAULT_CRITICAL)

CONDITION_WEIGHTS = {
    "digital_signature": 1.2,
    "public_service_software": 1.0,
    "connectivity": 0.8,
    "digital_certificate": 1.0,
    "seal": 0.6,
    "support_staff": 1.2,
    "civil_registry_software": 0.8,
    "database_access": 1.2,
    "data_reuse": 1.5,
    "written_procedures": 1.0,
}
"""Relative chance that a condition is among those holding a commune back."""

CRITICAL_NOTES = {
    "digital_signature": "Chưa được cấp chữ ký số cho công chức tiếp nhận hồ sơ.",
    "public_service_software": "Phần mềm dịch vụ công chưa được cấu hình cho xã mới.",
    "connectivity": "Đường truyền chưa ổn định, chưa kết nối mạng truyền số liệu chuyên dùng.",
}
"""Note of a commune report, by the first critical condition it misses."""

OUTAGE_NOTE = "Mất kết nối đường truyền do mưa lũ, đang khắc phục."

WEEKDAY_FACTORS = np.array([1.0, 1.0, 1.0, 1.0, 0.95, 0.3, 0.08])
"""Dossiers per day relative to a usual weekday, Monday to Sunday."""

TRANSITION_DAYS = (pd.Timestamp("2025-07-01"), pd.Timestamp("2025-07-04"))
TRANSITION_FACTOR = 0.8
"""Fewer dossiers in the first days of the two-tier administration."""

COMMUNE_MEDIAN_DOSSIERS = {"phường": 40.0, "xã": 16.0, "đặc khu": 8.0}
"""Median dossiers on a usual weekday, by kind of commune."""

CITY_FACTOR = {"01": 1.3, "79": 1.3}
"""Extra dossiers in the communes of Hà Nội and Hồ Chí Minh City."""

ONLINE_SLOPE = 0.0015
"""Daily rise of the online rate through July."""

ONLINE_CAP = 0.975
"""Highest online rate a province reaches."""

BELOW_JUNE_RATES = (0.72, 0.34, 0.012)
"""June online rate, July rate up to 15 July, and its daily recovery after, for `BELOW_JUNE_PROVINCE`."""

SCORE_PERIOD = "2025-07"

TASK_ROWS = (
    ("KH02-01", "Ban hành quy định chức năng, nhiệm vụ, tổ chức của Trung tâm Phục vụ hành chính công cấp xã",
     "Bộ Nội vụ", "institutional", "2025-06-30", "2025-07-18",
     "Thông tư hướng dẫn đã ban hành, đăng trên Cổng thông tin điện tử Bộ Nội vụ"),
    ("KH02-02", "Ban hành kế hoạch chuyển đổi số của tỉnh, thành phố theo mô hình chính quyền địa phương hai cấp",
     "UBND các tỉnh, thành phố", "institutional", "2025-06-30", "2025-06-28",
     "34/34 kế hoạch đã ban hành, cập nhật lên hệ thống giám sát"),
    ("KH02-03", "Hướng dẫn thẩm quyền giải quyết thủ tục hành chính sau khi sắp xếp chính quyền địa phương hai cấp",
     "Văn phòng Chính phủ", "institutional", "2025-06-30", None, None),
    ("KH02-04", "Rà soát, công bố danh mục thủ tục hành chính thực hiện tại cấp xã",
     "UBND các tỉnh, thành phố", "institutional", "2025-06-30", "2025-07-04",
     "Quyết định công bố danh mục của 34/34 tỉnh, thành phố"),
    ("KH02-05", "Sửa đổi quy định về thực hiện thủ tục hành chính trên môi trường điện tử phù hợp mô hình hai cấp",
     "Văn phòng Chính phủ", "institutional", "2025-07-10", None, None),
    ("KH02-06", "Hướng dẫn quản lý, sử dụng con dấu của Trung tâm Phục vụ hành chính công cấp xã",
     "Bộ Công an", "institutional", "2025-06-30", "2025-07-12",
     "Văn bản hướng dẫn đã gửi UBND các tỉnh, thành phố"),
    ("KH02-07", "Ban hành quy trình nội bộ, quy trình điện tử giải quyết thủ tục hành chính cấp xã",
     "UBND các tỉnh, thành phố", "institutional;platforms", "2025-07-15", "2025-07-14",
     "Quy trình điện tử đã cấu hình trên hệ thống thông tin giải quyết thủ tục hành chính của 34 tỉnh"),
    ("KH02-08", "Hướng dẫn đăng ký, quản lý hộ tịch khi thay đổi địa giới đơn vị hành chính",
     "Bộ Tư pháp", "institutional", "2025-07-05", "2025-07-25",
     "Công văn hướng dẫn nghiệp vụ hộ tịch đã ban hành"),
    ("KH02-09", "Quy định kết nối, chia sẻ dữ liệu giữa cơ sở dữ liệu quốc gia và hệ thống giải quyết thủ tục "
     "hành chính cấp tỉnh", "Bộ Công an", "institutional;infrastructure", "2025-07-10", None, None),
    ("KH02-10", "Làm sạch, cập nhật dữ liệu dân cư theo địa bàn xã, phường mới",
     "Bộ Công an", "infrastructure", "2025-06-30", "2025-06-30",
     "Báo cáo kết quả đồng bộ Cơ sở dữ liệu quốc gia về dân cư theo đơn vị hành chính mới"),
    ("KH02-11", "Cập nhật danh mục mã đơn vị hành chính mới trên các cơ sở dữ liệu quốc gia, chuyên ngành",
     "Bộ Khoa học và Công nghệ", "infrastructure", "2025-07-05", "2025-07-17",
     "Danh mục mã đơn vị hành chính mới đã công bố trên Nền tảng tích hợp, chia sẻ dữ liệu quốc gia"),
    ("KH02-12", "Bảo đảm đường truyền số liệu chuyên dùng đến 100% Trung tâm Phục vụ hành chính công cấp xã",
     "Bộ Khoa học và Công nghệ", "infrastructure", "2025-07-10", None, None),
    ("KH02-13", "Cấp chữ ký số, chứng thư số cho công chức cấp xã sau sắp xếp",
     "Ban Cơ yếu Chính phủ", "infrastructure", "2025-06-30", "2025-07-08",
     "Số liệu cấp chứng thư số theo từng tỉnh, thành phố đã gửi hệ thống giám sát"),
    ("KH02-14", "Kết nối Cơ sở dữ liệu quốc gia về đất đai với hệ thống giải quyết thủ tục hành chính cấp tỉnh",
     "Bộ Nông nghiệp và Môi trường", "infrastructure", "2025-07-31", "2025-07-31",
     "Biên bản nghiệm thu kết nối với 34 tỉnh, thành phố"),
    ("KH02-15", "Nâng cấp Nền tảng tích hợp, chia sẻ dữ liệu quốc gia phục vụ đơn vị hành chính mới",
     "Bộ Khoa học và Công nghệ", "infrastructure;platforms", "2025-07-15", "2025-07-12",
     "Biên bản nghiệm thu nâng cấp nền tảng"),
    ("KH02-16", "Đồng bộ hệ thống thông tin giải quyết thủ tục hành chính cấp tỉnh với Cổng Dịch vụ công quốc gia",
     "Văn phòng Chính phủ", "platforms", "2025-07-01", "2025-07-22", "https://dichvucong.gov.vn"),
    ("KH02-17", "Triển khai phần mềm hộ tịch điện tử dùng chung cho cấp xã",
     "Bộ Tư pháp", "platforms", "2025-07-10", "2025-07-30",
     "Phần mềm đã vận hành tại 3.321 xã, phường; báo cáo kèm số liệu đăng ký hộ tịch"),
    ("KH02-18", "Bảo đảm thanh toán trực tuyến nghĩa vụ tài chính trong thủ tục hành chính cấp xã",
     "Bộ Tài chính", "platforms", "2025-07-20", "2025-07-19",
     "Báo cáo số giao dịch thanh toán trực tuyến tại cấp xã"),
    ("KH02-19", "Tích hợp dịch vụ công thiết yếu trên ứng dụng định danh điện tử VNeID",
     "Bộ Công an", "platforms", "2025-06-30", "2025-06-27", "https://vneid.gov.vn"),
    ("KH02-20", "Đưa vào vận hành bản đồ giám sát, tổng hợp tình hình thực hiện Kế hoạch 02",
     "Văn phòng Trung ương Đảng", "platforms", "2025-07-01", "2025-06-30",
     "Bản đồ giám sát đã vận hành, cập nhật số liệu hằng tuần"),
    ("KH02-21", "Tập huấn kỹ năng số cho công chức Trung tâm Phục vụ hành chính công cấp xã",
     "UBND các tỉnh, thành phố", "human_resources", "2025-07-10", "2025-07-30",
     "Danh sách học viên và kết quả tập huấn của 34 tỉnh, thành phố"),
    ("KH02-22", "Bố trí nhân sự hỗ trợ người dân nộp hồ sơ trực tuyến tại Trung tâm Phục vụ hành chính công cấp xã",
     "UBND các tỉnh, thành phố", "human_resources", "2025-07-05", None, None),
    ("KH02-23", "Ban hành khung năng lực số cho cán bộ, công chức cấp xã",
     "Bộ Nội vụ", "human_resources", "2025-07-25", None, None),
    ("KH02-24", "Bồi dưỡng kiến thức chuyển đổi số cho lãnh đạo cấp xã",
     "Bộ Nội vụ", "human_resources", "2025-07-31", "2025-07-31",
     "Báo cáo kết quả các lớp bồi dưỡng trực tuyến"),
    ("KH02-25", "Hướng dẫn chế độ hỗ trợ đối với nhân sự làm công tác chuyển đổi số cấp xã",
     "Bộ Tài chính", "human_resources;institutional", "2025-07-20", "2025-07-28",
     "Thông tư hướng dẫn đã ban hành"),
    ("KH02-26", "Trang bị máy tính, máy quét cho Trung tâm Phục vụ hành chính công cấp xã",
     "UBND các tỉnh, thành phố", "infrastructure", "2025-07-15", "2025-07-10",
     "Báo cáo trang bị thiết bị kèm danh sách xã, phường"),
    ("KH02-27", "Số hóa, tái sử dụng kết quả giải quyết thủ tục hành chính đã số hóa",
     "UBND các tỉnh, thành phố", "infrastructure", "2025-08-01", None, None),
    ("KH02-28", "Thống nhất sử dụng một hệ thống thông tin giải quyết thủ tục hành chính cấp tỉnh",
     "UBND các tỉnh, thành phố", "platforms", "2025-07-31", "2025-07-29",
     "Báo cáo của 34 tỉnh, thành phố về hệ thống đang sử dụng"),
    ("KH02-29", "Báo cáo kết quả thực hiện Kế hoạch 02 lên Hệ thống giám sát, đánh giá việc triển khai Nghị quyết 57",
     "Các bộ, ngành, địa phương", "institutional", "2025-07-20", "2025-07-21",
     "Báo cáo đã cập nhật trên Hệ thống giám sát, đánh giá việc triển khai Nghị quyết 57"),
    ("KH02-30", "Bảo đảm an toàn thông tin cho hệ thống thông tin dùng chung cấp xã",
     "Bộ Công an", "infrastructure", "2025-08-01", None, None),
)
"""Tasks of Plan 02: id, title, responsible body, groups, deadline, completion date, evidence.

On 15 July, 11 of them are overdue: 5 institutional, 3 infrastructure, 2 platforms and
2 human resources, which add up to 12 because KH02-09 is in two groups.
"""


def generate_sample(seed: int = DEFAULT_SEED) -> Dataset:
    """Build the sample dataset of five tables. The same seed always gives the same tables."""
    status_rng, filing_rng, score_rng, profile_rng = (
        np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(4)
    )
    units = communes()
    profiles = _province_profiles(profile_rng)

    tables = {
        PROVINCE_STATUS: _province_status_table(),
        COMMUNE_STATUS: _commune_status_table(status_rng, units, profiles),
        FILING: _filing_table(filing_rng, units, profiles),
        TASKS: _tasks_table(),
        SCORES: _scores_table(score_rng, units, profiles),
    }

    tables = {kind: normalise_table(kind, table) for kind, table in tables.items()}
    provenance = {kind: Provenance(kind, "sample") for kind in KINDS}
    return Dataset(tables, provenance)


def write_sample(folder: Path = SAMPLE_DIR, seed: int = DEFAULT_SEED) -> list[Path]:
    """Generate the sample and write its five tables into ``folder``; return the paths."""
    dataset = generate_sample(seed)
    folder.mkdir(parents=True, exist_ok=True)

    paths = []
    for kind in KINDS:
        path = folder / SAMPLE_FILES[kind]
        write_table_file(kind, dataset[kind], path)
        paths.append(path)
    return paths


# Province profiles


def _province_profiles(rng: np.random.Generator) -> pd.DataFrame:
    """Return per province its coverage band, target share of Xanh communes on 15 July,
    and online rate over the filing window of 15 July."""
    profiles = pd.DataFrame(index=provinces().index)
    profiles["band"] = [_coverage_band(code) for code in profiles.index]

    draw_ranges = profiles["band"].map(lambda band: COVERAGE_BANDS[band][1])
    profiles["share"] = [rng.uniform(low, high) for low, high in draw_ranges]

    profiles["online"] = _online_targets(rng, profiles.index)
    return profiles


def _coverage_band(code: str) -> str:
    if code in OVER_70_PROVINCES:
        return "over_70"
    if code in OVER_50_PROVINCES:
        return "over_50"
    if code in UNDER_10_PROVINCES:
        return "under_10"
    return "middle"


def _online_targets(rng: np.random.Generator, codes: pd.Index) -> pd.Series:
    """Return the online rate of each province over the filing window of 15 July."""
    targets = pd.Series(np.nan, index=codes)
    targets[LOW_ONLINE_PROVINCE] = 0.10
    targets[BELOW_JUNE_PROVINCE] = BELOW_JUNE_RATES[1]
    high = list(HIGH_ONLINE_PROVINCES)
    targets[high] = rng.uniform(0.92, 0.96, len(high))

    # The remaining provinces spread evenly between 28% and 86%, in random order.
    rest = targets.index[targets.isna()]
    targets[rest] = rng.permutation(np.linspace(0.28, 0.86, len(rest)))
    return targets


# Commune and province status


def _province_status_table() -> pd.DataFrame:
    """Return every province's status and note on every report date."""
    rows = []
    for index, report_date in enumerate(REPORT_DATES):
        for code in provinces().index:
            statuses, note = PROVINCE_ALERTS.get(code, ((XANH,) * len(REPORT_DATES), None))
            status = statuses[index]
            rows.append(
                {
                    "report_date": report_date,
                    "province_code": code,
                    "status": status,
                    "note": None if status == XANH else note,
                }
            )
    return pd.DataFrame(rows)


def _commune_status_table(rng: np.random.Generator, units: pd.DataFrame, profiles: pd.DataFrame) -> pd.DataFrame:
    """Return the commune reports: the 10 conditions as booleans, status left empty."""
    ready = _ready_index(rng, units, profiles)
    met_from = _condition_met_from(rng, units, profiles, ready)
    met = [met_from <= index for index in range(len(REPORT_DATES))]

    outage = _outage_communes(rng, units, ready)
    met[OUTAGE_DATE_INDEX][outage, CONDITION_KEYS.index("connectivity")] = False
    present = _present_reports(rng, units, met)

    frames = [_report_frame(units, report_date, state) for report_date, state in zip(REPORT_DATES, met)]
    frames[OUTAGE_DATE_INDEX].loc[outage, "note"] = OUTAGE_NOTE
    reports = [frame[present[:, index]] for index, frame in enumerate(frames)]
    return pd.concat(reports, ignore_index=True)


def _xanh_counts(rng: np.random.Generator, profiles: pd.DataFrame, sizes: pd.Series, eligible: pd.Series) -> pd.DataFrame:
    """Return per province the number of Xanh communes on each report date, at most ``eligible``."""
    counts = pd.DataFrame(index=profiles.index, columns=range(len(REPORT_DATES)), dtype="int64")
    for code, profile in profiles.iterrows():
        low, high = COVERAGE_BANDS[profile["band"]][0]
        size = sizes[code]
        target = int(np.clip(round(profile["share"] * size), math.ceil(low * size), math.floor(high * size)))
        counts.loc[code] = np.minimum(_counts_by_date(rng, target, size), eligible[code])
    return counts


def _counts_by_date(rng: np.random.Generator, target: int, size: int) -> np.ndarray:
    """Return a province's Xanh count on each report date, given ``target`` on 15 July.

    The two earlier weeks have fewer Xanh communes. After 15 July the count grows by
    a share of itself plus a little of the rest, so it never falls.
    """
    before = target * np.array([rng.uniform(0.45, 0.7), rng.uniform(0.75, 0.9)])
    after = [float(target)]
    for growth in (0.15, 0.15, 0.06):
        gained = after[-1] * rng.uniform(0.5, 1.5) * growth + (size - after[-1]) * rng.uniform(0.01, 0.03)
        after.append(after[-1] + gained)

    by_date = np.round(np.concatenate([before, after]))
    return np.maximum.accumulate(by_date).astype("int64")


def _ready_index(rng: np.random.Generator, units: pd.DataFrame, profiles: pd.DataFrame) -> np.ndarray:
    """Return per commune the index of the first report date on which it is Xanh, or `NEVER`.

    Communes are ranked at random within their province, and the first ones in that
    order fill the province's Xanh count of each date. The late commune ranks last.
    """
    keys = pd.Series(rng.random(len(units)), index=units.index)
    keys[LATE_COMMUNE] = 2.0
    rank = keys.groupby(units["province_code"]).rank(method="first").to_numpy() - 1

    sizes = units.groupby("province_code").size()
    eligible = sizes.copy()
    eligible[units.at[LATE_COMMUNE, "province_code"]] -= 1
    counts = _xanh_counts(rng, profiles, sizes, eligible)

    per_commune = counts.loc[units["province_code"]].to_numpy()
    return (rank[:, None] >= per_commune).sum(axis=1)


def _condition_met_from(
    rng: np.random.Generator, units: pd.DataFrame, profiles: pd.DataFrame, ready: np.ndarray
) -> np.ndarray:
    """Return a communes x conditions matrix of the date index from which each condition is met.

    A commune that is Xanh from date ``r`` has one condition first met on ``r``, and
    up to three more not met on the first date but met by ``r``. A critical condition
    is among them more often in provinces with low coverage. The other conditions are
    met from the first date. `NEVER` means not met by the last report date.
    """
    shares = units["province_code"].map(profiles["share"]).to_numpy()
    met_from = np.zeros((len(units), len(CONDITION_KEYS)), dtype="int64")
    for row, (ready_index, share) in enumerate(zip(ready, shares)):
        if ready_index == 0:
            continue
        blocking = _blocking_conditions(rng, critical_chance=0.35 + 0.3 * (1 - share))
        met_from[row, blocking] = rng.integers(1, ready_index + 1, size=len(blocking))
        met_from[row, blocking[0]] = ready_index
    return met_from


def _blocking_conditions(rng: np.random.Generator, critical_chance: float) -> np.ndarray:
    """Return the column indices of the conditions that hold a commune back, in random order."""
    noncritical = _weighted_choice(rng, NONCRITICAL_KEYS, 1 + rng.binomial(2, 0.4))
    critical = _weighted_choice(rng, CRITICAL_KEYS, 1) if rng.random() < critical_chance else []
    keys = rng.permutation(np.array(noncritical + critical))
    return np.array([CONDITION_KEYS.index(key) for key in keys])


def _weighted_choice(rng: np.random.Generator, keys: tuple[str, ...], size: int) -> list[str]:
    weights = np.array([CONDITION_WEIGHTS[key] for key in keys])
    return list(rng.choice(keys, size=size, replace=False, p=weights / weights.sum()))


def _outage_communes(rng: np.random.Generator, units: pd.DataFrame, ready: np.ndarray) -> np.ndarray:
    """Return the row positions of a few communes of `OUTAGE_PROVINCE` that are Xanh on 22 July."""
    in_province = units["province_code"].to_numpy() == OUTAGE_PROVINCE
    candidates = np.flatnonzero(in_province & (ready < OUTAGE_DATE_INDEX))
    return np.sort(rng.choice(candidates, size=min(OUTAGE_COMMUNES, len(candidates)), replace=False))


def _present_reports(rng: np.random.Generator, units: pd.DataFrame, met: list[np.ndarray]) -> np.ndarray:
    """Return a communes x report dates matrix of which reports exist.

    About 3% of communes send their first report a week late, and a commune whose
    conditions did not change skips a weekly report now and then. So each commune except
    `LATE_COMMUNE` has a report on or before 15 July; that one reports from 22 July.
    """
    present = np.ones((len(units), len(met)), dtype=bool)
    present[:, 0] = rng.random(len(units)) >= 0.03
    for index in range(1, len(met)):
        unchanged = (met[index] == met[index - 1]).all(axis=1)
        has_earlier = present[:, :index].any(axis=1)
        present[:, index] = ~(unchanged & has_earlier & (rng.random(len(units)) < 0.04))

    late = units.index.get_loc(LATE_COMMUNE)
    present[late, :] = np.arange(len(met)) > HEADLINE_DATE_INDEX
    return present


def _report_frame(units: pd.DataFrame, report_date: pd.Timestamp, met: np.ndarray) -> pd.DataFrame:
    """Return one report per commune on ``report_date``, with a note when a critical condition is missing."""
    frame = pd.DataFrame(met, columns=list(CONDITION_KEYS))
    frame.insert(0, "report_date", report_date)
    frame.insert(1, "commune_code", units.index.to_numpy())
    frame.insert(2, "status", pd.Series(pd.NA, index=frame.index, dtype="string"))
    frame["note"] = _report_notes(frame)
    return frame


def _report_notes(frame: pd.DataFrame) -> pd.Series:
    """Return the note of each report, which names the first critical condition it misses."""
    notes = pd.Series(pd.NA, index=frame.index, dtype="string")
    for key in reversed(CRITICAL_KEYS):
        notes[~frame[key]] = CRITICAL_NOTES[key]
    return notes


# Online filing


def _filing_table(rng: np.random.Generator, units: pd.DataFrame, profiles: pd.DataFrame) -> pd.DataFrame:
    """Return online and total dossiers per commune and day, 1 June to 31 July 2025."""
    expected = _daily_volumes(rng, units)[None, :] * _day_factors(rng)[:, None]
    totals = rng.poisson(expected)

    offsets = rng.normal(0.0, 0.5, len(units))
    rates = _province_rates(profiles)[:, units["province_code"].map(profiles.index.get_loc).to_numpy()]
    rates = 1 / (1 + np.exp(-(_logit(rates) + offsets[None, :])))
    online = rng.binomial(totals, rates)

    return pd.DataFrame(
        {
            "date": np.repeat(FILING_DAYS.to_numpy(), len(units)),
            "unit_code": np.tile(units.index.to_numpy(), len(FILING_DAYS)),
            "online": online.ravel(),
            "total": totals.ravel(),
        }
    )


def _daily_volumes(rng: np.random.Generator, units: pd.DataFrame) -> np.ndarray:
    """Return each commune's mean dossiers on a usual weekday, between 5 and 150."""
    median = units["division_type"].map(COMMUNE_MEDIAN_DOSSIERS).to_numpy()
    city = units["province_code"].map(CITY_FACTOR).fillna(1.0).to_numpy()
    volumes = median * city * np.exp(rng.normal(0.0, 0.45, len(units)))
    return np.clip(volumes, 5.0, 150.0)


def _day_factors(rng: np.random.Generator) -> np.ndarray:
    """Return each filing day's volume relative to a usual weekday, with a little noise."""
    factors = WEEKDAY_FACTORS[FILING_DAYS.day_of_week]
    in_transition = (FILING_DAYS >= TRANSITION_DAYS[0]) & (FILING_DAYS <= TRANSITION_DAYS[1])
    factors = np.where(in_transition, factors * TRANSITION_FACTOR, factors)
    return factors * np.exp(rng.normal(0.0, 0.06, len(FILING_DAYS)))


def _province_rates(profiles: pd.DataFrame) -> np.ndarray:
    """Return a days x provinces matrix of online rates.

    A rate is flat in June and rises by `ONLINE_SLOPE` a day through July, so that it
    meets the province's target in the middle of the filing window of 15 July.
    The rate of `BELOW_JUNE_PROVINCE` instead drops on 1 July and recovers after 15 July.
    """
    july_day = np.clip((FILING_DAYS - pd.Timestamp("2025-06-30")).days.to_numpy(), 0, None)
    targets = profiles["online"].to_numpy()
    june = targets - ONLINE_SLOPE * 12
    rates = np.minimum(june[None, :] + ONLINE_SLOPE * july_day[:, None], ONLINE_CAP)

    column = profiles.index.get_loc(BELOW_JUNE_PROVINCE)
    rates[:, column] = _below_june_rates(july_day)
    return rates


def _below_june_rates(july_day: np.ndarray) -> np.ndarray:
    june_rate, july_rate, recovery = BELOW_JUNE_RATES
    recovering = july_rate + recovery * np.clip(july_day - 15, 0, None)
    return np.where(july_day == 0, june_rate, recovering)


def _logit(rates: np.ndarray) -> np.ndarray:
    return np.log(rates / (1 - rates))


# Tasks and scores


def _tasks_table() -> pd.DataFrame:
    columns = ["task_id", "title", "body", "groups", "deadline", "completed", "evidence"]
    return pd.DataFrame(TASK_ROWS, columns=columns)


def _scores_table(rng: np.random.Generator, units: pd.DataFrame, profiles: pd.DataFrame) -> pd.DataFrame:
    """Return the 766 scores of July 2025 of every province and commune.

    A unit's quality (0.67-0.88) follows its province's online rate. Each group scores
    its maximum times the quality moved by at most 0.06, so totals stay between 60 and 95.
    """
    province_quality = np.clip(0.68 + 0.16 * profiles["online"] + rng.normal(0, 0.02, len(profiles)), 0.67, 0.88)
    commune_quality = units["province_code"].map(province_quality) + rng.normal(0, 0.04, len(units))
    quality = pd.concat([province_quality, commune_quality.clip(0.67, 0.88)])

    scores = pd.DataFrame({"period": SCORE_PERIOD, "unit_code": quality.index.to_numpy()})
    for key in SCORE_KEYS:
        spread = np.clip(rng.normal(0, 0.04, len(quality)), -0.06, 0.06)
        fraction = np.clip(quality.to_numpy() + spread, 0.0, 1.0)
        scores[key] = np.round(SCORE_MAXIMUM[key] * fraction, 2)

    scores["total"] = scores[list(SCORE_KEYS)].sum(axis=1).round(2)
    return scores
