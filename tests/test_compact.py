"""Compact choropleth payloads: geometry survives the topology, tooltips are shared, markup is escaped."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from geo.compact import (
    ISLET_STEPS,
    NO_DATA_FLAG,
    QUANTIZATION,
    STALE_FLAG,
    encode_units,
    payload_json,
    payloads_in_script,
    tooltip_parts,
    unit_tooltips,
)
from geo.display import display_layer


def decode_shapes(payload: dict, name: str = "units") -> list:
    """Decode a payload's topology the way the browser script does, into shapely shapes."""
    topology = payload["topology"]
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for flat in topology["arcs"]:
        x = y = 0
        points = []
        for step_x, step_y in zip(flat[::2], flat[1::2]):
            x, y = x + step_x, y + step_y
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)

    def ring(indexes):
        points = []
        for position, index in enumerate(indexes):
            arc = arcs[~index][::-1] if index < 0 else arcs[index]
            points.extend(arc[1:] if position else arc)
        return points

    shapes = []
    for shape in topology["objects"][name]["geometries"]:
        if shape["type"] == "Polygon":
            shapes.append(Polygon(ring(shape["arcs"][0]), [ring(hole) for hole in shape["arcs"][1:]]))
        else:
            shapes.append(MultiPolygon([Polygon(ring(p[0]), [ring(h) for h in p[1:]]) for p in shape["arcs"]]))
    return shapes


def units_frame(geometries, **columns) -> gpd.GeoDataFrame:
    count = len(geometries)
    data = {"code": [f"{index:02d}" for index in range(count)], "fill": ["#1a9850"] * count, "tooltip": [""] * count}
    data.update(columns)
    return gpd.GeoDataFrame(data, geometry=list(geometries), crs=4326)


def test_neighbours_share_one_border():
    left, right = box(105, 10, 106, 11), box(106, 10, 107, 11)
    payload = encode_units(units_frame([left, right]))
    decoded = decode_shapes(payload)
    step = max(payload["topology"]["transform"]["scale"])

    assert shapely.hausdorff_distance(decoded[0], left) <= step
    assert shapely.hausdorff_distance(decoded[1], right) <= step
    arcs = payload["topology"]["arcs"]
    # The border x = 106 is one arc that both squares use, in opposite directions.
    used = [abs(index if index >= 0 else ~index) for shape in payload["topology"]["objects"]["units"]["geometries"]
            for index in shape["arcs"][0]]
    assert len(used) > len(set(used))
    assert len(arcs) < 4 * 2


def test_real_provinces_survive_within_a_grid_step():
    provinces = display_layer("province")
    payload = encode_units(units_frame(provinces.geometry.values))
    decoded = decode_shapes(payload)
    step = max(payload["topology"]["transform"]["scale"])

    assert len(decoded) == 34
    for original, shape in zip(provinces.geometry.values, decoded):
        # Islets narrower than ISLET_STEPS steps become diamonds that wide.
        assert shapely.hausdorff_distance(original, shape) <= 2 * ISLET_STEPS * step
        assert shape.area == pytest.approx(original.area, rel=0.05)
    # Every islet, the Hoàng Sa and Trường Sa archipelagos included, is still drawn.
    for original, shape in zip(provinces.geometry.values, decoded):
        islets = shapely.point_on_surface(shapely.get_parts(original))
        assert (shapely.distance(islets, shape) <= ISLET_STEPS * step * 1.5).all()


def test_tooltip_lines_are_shared():
    tooltips = [
        "<b>Xã A</b><div><span class='dxmap-key'>Trạng thái:</span> Xanh</div>",
        "<b>Xã B</b><div><span class='dxmap-key'>Trạng thái:</span> Xanh</div>",
    ]
    payload = encode_units(units_frame([box(0, 0, 1, 1), box(1, 0, 2, 1)], tooltip=tooltips))

    assert len(payload["lines"]) == 3
    assert unit_tooltips(payload) == {"00": tooltips[0], "01": tooltips[1]}


def test_tooltip_with_other_markup_stays_whole():
    assert tooltip_parts("<b>A</b><i>x</i>") == ["<b>A</b><i>x</i>"]
    assert tooltip_parts("<b>A</b><div>x</div>") == ["<b>A</b>", "<div>x</div>"]


def test_flags_and_fills():
    frame = units_frame([box(0, 0, 1, 1), box(1, 0, 2, 1)], fill=["#f4f4f4", "#1a9850"], stale=[True, False], no_data=[True, False])
    payload = encode_units(frame)

    assert payload["fills"] == ["#f4f4f4", "#1a9850"]
    assert payload["units"][0][1:3] == [0, STALE_FLAG | NO_DATA_FLAG]
    assert payload["units"][1][1:3] == [1, 0]


def test_payload_json_cannot_close_the_script():
    tooltip = "<b>&lt;/script&gt;&lt;script&gt;alert(1)</b>"
    text = payload_json(encode_units(units_frame([box(0, 0, 1, 1)], tooltip=[tooltip])))

    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert json.loads(text)["lines"] == [tooltip]


def test_payloads_read_back_from_script():
    payload = encode_units(units_frame([box(0, 0, 1, 1)], tooltip=["<b>Xã Đồng Văn</b>"]))
    script = f"var a = draw(map, Object.assign({payload_json(payload)}, {{style: {{}}}}));"

    (found,) = payloads_in_script(script)
    assert unit_tooltips(found) == {"00": "<b>Xã Đồng Văn</b>"}


def test_outline_shares_the_topology():
    squares = [box(105, 10, 106, 11), box(106, 10, 107, 11)]
    outline = gpd.GeoDataFrame(geometry=[shapely.union_all(squares)], crs=4326)
    payload = encode_units(units_frame(squares), outline)
    step = max(payload["topology"]["transform"]["scale"])

    assert payload["outline"] == "outline"
    assert shapely.hausdorff_distance(decode_shapes(payload, "outline")[0], shapely.union_all(squares)) <= step


def test_quantization_is_sub_pixel_for_a_province():
    # A province about 2 degrees wide drawn 1,000 pixels wide: about 0.002 degrees a pixel.
    assert 2 / QUANTIZATION < 0.002 / 2


def test_outline_of_the_units_sends_no_second_object():
    from geo.compact import OUTLINE_UNITS

    payload = encode_units(units_frame([box(105, 10, 106, 11), box(106, 10, 107, 11)]), OUTLINE_UNITS)

    assert payload["outline"] == "units"
    assert list(payload["topology"]["objects"]) == ["units"]


def test_topology_is_kept_on_disk(tmp_path, monkeypatch):
    from geo import compact

    frame = units_frame([box(105, 10, 106, 11), box(106, 10, 107, 11)])
    first = compact.cached_topology(frame, None, tmp_path)
    (stored,) = tmp_path.glob("topology-*.json")

    def fail(*_args, **_kwargs):
        raise AssertionError("a stored topology must not be built again")

    monkeypatch.setattr(compact, "build_topology", fail)
    assert compact.cached_topology(frame, None, tmp_path) == first

    stored.write_text("{not json", encoding="utf-8")
    monkeypatch.undo()
    assert compact.cached_topology(frame, None, tmp_path) == first


def test_topology_digest_follows_geometry_and_outline():
    from geo.compact import OUTLINE_UNITS, topology_digest

    frame = units_frame([box(105, 10, 106, 11)])
    moved = units_frame([box(105, 10, 106, 12)])
    assert topology_digest(frame, None) != topology_digest(moved, None)
    assert topology_digest(frame, None) != topology_digest(frame, OUTLINE_UNITS)


def test_layer_payload_matches_encode_units():
    from geo.compact import build_topology, encode_styles, layer_payload

    frame = units_frame([box(105, 10, 106, 11), box(106, 10, 107, 11)], tooltip=["<b>A</b>", "<b>B</b>"])
    joined = json.loads(layer_payload(build_topology(frame), encode_styles(frame)))
    assert joined == encode_units(frame)
