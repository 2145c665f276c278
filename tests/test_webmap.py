"""Offline folium maps: the vendored files, the links that the map requests, and the standalone HTML."""

from __future__ import annotations

import html
import json
import re

import folium
import folium.plugins
import geopandas as gpd
import pytest
import shapely
import streamlit_folium

from geo import webmap
from geo.display import display_layer

# An absolute or protocol-relative URL to a named host: what a closed network cannot load.
EXTERNAL_URL = re.compile(r"(?:https?:)?//[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+[^\s\"'<>)]*")

# Points of the archipelagos, as (lat, lon): Hoàng Sa's western and eastern
# islands, and Trường Sa's south-western and north-eastern reefs.
ARCHIPELAGO_POINTS = [(16.5, 111.6), (16.9, 112.7), (7.0, 111.6), (11.4, 117.3)]


@pytest.fixture(scope="module")
def provinces() -> gpd.GeoDataFrame:
    return display_layer("province")


def st_folium_payload(m: folium.Map, monkeypatch) -> dict:
    """Run `st_folium` on ``m`` and return the arguments it sends to the browser component."""
    payload = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: payload.update(kwargs))
    streamlit_folium.st_folium(m, returned_objects=[])
    return payload


def external_urls(payload: dict) -> dict[str, list[str]]:
    """Return the external URLs in each part of an `st_folium` payload that the browser loads or runs."""
    found = {
        "js_links": [link for link in payload["js_links"] if EXTERNAL_URL.match(link)],
        "css_links": [link for link in payload["css_links"] if EXTERNAL_URL.match(link)],
    }
    for part in ("header", "html", "script"):
        found[part] = EXTERNAL_URL.findall(payload[part])
    return {part: urls for part, urls in found.items() if urls}


def province_map(provinces: gpd.GeoDataFrame, **kwargs) -> folium.Map:
    m = webmap.base_map(**kwargs)
    webmap.outline_layer(provinces).add_to(m)
    webmap.province_layer(provinces).add_to(m)
    return m


def test_install_static_assets_copies_files(tmp_path):
    webmap.install_static_assets(tmp_path)

    for relative, source in webmap.vendor_files().items():
        target = tmp_path / webmap.VENDOR_DIR / relative
        assert target.read_bytes() == source.read_bytes(), relative
    assert (tmp_path / "vendor" / "leaflet-1.9.3" / "leaflet.js").is_file()
    assert (tmp_path / "vendor" / "leaflet-1.9.3" / "images" / "layers.png").is_file()
    assert (tmp_path / "vendor" / "jquery-3.7.1" / "jquery.min.js").is_file()


def test_install_static_assets_keeps_current_files(tmp_path):
    webmap.install_static_assets(tmp_path)
    targets = [tmp_path / webmap.VENDOR_DIR / relative for relative in webmap.vendor_files()]
    before = {target: target.stat().st_ino for target in targets}

    webmap.install_static_assets(tmp_path)

    assert {target: target.stat().st_ino for target in targets} == before


def test_install_static_assets_replaces_changed_file(tmp_path):
    webmap.install_static_assets(tmp_path)
    leaflet_js = tmp_path / webmap.VENDOR_DIR / webmap.LEAFLET_DIR / "leaflet.js"
    leaflet_js.write_text("/* an older Leaflet */", encoding="utf-8")

    webmap.install_static_assets(tmp_path)

    assert leaflet_js.read_bytes() == webmap.vendor_files()[f"{webmap.LEAFLET_DIR}/leaflet.js"].read_bytes()
    assert not list(leaflet_js.parent.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("base_url_path", "expected"),
    [
        ("", "/app/static"),
        ("/", "/app/static"),
        ("dxmap", "/dxmap/app/static"),
        ("/dxmap/", "/dxmap/app/static"),
        ("a/b", "/a/b/app/static"),
    ],
)
def test_static_url_base_paths(base_url_path, expected):
    assert webmap.static_url(base_url_path) == expected


def test_base_map_has_no_tiles_by_default():
    m = webmap.base_map()

    assert not [child for child in m._children.values() if isinstance(child, folium.TileLayer)]
    assert m.options["prefer_canvas"] is True


def test_base_map_tiles_on_request():
    m = webmap.base_map(tiles="OpenStreetMap")

    assert len([child for child in m._children.values() if isinstance(child, folium.TileLayer)]) == 1


def test_base_map_kwargs_override_defaults():
    m = webmap.base_map(prefer_canvas=False, zoom_start=7)

    assert m.options["prefer_canvas"] is False
    assert m.options["zoom"] == 7


def test_base_map_links_local_libraries():
    m = webmap.base_map(static_url="/dxmap/app/static")

    assert m.default_js == [
        ("leaflet", "/dxmap/app/static/vendor/leaflet-1.9.3/leaflet.js"),
        ("jquery", "/dxmap/app/static/vendor/jquery-3.7.1/jquery.min.js"),
    ]
    assert m.default_css == [("leaflet_css", "/dxmap/app/static/vendor/leaflet-1.9.3/leaflet.css")]


def test_base_map_leaves_folium_defaults_alone():
    webmap.base_map().add_js_link("extra", "/app/static/extra.js")

    assert folium.Map.default_js[0] == ("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")
    assert "extra" not in dict(folium.Map.default_js)


def test_vietnam_bounds_contain_archipelagos(provinces):
    (south, west), (north, east) = webmap.VIETNAM_BOUNDS
    min_lon, min_lat, max_lon, max_lat = provinces.total_bounds

    for lat, lon in ARCHIPELAGO_POINTS:
        assert south <= lat <= north, (lat, lon)
        assert west <= lon <= east, (lat, lon)
    assert south <= min_lat
    assert max_lat <= north
    assert west <= min_lon
    assert max_lon <= east


def test_st_folium_payload_has_no_external_urls(provinces, monkeypatch):
    payload = st_folium_payload(province_map(provinces, static_url="/dxmap/app/static"), monkeypatch)

    assert external_urls(payload) == {}
    assert payload["js_links"] == [
        "/dxmap/app/static/vendor/leaflet-1.9.3/leaflet.js",
        "/dxmap/app/static/vendor/jquery-3.7.1/jquery.min.js",
    ]
    assert payload["css_links"] == ["/dxmap/app/static/vendor/leaflet-1.9.3/leaflet.css"]
    assert "preferCanvas" in payload["script"]
    assert "tileLayer" not in payload["script"]


def test_external_urls_flags_cdn_plugin(provinces, monkeypatch):
    m = province_map(provinces)
    folium.plugins.Fullscreen().add_to(m)

    found = external_urls(st_folium_payload(m, monkeypatch))

    assert list(found) == ["js_links", "css_links"]


def test_external_urls_flags_tiles(monkeypatch):
    found = external_urls(st_folium_payload(webmap.base_map(tiles="OpenStreetMap"), monkeypatch))

    assert list(found) == ["script"]


def test_province_layer_escapes_names():
    name = '<img src=x onerror="alert(1)"> Hòa & Bình'
    units = gpd.GeoDataFrame(
        {"code": ["99"], "name": [name]}, geometry=[shapely.box(105, 20, 106, 21)], crs="EPSG:4326"
    )

    layer = webmap.province_layer(units)

    properties = layer.data["features"][0]["properties"]
    assert properties["label"] == html.escape(name)
    assert properties["name"] == name
    assert "<img" not in properties["label"]


def test_province_layer_tooltip_shows_label(provinces):
    layer = webmap.province_layer(provinces)

    tooltips = [child for child in layer._children.values() if isinstance(child, folium.GeoJsonTooltip)]
    assert len(tooltips) == 1
    assert tooltips[0].fields == ["label"]
    assert len(layer.data["features"]) == 34


@pytest.mark.parametrize("missing", ["code", "name"])
def test_province_layer_missing_column(provinces, missing):
    with pytest.raises(ValueError, match=f"missing column.*'{missing}'"):
        webmap.province_layer(provinces.drop(columns=[missing]))


def test_province_layer_without_crs(provinces):
    with pytest.raises(ValueError, match="no CRS"):
        webmap.province_layer(provinces.set_crs(None, allow_override=True))


def test_outline_layer_takes_no_mouse_events(provinces):
    layer = webmap.outline_layer(provinces)

    assert layer.options["interactive"] is False
    assert not layer._children


def test_map_html_inlines_libraries(provinces):
    page = webmap.map_html(province_map(provinces))

    assert not re.findall(r"<script[^>]*\bsrc=", page)
    assert not re.findall(r"<link[^>]*\bhref=", page)
    assert 'version="1.9.3"' in page
    assert "jQuery v3.7.1" in page
    assert "url(images/" not in page
    assert "url(data:image/png;base64," in page
    assert json.dumps("Thành phố Hà Nội")[1:-1] in page
    assert 'content="text/html; charset=UTF-8"' in page


def test_map_html_rejects_cdn_map():
    with pytest.raises(RuntimeError, match="Cannot inline link 'bootstrap'"):
        webmap.map_html(folium.Map())


def test_attribution_credits_boundary_source():
    rendered = webmap.base_map().get_root().render()

    assert "vietnam-3d-map" in rendered
    assert "MIT" in rendered
