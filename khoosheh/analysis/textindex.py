"""Persian-aware BM25 over short texts (products a unit makes, an enquiry).

Tokens are compared by their normalised key (Arabic ي/ك, digits, ZWNJ or space
inside a word all fold together), with the commonest plural endings taken off
and a small synonym table applied, so "قطعات ريخته گري" finds "قطعه ریخته‌گری".
Scores are Okapi BM25 (Robertson & Zaragoza 2009, k1 = 1.2, b = 0.75),
computed as one sparse matrix product per query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse

from khoosheh.core.text import clean, match_key

K1, B = 1.2, 0.75
_SPLIT = re.compile(r"[\s,،;؛/()\-\[\]«»\"'.:+]+")
# Plural and relational endings, longest first; a stem must keep 3 letters.
_SUFFIXES = ("هایی", "های", "ها", "ات", "ان", "ی")
_STOPWORDS = {match_key(w) for w in (
    "و", "در", "به", "از", "با", "برای", "که", "این", "آن", "را", "تا", "یا", "هر", "نوع", "انواع", "ساخت",
    "تولید", "the", "and", "of", "for", "with", "a", "an", "in",
)}
# Domain synonyms: every word of a group is indexed and searched as its first word.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("پمپ", "تلمبه", "pump"),
    ("شیر", "ولو", "valve"),
    ("قطعه", "قطعات", "part", "parts"),
    ("یاتاقان", "بلبرینگ", "bearing"),
    ("چدن", "cast iron", "چدنی"),
    ("فولاد", "استیل", "steel", "فولادی"),
    ("آلومینیوم", "آلومینیم", "aluminium", "aluminum", "آلومینیومی"),
    ("برنج", "brass", "برنجی"),
    ("پلاستیک", "پلاستیکی", "plastic", "پلیمری", "پلیمر"),
    ("خودرو", "اتومبیل", "ماشین سواری", "automotive"),
    ("کاشی", "سرامیک", "tile"),
    ("لوله", "pipe", "tube"),
    ("بدنه", "body", "housing", "محفظه"),
    ("پروانه", "impeller", "پره"),
    ("چرخدنده", "دنده", "gear"),
    ("فنر", "spring"),
    ("پیچ", "مهره", "bolt", "screw"),
    ("برد", "pcb", "مدار"),
    ("کابل", "سیم", "cable", "wire"),
)


def _stem(key: str) -> str:
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 3:
            return key[: -len(suffix)]
    return key


def _build_synonyms() -> dict[str, str]:
    table = {}
    for group in SYNONYMS:
        head = _stem(match_key(group[0]))
        for word in group:
            table[_stem(match_key(word))] = head
    return table


_SYNONYM_OF = _build_synonyms()


def tokens(text: str) -> list[str]:
    """Normalised, stemmed, synonym-folded tokens of a text."""
    out = []
    text = clean(text)
    # Multi-word synonyms first ("cast iron", "ماشین سواری").
    for group in SYNONYMS:
        for word in group:
            if " " in word and word in text.casefold():
                out.append(_SYNONYM_OF[_stem(match_key(word))])
    previous = ""
    for raw in _SPLIT.split(text):
        key = match_key(raw)
        if not key or key in _STOPWORDS or key.isdigit():
            previous = ""
            continue
        stem = _stem(key)
        out.append(_SYNONYM_OF.get(stem, stem))
        if previous:
            # "ریخته گری" typed with a space is also the one word "ریخته‌گری".
            joined = _stem(previous + key)
            out.append(_SYNONYM_OF.get(joined, joined))
        previous = key
    return out


class TextIndex:
    """BM25 index over documents; ``scores(query)`` gives one score a document."""

    def __init__(self, documents: Sequence[str]):
        vocabulary: dict[str, int] = {}
        rows, cols, counts = [], [], []
        lengths = np.zeros(len(documents))
        for i, doc in enumerate(documents):
            terms = tokens(doc)
            lengths[i] = len(terms)
            for term, count in _counts(terms).items():
                rows.append(i)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
                counts.append(count)
        self.vocabulary = vocabulary
        tf = sparse.csr_matrix((np.array(counts, float), (rows, cols)), shape=(len(documents), len(vocabulary)))
        n_docs = max(len(documents), 1)
        df = np.bincount(cols, minlength=len(vocabulary))
        self.idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
        average = lengths.mean() if len(documents) else 1.0
        norm = K1 * (1 - B + B * lengths / max(average, 1e-9))
        tf = tf.tocoo()
        weights = tf.data * (K1 + 1) / (tf.data + norm[tf.row]) * self.idf[tf.col]
        # Column slices per query term: CSC makes them cheap.
        self.weights = sparse.csc_matrix((weights, (tf.row, tf.col)), shape=tf.shape)

    def query_terms(self, query: str) -> list[int]:
        return sorted({self.vocabulary[t] for t in tokens(query) if t in self.vocabulary})

    def scores(self, query: str) -> np.ndarray:
        terms = self.query_terms(query)
        if not terms:
            return np.zeros(self.weights.shape[0])
        return np.asarray(self.weights[:, terms].sum(axis=1)).ravel()

    def max_score(self, query: str) -> float:
        """The best score a document could reach (all query terms, saturated)."""
        terms = self.query_terms(query)
        return float(self.idf[terms].sum() * (K1 + 1)) if terms else 0.0

    @staticmethod
    def matching_words(query: str, document: str) -> list[str]:
        """The document's own words that matched the query (for the reasons shown)."""
        wanted = set(tokens(query))
        words = []
        for raw in _SPLIT.split(clean(document)):
            folded = tokens(raw)
            if folded and folded[0] in wanted and raw not in words:
                words.append(raw)
        return words


def _counts(terms: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in terms:
        out[t] = out.get(t, 0) + 1
    return out
