"""The benchmark runs and reports every figure it promises; its budgets are checked by its own output, not here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAPS = {"provinces", "communes_national", "communes_province"}


def test_quick_run_prints_every_figure():
    # The test session's DXMAP_* settings (boundaries, display cache) pass through.
    run = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--json"], cwd=REPO, env=dict(os.environ), capture_output=True, text=True, timeout=600
    )
    results = json.loads(run.stdout.strip().splitlines()[-1])

    for key in ("payload_bytes", "baseline_payload_bytes", "rerun_seconds", "baseline_rerun_seconds"):
        assert set(results[key]) == MAPS, key
        assert all(value > 0 for value in results[key].values()), key
    assert run.returncode == (1 if results["failed_budgets"] else 0)


def test_failed_budgets_names_each_miss():
    sys.path.insert(0, str(REPO))
    from bench.run import failed_budgets

    results = {
        "payload_bytes": {"provinces": 300_000, "communes_national": 1_000_000, "communes_province": 100_000},
        "rerun_seconds": {"provinces": 0.1, "communes_national": 0.5, "communes_province": 0.1},
        "payload_ratio": {"provinces": 6, "communes_national": 4, "communes_province": 6},
        "rerun_ratio": {"provinces": 4, "communes_national": 4, "communes_province": 2},
        "rss_mb": 700,
    }
    assert failed_budgets(results) == [
        "payload of provinces: 300000 bytes > 250000",
        "rerun of communes_national: 0.5 s > 0.3 s",
        "payload ratio of communes_national: 4 < 5",
        "rerun ratio of communes_province: 2 < 3",
        "rss_mb: 700 > 600",
    ]
