"""The app in headless Chromium with every request off 127.0.0.1 blocked.

These tests start ``streamlit run app.py`` and drive Debian's Chromium through
Playwright (never a browser that Playwright downloads). They skip when
/usr/bin/chromium or the ``playwright`` package is missing. Screenshots are saved
in each test's ``tmp_path``.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
import shapely
from PIL import Image
from shapely.ops import polylabel

from geo import webmap
from monitoring.presentation import STATUS_COLORS
from geo.display import display_layer

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed (pip install playwright)"
)
CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.is_file():
    pytest.skip(
        f"{CHROMIUM} not found; install Debian's chromium package (apt-get install chromium)",
        allow_module_level=True,
    )

REPO = Path(__file__).resolve().parents[1]
BOUNDARIES = REPO.parent / "shared" / "data" / "boundaries" / "vietnam-3d-map"
LAUNCH_ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
SERVER_START_TIMEOUT = 60  # seconds
BROWSER_TIMEOUT = 60_000  # milliseconds

HANOI = "01"
# Đà Nẵng and Khánh Hòa, whose polygons contain the Hoàng Sa and Trường Sa archipelagos.
ARCHIPELAGO_PROVINCES = ["48", "56"]

# The codes of the province layers that Leaflet has projected into the visible map
# and therefore drawn. `_parts` is Leaflet 1.9's list of a path's clipped pixel rings.
DRAWN_PROVINCE_CODES_JS = """
(mapName) => {
    const map = window[mapName];
    if (!map || !window.L) return [];
    const codes = new Set();
    map.eachLayer((layer) => {
        const code = layer.feature && layer.feature.properties && layer.feature.properties.code;
        if (code && layer._renderer instanceof L.Canvas && layer._parts && layer._parts.length) {
            codes.add(code);
        }
    });
    return [...codes];
}
"""

# The position of a point in the frame's viewport, as [x, y].
POINT_IN_FRAME_JS = """
([mapName, lat, lon]) => {
    const map = window[mapName];
    const point = map.latLngToContainerPoint([lat, lon]);
    const box = map.getContainer().getBoundingClientRect();
    return [box.left + point.x, box.top + point.y];
}
"""

# The codes of the province layers that lie wholly inside the visible map.
PROVINCES_IN_VIEW_JS = """
([mapName, codes]) => {
    const map = window[mapName];
    const inView = [];
    map.eachLayer((layer) => {
        const code = layer.feature && layer.feature.properties && layer.feature.properties.code;
        if (codes.includes(code) && map.getBounds().contains(layer.getBounds())) inView.push(code);
    });
    return inView.sort();
}
"""

STANDALONE_MAP_NAME_JS = "() => Object.keys(window).find((name) => /^map_[0-9a-f]{32}$/.test(name)) || null"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def provinces():
    return display_layer("province")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    """Poll Streamlit's health endpoint until it returns 200, the server exits or the timeout passes."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with code {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.2)
    pytest.fail(f"streamlit at {url} timed out: no health response within {SERVER_START_TIMEOUT} s:\n{log.read_text()}")


@pytest.fixture(scope="module", params=["", "dxmap"], ids=["root", "base-url-path"])
def app_url(request, tmp_path_factory):
    """Start ``streamlit run app.py`` on a free port of 127.0.0.1, yield the app's URL, then stop the server."""
    port = free_port()
    base_url_path = request.param
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
    ]  # fmt: skip
    if base_url_path:
        command += ["--server.baseUrlPath", base_url_path]
    url = f"http://127.0.0.1:{port}/{base_url_path + '/' if base_url_path else ''}"
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    database = f"sqlite:///{log.parent / 'app.sqlite'}"
    environment = dict(os.environ, DXMAP_BOUNDARIES_DIR=str(BOUNDARIES), DXMAP_DATABASE_URL=database)

    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=REPO, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until_healthy(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class OfflineContext:
    """A browser context that aborts and records every request to a host other than 127.0.0.1 or a file:// URL."""

    def __init__(self, browser, allowed_schemes=("http", "ws"), height=1000, width=1400):
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.loaded: list[str] = []
        self.allowed_schemes = allowed_schemes
        # Streamlit scrolls inside the page, so a screenshot shows only the viewport's height.
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.context.set_default_timeout(BROWSER_TIMEOUT)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("response", self._record_response)

    def _route(self, route) -> None:
        url = urlparse(route.request.url)
        local = url.scheme == "file" or (url.scheme in self.allowed_schemes and url.hostname == "127.0.0.1")
        if local:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _record_response(self, response) -> None:
        self.loaded.append(response.url)
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def fail(self, error: Exception) -> None:
        """Fail the test with what the page could not load, the usual cause of a map that never draws."""
        pytest.fail(f"{error}\nBlocked requests: {self.blocked}\nFailed responses: {self.failed}")


def pixel(page, x: float, y: float) -> tuple[int, int, int]:
    png = page.screenshot(clip={"x": x, "y": y, "width": 1, "height": 1})
    return Image.open(io.BytesIO(png)).convert("RGB").getpixel((0, 0))


def hex_rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


def interior_point(provinces, code: str) -> tuple[float, float]:
    """Return (lat, lon) of the point of a province farthest from its border."""
    geometry = provinces.set_index("code").geometry[code]
    largest = max(shapely.get_parts(geometry), key=lambda part: part.area)
    point = polylabel(largest, tolerance=1e-4)
    return point.y, point.x


def test_app_map_draws_offline(browser, app_url, provinces, tmp_path):
    offline = OfflineContext(browser)
    page = offline.page
    hanoi_name = provinces.set_index("code").loc[HANOI, "name"]
    lat, lon = interior_point(provinces, HANOI)

    try:
        page.goto(app_url)
        iframe = page.wait_for_selector(MAP_IFRAME)
        frame = iframe.content_frame()
        frame.wait_for_function(f"({DRAWN_PROVINCE_CODES_JS})('map').length === 34")
        # The briefing above the map can push it below the window's lower edge.
        iframe.scroll_into_view_if_needed()

        x, y = frame.evaluate(POINT_IN_FRAME_JS, ["map", lat, lon])
        box = iframe.bounding_box()
        land = pixel(page, box["x"] + x, box["y"] + y)
        page.mouse.move(box["x"] + x, box["y"] + y)
        tooltip_text = frame.wait_for_selector(".leaflet-tooltip").inner_text().strip()
        archipelagos_in_view = frame.evaluate(PROVINCES_IN_VIEW_JS, ["map", ARCHIPELAGO_PROVINCES])
    except sync_api.TimeoutError as error:
        offline.fail(error)
    finally:
        page.screenshot(path=tmp_path / "app-map.png")
        offline.context.close()

    green = hex_rgb(STATUS_COLORS["xanh"])
    assert tooltip_text.splitlines()[0] == hanoi_name
    assert "Trạng thái: Xanh" in tooltip_text
    assert all(abs(drawn - expected) <= 30 for drawn, expected in zip(land, green)), land
    assert archipelagos_in_view == ARCHIPELAGO_PROVINCES
    assert offline.blocked == []
    assert offline.failed == []
    app = urlparse(app_url)
    leaflet_js = f"{app.scheme}://{app.netloc}{webmap.static_url(app.path)}/vendor/{webmap.LEAFLET_DIR}/leaflet.js"
    assert leaflet_js in offline.loaded


def test_map_html_draws_offline_from_file(browser, provinces, tmp_path):
    m = webmap.base_map()
    webmap.outline_layer(provinces).add_to(m)
    webmap.province_layer(provinces).add_to(m)
    html_file = tmp_path / "map.html"
    html_file.write_text(webmap.map_html(m), encoding="utf-8")
    offline = OfflineContext(browser, allowed_schemes=())

    try:
        offline.page.goto(html_file.as_uri())
        map_name = offline.page.wait_for_function(STANDALONE_MAP_NAME_JS).json_value()
        offline.page.wait_for_function(f"({DRAWN_PROVINCE_CODES_JS})({map_name!r}).length === 34")
    except sync_api.TimeoutError as error:
        offline.fail(error)
    finally:
        offline.page.screenshot(path=tmp_path / "standalone-map.png")
        offline.context.close()

    assert offline.blocked == []


def test_app_download_is_standalone(browser, app_url, tmp_path):
    offline = OfflineContext(browser)
    page = offline.page

    try:
        page.goto(app_url)
        page.wait_for_selector(MAP_IFRAME)
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Tải bản đồ").click()
        download = download_info.value
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
    except sync_api.TimeoutError as error:
        offline.fail(error)
    finally:
        offline.context.close()

    page_html = saved.read_text(encoding="utf-8")
    assert saved.name == "ban-do-chuyen-doi-so.html"
    assert "<script src=" not in page_html
    assert 'version="1.9.3"' in page_html
    assert offline.blocked == []


def test_data_page_upload_and_import(browser, app_url, tmp_path):
    bad = tmp_path / "tinh_loi.csv"
    bad.write_text("Ngày báo cáo;Tỉnh, thành phố;Trạng thái\n15/07/2025;Hà Giang;Xanh\n", encoding="utf-8-sig")
    good = tmp_path / "tinh.csv"
    good.write_text("Ngày báo cáo;Tỉnh, thành phố;Trạng thái\n15/07/2025;TP HCM;Vàng\n", encoding="utf-8-sig")
    offline = OfflineContext(browser, height=2600)
    page = offline.page

    page.goto(f"{app_url}data")
    page.get_by_text("Nguồn dữ liệu đang hiển thị").wait_for()
    page.get_by_text("tối đa 20 MB mỗi tệp", exact=False).wait_for()
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_text("1 lỗi").wait_for()
    page.get_by_text("Tuyên Quang").first.wait_for()
    page.screenshot(path=tmp_path / "data-errors.png")
    import_buttons = page.get_by_role("button", name="Nhập dữ liệu").count()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Tải báo cáo kiểm tra (CSV)").click()
    report_name = download_info.value.suggested_filename

    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_text("Trạng thái tỉnh, thành phố: 1 dòng thay cho").wait_for()
    page.get_by_role("button", name="Nhập dữ liệu").click()
    page.get_by_text("Đã nhập thành phiên bản 1.").wait_for()
    page.get_by_text("từ tệp tinh.csv").first.wait_for()
    restore_choice = page.get_by_role("combobox", name="Khôi phục phiên bản")
    sync_api.expect(restore_choice).to_have_value("Phiên bản 0 — dữ liệu mẫu")
    page.screenshot(path=tmp_path / "data-imported.png")

    page.get_by_role("button", name="Khôi phục", exact=True).click()
    page.get_by_text("Đã khôi phục phiên bản 0 thành phiên bản mới 2.").wait_for()
    sync_api.expect(restore_choice).to_have_value(re.compile(r"^Phiên bản 1 — .* — tinh\.csv$"))
    page.screenshot(path=tmp_path / "data-restored.png")

    assert import_buttons == 0
    assert report_name == "kiem_tra_tinh_loi.csv"
    assert offline.blocked == []
    offline.context.close()


def test_english_switch_in_browser(browser, app_url):
    offline = OfflineContext(browser)
    page = offline.page
    page.goto(app_url)
    page.get_by_text("Bản đồ giám sát chuyển đổi số").wait_for()
    page.get_by_text("English").click()
    page.get_by_text("Digital transformation monitoring map").wait_for()
    assert "lang=en" in page.url
    offline.context.close()


def test_click_province_drills_down(browser, app_url, provinces, tmp_path):
    offline = OfflineContext(browser)
    page = offline.page
    lat, lon = interior_point(provinces, HANOI)
    hanoi_communes = 126

    try:
        page.goto(f"{app_url}?date=2025-07-15")
        iframe = page.wait_for_selector(MAP_IFRAME)
        frame = iframe.content_frame()
        frame.wait_for_function(f"({DRAWN_PROVINCE_CODES_JS})('map').length === 34")
        iframe.scroll_into_view_if_needed()
        x, y = frame.evaluate(POINT_IN_FRAME_JS, ["map", lat, lon])
        box = iframe.bounding_box()
        page.mouse.click(box["x"] + x, box["y"] + y)

        page.get_by_role("button", name="← Toàn quốc").wait_for()
        frame = page.wait_for_selector(MAP_IFRAME).content_frame()
        frame.wait_for_function(f"({DRAWN_PROVINCE_CODES_JS})('map').length === {hanoi_communes}")
        drilled_url = page.url
        page.screenshot(path=tmp_path / "communes.png")

        page.get_by_role("button", name="← Toàn quốc").click()
        page.get_by_role("button", name="← Toàn quốc").wait_for(state="detached")
        frame = page.wait_for_selector(MAP_IFRAME).content_frame()
        frame.wait_for_function(f"({DRAWN_PROVINCE_CODES_JS})('map').length === 34")
    except sync_api.TimeoutError as error:
        offline.fail(error)
    finally:
        offline.context.close()

    assert "province=01" in drilled_url
    assert "date=2025-07-15" in drilled_url
    assert offline.blocked == []


# Per page: its path, a heading it shows, and how many map features it draws (None: no map).
PAGE_VIEWS = [
    ("", "Tỉnh, thành phố Xanh", 34),
    ("communes", "Tỷ lệ xã Xanh theo tỉnh", 3321),
    ("filing", "Hạ tầng sẵn sàng và nộp trực tuyến", None),
    ("tasks", "Theo cơ quan chủ trì", None),
    ("scores", "Chỉ số 766", 34),
    ("data", "Nguồn dữ liệu đang hiển thị", None),
]


def screenshot_dir(tmp_path: Path) -> Path:
    """Return where page screenshots go: ``DXMAP_SCREENSHOT_DIR`` when set, else the test's tmp_path."""
    folder = Path(os.environ.get("DXMAP_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("path, heading, features", PAGE_VIEWS, ids=[view[0] or "overview" for view in PAGE_VIEWS])
def test_page_screenshot(browser, app_url, tmp_path, path, heading, features):
    offline = OfflineContext(browser, width=1440, height=900)
    page = offline.page
    shot = screenshot_dir(tmp_path) / f"{path or 'overview'}-{urlparse(app_url).path.strip('/') or 'root'}.png"

    try:
        page.goto(f"{app_url}{path}?date=2025-07-15")
        page.get_by_text(heading, exact=True).first.wait_for()
        if features is not None:
            frame = page.wait_for_selector(MAP_IFRAME).content_frame()
            frame.wait_for_function(f"({DRAWN_PROVINCE_CODES_JS})('map').length === {features}", timeout=120_000)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
        page.wait_for_selector("[data-testid='stSkeleton']", state="detached")
        exceptions = page.locator("[data-testid='stException']").count()
    except sync_api.TimeoutError as error:
        offline.fail(error)
    finally:
        page.screenshot(path=shot)
        offline.context.close()

    # Opened at /communes, Streamlit's front end first tries /communes/_stcore/... as the
    # server's base path, gets 404s and falls back to the real one.
    failed = [url for url in offline.failed if not re.search(rf"/{path}/_stcore/(health|host-config)$", url)]
    assert Image.open(shot).size == (1440, 900)
    assert exceptions == 0
    assert offline.blocked == []
    assert failed == []
