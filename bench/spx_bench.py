"""SPX matching quality and speed, and B2B scheduling speed.

    .venv/bin/python bench/spx_bench.py [--profiles 50000] [--enquiries 300] [--seed 1]

A labelled evaluation set is generated: profiles of suppliers making one of
fifteen product families, each family written in several ways a person would
type it (plural or singular, Arabic or Persian letters, ZWNJ or space, a
synonym); enquiries ask for a family in yet another wording, with its
processes, material, a certification sometimes, a quantity and a deadline, from
a buyer's city.  Relevance: 2 for a supplier of that family that meets every
requirement and works the material within 150 km of the buyer, 1 for one that
meets every requirement but is farther or works another material, 0 otherwise.
nDCG@10 uses those grades; recall@10 is the share of the grade-2 suppliers in
the top ten, out of at most ten.  The baseline in the same run is a plain
keyword search: products containing the enquiry's words as typed, ranked by
how many.  Speed: match latency per enquiry over all profiles (index built
once), and a 500-participant, 10-slot exhibition schedule.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from khoosheh.analysis.matching import Enquiry, SupplierColumns, SupplierIndex, keyword_baseline
from khoosheh.analysis.scheduling import complementarity, schedule
from khoosheh.core.geo import haversine_km
from khoosheh.core.reference import counties

# family: (ways suppliers write it, ways buyers ask for it, processes, materials)
FAMILIES = {
    "pump": (["قطعات پمپ", "پمپ آب", "تلمبه", "بدنه پمپ‌های صنعتی"], ["بدنه پمپ", "پمپ‌ها", "قطعه تلمبه"],
             ["casting", "cnc_machining"], ["چدن", "فولاد"]),
    "valve": (["شیرآلات صنعتی", "شیر کشویی", "ولو"], ["شیر صنعتی", "شيرآلات"], ["casting"], ["برنج", "چدن"]),
    "car_body": (["قطعات بدنه خودرو", "قطعات پرسی خودرو"], ["قطعه بدنه اتومبیل", "قطعات خودرو"],
                 ["sheet_metal", "welding"], ["فولاد"]),
    "plastic_housing": (["قطعات پلاستیکی تزریقی", "بدنه پلاستیکی"], ["محفظه پلاستیکی", "قطعه پلاستيکي"],
                        ["injection_moulding"], ["پلاستیک"]),
    "pcb": (["برد الکترونیکی", "مونتاژ برد مدار"], ["بردهای الکترونيکي", "pcb"], ["electronics_assembly"], ["مس"]),
    "gear": (["چرخدنده", "دنده و گیربکس"], ["چرخ‌دنده", "چرخ دنده‌ها"], ["gear_cutting", "heat_treatment"],
             ["فولاد"]),
    "spring": (["فنر صنعتی", "فنرهای فشاری"], ["فنر", "فنرها"], ["forging", "heat_treatment"], ["فولاد"]),
    "al_profile": (["پروفیل آلومینیوم", "پروفیل‌های آلومینیومی"], ["پروفيل آلومينيوم"], ["extrusion"],
                   ["آلومینیوم"]),
    "tile": (["کاشی و سرامیک", "کاشی دیواری"], ["كاشي", "سرامیک کف"], ["ceramic_firing"], ["خاک رس"]),
    "carton": (["کارتن بسته‌بندی", "جعبه مقوایی"], ["کارتن‌های بسته بندی"], ["packaging"], ["مقوا"]),
    "workwear": (["لباس کار", "پوشاک کار"], ["لباس‌های کار"], ["sewing"], ["پارچه"]),
    "pipe": (["لوله پلی‌اتیلن", "لوله‌های پلاستیکی"], ["لوله پلي اتيلن"], ["extrusion"], ["پلاستیک"]),
    "bearing": (["یاتاقان", "بوش برنجی"], ["بلبرینگ", "ياتاقان‌ها"], ["cnc_machining", "grinding"], ["برنج"]),
    "bolt": (["پیچ و مهره", "پیچ‌های صنعتی"], ["پيچ", "مهره‌ها"], ["forging"], ["فولاد"]),
    "cable": (["کابل برق", "سیم و کابل"], ["کابل‌ها", "سيم برق"], ["wire_harness"], ["مس"]),
}
CERTS = ["ISO 9001", "IATF 16949", "ISO 14001"]


def make_profiles(n: int, rng) -> tuple[SupplierColumns, np.ndarray]:
    seats = counties()
    families = list(FAMILIES)
    family = rng.choice(len(families), n)
    seat = rng.choice(len(seats), n)
    texts, processes, materials, certs = [], [], [], []
    for f in family:
        written, _, procs, mats = FAMILIES[families[f]]
        extra = rng.choice(families)  # a second, unrelated line of products now and then
        text = written[rng.integers(len(written))]
        if rng.random() < 0.3:
            text += " و " + FAMILIES[extra][0][0]
        texts.append(text)
        processes.append(set(procs) if rng.random() < 0.85 else set(procs[:1]))
        materials.append({mats[rng.integers(len(mats))]})
        certs.append({c for c, p in zip(CERTS, (0.4, 0.08, 0.15), strict=True) if rng.random() < p})
    lat = np.array([seats[s].lat for s in seat]) + rng.normal(0, 0.05, n)
    lon = np.array([seats[s].lon for s in seat]) + rng.normal(0, 0.05, n)
    quotes = rng.poisson(1.0, n)
    columns = SupplierColumns(
        ids=np.arange(n), names=[f"s{i}" for i in range(n)], texts=texts, processes=processes,
        materials=materials, certifications=certs,
        monthly_capacity=np.where(rng.random(n) < 0.1, np.nan, rng.lognormal(7, 1, n).round()),
        lead_time_days=np.where(rng.random(n) < 0.1, np.nan, rng.integers(5, 90, n)).astype(float),
        lat=lat, lon=lon, in_cluster=rng.random(n) < 0.2, quotes=quotes,
        contracts=np.minimum(quotes, rng.poisson(0.5, n)),
    )
    return columns, family


def make_enquiries(k: int, rng) -> list[tuple[Enquiry, int]]:
    seats = counties()
    families = list(FAMILIES)
    out = []
    for _ in range(k):
        f = rng.integers(len(families))
        _, asked, procs, mats = FAMILIES[families[f]]
        seat = seats[rng.integers(len(seats))]
        out.append((Enquiry(text=asked[rng.integers(len(asked))], processes=set(procs),
                            certifications={"ISO 9001"} if rng.random() < 0.3 else set(),
                            material=mats[rng.integers(len(mats))], quantity=float(rng.integers(100, 5000)),
                            deadline_days=float(rng.integers(30, 180)), lat=seat.lat, lon=seat.lon), int(f)))
    return out


def relevance(index: SupplierIndex, family: np.ndarray, enquiry: Enquiry, f: int) -> np.ndarray:
    s = index.s
    meets = index.eligible(enquiry) & (family == f)
    near = haversine_km(s.lat, s.lon, enquiry.lat, enquiry.lon) <= 150
    material = np.array([enquiry.material in m for m in s.materials])
    return np.where(meets & near & material, 2, np.where(meets, 1, 0))


def ndcg_at_10(ranked: list[int], grades: np.ndarray) -> float:
    gains = [grades[i] for i in ranked[:10]]
    dcg = sum((2**g - 1) / np.log2(r + 2) for r, g in enumerate(gains))
    ideal = sorted(grades[grades > 0], reverse=True)[:10]
    idcg = sum((2**g - 1) / np.log2(r + 2) for r, g in enumerate(ideal))
    return dcg / idcg if idcg else 1.0


def recall_at_10(ranked: list[int], grades: np.ndarray) -> float:
    best = int((grades == 2).sum())
    return sum(grades[i] == 2 for i in ranked[:10]) / min(10, best) if best else 1.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=50_000)
    parser.add_argument("--enquiries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    rng = np.random.default_rng(options.seed)
    columns, family = make_profiles(options.profiles, rng)
    started = time.perf_counter()
    index = SupplierIndex(columns)
    build = time.perf_counter() - started
    results = {"khoosheh": ([], []), "keyword baseline": ([], []), "keyword baseline + the same hard filters": ([], [])}
    latencies = []
    for enquiry, f in make_enquiries(options.enquiries, rng):
        grades = relevance(index, family, enquiry, f)
        started = time.perf_counter()
        ranked = [m.id for m in index.match(enquiry, top=10)]
        latencies.append((time.perf_counter() - started) * 1000)
        query = f"{enquiry.text} {enquiry.material}"
        baseline = keyword_baseline(columns.texts, query)
        eligible = np.nonzero(index.eligible(enquiry))[0]
        filtered = [int(eligible[i]) for i in keyword_baseline([columns.texts[i] for i in eligible], query)]
        for name, r in (("khoosheh", ranked), ("keyword baseline", baseline),
                        ("keyword baseline + the same hard filters", filtered)):
            results[name][0].append(ndcg_at_10(r, grades))
            results[name][1].append(recall_at_10(r, grades))
    print(f"\n{options.profiles:,} profiles, {options.enquiries} enquiries, seed {options.seed}; "
          f"index built in {build:.1f} s\n")
    print("| method | nDCG@10 | recall@10 |\n|---|---|---|")
    for name, (ndcg, recall) in results.items():
        print(f"| {name} | **{np.mean(ndcg):.3f}** | {np.mean(recall):.3f} |")
    latencies = np.array(latencies)
    print(f"\nmatch latency per enquiry: median {np.median(latencies):.1f} ms, "
          f"p95 **{np.percentile(latencies, 95):.1f} ms**, max {latencies.max():.1f} ms")

    lookers, offerers = 150, 350
    tags = [f"t{i}" for i in range(40)]
    needs = [set(rng.choice(tags, 4, replace=False)) for _ in range(lookers)]
    offers = [set(rng.choice(tags, 6, replace=False)) for _ in range(offerers)]
    started = time.perf_counter()
    meetings = schedule(complementarity(needs, offers), slots=10, tables=120)
    seconds = time.perf_counter() - started
    print(f"\nB2B schedule: {lookers + offerers} participants, 10 slots: {len(meetings)} meetings in "
          f"**{seconds:.2f} s**")


if __name__ == "__main__":
    main()
