"""Compact choropleth layers: TopoJSON geometry and tooltip lines shared between units.

A folium ``GeoJson`` layer writes every coordinate as decimal text, every border
twice (once per neighbour) and a full tooltip per unit. This module sends the
same map in far fewer bytes:

- geometry as a quantised TopoJSON topology built by the ``topojson`` package, so
  a border shared by two units is sent once, as small integer steps. Each arc is
  written as one flat list ``[x0, y0, dx1, dy1, …]`` instead of TopoJSON's list of
  pairs, which saves about a fifth of the bytes;
- a short list per unit (code, fill, flags, tooltip lines), where the tooltip
  lines are indexes into one list of distinct lines, because most lines
  ("Trạng thái: Xanh", a province name, a report date) repeat across units;
- a small script, defined once per page, that decodes the topology into GeoJSON
  in the browser and hands it to Leaflet's ``L.geoJson``.

Features keep ``properties.code``, draw on the map's canvas renderer and take
clicks like any Leaflet layer, so ``st_folium`` reports clicks on them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import topojson
from branca.element import MacroElement
from jinja2 import Template

TOPOLOGY_VERSION = "1"
"""Bump when `build_topology` changes, so that topologies cached on disk are rebuilt."""

QUANTIZATION = 10_000
"""Grid steps across a topology's bounding box in each direction: about 165 m for the
whole country and 20 m for one province, under a pixel at the zoom each is drawn at."""

ISLET_STEPS = 3
"""Width, in grid steps, below which a part is sent as a small diamond. Quantising
would otherwise collapse and drop it, and islets far out at sea (Hoàng Sa,
Trường Sa, the islands off Cà Mau) must stay on the map."""

STALE_FLAG = 1
NO_DATA_FLAG = 2

# Tooltips are HTML made of "<b>…</b>" and "<div>…</div>" parts whose text is
# already escaped, so a part never contains another tag of the same name.
_TOOLTIP_PART = re.compile(r"<b>.*?</b>|<div\b.*?</div>", re.DOTALL)

# Decodes a quantised, delta-encoded TopoJSON topology (the TopoJSON specification,
# "arcs" and "transform", with each arc flattened) into GeoJSON, and draws a layer
# of units from it.
_DECODER_JS = """
window.dxmapTopology = window.dxmapTopology || (function () {
    function decodeArcs(topology) {
        var scale = topology.transform.scale, translate = topology.transform.translate;
        return topology.arcs.map(function (arc) {
            var x = 0, y = 0, points = [];
            for (var i = 0; i < arc.length; i += 2) {
                x += arc[i]; y += arc[i + 1];
                points.push([x * scale[0] + translate[0], y * scale[1] + translate[1]]);
            }
            return points;
        });
    }
    function ring(arcs, indexes) {
        var points = [];
        indexes.forEach(function (index, position) {
            var arc = index < 0 ? arcs[~index].slice().reverse() : arcs[index];
            points.push.apply(points, position ? arc.slice(1) : arc);
        });
        return points;
    }
    function geometry(arcs, shape) {
        if (shape.type === "Polygon") {
            return {type: "Polygon", coordinates: shape.arcs.map(function (r) { return ring(arcs, r); })};
        }
        if (shape.type === "MultiPolygon") {
            return {type: "MultiPolygon", coordinates: shape.arcs.map(function (polygon) {
                return polygon.map(function (r) { return ring(arcs, r); });
            })};
        }
        return null;
    }
    function features(topology, name, units) {
        var arcs = decodeArcs(topology);
        return topology.objects[name].geometries.map(function (shape, index) {
            var unit = units ? units[index] : null;
            return {type: "Feature", properties: unit ? {code: unit[0], unit: unit} : {}, geometry: geometry(arcs, shape)};
        }).filter(function (feature) { return feature.geometry; });
    }
    function tooltip(lines, unit) {
        return unit[3].map(function (index) { return lines[index]; }).join("");
    }
    function draw(map, data) {
        var style = data.style;
        function unitStyle(feature) {
            var unit = feature.properties.unit, flags = unit[2];
            var shown = {fillColor: data.fills[unit[1]], fillOpacity: style.fillOpacity, color: style.border,
                         weight: style.borderWeight};
            if (flags & 1) { shown.fillOpacity = style.staleOpacity; }
            if (flags & 2) { shown.color = style.outline; shown.dashArray = "4 3"; }
            return shown;
        }
        if (data.outline) {
            L.geoJson(features(data.topology, data.outline, null), {
                style: function () { return {color: style.outline, weight: style.outlineWeight, fill: false}; },
                interactive: false
            }).addTo(map);
        }
        var layer = L.geoJson(features(data.topology, "units", data.units), {
            style: unitStyle,
            onEachFeature: function (feature, path) {
                path.bindTooltip(function () { return tooltip(data.lines, feature.properties.unit); },
                                 {sticky: true, className: "dxmap-tooltip"});
                path.on("mouseover", function () { path.setStyle({weight: 3, color: style.outline}); });
                path.on("mouseout", function () { path.setStyle(unitStyle(feature)); });
            }
        });
        return layer.addTo(map);
    }
    return {draw: draw};
})();
"""


def tooltip_parts(tooltip: str) -> list[str]:
    """Split a tooltip into its "<b>" and "<div>" parts; keep it whole if it has other markup."""
    parts = _TOOLTIP_PART.findall(tooltip)
    return parts if "".join(parts) == tooltip else [tooltip]


OUTLINE_UNITS = "units"
"""Value of ``outline`` in `encode_units` that outlines the units themselves."""


@dataclass(frozen=True)
class Topology:
    """The geometry of a compact layer, serialised: ``json`` is the topology, ``outline``
    names the object drawn as an outline ("outline", `OUTLINE_UNITS` or None)."""

    json: str
    outline: str | None


def encode_units(units: gpd.GeoDataFrame, outline: gpd.GeoDataFrame | str | None = None) -> dict:
    """Return the JSON-ready payload of a compact layer: `build_topology` and
    `encode_styles` in one call.

    Parameters
    ----------
    units
        One row per unit with ``code``, ``geometry``, ``fill`` (a CSS colour),
        ``tooltip`` (HTML whose values the caller has escaped) and optionally
        ``stale`` and ``no_data``.
    outline
        As for `build_topology`.
    """
    topology = build_topology(units, outline)
    return {"topology": json.loads(topology.json), **encode_styles(units), "outline": topology.outline}


def build_topology(units: gpd.GeoDataFrame, outline: gpd.GeoDataFrame | str | None = None) -> Topology:
    """Build the quantised topology of ``units`` (their ``geometry``, in row order).

    ``outline`` is boundaries to draw as a dark outline under the units (their
    ``geometry`` only), so that islets a pixel wide stay visible. Sharing the
    topology with ``units``, their common borders cost nothing extra. `OUTLINE_UNITS`
    outlines the units themselves and sends no second object.
    """
    layers = [units.to_crs(4326)[["geometry"]].reset_index(drop=True)]
    names = ["units"]
    if isinstance(outline, gpd.GeoDataFrame):
        layers.append(outline.to_crs(4326)[["geometry"]].reset_index(drop=True))
        names.append("outline")
    step = _grid_step(layers)
    layers = [layer.assign(geometry=keep_islets(layer.geometry.values, step)) for layer in layers]
    topology = topojson.Topology(layers, object_name=names, prequantize=QUANTIZATION).to_dict()
    _drop_properties(topology)
    topology["arcs"] = [[value for point in arc for value in point] for arc in topology["arcs"]]
    return Topology(payload_json(topology), names[1] if len(names) > 1 else outline)


def encode_styles(units: pd.DataFrame) -> dict:
    """Return per unit, in row order, its code, fill, flags and tooltip lines, with the
    distinct fills and lines listed once (columns as for `encode_units`)."""
    fills = list(dict.fromkeys(units["fill"]))
    lines: dict[str, int] = {}
    rows = []
    for unit in units.itertuples(index=False):
        flags = 0
        if getattr(unit, "stale", False):
            flags |= STALE_FLAG
        if getattr(unit, "no_data", False):
            flags |= NO_DATA_FLAG
        parts = [lines.setdefault(part, len(lines)) for part in tooltip_parts(unit.tooltip or "")]
        rows.append([unit.code, fills.index(unit.fill), flags, parts])
    return {"units": rows, "fills": fills, "lines": list(lines)}


def layer_payload(topology: Topology, styles: dict) -> str:
    """Join a serialised topology and the styles of `encode_styles` into one payload text,
    without serialising the topology again."""
    rest = payload_json({**styles, "outline": topology.outline})
    return '{"topology":' + topology.json + "," + rest[1:]


def topology_digest(units: gpd.GeoDataFrame, outline: gpd.GeoDataFrame | str | None) -> str:
    """Return a digest of what `build_topology` depends on: the geometries and the settings."""
    digest = hashlib.sha256(f"{TOPOLOGY_VERSION}/{QUANTIZATION}/{ISLET_STEPS}/{outline if isinstance(outline, str) else ''}".encode())
    for frame in (units, outline):
        if isinstance(frame, gpd.GeoDataFrame):
            for geometry in shapely.to_wkb(frame.to_crs(4326).geometry.values):
                digest.update(geometry)
    return digest.hexdigest()[:24]


def cached_topology(units: gpd.GeoDataFrame, outline: gpd.GeoDataFrame | str | None, folder: Path) -> Topology:
    """Return the topology of ``units``, read from ``folder`` when it was built before.

    Building the national commune topology takes about a second, so it is kept on disk
    beside the display layers and a restarted server reads it back.
    """
    path = folder / f"topology-{topology_digest(units, outline)}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return Topology(stored["json"], stored["outline"])
    except (OSError, ValueError, KeyError):
        pass
    topology = build_topology(units, outline)
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_text(json.dumps({"json": topology.json, "outline": topology.outline}), encoding="utf-8")
    partial.replace(path)
    return topology


def _grid_step(layers: list[gpd.GeoDataFrame]) -> float:
    """Return the larger grid step, in degrees, of the topology these layers will make."""
    west, south, east, north = gpd.GeoSeries(pd.concat([layer.geometry for layer in layers]), crs=4326).total_bounds
    return max(east - west, north - south) / (QUANTIZATION - 1)


def keep_islets(geometries: np.ndarray, step: float) -> np.ndarray:
    """Replace the parts narrower than `ISLET_STEPS` grid steps by diamonds that wide,
    so that quantising at ``step`` keeps them.

    Islets in one cell of an `ISLET_STEPS`-step grid share one diamond at their mean
    position: a cluster of rocks becomes one mark instead of hundreds of rings.
    """
    size = ISLET_STEPS * step
    kept = []
    for geometry in geometries:
        parts = shapely.get_parts(geometry)
        west, south, east, north = shapely.bounds(parts).T
        small = np.maximum(east - west, north - south) < size
        if not small.any():
            kept.append(geometry)
            continue
        diamonds = shapely.buffer(_cell_means(shapely.point_on_surface(parts[small]), size), size / 2, quad_segs=1)
        kept.append(shapely.union_all([*parts[~small], *diamonds]))
    return np.array(kept, dtype=object)


def _cell_means(points: np.ndarray, size: float) -> np.ndarray:
    """Return one point per grid cell of ``size`` that contains any of ``points``: their mean."""
    coordinates = shapely.get_coordinates(points)
    _cells, cell_of_point = np.unique(np.floor(coordinates / size), axis=0, return_inverse=True)
    counts = np.bincount(cell_of_point)
    means = np.column_stack([np.bincount(cell_of_point, weights=coordinates[:, axis]) / counts for axis in (0, 1)])
    return shapely.points(means)


def _drop_properties(topology: dict) -> None:
    """Remove what the browser doesn't read: properties, ids and the bounding box."""
    topology.pop("bbox", None)
    for layer in topology["objects"].values():
        for shape in layer["geometries"]:
            shape.pop("properties", None)
            shape.pop("id", None)


def payload_json(payload: dict) -> str:
    """Serialise a payload without spaces, safe to place inside a <script> element."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class CompactLayer(MacroElement):
    """A choropleth layer drawn from a payload of `encode_units`, serialised once.

    ``payload`` is the serialised JSON text (`payload_json`), so rendering the map
    again costs no serialisation: cache the text, and build a new map around it on
    each page run.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.decoder }}
        var {{ this.get_name() }} = window.dxmapTopology.draw({{ this._parent.get_name() }},
            Object.assign({{ this.payload }}, {style: {{ this.style }}}));
        {% endmacro %}
        """
    )

    def __init__(self, payload: str, style: dict):
        super().__init__()
        self._name = "CompactLayer"
        self.payload = payload
        self.style = json.dumps(style)
        # The decoder travels with each layer: st_folium runs the map's script but
        # not scripts in the page header. It defines itself once per page.
        self.decoder = _DECODER_JS


def add_compact_layer(m: folium.Map, payload: str, style: dict) -> CompactLayer:
    """Add a compact layer drawn from the serialised ``payload`` to ``m``."""
    layer = CompactLayer(payload, style)
    layer.add_to(m)
    return layer


def payloads_in_script(script: str) -> list[dict]:
    """Return the payloads of the compact layers in a rendered map script, in order.

    For tests and benchmarks that read what a page sent to the browser.
    """
    decoder = json.JSONDecoder()
    marker = "Object.assign("
    found = []
    position = script.find(marker)
    while position >= 0:
        payload, end = decoder.raw_decode(script, position + len(marker))
        found.append(payload)
        position = script.find(marker, end)
    return found


def unit_tooltips(payload: dict) -> dict[str, str]:
    """Return each unit's tooltip HTML from a payload, keyed by unit code."""
    lines = payload["lines"]
    return {unit[0]: "".join(lines[index] for index in unit[3]) for unit in payload["units"]}
