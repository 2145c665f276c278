"""Download, verification and caching of the boundary files, over a real HTTP server."""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from geo import sources
from geo.errors import BoundaryError
from geo.sources import PROVINCES_FILE, commune_file, file_sha256, open_source, registry


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class names it so
        pass


@pytest.fixture
def serve_folder():
    """Serve a folder on 127.0.0.1 and return its base URL; stop the server afterwards."""
    servers = []

    def start(folder):
        handler = functools.partial(QuietHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server, f"http://127.0.0.1:{server.server_port}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def download_settings(monkeypatch, tmp_path):
    """Use the download path: no boundary folder, and an empty cache."""
    monkeypatch.delenv("DXMAP_BOUNDARIES_DIR", raising=False)
    monkeypatch.setenv("DXMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)  # so no project secrets.toml is read
    sources._fetcher.cache_clear()
    return tmp_path / "cache"


def test_registry_matches_shared_files(boundaries_dir):
    for name, known in registry().items():
        assert known == f"sha256:{file_sha256(boundaries_dir / name)}", name


def test_download_verifies_and_caches(serve_folder, download_settings, boundaries_dir, monkeypatch):
    server, url = serve_folder(boundaries_dir)
    monkeypatch.setenv("DXMAP_BOUNDARIES_URL", url)

    source = open_source()
    path = source.path(PROVINCES_FILE)

    assert source.kind == "download"
    assert path.is_file()
    assert path.is_relative_to(download_settings)
    assert source.hashes_verified
    assert file_sha256(path) == file_sha256(boundaries_dir / PROVINCES_FILE)


def test_second_start_needs_no_network(serve_folder, download_settings, boundaries_dir, monkeypatch):
    server, url = serve_folder(boundaries_dir)
    monkeypatch.setenv("DXMAP_BOUNDARIES_URL", url)
    open_source().path(commune_file("01"))
    server.shutdown()
    server.server_close()
    sources._fetcher.cache_clear()

    again = open_source().path(commune_file("01"))

    assert again.is_file()


def test_corrupted_download_rejected(serve_folder, download_settings, boundaries_dir, monkeypatch, tmp_path):
    served = tmp_path / "served"
    (served / "public").mkdir(parents=True)
    original = (boundaries_dir / PROVINCES_FILE).read_bytes()
    (served / PROVINCES_FILE).write_bytes(original.replace(b'"An Giang"', b'"An Giangx"', 1))
    server, url = serve_folder(served)
    monkeypatch.setenv("DXMAP_BOUNDARIES_URL", url)

    with pytest.raises(BoundaryError, match="SHA-256") as raised:
        open_source().path(PROVINCES_FILE)

    assert "public/provinces.json" in str(raised.value)
    assert "SHA-256 mismatch" in raised.value.message("en")
    cached = [p for p in download_settings.rglob("*") if p.is_file()]
    assert cached == []


def test_unreachable_server_explains_offline_setting(download_settings, monkeypatch):
    monkeypatch.setenv("DXMAP_BOUNDARIES_URL", "http://127.0.0.1:9/")

    with pytest.raises(BoundaryError, match="DXMAP_BOUNDARIES_DIR"):
        open_source().path(PROVINCES_FILE)


def test_folder_source_verifies_hashes(boundaries_dir):
    source = open_source(boundaries_dir)
    source.path(PROVINCES_FILE)

    assert source.kind == "folder"
    assert source.hashes_verified


def test_folder_with_other_version_warns(boundaries_dir, tmp_path):
    (tmp_path / "public").mkdir()
    shutil.copy(boundaries_dir / PROVINCES_FILE, tmp_path / PROVINCES_FILE)
    with (tmp_path / PROVINCES_FILE).open("ab") as handle:
        handle.write(b"\n")

    source = open_source(tmp_path)
    with pytest.warns(UserWarning, match="differs from the pinned"):
        source.path(PROVINCES_FILE)

    assert not source.hashes_verified


def test_missing_folder_names_setting(tmp_path):
    with pytest.raises(BoundaryError, match="DXMAP_BOUNDARIES_DIR"):
        open_source(tmp_path / "absent")


def test_missing_file_in_folder_names_layout(tmp_path):
    with pytest.raises(BoundaryError, match="public/provinces.json"):
        open_source(tmp_path).path(PROVINCES_FILE)


def test_setting_read_from_secrets(monkeypatch, tmp_path, boundaries_dir):
    monkeypatch.delenv("DXMAP_BOUNDARIES_DIR", raising=False)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        f'DXMAP_BOUNDARIES_DIR = "{boundaries_dir}"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)

    source = open_source()

    assert source.kind == "folder"
    assert source.root == boundaries_dir


@pytest.mark.parametrize("url", ["127.0.0.1:8765", "ftp://127.0.0.1/x", "file:///tmp/x"])
def test_non_http_url_rejected(download_settings, monkeypatch, url):
    monkeypatch.setenv("DXMAP_BOUNDARIES_URL", url)

    with pytest.raises(BoundaryError, match="DXMAP_BOUNDARIES_URL") as raised:
        open_source()

    assert "http://" in raised.value.message("en")


def test_cache_dir_that_is_a_file_explained(serve_folder, download_settings, boundaries_dir, monkeypatch, tmp_path):
    server, url = serve_folder(boundaries_dir)
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("DXMAP_BOUNDARIES_URL", url)
    monkeypatch.setenv("DXMAP_CACHE_DIR", str(blocker))

    with pytest.raises(BoundaryError, match="DXMAP_CACHE_DIR"):
        open_source().path(PROVINCES_FILE)
