"""Measure the dashboard's maps against the budgets and against a plain folium baseline.

    python bench/run.py --quick --json   # payloads and warm reruns, under a minute
    python bench/run.py                  # everything; writes bench/RESULTS.md

A full run also measures the first page after a restart, headless Chromium and memory.

Payload is what the map component sends to the browser for one map: the JSON of its
arguments (map script, HTML, header and library links), as Streamlit serialises it.
Leaflet's own files are left out: the browser loads them once from the app's static
folder and caches them. Rerun time is a warm run of the page script under Streamlit's
``AppTest``, the median of several. Both are measured the same way for the baseline
(``bench/baseline_app.py``).

The boundaries come from ``DXMAP_BOUNDARIES_DIR`` or else ``../shared`` beside the
repository; the data is the sample, on 15 July 2025.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SHARED_BOUNDARIES = REPO.parent / "shared" / "data" / "boundaries" / "vietnam-3d-map"
WORK_DIR = REPO / "bench" / ".work"
REPORT_DATE = "2025-07-15"
MAPS = ("provinces", "communes_national", "communes_province")

BUDGETS = {
    "payload_bytes": {"provinces": 250_000, "communes_national": 2_000_000, "communes_province": 400_000},
    "rerun_seconds": 0.3,
    "first_page_seconds": 3.0,
    "browser_seconds": 3.0,
    "rss_mb": 600,
    "rss_per_session_mb": 20,
    "payload_ratio": 5,
    "rerun_ratio": 3,
}


def prepare_environment() -> None:
    """Point the app at the boundaries, a disk cache and a scratch database of the sample."""
    os.environ.setdefault("DXMAP_BOUNDARIES_DIR", str(SHARED_BOUNDARIES))
    os.environ.setdefault("DXMAP_CACHE_DIR", str(WORK_DIR / "cache"))
    database = Path(tempfile.mkdtemp(prefix="dxmap-bench-")) / "bench.sqlite"
    os.environ["DXMAP_DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DXMAP_BENCH_GEOJSON_DIR"] = str(WORK_DIR / "geojson")
    os.chdir(REPO)


def largest_province() -> str:
    """Return the code of the province with the largest area."""
    from geo.display import display_layer

    provinces = display_layer("province").to_crs(3405)
    return provinces.set_index("code").geometry.area.idxmax()


def convert_source_to_geojson() -> None:
    """Write the boundary source as full-detail GeoJSON, as a dashboard author would convert it once."""
    from geo import units
    from geo.layout import read_communes, read_provinces
    from geo.sources import open_source

    folder = Path(os.environ["DXMAP_BENCH_GEOJSON_DIR"])
    if (folder / "communes.geojson").is_file():
        return
    folder.mkdir(parents=True, exist_ok=True)
    source = open_source()
    levels = {"provinces": read_provinces(source), "communes": read_communes(source, list(units.provinces().index))}
    for name, read in levels.items():
        features = read.features.rename(columns={"source_name": "name"})
        features.to_file(folder / f"{name}.geojson.part", driver="GeoJSON")
        (folder / f"{name}.geojson.part").rename(folder / f"{name}.geojson")


def page_for(which: str, province: str) -> tuple[str, dict[str, str]]:
    """Return the dashboard page and URL parameters that draw one of the three maps."""
    if which == "provinces":
        return "app.py", {"date": REPORT_DATE}
    if which == "communes_national":
        return "pages/communes.py", {"date": REPORT_DATE, "layer": "status"}
    return "pages/communes.py", {"date": REPORT_DATE, "province": province}


def open_page(script: str, params: dict[str, str], page: str | None = None):
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(REPO / script), default_timeout=600)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    if page is not None:
        app.switch_page(page).run()
    if app.exception:
        raise RuntimeError(f"{script} {params} failed: {app.exception[0].message}")
    return app


def map_payload_bytes(app) -> int:
    """Return the bytes of the map component's arguments, as sent to the browser."""
    components = [element for element in app.get("component_instance") if "folium" in element.proto.component_name]
    if len(components) != 1:
        raise RuntimeError(f"expected one map on the page, found {len(components)}")
    return len(components[0].proto.json_args.encode())


def timed_reruns(app, repeat: int) -> float:
    """Return the median time of ``repeat`` warm runs of an opened page."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure_ours(which: str, province: str, repeat: int) -> tuple[int, float]:
    script, params = page_for(which, province)
    app = open_page("app.py", params, None if script == "app.py" else script)
    return map_payload_bytes(app), timed_reruns(app, repeat)


def measure_baseline(which: str, province: str, repeat: int) -> tuple[int, float]:
    params = {"map": which} | ({"province": province} if which == "communes_province" else {})
    app = open_page("bench/baseline_app.py", params)
    return map_payload_bytes(app), timed_reruns(app, repeat)


def measure_maps(repeat: int, baseline_repeat: int) -> dict:
    """Measure payload and warm rerun of the three maps, ours and the baseline's."""
    convert_source_to_geojson()
    province = largest_province()
    results = {key: {} for key in ("payload_bytes", "baseline_payload_bytes", "rerun_seconds", "baseline_rerun_seconds")}
    for which in MAPS:
        payload, rerun = measure_ours(which, province, repeat)
        baseline_payload, baseline_rerun = measure_baseline(which, province, baseline_repeat)
        results["payload_bytes"][which] = payload
        results["baseline_payload_bytes"][which] = baseline_payload
        results["rerun_seconds"][which] = round(rerun, 4)
        results["baseline_rerun_seconds"][which] = round(baseline_rerun, 4)
    results["largest_province"] = province
    return results


def ratios(results: dict) -> dict:
    """Return baseline over ours for payload and rerun, per map."""
    return {
        "payload_ratio": {which: round(results["baseline_payload_bytes"][which] / results["payload_bytes"][which], 2) for which in MAPS},
        "rerun_ratio": {which: round(results["baseline_rerun_seconds"][which] / results["rerun_seconds"][which], 2) for which in MAPS},
    }


def failed_budgets(results: dict) -> list[str]:
    """Return a line per budget or ratio that the results miss."""
    failures = []
    for which in MAPS:
        if results["payload_bytes"][which] > BUDGETS["payload_bytes"][which]:
            failures.append(f"payload of {which}: {results['payload_bytes'][which]} bytes > {BUDGETS['payload_bytes'][which]}")
        if results["rerun_seconds"][which] > BUDGETS["rerun_seconds"]:
            failures.append(f"rerun of {which}: {results['rerun_seconds'][which]} s > {BUDGETS['rerun_seconds']} s")
        if results["payload_ratio"][which] < BUDGETS["payload_ratio"]:
            failures.append(f"payload ratio of {which}: {results['payload_ratio'][which]} < {BUDGETS['payload_ratio']}")
        if results["rerun_ratio"][which] < BUDGETS["rerun_ratio"]:
            failures.append(f"rerun ratio of {which}: {results['rerun_ratio'][which]} < {BUDGETS['rerun_ratio']}")
    for key, budget in (("first_page_seconds", "first_page_seconds"), ("browser_seconds", "browser_seconds"),
                        ("rss_mb", "rss_mb"), ("rss_per_session_mb", "rss_per_session_mb")):
        if key in results and results[key] > BUDGETS[budget]:
            failures.append(f"{key}: {results[key]} > {BUDGETS[budget]}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="payloads and warm reruns only (under a minute)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    arguments = parser.parse_args(argv)

    prepare_environment()
    _quiet_streamlit()
    results = measure_maps(repeat=3 if arguments.quick else 7, baseline_repeat=1 if arguments.quick else 3)
    results |= ratios(results)
    if not arguments.quick:
        from bench import full

        results |= full.measure(REPO)
        full.write_results(REPO / "bench" / "RESULTS.md", results, BUDGETS, failed_budgets(results))
    results["failed_budgets"] = failed_budgets(results)

    print(json.dumps(results, indent=None if arguments.json else 2))
    return 1 if results["failed_budgets"] else 0


def _quiet_streamlit() -> None:
    """Silence the warnings that Streamlit logs when pages run outside a server."""
    import logging

    for name in ("streamlit", "streamlit.runtime", "streamlit.runtime.caching", "streamlit.runtime.scriptrunner_utils"):
        logging.getLogger(name).setLevel(logging.ERROR)


if __name__ == "__main__":
    sys.exit(main())
