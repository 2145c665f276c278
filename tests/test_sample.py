"""The illustrative sample in data/sample and its generator.

On 15 July 2025 the sample must reproduce the figures the central steering committee
published for that date. The other report dates must show plausible progress.
"""

from __future__ import annotations

import pandas as pd
import pytest

from geo.units import communes, provinces
from monitoring import summary
from monitoring.dataset import SAMPLE_DIR, SAMPLE_FILES, load_sample
from monitoring.model import (
    COMMUNE_STATUS,
    CONDITION_KEYS,
    DO,
    FILING,
    KINDS,
    PROVINCE_STATUS,
    SCORE_KEYS,
    SCORE_MAXIMUM,
    SCORES,
    TASK_GROUP_KEYS,
    TASKS,
    VANG,
    XANH,
    group_keys,
)
from monitoring.rules import StatusRules
from monitoring.sample import REPORT_DATES, generate_sample, write_sample

AS_OF = pd.Timestamp("2025-07-15")
TARGET_DATE = pd.Timestamp("2025-08-01")
RULES = StatusRules()


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def headline(sample):
    return summary.headline(sample, AS_OF, RULES)


@pytest.fixture(scope="module")
def coverage(sample):
    return summary.coverage(sample, AS_OF, RULES)


@pytest.fixture(scope="module")
def online(sample):
    rates = summary.online_rates(sample, AS_OF)
    rates["june_ratio"] = rates["online_daily"] / rates["june_online_daily"]
    return rates


# Provinces and communes on 15 July


def test_headline_provinces(headline):
    assert headline["provinces"][XANH] == 33
    assert headline["provinces"][VANG] == 1
    assert headline["provinces"][DO] == 0
    assert headline["provinces"]["no_data"] == 0


def test_province_notes_explain_alerts(sample):
    table = sample[PROVINCE_STATUS]
    alerts = table[table["status"] != XANH]

    assert len(alerts) > 0
    assert alerts["note"].notna().all()
    assert (alerts["note"].str.len() > 20).all()


def test_province_vang_count_falls(sample):
    table = sample[PROVINCE_STATUS]
    counts = [int(((table["report_date"] == day) & (table["status"] != XANH)).sum()) for day in REPORT_DATES]

    assert counts == sorted(counts, reverse=True)
    assert counts[0] > counts[2]


def test_headline_communes_reported(headline):
    assert headline["communes_reported"] == 3320
    assert headline["communes_total"] == 3321


def test_unreported_commune_reports_later(sample):
    table = sample[COMMUNE_STATUS]
    reported = set(table.loc[table["report_date"] <= AS_OF, "commune_code"])
    missing = sorted(set(communes().index) - reported)

    assert len(missing) == 1
    assert table.loc[table["commune_code"] == missing[0], "report_date"].min() == pd.Timestamp("2025-07-22")


def test_commune_status_derived_from_conditions(sample):
    table = sample[COMMUNE_STATUS]

    assert table["status"].isna().all()
    assert table[list(CONDITION_KEYS)].notna().all().all()


def test_headline_coverage(headline):
    assert headline["coverage"]["over_50"] == 9
    assert headline["coverage"]["over_70"] == 5
    assert headline["coverage"]["under_10"] == 9


def test_coverage_over_70_within_over_50(coverage):
    over_50 = set(coverage.index[coverage["share_xanh"] > 0.5])
    over_70 = set(coverage.index[coverage["share_xanh"] > 0.7])

    assert over_70 <= over_50


def test_coverage_shares_away_from_breaks(coverage):
    for share_break in summary.COVERAGE_BREAKS:
        distance = (coverage["share_xanh"] - share_break).abs()
        assert distance.min() >= 0.02, f"a province's share is within 2 points of {share_break:.0%}"


def test_non_xanh_communes_more_vang_than_do(coverage):
    vang = coverage[VANG].sum()
    do = coverage[DO].sum()

    assert vang > do
    assert do > 0.2 * (vang + do)


def test_national_xanh_count_grows(sample):
    counts = [int(summary.coverage(sample, day, RULES)[XANH].sum()) for day in REPORT_DATES]

    assert counts == sorted(counts)
    assert counts[-1] > counts[0]


def test_conditions_mostly_stay_met(sample):
    table = sample[COMMUNE_STATUS].sort_values(["commune_code", "report_date"])
    met = table[list(CONDITION_KEYS)].astype(bool)
    previous = met.groupby(table["commune_code"]).shift(1)
    has_previous = previous.notna().all(axis=1)
    lost = (previous[has_previous].astype(bool) & ~met[has_previous]).any(axis=1)

    assert lost.sum() > 0
    assert lost.sum() < 0.01 * has_previous.sum()


# Online filing


def test_online_low_province(online, coverage):
    low = online.index[online["rate"] < 0.2]

    assert len(low) == 1
    assert 0.07 <= online.at[low[0], "rate"] <= 0.13
    assert coverage.at[low[0], "share_xanh"] > 0.7


def test_online_high_provinces(online):
    assert (online["rate"] > 0.9).sum() >= 8


def test_online_rates_spread(online):
    middle = online[(online["rate"] >= 0.2) & (online["rate"] <= 0.9)]

    assert online["rate"].notna().all()
    assert len(middle) >= 10
    assert middle["rate"].max() - middle["rate"].min() > 0.4


def test_online_below_june_one_province(online):
    flagged = online.index[online["below_june"]]
    low = online["rate"].idxmin()

    assert len(flagged) == 1
    assert flagged[0] != low
    assert 0.45 <= online.at[flagged[0], "june_ratio"] <= 0.55


def test_online_others_near_june(online):
    others = online[~online["below_june"]]

    assert (others["june_ratio"] >= 0.85).all()


def test_online_rate_rises_in_july(sample):
    early = summary.national_online_rate(sample, pd.Timestamp("2025-07-08"))
    late = summary.national_online_rate(sample, pd.Timestamp("2025-07-31"))
    june = summary.national_online_rate(sample, pd.Timestamp("2025-06-30"))

    assert 0.4 <= june <= 0.9
    assert late > early


def test_filing_counts_valid(sample):
    filing = sample[FILING]

    assert (filing["online"] >= 0).all()
    assert (filing["total"] >= 0).all()
    assert (filing["online"] <= filing["total"]).all()


def test_filing_every_commune_every_day(sample):
    filing = sample[FILING]
    days = pd.date_range("2025-06-01", "2025-07-31", freq="D")

    assert len(filing) == len(communes()) * len(days)
    assert set(filing["date"]) == set(days)
    assert not filing.duplicated(["date", "unit_code"]).any()


def test_filing_totals_realistic(sample):
    filing = sample[FILING]
    weekday = filing[filing["date"].dt.day_of_week < 5]
    weekend = filing[filing["date"].dt.day_of_week >= 5]
    weekday_means = weekday.groupby("unit_code")["total"].mean()

    assert weekend["total"].mean() < 0.5 * weekday["total"].mean()
    assert weekday_means.min() >= 3
    assert weekday_means.max() <= 160


# Tasks


def test_tasks_overdue_on_15_july(sample):
    overdue = summary.overdue_tasks(sample, AS_OF)

    assert len(overdue) == 11
    assert summary.count_by_group(overdue) == {
        "institutional": 5,
        "infrastructure": 3,
        "platforms": 2,
        "human_resources": 2,
    }
    assert (overdue["groups"].map(lambda groups: len(group_keys(groups))) == 2).sum() == 1


def test_tasks_overdue_fewer_by_1_august(sample):
    assert len(summary.overdue_tasks(sample, TARGET_DATE)) < len(summary.overdue_tasks(sample, AS_OF))


def test_tasks_fields(sample):
    tasks = sample[TASKS]
    completed = tasks[tasks["completed"].notna()]
    groups = {key for value in tasks["groups"] for key in group_keys(value)}

    assert 25 <= len(tasks) <= 35
    assert tasks["task_id"].str.fullmatch(r"KH02-\d{2}").all()
    assert groups <= set(TASK_GROUP_KEYS)
    assert tasks[["title", "body", "deadline"]].notna().all().all()
    assert completed["evidence"].notna().all()
    assert len(completed) < len(tasks)


# Scores


def test_scores_one_row_per_unit(sample):
    scores = sample[SCORES]

    assert (scores["period"] == "2025-07").all()
    assert sorted(scores["unit_code"]) == sorted([*provinces().index, *communes().index])


def test_scores_within_maximum(sample):
    scores = sample[SCORES]

    for key in SCORE_KEYS:
        assert (scores[key] >= 0).all(), key
        assert (scores[key] <= SCORE_MAXIMUM[key]).all(), key
        assert (scores[key].round(2) == scores[key]).all(), key


def test_scores_total_is_sum(sample):
    scores = sample[SCORES]

    assert (scores[list(SCORE_KEYS)].sum(axis=1).round(2) == scores["total"]).all()
    assert scores["total"].between(60, 95).all()


# Codes and files


def test_codes_official(sample):
    province_codes = set(provinces().index)
    commune_codes = set(communes().index)

    assert set(sample[PROVINCE_STATUS]["province_code"]) == province_codes
    assert set(sample[COMMUNE_STATUS]["commune_code"]) == commune_codes
    assert set(sample[FILING]["unit_code"]) <= commune_codes | province_codes
    assert set(sample[SCORES]["unit_code"]) <= commune_codes | province_codes


def test_generate_sample_deterministic():
    first = generate_sample(7)
    second = generate_sample(7)

    for kind in KINDS:
        pd.testing.assert_frame_equal(first[kind], second[kind])


def test_generate_sample_seed_changes_draws():
    assert not generate_sample(7)[FILING].equals(generate_sample(8)[FILING])


def test_write_sample_identical_bytes(tmp_path):
    first = write_sample(tmp_path / "first")
    second = write_sample(tmp_path / "second")

    for path_one, path_two in zip(first, second):
        assert path_one.read_bytes() == path_two.read_bytes(), path_one.name


def test_shipped_sample_up_to_date(tmp_path):
    for path in write_sample(tmp_path):
        shipped = SAMPLE_DIR / path.name
        assert path.name in SAMPLE_FILES.values()
        assert shipped.read_bytes() == path.read_bytes(), f"{shipped} is out of date: run write_sample()"


def test_sample_file_round_trip(sample):
    generated = generate_sample()

    for kind in KINDS:
        pd.testing.assert_frame_equal(sample[kind], generated[kind])
