"""The parts of a full benchmark run that need a server, a browser or a fresh process.

They measure the first page after a restart, the time until the national commune map
is drawn in headless Chromium, the server's memory, and the largest commune map of
any province.

Chromium is Debian's (``/usr/bin/chromium``) driven by Playwright; every request that
is not to 127.0.0.1 is aborted, as on a closed network.
"""

from __future__ import annotations

import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
EXTRA_SESSIONS = 5
BROWSER_REPEAT = 5

# Counts the units Leaflet has drawn on the canvas of the map named ``map``.
DRAWN_UNITS_JS = """
() => {
    const map = window.map;
    if (!map || !window.L) return 0;
    let drawn = 0;
    map.eachLayer((layer) => {
        const code = layer.feature && layer.feature.properties && layer.feature.properties.code;
        if (code && layer._parts && layer._parts.length) drawn += 1;
    });
    return drawn;
}
"""

FIRST_PAGE_SCRIPT = """
import logging, sys, time
logging.disable(logging.WARNING)
from streamlit.testing.v1 import AppTest
app = AppTest.from_file(sys.argv[1], default_timeout=600)
app.query_params["date"] = "2025-07-15"
started = time.perf_counter()
app.run()
print(time.perf_counter() - started)
"""


def measure(repo: Path) -> dict:
    """Run every measurement of a full run and return the figures."""
    results = {"first_page_seconds": first_page_seconds(repo)}
    results["largest_commune_payload"] = largest_commune_payload()
    with running_server(repo) as url:
        results |= browser_and_memory(url)
    return results


def first_page_seconds(repo: Path) -> float:
    """Time the overview's first run in a new process, with the boundary cache on disk."""
    output = subprocess.run(
        [sys.executable, "-c", FIRST_PAGE_SCRIPT, str(repo / "app.py")],
        cwd=repo, env=os.environ, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return round(float(output.stdout.strip().splitlines()[-1]), 3)


def largest_commune_payload() -> dict:
    """Measure the commune map of every province and return the largest payload."""
    from bench.run import map_payload_bytes, open_page
    from geo.units import provinces

    sizes = {}
    for code in provinces().index:
        app = open_page("app.py", {"date": "2025-07-15", "province": code}, "pages/communes.py")
        sizes[code] = map_payload_bytes(app)
    largest = max(sizes, key=sizes.get)
    return {"province": largest, "bytes": sizes[largest]}


class running_server:
    """Start ``streamlit run app.py`` on a free port of 127.0.0.1 and stop it on exit."""

    def __init__(self, repo: Path):
        self.repo = repo

    def __enter__(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                   "--server.address", "127.0.0.1", "--server.port", str(port)]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=self.repo, env=os.environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}_stcore/health", timeout=2):
                    return url
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"streamlit at {url} timed out: no health response within 60 s")

    def __exit__(self, *exc_info) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def server_rss_mb(url: str) -> float:
    """Return the resident memory of the process listening on ``url``'s port, in MB."""
    port = urlparse(url).port
    for pid in Path("/proc").iterdir():
        if pid.name.isdigit() and _listens_on(pid, port):
            return _rss_mb(pid)
    raise RuntimeError(f"no process listens on port {port}")


def _listens_on(pid: Path, port: int) -> bool:
    try:
        command = (pid / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"streamlit" in b" ".join(command) and str(port).encode() in command


def _rss_mb(pid: Path) -> float:
    for line in (pid / "status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS in /proc/{pid.name}/status")


def browser_and_memory(url: str) -> dict:
    """Time the national commune map in Chromium and read the server's memory per session."""
    from playwright.sync_api import sync_playwright

    communes_url = f"{url}communes?date=2025-07-15&layer=status"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        first_visit = time_commune_map(browser, communes_url)
        for page in ("", "filing", "tasks", "scores", "data"):
            visit(browser, f"{url}{page}?date=2025-07-15")
        warm = [time_commune_map(browser, communes_url) for _ in range(BROWSER_REPEAT)]
        one_session = server_rss_mb(url)
        contexts = [open_session(browser, communes_url) for _ in range(EXTRA_SESSIONS)]
        more_sessions = server_rss_mb(url)
        for context in contexts:
            context.close()
        browser.close()
    return {
        "browser_first_visit_seconds": first_visit,
        "browser_seconds": round(statistics.median(warm), 3),
        "rss_mb": one_session,
        "rss_per_session_mb": round((more_sessions - one_session) / EXTRA_SESSIONS, 1),
    }


def offline_context(browser):
    """Return a browser context that aborts every request not to 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(120_000)
    context.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).hostname == "127.0.0.1" else route.abort())
    return context


def wait_for_map(page, units: int) -> None:
    frame = page.wait_for_selector(MAP_IFRAME).content_frame()
    frame.wait_for_function(f"({DRAWN_UNITS_JS})() >= {units}", polling=50)


def time_commune_map(browser, url: str) -> float:
    """Return the seconds from navigation to the 3,321 communes drawn, in a new session."""
    context = offline_context(browser)
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    wait_for_map(page, 3321)
    elapsed = time.perf_counter() - started
    context.close()
    return round(elapsed, 3)


def visit(browser, url: str) -> None:
    context = offline_context(browser)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    context.close()


def open_session(browser, url: str):
    """Open a session on the national commune map and keep it open; return its context."""
    context = offline_context(browser)
    page = context.new_page()
    page.goto(url)
    wait_for_map(page, 3321)
    return context


def machine() -> str:
    """Describe the processor, cores, memory, Python and operating system."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())  # fmt: skip
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    return (f"{model}, {os.cpu_count()} cores, {memory_kb / 1024 / 1024:.0f} GiB; "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")  # fmt: skip


def commit(repo: Path) -> str:
    output = subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=7"], cwd=repo, capture_output=True, text=True)
    return output.stdout.strip() or "unknown"


def write_results(path: Path, results: dict, budgets: dict, failures: list[str]) -> None:
    """Write the figures of a full run, with their budgets, to ``path`` as Markdown."""
    maps = ("provinces", "communes_national", "communes_province")
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python bench/run.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit "
        f"`{commit(path.parent.parent)}`.",
        f"Machine: {machine()}.",
        f"Data: the sample on 15/07/2025. The province map of the communes is the largest province by area "
        f"(code {results['largest_province']}).",
        "",
        "## Maps, against the plain folium baseline",
        "",
        "| map | payload | baseline | ratio (≥ 5) | budget | warm rerun | baseline | ratio (≥ 3) | budget |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for which in maps:
        lines.append(
            f"| {which} | {results['payload_bytes'][which]:,} B | {results['baseline_payload_bytes'][which]:,} B | "
            f"{results['payload_ratio'][which]} | {budgets['payload_bytes'][which]:,} B | "
            f"{results['rerun_seconds'][which]} s | {results['baseline_rerun_seconds'][which]} s | "
            f"{results['rerun_ratio'][which]} | {budgets['rerun_seconds']} s |"
        )
    largest = results["largest_commune_payload"]
    lines += [
        "",
        f"Largest commune map of any province: code {largest['province']}, {largest['bytes']:,} B "
        f"(budget {budgets['payload_bytes']['communes_province']:,} B).",
        "",
        "## Server, browser and memory",
        "",
        "| figure | measured | budget |",
        "|---|---:|---:|",
        f"| first page after a restart, boundary cache on disk | {results['first_page_seconds']} s | {budgets['first_page_seconds']} s |",
        f"| national commune map drawn in Chromium, warm server (median of {BROWSER_REPEAT}) | {results['browser_seconds']} s | {budgets['browser_seconds']} s |",
        f"| the same, first visit after the server started | {results['browser_first_visit_seconds']} s | — |",
        f"| server memory with every page loaded | {results['rss_mb']} MB | {budgets['rss_mb']} MB |",
        f"| memory per extra viewer session ({EXTRA_SESSIONS} sessions) | {results['rss_per_session_mb']} MB | {budgets['rss_per_session_mb']} MB |",
        "",
        "## Budgets missed",
        "",
        *([f"- {failure}" for failure in failures] or ["None."]),
        "",
        "## How it is measured",
        "",
        "See the docstrings of `bench/run.py` and `bench/full.py`. Payload is the JSON of the map",
        "component's arguments as Streamlit sends them; Leaflet's own files are cached by the browser",
        "and left out. Reruns are page runs under Streamlit's `AppTest`. Browser times run from",
        "navigation to the last commune drawn on Leaflet's canvas, each in a new browser context",
        "(an empty HTTP cache, so Streamlit's own scripts load too), with every request off",
        "127.0.0.1 blocked. Memory is the resident set of the `streamlit run` process.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
