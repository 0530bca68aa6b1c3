#!/usr/bin/env python3
"""Builds assets/maps/west-africa.txt, the background of blockade's network map.

Run once, by hand, when the basemap should change; blockade never downloads anything.

    cd /some/scratch/folder && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 scripts/west_africa_basemap.py package/countries-50m.json > assets/maps/west-africa.txt

Input: the `countries-50m.json` TopoJSON of the npm package world-atlas 2.0.2 (Natural
Earth 4.1.0 admin-0 countries at 1:50m, public domain; packaging ISC, Mike Bostock).
Output: a small text file (format in its header) with each country that touches the
West Africa extent, clipped to it and simplified, a label point per country, and the
capitals of those countries. world-atlas has no towns, so the capitals' coordinates are
listed below from general gazetteer knowledge (about +-0.05 degrees).
Standard library only.
"""
import json
import sys

# lon_min, lat_min, lon_max, lat_max: wider than the Mali network, so that the map's
# margins are covered whatever its aspect ratio.
BOX = (-26.0, -1.0, 12.0, 27.0)
TOLERANCE = 0.03  # degrees, Douglas-Peucker
MIN_LABEL_AREA = 4.0  # square degrees of clipped land before a country is named

CAPITALS = {
    "Mali": ("Bamako", -8.00, 12.64),
    "Senegal": ("Dakar", -17.45, 14.69),
    "Mauritania": ("Nouakchott", -15.98, 18.08),
    "Guinea": ("Conakry", -13.68, 9.54),
    "Côte d'Ivoire": ("Yamoussoukro", -5.28, 6.82),
    "Burkina Faso": ("Ouagadougou", -1.53, 12.37),
    "Niger": ("Niamey", 2.11, 13.51),
    "Ghana": ("Accra", -0.19, 5.60),
    "Togo": ("Lomé", 1.22, 6.13),
    "Benin": ("Porto-Novo", 2.63, 6.50),
    "Nigeria": ("Abuja", 7.49, 9.06),
    "Guinea-Bissau": ("Bissau", -15.60, 11.86),
    "Gambia": ("Banjul", -16.58, 13.45),
    "Sierra Leone": ("Freetown", -13.23, 8.48),
    "Liberia": ("Monrovia", -10.80, 6.30),
    "Algeria": ("Algiers", 3.06, 36.75),
    "W. Sahara": ("Laayoune", -13.20, 27.15),
    "Morocco": ("Rabat", -6.84, 34.02),
    "Cabo Verde": ("Praia", -23.51, 14.93),
}


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs, idxs):
    out = []
    for i in idxs:
        pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        out.extend(pts if not out else pts[1:])
    return out


def clip(poly, box):
    """Sutherland-Hodgman against the box."""
    lo_x, lo_y, hi_x, hi_y = box
    edges = [
        (lambda p: p[0] >= lo_x, lambda a, b: cut_x(a, b, lo_x)),
        (lambda p: p[0] <= hi_x, lambda a, b: cut_x(a, b, hi_x)),
        (lambda p: p[1] >= lo_y, lambda a, b: cut_y(a, b, lo_y)),
        (lambda p: p[1] <= hi_y, lambda a, b: cut_y(a, b, hi_y)),
    ]
    for inside, cut in edges:
        if not poly:
            break
        src, poly = poly, []
        prev = src[-1]
        for cur in src:
            if inside(cur):
                if not inside(prev):
                    poly.append(cut(prev, cur))
                poly.append(cur)
            elif inside(prev):
                poly.append(cut(prev, cur))
            prev = cur
    return poly


def cut_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def cut_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(pts, tol):
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        (ax, ay), (bx, by) = pts[i], pts[j]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, at = -1.0, -1
        for k in range(i + 1, j):
            px, py = pts[k]
            if norm == 0:
                d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                d = abs(dy * px - dx * py + bx * ay - by * ax) / norm
            if d > best:
                best, at = d, k
        if best > tol:
            keep[at] = True
            stack += [(i, at), (at, j)]
    return [p for p, k in zip(pts, keep) if k]


def area_centroid(poly):
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1]):
        c = x0 * y1 - x1 * y0
        a += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if a == 0:
        return 0.0, poly[0]
    return abs(a) / 2, (cx / (3 * a), cy / (3 * a))


def main(path):
    topo = json.load(open(path, encoding="utf-8"))
    arcs = decode_arcs(topo)
    countries = []
    for g in topo["objects"]["countries"]["geometries"]:
        name = g.get("properties", {}).get("name", "")
        if g.get("type") == "Polygon":
            polys = [g["arcs"]]
        elif g.get("type") == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        rings = []
        for poly in polys:
            for r in poly:
                pts = clip(ring(arcs, r), BOX)
                if len(pts) >= 3:
                    pts = simplify(pts + [pts[0]], TOLERANCE)[:-1]
                    if len(pts) >= 3:
                        rings.append(pts)
        if rings:
            countries.append((name, rings))
    countries.sort()
    out = sys.stdout
    out.write(
        "# West Africa basemap for blockade's network map, made by scripts/west_africa_basemap.py.\n"
        "# Borders and names: Natural Earth 4.1.0 admin-0 countries, 1:50m (public domain),\n"
        "# from the npm package world-atlas 2.0.2; clipped to lon %g..%g, lat %g..%g and\n"
        "# simplified to %g degrees. Capitals: general gazetteer knowledge (about 0.05 degrees).\n"
        "# Lines: C<TAB>name<TAB>label lon<TAB>label lat (label '-' if too small to name);\n"
        "#        R<TAB>lon,lat lon,lat ... (a ring of the country above; outer and holes alike);\n"
        "#        K<TAB>capital<TAB>lon<TAB>lat<TAB>country.\n"
        % (BOX[0], BOX[2], BOX[1], BOX[3], TOLERANCE)
    )
    for name, rings in countries:
        areas = [area_centroid(r) for r in rings]
        total = sum(a for a, _ in areas)
        big = max(areas)
        lon, lat = big[1]
        if total >= MIN_LABEL_AREA:
            out.write("C\t%s\t%.2f\t%.2f\n" % (name, lon, lat))
        else:
            out.write("C\t%s\t-\t-\n" % name)
        for r in rings:
            out.write("R\t" + " ".join("%.2f,%.2f" % p for p in r) + "\n")
    for name, _ in countries:
        if name in CAPITALS:
            cap, lon, lat = CAPITALS[name]
            if BOX[0] <= lon <= BOX[2] and BOX[1] <= lat <= BOX[3]:
                out.write("K\t%s\t%.2f\t%.2f\t%s\n" % (cap, lon, lat, name))


if __name__ == "__main__":
    main(sys.argv[1])
