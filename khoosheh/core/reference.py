"""Reference tables that ship with khoosheh: provinces, counties, ISIC Rev.4.

Plain data (no Django), read from the CSV files beside this module; see
docs/reference-data.md for where each comes from.  The registry app copies
them into the database; the file contract validates against a ``Reference``
built either from these files or from the database (so parks added by
officials are known too).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from importlib import resources

from .text import fold_digits, match_key


@dataclass(frozen=True)
class Province:
    code: str
    name_fa: str
    name_en: str


@dataclass(frozen=True)
class County:
    code: str
    province_code: str
    name_fa: str
    name_en: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Activity:
    code: str
    level: str
    title_en: str
    title_fa: str


def read_reference_csv(name: str) -> list[dict[str, str]]:
    with resources.files("khoosheh.core.data").joinpath(name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@functools.cache
def provinces() -> tuple[Province, ...]:
    return tuple(Province(r["code"], r["name_fa"], r["name_en"]) for r in read_reference_csv("provinces.csv"))


@functools.cache
def counties() -> tuple[County, ...]:
    return tuple(
        County(r["code"], r["province_code"], r["name_fa"], r["name_en"], float(r["lat"]), float(r["lon"]))
        for r in read_reference_csv("counties.csv")
    )


@functools.cache
def activities() -> tuple[Activity, ...]:
    persian = {r["code"]: r["title_fa"] for r in read_reference_csv("isic4_fa.csv")}
    return tuple(
        Activity(r["code"], r["level"], r["title_en"], persian.get(r["code"], ""))
        for r in read_reference_csv("isic4.csv")
    )


@dataclass
class Reference:
    """Lookups the unit-file contract needs, keyed by normalised name or code."""

    provinces: dict[str, Province]
    counties: dict[str, County]
    isic_classes: set[str]
    parks: dict[tuple[str, str], str] = field(default_factory=dict)  # (county code, name key) -> name
    _province_keys: dict[str, str] = field(init=False)
    _county_keys: dict[tuple[str, str], str] = field(init=False)

    def __post_init__(self) -> None:
        self._province_keys = {}
        for p in self.provinces.values():
            for alias in (p.name_fa, p.name_en, p.code, str(int(p.code)), f"IR-{p.code}"):
                self._province_keys[match_key(alias)] = p.code
        self._county_keys = {}
        for c in self.counties.values():
            for alias in (c.name_fa, c.name_en, c.code, str(int(c.code))):
                if alias:
                    self._county_keys.setdefault((c.province_code, match_key(alias)), c.code)

    @classmethod
    def packaged(cls) -> Reference:
        return cls(
            provinces={p.code: p for p in provinces()},
            counties={c.code: c for c in counties()},
            isic_classes={a.code for a in activities() if a.level == "class"},
        )

    def find_province(self, text: str) -> Province | None:
        code = self._province_keys.get(match_key(fold_digits(text)))
        return self.provinces.get(code) if code else None

    def find_county(self, province_code: str, text: str) -> County | None:
        code = self._county_keys.get((province_code, match_key(fold_digits(text))))
        return self.counties.get(code) if code else None

    def county_anywhere(self, text: str) -> list[County]:
        """Counties of that name in any province (to explain a mismatch)."""
        key = match_key(fold_digits(text))
        return [self.counties[code] for (_, k), code in self._county_keys.items() if k == key]

    def find_park(self, county_code: str, text: str) -> str | None:
        return self.parks.get((county_code, match_key(text)))


@dataclass(frozen=True)
class Process:
    code: str
    name_fa: str
    name_en: str
    synonyms: tuple[str, ...]


@functools.cache
def processes() -> tuple[Process, ...]:
    """The controlled, bilingual vocabulary of manufacturing processes (SPX profiles)."""
    return tuple(Process(r["code"], r["name_fa"], r["name_en"], tuple(s for s in r["synonyms"].split("|") if s))
                 for r in read_reference_csv("processes.csv"))


@functools.cache
def certifications() -> tuple[tuple[str, str], ...]:
    """(code, English name)."""
    return tuple((r["code"], r["name"]) for r in read_reference_csv("certifications.csv"))


@functools.cache
def certification_names_fa() -> dict[str, str]:
    return {r["code"]: r["name_fa"] for r in read_reference_csv("certifications.csv")}


@dataclass(frozen=True)
class Town:
    """A county seat for the maps' labels; tier 1 is the largest town of its province (its capital, in
    practice), tier 2 a town of 100,000 people or more, tier 3 any other seat."""

    name_fa: str
    name_en: str
    lat: float
    lon: float
    population: int
    tier: int


MAJOR_TOWN_POPULATION = 100_000


@functools.cache
def towns() -> tuple[Town, ...]:
    rows = read_reference_csv("counties.csv")
    population = {r["code"]: int(float(r["seat_population"] or 0)) for r in rows}
    capitals = {max((r for r in rows if r["province_code"] == p.code), key=lambda r: population[r["code"]])["code"]
                for p in provinces()}
    return tuple(sorted((Town(r["name_fa"], r["name_en"], float(r["lat"]), float(r["lon"]), population[r["code"]],
                              1 if r["code"] in capitals else 2 if population[r["code"]] >= MAJOR_TOWN_POPULATION
                              else 3) for r in rows), key=lambda t: (t.tier, -t.population)))


@functools.cache
def province_centre(code: str) -> tuple[float, float]:
    """The seat of the province's most populous county (its capital, in practice)."""
    rows = [r for r in read_reference_csv("counties.csv") if r["province_code"] == code]
    best = max(rows, key=lambda r: float(r["seat_population"] or 0))
    return float(best["lat"]), float(best["lon"])
