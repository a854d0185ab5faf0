"""Identification results as JSON, GeoJSON or an Excel workbook."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

from khoosheh.analysis import Cluster, IdentifyParams
from khoosheh.core import reference
from khoosheh.core.unitfile.writers import neutralise_formula

FORMATS = (".json", ".geojson", ".xlsx")


def cluster_dict(cluster: Cluster) -> dict:
    data = {k: v for k, v in dataclasses.asdict(cluster).items() if k != "member_index"}
    data["centroid"] = list(cluster.centroid)
    data["bbox"] = list(cluster.bbox)
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in data.items()}


def result_dict(clusters: list[Cluster], params: IdentifyParams, source: dict) -> dict:
    return {"params": dataclasses.asdict(params), "input": source,
            "clusters": [cluster_dict(c) for c in clusters]}


def write_result(path: str | Path, clusters: list[Cluster], params: IdentifyParams, source: dict) -> None:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        path.write_text(json.dumps(result_dict(clusters, params, source), ensure_ascii=False, indent=1),
                        encoding="utf-8")
    elif suffix == ".geojson":
        path.write_text(json.dumps(geojson(clusters, params, source), ensure_ascii=False), encoding="utf-8")
    elif suffix == ".xlsx":
        write_workbook(path, clusters, params, source)
    else:
        raise ValueError(f"output must end in one of {', '.join(FORMATS)}")


def geojson(clusters: list[Cluster], params: IdentifyParams, source: dict) -> dict:
    features = []
    for c in clusters:
        south, west, north, east = c.bbox
        properties = {k: v for k, v in cluster_dict(c).items() if k not in ("centroid", "bbox")}
        features.append({"type": "Feature", "id": c.id, "bbox": [west, south, east, north],
                         "geometry": {"type": "Point", "coordinates": [c.centroid[1], c.centroid[0]]},
                         "properties": properties})
    return {"type": "FeatureCollection", "params": dataclasses.asdict(params), "input": source,
            "features": features}


_HEADERS = [
    ("id", "شناسه خوشه"), ("isic", "کد آیسیک"), ("title", "فعالیت"), ("province", "استان"),
    ("county", "شهرستان"), ("lat", "عرض مرکز"), ("lon", "طول مرکز"), ("extent_km", "شعاع (کیلومتر)"),
    ("n_units", "تعداد واحدها"), ("employees", "کارکنان"), ("lq", "ضریب مکانی"), ("p_value", "p"),
    ("share_small", "سهم واحدهای کوچک"), ("share_exporters", "سهم صادرکنندگان"), ("share_idle", "سهم راکد"),
    ("score", "امتیاز"), ("stars", "ستاره"), ("located_by_county", "بی‌مختصات (مرکز شهرستان)"),
]


def write_workbook(path: Path, clusters: list[Cluster], params: IdentifyParams, source: dict) -> None:
    import xlsxwriter

    titles = {a.code: a.title_fa or a.title_en for a in reference.activities()}
    provinces = {p.code: p.name_fa for p in reference.provinces()}
    counties = {c.code: c.name_fa for c in reference.counties()}
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("خوشه‌ها")
    sheet.right_to_left()
    for col, (_, header) in enumerate(_HEADERS):
        sheet.write_string(0, col, header, bold)
    for row, c in enumerate(clusters, start=1):
        values = {"id": c.id, "isic": c.isic, "title": titles.get(c.isic, ""),
                  "province": provinces.get(c.province, c.province), "county": counties.get(c.county, c.county),
                  "lat": c.centroid[0], "lon": c.centroid[1], **dataclasses.asdict(c)}
        for col, (key, _) in enumerate(_HEADERS):
            value = values[key]
            if isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value)):
                sheet.write_number(row, col, value)
            elif isinstance(value, str):
                sheet.write_string(row, col, neutralise_formula(value))
    sheet.freeze_panes(1, 0)
    members = book.add_worksheet("اعضا")
    members.right_to_left()
    members.write_row(0, 0, ["شناسه خوشه", "واحد (شناسه ملی یا سطر)"], bold)
    row = 1
    for c in clusters:
        for key in c.members:
            members.write_string(row, 0, c.id)
            members.write_string(row, 1, key)
            row += 1
    about = book.add_worksheet("روش")
    about.right_to_left()
    for i, (key, value) in enumerate([*dataclasses.asdict(params).items(), *source.items()]):
        about.write_string(i, 0, str(key))
        about.write(i, 1, value if isinstance(value, (int, float)) else str(value))
    book.close()
