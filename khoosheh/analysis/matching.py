"""Match a buyer's enquiry (or an import-substitution item) to capable suppliers.

Hard filters first — a supplier that lacks a required process or
certification, or cannot make the quantity by the deadline, is out, whatever
else it offers.  The rest are ranked by a weighted sum of soft signals, each
in [0, 1], and every result carries its reasons:

* text relevance: BM25 of the enquiry's words in the supplier's products and
  processes (Persian-normalised, with synonyms), divided by the best possible;
* material: the supplier works the enquiry's material;
* distance: exp(-d / 150 km) from the buyer's preferred place;
* cluster membership: the supplier belongs to a confirmed cluster;
* past performance: share of the supplier's past quotes that became contracts
  (smoothed, so a newcomer starts at the middle).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from khoosheh.core.geo import haversine_km
from khoosheh.core.reference import processes
from khoosheh.core.text import match_key, persian_number

from .textindex import TextIndex

WEIGHTS = {"text": 0.4, "material": 0.2, "distance": 0.25, "cluster": 0.05, "performance": 0.1}
DISTANCE_SCALE_KM = 150.0
DAYS_PER_MONTH = 30.0


@dataclass
class SupplierColumns:
    """Capability profiles as columns, one entry a supplier."""

    ids: np.ndarray
    names: list[str]
    texts: list[str]  # products and free text, Persian
    processes: list[set[str]]  # codes of the controlled vocabulary
    materials: list[set[str]]
    certifications: list[set[str]]
    monthly_capacity: np.ndarray  # units a month; NaN unknown
    lead_time_days: np.ndarray  # NaN unknown
    lat: np.ndarray
    lon: np.ndarray
    in_cluster: np.ndarray  # bool
    quotes: np.ndarray  # past quotes given
    contracts: np.ndarray  # of which became contracts
    products: list[str] | None = None  # what the supplier wrote, for the reasons (default: texts)


@dataclass
class Enquiry:
    text: str
    processes: set[str] = field(default_factory=set)
    certifications: set[str] = field(default_factory=set)
    material: str = ""
    quantity: float | None = None
    deadline_days: float | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class Match:
    id: int
    name: str
    score: float
    reasons: list[str]
    parts: dict[str, float]


class SupplierIndex:
    def __init__(self, suppliers: SupplierColumns):
        self.s = suppliers
        self.text = TextIndex(suppliers.texts)
        self.process_codes = sorted({p for ps in suppliers.processes for p in ps})
        self.cert_codes = sorted({c for cs in suppliers.certifications for c in cs})
        self.has_process = _incidence(suppliers.processes, self.process_codes)
        self.has_cert = _incidence(suppliers.certifications, self.cert_codes)
        self.material_keys = [{match_key(m) for m in ms} for ms in suppliers.materials]
        contracts, quotes = suppliers.contracts.astype(float), suppliers.quotes.astype(float)
        self.performance = (contracts + 1) / (quotes + 2)  # Laplace: a newcomer scores 0.5

    def __len__(self) -> int:
        return len(self.s.ids)

    def eligible(self, enquiry: Enquiry) -> np.ndarray:
        ok = np.ones(len(self), bool)
        for code in enquiry.processes:
            ok &= self.has_process[:, self.process_codes.index(code)] if code in self.process_codes else False
        for code in enquiry.certifications:
            ok &= self.has_cert[:, self.cert_codes.index(code)] if code in self.cert_codes else False
        if enquiry.deadline_days is not None:
            lead = self.s.lead_time_days
            ok &= np.isnan(lead) | (lead <= enquiry.deadline_days)
            if enquiry.quantity:
                months = max(enquiry.deadline_days, 1) / DAYS_PER_MONTH
                capacity = self.s.monthly_capacity
                ok &= np.isnan(capacity) | (capacity * months >= enquiry.quantity)
        return ok

    def match(self, enquiry: Enquiry, *, top: int = 10) -> list[Match]:
        ok = self.eligible(enquiry)
        candidates = np.nonzero(ok)[0]
        if len(candidates) == 0:
            return []
        query = " ".join([enquiry.text, enquiry.material])
        best = self.text.max_score(query) or 1.0
        parts = {"text": np.minimum(self.text.scores(query)[candidates] / best, 1.0)}
        material = match_key(enquiry.material)
        parts["material"] = np.array([1.0 if material and material in self.material_keys[i] else 0.0
                                      for i in candidates])
        if enquiry.lat is not None:
            distance = haversine_km(self.s.lat[candidates], self.s.lon[candidates], enquiry.lat, enquiry.lon)
            parts["distance"] = np.exp(-distance / DISTANCE_SCALE_KM)
        else:
            distance = None
            parts["distance"] = np.zeros(len(candidates))
        parts["cluster"] = self.s.in_cluster[candidates].astype(float)
        parts["performance"] = self.performance[candidates]
        score = sum(WEIGHTS[k] * v for k, v in parts.items())
        order = np.lexsort((self.s.ids[candidates], -score))[:top]
        return [self._explain(enquiry, candidates[i], float(score[i]), {k: float(v[i]) for k, v in parts.items()},
                              None if distance is None else float(distance[i])) for i in order]

    def _explain(self, enquiry: Enquiry, i: int, score: float, parts: dict, distance_km) -> Match:
        s, reasons = self.s, []
        names = {p.code: p.name_fa for p in processes()}
        for code in sorted(enquiry.processes):
            reasons.append(f"فرایند لازم: {names.get(code, code)} ✓")
        for code in sorted(enquiry.certifications):
            reasons.append(f"گواهی {code} ✓")
        if enquiry.quantity and not math.isnan(s.monthly_capacity[i]):
            reasons.append(f"ظرفیت ماهانه {persian_number(s.monthly_capacity[i])} برای "
                           f"{persian_number(enquiry.quantity)} سفارش")
        own_words = s.products[i] if s.products is not None else s.texts[i]
        words = self.text.matching_words(" ".join([enquiry.text, enquiry.material]), own_words)
        if words:
            reasons.append("هم‌خوانی محصولات: " + "، ".join(f"«{w}»" for w in words[:5]))
        if parts["material"]:
            reasons.append(f"با {enquiry.material} کار می‌کند")
        if distance_km is not None:
            reasons.append(f"فاصله {persian_number(distance_km)} کیلومتر")
        if parts["cluster"]:
            reasons.append("عضو یک خوشه صنعتی تأییدشده")
        if s.quotes[i]:
            reasons.append(f"سابقه: {persian_number(s.contracts[i])} قرارداد از "
                           f"{persian_number(s.quotes[i])} پیشنهاد قیمت")
        return Match(int(s.ids[i]), s.names[i], round(score, 4), reasons, parts)


def _incidence(sets: list[set[str]], codes: list[str]) -> np.ndarray:
    position = {c: j for j, c in enumerate(codes)}
    matrix = np.zeros((len(sets), max(len(codes), 1)), bool)
    for i, values in enumerate(sets):
        for v in values:
            matrix[i, position[v]] = True
    return matrix


def keyword_baseline(texts: list[str], query: str, *, top: int = 10) -> list[int]:
    """The plain search the portal would have without this module: documents
    containing the query's words as typed, ranked by how many they contain."""
    words = [w for w in query.split() if len(w) > 1]
    counts = np.array([sum(w in t for w in words) for t in texts])
    order = np.lexsort((np.arange(len(texts)), -counts))
    return [int(i) for i in order[:top] if counts[i] > 0]
