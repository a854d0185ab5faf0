"""A schematic tile map of Iran's 31 provinces, drawn as SVG.

No package ships Iran's province boundaries under a clean licence, so the
project draws its own layout: each province a square in its rough
geographic place (core/data/province_tiles.csv).  Works offline, prints well,
and reads in any language."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from html import escape

from khoosheh.core.reference import read_reference_csv

TILE, GAP = 86, 6
PALETTE = ("#e8f3f0", "#bfe0d7", "#8ccabb", "#52ad98", "#238672", "#0f6b5c")  # light to dark


@dataclass(frozen=True)
class Tile:
    code: str
    col: int
    row: int
    short_fa: str
    short_en: str


@functools.cache
def tiles() -> tuple[Tile, ...]:
    return tuple(Tile(r["code"], int(r["col"]), int(r["row"]), r["short_fa"], r["short_en"])
                 for r in read_reference_csv("province_tiles.csv"))


def colour_for(value: float | None, values: list[float]) -> str:
    """Quantile class among the provinces' values (so one giant does not wash out the rest)."""
    known = sorted(v for v in values if v is not None)
    if value is None or not known:
        return "#f1f3f5"
    rank = sum(v < value for v in known) / len(known)  # ties share the lower class: many zeros read light
    return PALETTE[min(int(rank * len(PALETTE)), len(PALETTE) - 1)]


def svg(values: dict[str, float | None], *, labels: dict[str, str], link: str = "", persian: bool = True,
        selected: str | None = None) -> str:
    """The map; ``values`` and ``labels`` (the value as shown) are keyed by province code."""
    all_values = list(values.values())
    cols = max(t.col for t in tiles()) + 1
    rows = max(t.row for t in tiles()) + 1
    width, height = cols * (TILE + GAP), rows * (TILE + GAP)
    parts = [f'<svg class="tilemap" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
             f'role="img" direction="ltr">']
    for t in tiles():
        x, y = t.col * (TILE + GAP), t.row * (TILE + GAP)
        fill = colour_for(values.get(t.code), all_values)
        dark = fill in PALETTE[3:]
        name = t.short_fa if persian else t.short_en
        stroke = ' stroke="#d9480f" stroke-width="4"' if t.code == selected else ""
        text_colour = "#fff" if dark else "#1d2733"
        tile = (f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="8" fill="{fill}"{stroke} '
                f'data-province="{t.code}"><title>{escape(name)}: {escape(labels.get(t.code, "—"))}</title></rect>'
                f'<text x="{x + TILE / 2}" y="{y + 34}" text-anchor="middle" font-size="13" fill="{text_colour}">'
                f'{escape(name)}</text>'
                f'<text x="{x + TILE / 2}" y="{y + 60}" text-anchor="middle" font-size="17" font-weight="700" '
                f'fill="{text_colour}">{escape(labels.get(t.code, "—"))}</text>')
        if link:
            tile = f'<a href="{escape(link.format(code=t.code))}">{tile}</a>'
        parts.append(tile)
    parts.append("</svg>")
    return "".join(parts)


def polygon_svg(values: dict[str, float | None], *, labels: dict[str, str], geometries: dict[str, dict],
                link: str = "", persian: bool = True, selected: str | None = None) -> str:
    """The same choropleth on real province polygons (after `khoosheh load-boundaries`)."""
    import math

    scale_x = math.cos(math.radians(32.5))
    all_points = [(x * scale_x, -y) for g in geometries.values() for polygon in g["coordinates"]
                  for ring in polygon for x, y in ring]
    min_x, max_x = min(p[0] for p in all_points), max(p[0] for p in all_points)
    min_y, max_y = min(p[1] for p in all_points), max(p[1] for p in all_points)
    size = 600 / max(max_x - min_x, max_y - min_y)

    def xy(x, y):
        return (x * scale_x - min_x) * size, (-y - min_y) * size

    names = {t.code: (t.short_fa if persian else t.short_en) for t in tiles()}
    all_values = list(values.values())
    width, height = (max_x - min_x) * size, (max_y - min_y) * size
    parts = [f'<svg class="tilemap polygons" viewBox="0 0 {width:.0f} {height:.0f}" '
             f'xmlns="http://www.w3.org/2000/svg" role="img" direction="ltr">']
    label_parts = []
    for code, geometry in sorted(geometries.items()):
        d = " ".join("M" + " L".join(f"{a:.1f},{b:.1f}" for a, b in (xy(x, y) for x, y in ring)) + " Z"
                     for polygon in geometry["coordinates"] for ring in polygon)
        stroke = "#d9480f" if code == selected else "#ffffff"
        shape = (f'<path d="{d}" fill="{colour_for(values.get(code), all_values)}" stroke="{stroke}" '
                 f'stroke-width="{3 if code == selected else 1}" data-province="{code}">'
                 f'<title>{escape(names.get(code, code))}: {escape(labels.get(code, "—"))}</title></path>')
        parts.append(f'<a href="{escape(link.format(code=code))}">{shape}</a>' if link else shape)
        largest = max((ring for polygon in geometry["coordinates"] for ring in polygon[:1]), key=len)
        cx = sum(xy(x, y)[0] for x, y in largest) / len(largest)
        cy = sum(xy(x, y)[1] for x, y in largest) / len(largest)
        label_parts.append(f'<text x="{cx:.0f}" y="{cy:.0f}" text-anchor="middle" font-size="11" '
                           f'pointer-events="none">{escape(labels.get(code, ""))}</text>')
    parts.extend(label_parts)
    parts.append("</svg>")
    return "".join(parts)
