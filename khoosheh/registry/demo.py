"""A synthetic national registry for trying khoosheh (``khoosheh demo-data``).

Everything made here is invented and labelled so (the import batch is named
"synthetic demo data" and the portal shows a banner while it exists).  It is
shaped like the real thing, so that the portal, the identification engine and
the dashboards have something worth looking at:

* units spread over all 448 counties in proportion to the county seat's
  population (GeoNames, shipped in counties.csv), around real city locations;
* a Section C activity mix, plus well-known specialisations planted as dense
  groups (tiles in Meybod and Ardakan, furniture in Malayer, cutlery in Zanjan,
  footwear in Tabriz, stone in Mahallat, carpets in Kashan, …);
* most units small, a few large; parks and zones per county; about 12% idle
  and 6% half-finished; 3% without coordinates; 15% without a national ID.
"""

from __future__ import annotations

from dataclasses import dataclass

import jdatetime
import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from khoosheh.accounts.models import Role
from khoosheh.core.geo import in_iran
from khoosheh.core.national_id import make_national_id
from khoosheh.core.reference import read_reference_csv
from khoosheh.core.text import match_key

from .models import ImportBatch, IndustrialPark, ProductionUnit, UnitStatusChange

SYNTHETIC_BATCH_NAME = "synthetic demo data"

# ISIC class -> (relative weight, word used in names)
ACTIVITY_MIX: dict[str, tuple[float, str]] = {
    "1010": (2, "فرآورده‌های گوشتی"), "1030": (3, "کنسرو و فرآوری میوه"), "1050": (3, "لبنیات"),
    "1061": (2, "آرد و برنج"), "1071": (3, "نان صنعتی"), "1073": (3, "شیرینی و شکلات"),
    "1079": (4, "مواد غذایی"), "1080": (2, "خوراک دام و طیور"), "1104": (1, "آب معدنی و نوشابه"),
    "1312": (3, "بافندگی"), "1393": (2, "فرش"), "1410": (4, "پوشاک"), "1520": (2, "کفش"),
    "1622": (2, "درب و پنجره چوبی"), "1702": (2, "کارتن‌سازی"), "1811": (2, "چاپ"),
    "2022": (2, "رنگ و رزین"), "2023": (3, "شوینده و بهداشتی"), "2029": (2, "مواد شیمیایی"),
    "2100": (1, "دارویی"), "2219": (2, "قطعات لاستیکی"), "2220": (7, "پلاستیک"),
    "2310": (1, "شیشه"), "2392": (3, "آجر"), "2393": (2, "کاشی و سرامیک"), "2394": (1, "سیمان و گچ"),
    "2395": (4, "قطعات بتنی"), "2396": (3, "سنگ‌بری"), "2410": (1, "فولاد"), "2431": (2, "ریخته‌گری"),
    "2511": (5, "سازه‌های فلزی"), "2592": (4, "تراشکاری و آبکاری"), "2593": (2, "ابزار و یراق"),
    "2599": (4, "محصولات فلزی"), "2610": (1, "قطعات الکترونیکی"), "2710": (1, "تابلو برق و ترانس"),
    "2732": (1, "سیم و کابل"), "2750": (2, "لوازم خانگی"), "2813": (2, "پمپ و شیرآلات"),
    "2819": (2, "ماشین‌آلات صنعتی"), "2821": (1, "ماشین‌آلات کشاورزی"), "2829": (2, "ماشین‌سازی"),
    "2930": (3, "قطعات خودرو"), "3100": (4, "مبلمان"), "3211": (1, "طلا و جواهر"), "3290": (2, "تولیدی"),
}

# Well-known specialisations, planted as dense groups: (county, ISIC, units, spread km)
PLANTED: tuple[tuple[str, str, int, float], ...] = (
    ("میبد", "2393", 140, 4), ("اردکان", "2393", 90, 4), ("یزد", "1312", 160, 5),
    ("ملایر", "3100", 170, 3), ("زنجان", "2593", 120, 3), ("تبریز", "1520", 220, 4),
    ("محلات", "2396", 110, 3), ("کاشان", "1393", 150, 4), ("کاشان", "1312", 80, 4),
    ("نجف آباد", "2396", 120, 4), ("قم", "1073", 90, 3), ("تهران", "3211", 160, 2),
    ("تهران", "2930", 200, 5), ("شهریار", "2930", 90, 4), ("ساوه", "2220", 90, 4),
    ("تربت حیدریه", "1030", 70, 4), ("آمل", "1061", 90, 5), ("رشت", "1079", 70, 4),
    ("مشهد", "1410", 140, 4), ("اصفهان", "1312", 120, 5), ("شیراز", "1050", 60, 4),
    ("همدان", "2393", 50, 3), ("ارومیه", "1030", 60, 4), ("کرمان", "1030", 50, 4),
)

# A few real park names, the rest are "شهرک صنعتی <county>".
NAMED_PARKS = {
    "پاکدشت": ["شهرک صنعتی عباس‌آباد"], "ری": ["شهرک صنعتی شمس‌آباد"], "البرز": ["شهرک صنعتی البرز"],
    "مشهد": ["شهرک صنعتی توس", "شهرک صنعتی کلات"], "اصفهان": ["شهرک صنعتی محمودآباد"],
    "ساوه": ["شهرک صنعتی کاوه"], "تبریز": ["شهرک صنعتی سرمایه‌گذاری خارجی"], "شیراز": ["شهرک صنعتی بزرگ شیراز"],
    "اراک": ["شهرک صنعتی خیرآباد"], "یزد": ["شهرک صنعتی یزد"], "کرج": ["شهرک صنعتی سیمین‌دشت"],
}

BRANDS = ("آرمان", "پارس", "سپهر", "البرز", "نگین", "مهر", "آریا", "زاگرس", "کاوه", "سپید", "نوین", "پیشرو",
          "ستاره", "فجر", "بهار", "کیان", "آوا", "دماوند", "سهند", "تابان", "روشن", "پویا", "امید", "ارغوان",
          "سینا", "رازی", "خلیج فارس", "کوثر", "صبا", "آفتاب", "هامون", "مانا", "پرند", "توسکا", "شایان")
FORMS = ("شرکت", "شرکت", "کارخانه", "صنایع", "تولیدی", "کارگاه")
STATUS_SHARES = (("active", 0.78), ("idle", 0.12), ("half_finished", 0.06), ("closed", 0.04))


@dataclass
class Seat:
    code: str
    province: str
    name: str
    lat: float
    lon: float
    weight: float


def _seats() -> list[Seat]:
    seats = []
    for r in read_reference_csv("counties.csv"):
        population = float(r["seat_population"] or 5000)
        seats.append(Seat(r["code"], r["province_code"], r["name_fa"], float(r["lat"]), float(r["lon"]),
                          max(population, 5000) ** 0.9))
    return seats


def _offset(rng, lat: float, lon: float, spread_km: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    dlat = rng.normal(0, spread_km / 111.0, n)
    dlon = rng.normal(0, spread_km / (111.0 * np.cos(np.radians(lat))), n)
    return lat + dlat, lon + dlon


class DemoBuilder:
    def __init__(self, units: int, seed: int):
        self.total, self.rng = units, np.random.default_rng(seed)
        self.seats = _seats()
        self.by_name = {(match_key(s.name)): s for s in self.seats}
        self.used_ids: set[str] = set()
        self.parks: dict[str, list[IndustrialPark]] = {}

    def build(self) -> int:
        self._make_parks()
        rows = self._planted_rows()
        rows += self._background_rows(max(self.total - len(rows), 0))
        self._keep_inside_iran(rows)
        return self._save(rows)

    def _keep_inside_iran(self, rows: list[dict]) -> None:
        """Scatter near a border or the sea can fall outside Iran, which the
        importer rightly refuses: pull such points towards their county seat."""
        seats = {s.code: s for s in self.seats}
        located = [r for r in rows if r["lat"] is not None]
        for _ in range(6):
            # Strictly on land (no tolerance), so the demo's own file imports without warnings.
            outside = ~in_iran([r["lat"] for r in located], [r["lon"] for r in located], tolerance_km=0)
            if not outside.any():
                return
            located = [r for r, out in zip(located, outside, strict=True) if out]
            for r in located:
                seat = seats[r["county_id"]]
                r["lat"] = round(seat.lat + 0.3 * (r["lat"] - seat.lat), 5)
                r["lon"] = round(seat.lon + 0.3 * (r["lon"] - seat.lon), 5)
        for r in located:  # a seat itself is always inside (tests/reference)
            r["lat"], r["lon"] = seats[r["county_id"]].lat, seats[r["county_id"]].lon

    def _make_parks(self) -> None:
        for seat in self.seats:
            names = list(NAMED_PARKS.get(seat.name, []))
            if seat.weight > 50_000 ** 0.9 or names:
                names.append(f"شهرک صنعتی {seat.name}")
            if seat.weight > 15_000 ** 0.9:
                names.append(f"ناحیه صنعتی {seat.name}")
            parks = []
            for name in dict.fromkeys(names):
                lat, lon = _offset(self.rng, seat.lat, seat.lon, 8, 1)
                kind = IndustrialPark.Kind.ZONE if name.startswith("ناحیه") else IndustrialPark.Kind.PARK
                parks.append(IndustrialPark(name=name, name_key=match_key(name), kind=kind, county_id=seat.code,
                                            lat=float(lat[0]), lon=float(lon[0])))
            if parks:
                IndustrialPark.objects.bulk_create(parks)
                self.parks[seat.code] = parks

    def _planted_rows(self) -> list[dict]:
        rows = []
        scale = min(1.0, self.total / 30_000)
        for county, isic, n, spread in PLANTED:
            seat = self.by_name[match_key(county)]
            n = max(12, int(n * scale))
            centre_lat, centre_lon = _offset(self.rng, seat.lat, seat.lon, 4, 1)
            lats, lons = _offset(self.rng, float(centre_lat[0]), float(centre_lon[0]), spread, n)
            rows += [self._row(seat, isic, lat, lon, in_park=False) for lat, lon in zip(lats, lons, strict=True)]
        return rows

    def _background_rows(self, n: int) -> list[dict]:
        weights = np.array([s.weight for s in self.seats])
        seat_index = self.rng.choice(len(self.seats), size=n, p=weights / weights.sum())
        codes = list(ACTIVITY_MIX)
        mix = np.array([ACTIVITY_MIX[c][0] for c in codes])
        isics = self.rng.choice(len(codes), size=n, p=mix / mix.sum())
        rows = []
        for i, a in zip(seat_index, isics, strict=True):
            seat = self.seats[i]
            in_park = seat.code in self.parks and self.rng.random() < 0.45
            if in_park:
                park = self.parks[seat.code][self.rng.integers(len(self.parks[seat.code]))]
                lat, lon = _offset(self.rng, park.lat, park.lon, 0.8, 1)
            else:
                park = None
                lat, lon = _offset(self.rng, seat.lat, seat.lon, 5 + 10 * self.rng.random(), 1)
            rows.append(self._row(seat, codes[a], float(lat[0]), float(lon[0]), in_park=in_park, park=park))
        return rows

    def _row(self, seat: Seat, isic: str, lat: float, lon: float, *, in_park: bool, park=None) -> dict:
        rng = self.rng
        status = STATUS_SHARES[rng.choice(4, p=[s for _, s in STATUS_SHARES])][0]
        employees = int(min(3000, max(1, rng.lognormal(2.4, 1.05))))
        located = rng.random() >= 0.03
        permit = None
        if status != "half_finished":
            permit = jdatetime.date(int(rng.integers(1370, 1404)), int(rng.integers(1, 13)),
                                    int(rng.integers(1, 30))).togregorian()
        capacity = {"active": round(float(rng.uniform(30, 95)), 1), "idle": round(float(rng.uniform(0, 20)), 1)}
        exporter = None if rng.random() < 0.3 else bool(rng.random() < (0.12 + 0.1 * (employees > 50)))
        return {
            "national_id": self._national_id() if rng.random() >= 0.15 else "",
            "name": self._name(isic, seat),
            "activity_id": isic, "province_id": seat.province, "county_id": seat.code,
            "park": park, "lat": round(lat, 5) if located else None, "lon": round(lon, 5) if located else None,
            "employees": employees, "status": status, "permit_date": permit,
            "exporter": exporter, "capacity_utilisation": capacity.get(status),
        }

    def _national_id(self) -> str:
        while True:
            candidate = make_national_id("10" + "".join(str(d) for d in self.rng.integers(0, 10, 8)))
            if candidate not in self.used_ids:
                self.used_ids.add(candidate)
                return candidate

    def _name(self, isic: str, seat: Seat) -> str:
        rng = self.rng
        word = ACTIVITY_MIX.get(isic, (0, "تولیدی"))[1]
        form, brand = FORMS[rng.integers(len(FORMS))], BRANDS[rng.integers(len(BRANDS))]
        if rng.random() < 0.5:
            return f"{form} {word} {brand} {seat.name}"
        return f"{form} {brand} {word} {int(rng.integers(1, 99))}"

    def _save(self, rows: list[dict]) -> int:
        now = timezone.now()
        ImportBatch.objects.create(file_name=SYNTHETIC_BATCH_NAME, started_at=now, finished_at=now,
                                   rows_read=len(rows), created=len(rows))
        units = [ProductionUnit(**r, name_key=match_key(r["name"])) for r in rows]
        ProductionUnit.objects.bulk_create(units, batch_size=2000)
        UnitStatusChange.objects.bulk_create(
            [UnitStatusChange(unit=u, changed_at=now, old_status="", new_status=u.status,
                              reason="داده نمایشی ساختگی", source="demo") for u in units], batch_size=2000)
        return len(units)


def make_demo_users() -> list[tuple[str, str, str]]:
    User = get_user_model()
    specs = [
        ("demo", "demo", Role.NATIONAL, None, "کارشناس ستاد (نمایشی)"),
        ("demo-isfahan", "demo", Role.PROVINCIAL, "10", "کارشناس سازمان صمت اصفهان (نمایشی)"),
        ("demo-viewer", "demo", Role.VIEWER, None, "بیننده (نمایشی)"),
        ("demo-agent", "demo", Role.CLUSTER_AGENT, None, "عامل توسعه خوشه (نمایشی)"),
        ("demo-parks", "demo", Role.PARKS_COMPANY, None, "شرکت شهرک‌های صنعتی اصفهان (نمایشی)"),
        ("demo-owner", "demo", Role.UNIT_OWNER, None, "مالک واحد (نمایشی)"),
    ]
    made = []
    for username, password, role, province, name in specs:
        user, _ = User.objects.get_or_create(username=username)
        user.role, user.province_id, user.first_name = role, province, name
        user.is_staff = role == Role.NATIONAL
        user.set_password(password)
        user.save()
        if role == Role.PARKS_COMPANY:
            user.parks.set(IndustrialPark.objects.filter(county__province_id="10"))
        if role == Role.UNIT_OWNER:
            user.units.set(ProductionUnit.objects.filter(activity_id="2431", status="active").order_by("pk")[:1])
        made.append((username, password, role))
    return made


@transaction.atomic
def build_demo(units: int = 30_000, seed: int = 1404) -> int:
    return DemoBuilder(units, seed).build()


def demo_exists() -> bool:
    return ImportBatch.objects.filter(file_name=SYNTHETIC_BATCH_NAME).exists()

