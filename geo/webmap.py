"""Folium maps that draw with no internet access.

By default folium 0.20 and streamlit-folium 0.27 make the browser load Leaflet,
jQuery, Bootstrap, awesome-markers and Font Awesome from public CDNs, so on a
closed network the map never appears. Here Leaflet and jQuery come from the
installed XStatic packages: `install_static_assets` copies them into the app's
``static/vendor/`` folder, which Streamlit serves at ``<baseUrlPath>/app/static/``
when ``server.enableStaticServing`` is on, and `base_map` points the map at those
copies and drops every other library.

streamlit-folium collects the ``default_js`` and ``default_css`` of every element
it finds in the map into ``js_links``/``css_links`` and loads them in the
component's iframe. Only `folium.elements.JSCSSMixin` subclasses (plugins, Vega,
TopoJson ...) carry such lists. `folium.GeoJson`, `folium.GeoJsonTooltip`,
`folium.Marker` and `folium.DivIcon` carry none. A ``branca`` colormap added to
the map makes streamlit-folium 0.27.4 load d3 from a CDN, so legends must be
plain HTML.
"""

from __future__ import annotations

import base64
import filecmp
import html
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

import folium
import geopandas as gpd
import xstatic.pkg.jquery as xstatic_jquery
import xstatic.pkg.leaflet as xstatic_leaflet
from branca.element import Element, MacroElement
from folium.map import FitBounds
from folium.template import Template

from geo.sources import attribution

log = logging.getLogger(__name__)

# South-west and north-east corners (lat, lon) of the mainland and of the
# Hoàng Sa and Trường Sa archipelagos, which reach 117.4° E and 6.9° N.
VIETNAM_BOUNDS = ((6.5, 102.0), (23.5, 117.8))

VENDOR_DIR = "vendor"
LEAFLET_DIR = f"leaflet-{xstatic_leaflet.VERSION}"
JQUERY_DIR = f"jquery-{xstatic_jquery.VERSION}"

_LEAFLET_FILES = (
    "leaflet.js",
    "leaflet.js.map",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)

# Link names as folium 0.20 spells them, so that an element that updates a link
# by name (`JSCSSMixin.add_js_link`) replaces the local copy instead of adding a second one.
# jQuery stays because folium's Popup template and `Map.keep_in_front` call `$`.
_LOCAL_JS = {
    "leaflet": f"{LEAFLET_DIR}/leaflet.js",
    "jquery": f"{JQUERY_DIR}/jquery.min.js",
}
_LOCAL_CSS = {
    "leaflet_css": f"{LEAFLET_DIR}/leaflet.css",
}

LAND_COLOR = "#c5ced6"
BORDER_COLOR = "#ffffff"
OUTLINE_COLOR = "#6f8296"
HIGHLIGHT_COLOR = "#8fa1b3"
SEA_COLOR = "#eef3f8"

# Plain-text labels for a map without tiles: (text, (lat, lon), CSS class).
_SEA_LABELS = (
    ("Biển Đông", (14.3, 114.6), "dxmap-sea-label"),
    ("Quần đảo Hoàng Sa", (17.6, 112.1), "dxmap-island-label"),
    ("Quần đảo Trường Sa", (12.3, 114.4), "dxmap-island-label"),
)

_MAP_CSS = f"""
<style>
    /* "div." outranks leaflet.css, which a standalone page includes after this style. */
    div.leaflet-container {{ background: {SEA_COLOR}; }}
    .dxmap-sea-label, .dxmap-island-label {{
        white-space: nowrap; text-align: center; pointer-events: none;
        color: #4a6a8a; text-shadow: 0 0 3px {SEA_COLOR};
    }}
    .dxmap-sea-label {{ font-size: 15px; font-style: italic; letter-spacing: 0.1em; }}
    .dxmap-island-label {{ font-size: 11px; }}
    /* Leaflet keeps a tooltip on one line; long notes wrap here so they stay on the map. */
    .leaflet-tooltip.dxmap-tooltip {{ white-space: normal; width: max-content; max-width: 320px; }}
</style>
"""


def vendor_files() -> dict[str, Path]:
    """Return each file to serve, as its path under ``static/vendor/`` and its installed source."""
    leaflet_source = Path(xstatic_leaflet.BASE_DIR)
    files = {f"{LEAFLET_DIR}/{name}": leaflet_source / name for name in _LEAFLET_FILES}
    files[f"{JQUERY_DIR}/jquery.min.js"] = Path(xstatic_jquery.BASE_DIR) / "jquery.min.js"
    return files


def install_static_assets(static_dir: Path) -> None:
    """Copy Leaflet and jQuery from the installed XStatic packages into ``static_dir/vendor/``.

    A file is written only when it is missing or its content differs from the
    installed package, so calling this at every start costs a few file
    comparisons. Each file is written to a temporary name and then renamed, so
    two app processes starting together never serve a half-written file.

    Parameters
    ----------
    static_dir
        The folder that Streamlit serves at ``/app/static/``: ``static/`` next to
        the app's main script.

    Raises
    ------
    OSError
        If ``static_dir`` cannot be created or written.
    """
    vendor_dir = Path(static_dir) / VENDOR_DIR
    copied = []
    for relative, source in vendor_files().items():
        target = vendor_dir / relative
        if target.is_file() and filecmp.cmp(source, target, shallow=False):
            continue

        target.parent.mkdir(parents=True, exist_ok=True)
        _copy_atomically(source, target)
        copied.append(relative)

    if copied:
        log.info("Copied %d map library files into %s: %s", len(copied), vendor_dir, ", ".join(copied))
    else:
        log.debug("Map library files in %s are up to date", vendor_dir)


def _copy_atomically(source: Path, target: Path) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def static_url(base_url_path: str = "") -> str:
    """Return the URL path at which Streamlit serves ``static/``, for ``server.baseUrlPath``.

    The path has no host, so the browser requests it from the server that
    served the page, whatever name or proxy it was reached through
    ("" -> "/app/static", "/dash/" -> "/dash/app/static").
    """
    prefix = base_url_path.strip("/")
    if prefix:
        return f"/{prefix}/app/static"
    return "/app/static"


def base_map(
    *, static_url: str = "/app/static", tiles=None, attr: str | None = None, lang: str = "vi", **kwargs
) -> folium.Map:
    """Create a folium map of Vietnam that loads its libraries from the app's own server.

    Parameters
    ----------
    static_url
        URL path of the app's ``static/`` folder, as returned by the module
        function `static_url`.
    tiles
        Tile layer, as for `folium.Map`. None (the default) draws a plain
        background, because government networks are often closed to tile
        servers. Tiles, when given, are loaded from wherever they point.
    attr
        Attribution of ``tiles``, required by folium for a custom tile URL.
    lang
        Language of the boundary credit, "vi" or "en".
    **kwargs
        Any other `folium.Map` argument; these override the defaults here
        (``prefer_canvas=True``, ``zoom_snap=0.25``).

    Returns
    -------
    folium.Map
        A map fitted to `VIETNAM_BOUNDS`, with labels for Biển Đông and the
        Hoàng Sa and Trường Sa archipelagos, and whose ``default_js`` and
        ``default_css`` hold only the local Leaflet, Leaflet CSS and jQuery.
    """
    # keyboard=False: Leaflet's keyboard handler focuses the map on mousedown, and when
    # the map's iframe is partly below the window the browser then scrolls the page
    # before the click lands, so the click hit a province about 120 px further down
    # (Chromium, Leaflet 1.9.3). NOTE: arrow-key panning is off as a result.
    options = {"prefer_canvas": True, "zoom_snap": 0.25, "zoom_start": 5, "keyboard": False}
    options.update(kwargs)
    (south, west), (north, east) = VIETNAM_BOUNDS
    options.setdefault("location", ((south + north) / 2, (west + east) / 2))
    m = folium.Map(tiles=tiles, attr=attr, **options)
    _use_local_libraries(m, static_url)

    m.get_root().header.add_child(Element(_MAP_CSS), name="dxmap_css")
    _AttributionPrefix(f"Leaflet | {attribution(lang)}").add_to(m)
    for text, location, css_class in _SEA_LABELS:
        _Label(text, location, css_class).add_to(m)

    fit_bounds = FitBounds(VIETNAM_BOUNDS)
    # Jump straight to the bounds: an animated zoom from `zoom_start` shows a
    # stretched, blurred canvas for its first frames.
    fit_bounds.options["animate"] = False
    fit_bounds.add_to(m)
    return m


def _use_local_libraries(m: folium.Map, static_url: str) -> None:
    # New lists on the instance: folium's are class attributes, and
    # `JSCSSMixin.add_js_link` edits whichever list it finds in place.
    vendor_url = f"{static_url.rstrip('/')}/{VENDOR_DIR}"
    m.default_js = [(name, f"{vendor_url}/{path}") for name, path in _LOCAL_JS.items()]
    m.default_css = [(name, f"{vendor_url}/{path}") for name, path in _LOCAL_CSS.items()]


class _AttributionPrefix(MacroElement):
    """Plain-text attribution prefix.

    Leaflet 1.9's default prefix is a link to leafletjs.com with a flag icon, and
    a closed network cannot open that link.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.attributionControl.setPrefix({{ this.prefix|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, prefix: str):
        super().__init__()
        self._name = "AttributionPrefix"
        self.prefix = prefix


class _Label(MacroElement):
    """Text at a fixed place on the map that takes no mouse events.

    folium's ``Marker(icon=DivIcon(...))`` first adds the marker with Leaflet's
    default icon and then swaps the icon. streamlit-folium adds leaflet.css
    without waiting for it to load, so Leaflet guesses the icon's folder wrongly
    (without ``images/``) and ``marker-icon.png`` fails with a 404. This label is
    created with its div icon from the start.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.marker({{ this.location|tojson }}, {
                icon: L.divIcon({{ this.icon_options|tojson }}),
                interactive: false,
                keyboard: false,
            }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str, location: tuple[float, float], css_class: str):
        super().__init__()
        self._name = "Label"
        self.location = list(location)
        self.icon_options = {
            "html": html.escape(text),
            "className": css_class,
            "iconSize": [160, 20],
            "iconAnchor": [80, 10],
        }


def outline_layer(units: gpd.GeoDataFrame) -> folium.GeoJson:
    """Build a dark outline to draw under a layer of the same units, so that small islands stay visible.

    At the zoom that shows the whole country, most islands of Hoàng Sa and
    Trường Sa are one or two pixels wide, and the white border of the layer above
    covers their fill. This outline is wider than that border, so it shows as a
    thin coastline and as a dark ring or dot for each small island. Inland borders stay
    white because the fills above cover the outline there. Add it to the map
    before the layer it outlines. It takes no mouse events.
    """
    return folium.GeoJson(
        units[["geometry"]].to_crs(4326),
        name="Đường bờ",
        style_function=lambda _feature: {"color": OUTLINE_COLOR, "weight": 2.5, "fill": False},
        interactive=False,
        control=False,
    )


def province_layer(provinces: gpd.GeoDataFrame, *, name: str = "Tỉnh, thành phố") -> folium.GeoJson:
    """Build the layer of province boundaries: one neutral fill, white borders, the name on hover.

    Parameters
    ----------
    provinces
        One row per province with columns ``code``, ``name`` (official name)
        and ``geometry``, in EPSG:4326 or any CRS that can be converted to it.
    name
        Layer name, as shown in a layer control.

    Returns
    -------
    folium.GeoJson
        Features with properties ``code``, ``name`` and ``label``, the
        HTML-escaped name that the tooltip shows. The tooltip inserts its text
        as HTML, so the raw name must not reach it.

    Raises
    ------
    ValueError
        If a column is missing or ``provinces`` has no CRS.
    """
    missing = [column for column in ("code", "name", "geometry") if column not in provinces.columns]
    if missing:
        raise ValueError(f"provinces is missing column(s) {missing}; it has {list(provinces.columns)}")
    if provinces.crs is None:
        raise ValueError("provinces has no CRS; set it, e.g. provinces.set_crs(4326)")

    features = provinces[["code", "name", "geometry"]].to_crs(4326)
    features["label"] = features["name"].map(html.escape)

    tooltip = folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=True, class_name="dxmap-tooltip")
    return folium.GeoJson(
        features,
        name=name,
        style_function=lambda _feature: {
            "fillColor": LAND_COLOR,
            "fillOpacity": 1.0,
            "color": BORDER_COLOR,
            "weight": 1,
        },
        highlight_function=lambda _feature: {"fillColor": HIGHLIGHT_COLOR},
        tooltip=tooltip,
    )


def status_layer(units: gpd.GeoDataFrame, *, name: str = "Trạng thái", border_weight: float = 1) -> folium.GeoJson:
    """Build a choropleth layer whose features carry their own fill and tooltip.

    Parameters
    ----------
    units
        One row per unit with columns ``code``, ``geometry``, ``fill`` (a CSS colour),
        ``tooltip`` (HTML whose values the caller has escaped) and optionally
        ``stale`` (drawn faded) and ``no_data`` (drawn with a dashed border).
    border_weight
        Width of unit borders in pixels. Thin borders keep small units' fills visible
        on a national map of communes.

    Raises
    ------
    ValueError
        If a column is missing or ``units`` has no CRS.
    """
    missing = [column for column in ("code", "geometry", "fill", "tooltip") if column not in units.columns]
    if missing:
        raise ValueError(f"units is missing column(s) {missing}; it has {list(units.columns)}")
    if units.crs is None:
        raise ValueError("units has no CRS; set it, e.g. units.set_crs(4326)")

    features = units.to_crs(4326).copy()
    for flag in ("stale", "no_data"):
        features[flag] = features[flag].astype(bool) if flag in features.columns else False
    features = features[["code", "fill", "tooltip", "stale", "no_data", "geometry"]]

    tooltip = folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True, class_name="dxmap-tooltip")
    return folium.GeoJson(
        features,
        name=name,
        style_function=lambda feature: _status_style(feature, border_weight),
        highlight_function=lambda _feature: {"weight": 3, "color": OUTLINE_COLOR},
        tooltip=tooltip,
    )


def compact_style(border_weight: float = 1) -> dict:
    """Return the styles of a `geo.compact` layer, the same as `status_layer` draws."""
    return {
        "fillOpacity": 0.9,
        "staleOpacity": 0.4,
        "border": BORDER_COLOR,
        "borderWeight": border_weight,
        "outline": OUTLINE_COLOR,
        "outlineWeight": 2.5,
    }


def _status_style(feature: dict, border_weight: float = 1) -> dict:
    properties = feature["properties"]
    style = {"fillColor": properties["fill"], "fillOpacity": 0.9, "color": BORDER_COLOR, "weight": border_weight}
    if properties.get("stale"):
        style["fillOpacity"] = 0.4
    if properties.get("no_data"):
        style.update({"color": OUTLINE_COLOR, "dashArray": "4 3"})
    return style


def add_legend(m: folium.Map, title: str, entries: list[tuple[str, str, object]]) -> None:
    """Add a legend box to the map's lower left: (label, colour, count) per row.

    Plain HTML, because a branca colormap makes st_folium load d3 from a CDN.
    """
    rows = "".join(
        f"<div><span class='dxmap-swatch' style='background:{html.escape(color)}'></span>"
        f"{html.escape(label)} <b>{count}</b></div>"
        for label, color, count in entries
    )
    legend = (
        "<div class='dxmap-legend' style='position:absolute;bottom:24px;left:12px;z-index:1000;"
        "background:rgba(255,255,255,0.92);padding:6px 10px;border-radius:4px;font:13px sans-serif;"
        "box-shadow:0 1px 4px rgba(0,0,0,0.3)'>"
        f"<div style='font-weight:bold;margin-bottom:4px'>{html.escape(title)}</div>{rows}</div>"
        "<style>.dxmap-swatch{display:inline-block;width:14px;height:14px;margin-right:6px;"
        "vertical-align:-2px;border:1px solid #6f8296}</style>"
    )
    m.get_root().html.add_child(folium.Element(legend))


def map_html(m: folium.Map) -> str:
    """Render ``m`` as one HTML file that works offline, with Leaflet and jQuery inlined.

    The scripts and styles named in ``m.default_js``/``m.default_css`` that
    `base_map` set are replaced by their content from the installed XStatic
    packages, and the images that Leaflet's CSS refers to become data URLs.
    Links added by other elements (folium plugins) stay as they are.

    Raises
    ------
    RuntimeError
        If a local link is not in the rendered page, which happens when ``m``
        was not made by `base_map` or branca renders links differently.
    """
    page = m.get_root().render()

    for link_name, url in m.default_js:
        script = _vendor_text(_LOCAL_JS, link_name).replace("</script", "<\\/script")
        page = _replace_once(page, f'<script src="{url}"></script>', f"<script>{script}</script>")

    for link_name, url in m.default_css:
        style = _inline_css_images(_vendor_text(_LOCAL_CSS, link_name), _LOCAL_CSS[link_name])
        page = _replace_once(page, f'<link rel="stylesheet" href="{url}"/>', f"<style>{style}</style>")

    return page


def _vendor_text(links: dict[str, str], link_name: str) -> str:
    if link_name not in links:
        raise RuntimeError(f"Cannot inline link {link_name!r}: only {sorted(links)} have local copies")
    return vendor_files()[links[link_name]].read_text(encoding="utf-8")


def _replace_once(page: str, tag: str, replacement: str) -> str:
    if tag not in page:
        raise RuntimeError(f"Cannot inline {tag}: the rendered map has no such tag")
    return page.replace(tag, replacement, 1)


def _inline_css_images(css: str, css_path: str) -> str:
    css_dir = css_path.rsplit("/", 1)[0]
    files = vendor_files()

    def data_url(match: re.Match) -> str:
        source = files.get(f"{css_dir}/{match.group(1)}")
        if source is None:
            return match.group(0)
        encoded = base64.b64encode(source.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", data_url, css)
