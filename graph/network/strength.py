r"""Partnership strength: a documented, configurable score of how strong a tie is.

Two actors are tied when they share one or more partnerships. The strength of the tie is
a weighted mean of seven components, each in :math:`[0, 1]` and each read from evidence in
the graph (docs/analytics.md has the full definitions):

.. math::

    s_{ab} = \frac{\sum_i w_i \, c_i(a, b)}{\sum_i w_i}, \qquad
    i \in \{\text{formality}, \text{duration}, \text{recency}, \text{multiplexity},
            \text{shared funding}, \text{equality}, \text{sources}\}

with, over the partnerships :math:`P_{ab}` the two actors share (after the period and
evidence filters of the projection) and a reference date :math:`t` (the *as of* date):

- formality :math:`c_f = \max_{p} \mathrm{rank}(p) / R_f` with :math:`R_f = 4`
  (informal 1 < network 2 < contract or grant 3 < formal agreement 4);
- duration :math:`c_d = y / (y + h_d)`, :math:`y` the years covered by the union of the
  shared partnerships' periods up to :math:`t`, :math:`h_d = 2` years (half saturation);
- recency :math:`c_r = 1` when a shared partnership is ongoing at :math:`t` (no end date,
  or an end at or after :math:`t`), else :math:`2^{-g / h_r}`, :math:`g` the years since the
  latest end, :math:`h_r = 2` years (half-life);
- multiplexity :math:`c_m = x / (x + h_m)`, :math:`x = (|T| - 1)^+ + (|A| - 1)^+` the strands
  beyond one partnership type :math:`T` and one policy area :math:`A`, :math:`h_m = 2`;
- shared funding :math:`c_\$ = 1` when a shared partnership is ``ikg:fundedBy`` a project
  or both actors fund or implement one same project, else 0;
- equality :math:`c_e`, the mean over shared partnerships of role-equality rank / 4
  (hierarchical 1 < partly equal 2 < near-equal 3 < eye to eye 4); a partnership without
  ``ikg:roleEquality`` counts as hierarchical when one partner funds, commissions or
  mentors the other, and is left out otherwise; no evidence at all gives 0;
- sources :math:`c_s = n / (n + h_s)`, :math:`n` the distinct source documents
  (``prov:wasDerivedFrom``) of the shared partnerships, :math:`h_s = 1`.

Default weights: formality 0.25; duration, recency and multiplexity 0.15 each; shared
funding, equality and sources 0.10 each (:class:`StrengthWeights`).

Why these components. Granovetter (1973) defines tie strength by time (frequency x
duration), intensity, intimacy and reciprocal services; Marsden & Campbell (1984) find
closeness or intensity the best single indicator, frequency and duration useful but
confounded; Provan et al. (2005) measure inter-organisational ties by multiplexity (the
count of tie types); the PARTNER tool (Varda et al.) scores level of collaboration and
resource contribution; Hirschi (2010) separates horizontal (cross-sector) from vertical
ties. Formality is the graph's proxy for institutional intensity, duration and recency
for time, shared funding for exchanged resources, equality of roles for reciprocity
("eye-to-eye" versus funder-grantee, in the IOM release's words). The count of sources is
not a tie dimension but the weight of the evidence, so it has a small weight by default.

References:
    Granovetter, M. S. (1973). The Strength of Weak Ties. American Journal of Sociology
    78(6), 1360-1380.
    Marsden, P. V., & Campbell, K. E. (1984). Measuring Tie Strength. Social Forces 63(2),
    482-501.
    Provan, K. G., Veazie, M. A., Staten, L. K., & Teufel-Shone, N. I. (2005). The Use of
    Network Analysis to Strengthen Community Partnerships. Public Administration Review
    65(5), 603-613.
    Varda, D. M., et al. PARTNER: Program to Analyze, Record, and Track Networks to Enhance
    Relationships (https://visiblenetworklabs.com/partner-platform/).
    Hirschi, C. (2010). Strengthening regional cohesion: collaborative networks and
    sustainable development in Swiss rural areas. Ecology and Society 15(4): 16.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from typing import Any

import networkx as nx
import numpy as np

from inclusion_kg.graph.errors import InputError, NotFound

__all__ = [
    "COMPONENTS",
    "DAYS_PER_YEAR",
    "SharedPartnership",
    "StrengthWeights",
    "TieEvidence",
    "TieExplanation",
    "TieStrength",
    "TieTable",
    "effective_equality_rank",
    "explain",
    "saturate",
    "score_table",
    "score_tie",
    "tie_components",
]

COMPONENTS: tuple[str, ...] = (
    "formality",
    "duration",
    "recency",
    "multiplexity",
    "shared_funding",
    "equality",
    "sources",
)
"""The components of partnership strength, in the order they are reported."""

DAYS_PER_YEAR = 365.25
"""Days in a year for durations and gaps (a Julian year)."""
_ONE_DAY = timedelta(days=1)

_PARTNER_ROLE = "https://w3id.org/inclusion-kg/vocab/partner-role/"
_DIRECTING_ROLES = frozenset(_PARTNER_ROLE + r for r in ("funder", "commissioner", "mentor"))
"""Roles that put one partner above the other (funder-grantee, commissioner, mentor-mentee)."""


@dataclass(frozen=True)
class StrengthWeights:
    r"""Weights and shape parameters of the partnership-strength score.

    The score is :math:`\sum_i w_i c_i / \sum_i w_i`, so weights need not sum to one; set a
    weight to 0 to leave a component out. Defaults follow the module docstring.

    Attributes:
        formality: weight of the formality component.
        duration: weight of the duration component.
        recency: weight of the recency component.
        multiplexity: weight of the multiplexity component.
        shared_funding: weight of the shared-funding component.
        equality: weight of the equality-of-roles component.
        sources: weight of the number-of-sources component.
        duration_half_years: years of shared partnership at which duration reaches 0.5.
        recency_half_life_years: years after the last end at which recency halves.
        multiplexity_half: extra strands (types + areas beyond one each) giving 0.5.
        sources_half: distinct source documents giving 0.5.
        max_formality_rank: top rank of the formality scheme.
        max_equality_rank: top rank of the role-equality scheme.

    Raises:
        InputError: a weight is negative, all weights are zero, or a parameter is not positive.

    >>> StrengthWeights().total
    1.0
    >>> StrengthWeights(sources=-1)
    Traceback (most recent call last):
    ...
    inclusion_kg.graph.errors.InputError: strength weight 'sources' must be >= 0, got -1
    """

    formality: float = 0.25
    duration: float = 0.15
    recency: float = 0.15
    multiplexity: float = 0.15
    shared_funding: float = 0.10
    equality: float = 0.10
    sources: float = 0.10
    duration_half_years: float = 2.0
    recency_half_life_years: float = 2.0
    multiplexity_half: float = 2.0
    sources_half: float = 1.0
    max_formality_rank: int = 4
    max_equality_rank: int = 4

    def __post_init__(self) -> None:
        for name in COMPONENTS:
            value = getattr(self, name)
            if value < 0:
                msg = f"strength weight {name!r} must be >= 0, got {value}"
                raise InputError(msg)
        if self.total <= 0:
            msg = "at least one strength weight must be positive"
            raise InputError(msg)
        for item in fields(self):
            if item.name not in COMPONENTS and getattr(self, item.name) <= 0:
                msg = f"strength parameter {item.name!r} must be > 0"
                raise InputError(msg)

    @property
    def total(self) -> float:
        """The sum of the component weights (the normaliser)."""
        return round(sum(float(getattr(self, name)) for name in COMPONENTS), 12)

    def weights(self) -> dict[str, float]:
        """Return the component weights by component name."""
        return {name: float(getattr(self, name)) for name in COMPONENTS}

    def as_dict(self) -> dict[str, float]:
        """Return every weight and parameter (for run metadata)."""
        return {key: float(value) for key, value in asdict(self).items()}

    @classmethod
    def from_mapping(cls, values: Mapping[str, float]) -> StrengthWeights:
        """Build weights from a mapping, rejecting unknown names.

        Raises:
            InputError: a name is not a weight or parameter.
        """
        known = {item.name for item in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            msg = f"unknown strength weight(s) {unknown}; known: {sorted(known)}"
            raise InputError(msg)
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class SharedPartnership:
    """One partnership two actors share, with what it says about the tie.

    Attributes:
        iri: the partnership IRI.
        label: its label, for explanations.
        formality_rank: ``ikg:rank`` of its ``ikg:formality`` concept.
        equality_rank: ``ikg:rank`` of its ``ikg:roleEquality`` concept, if recorded.
        types: its ``ikg:partnershipType`` concepts.
        areas: its ``ikg:policyArea`` concepts.
        sources: its ``prov:wasDerivedFrom`` documents.
        funded_by: its ``ikg:fundedBy`` projects.
        start: first day of the pair's common period in it (None: unknown).
        end: last day of that period (None: ongoing).
        roles: the ``ikg:partnerRole`` of each of the two actors.
    """

    iri: str
    label: str | None = None
    formality_rank: int | None = None
    equality_rank: int | None = None
    types: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    funded_by: frozenset[str] = frozenset()
    start: date | None = None
    end: date | None = None
    roles: tuple[str | None, str | None] = (None, None)


@dataclass(frozen=True)
class TieEvidence:
    """Everything the graph says about the tie between two actors.

    Attributes:
        partnerships: the partnerships they share.
        shared_projects: funding projects both fund or implement (``ikg:funder`` /
            ``ikg:implementer``), outside any partnership.
    """

    partnerships: tuple[SharedPartnership, ...] = ()
    shared_projects: frozenset[str] = frozenset()

    @property
    def sources(self) -> frozenset[str]:
        """The distinct source documents of the shared partnerships."""
        return frozenset().union(*(p.sources for p in self.partnerships))


@dataclass(frozen=True)
class TieStrength:
    r"""A tie's score with the components it is made of.

    Attributes:
        score: :math:`\sum_i w_i c_i / \sum_i w_i`, in [0, 1].
        components: :math:`c_i` by component name.
        weights: :math:`w_i` by component name.
    """

    score: float
    components: dict[str, float]
    weights: dict[str, float]

    @property
    def contributions(self) -> dict[str, float]:
        r"""Each component's share of the score, :math:`w_i c_i / \sum_j w_j` (sums to it)."""
        total = sum(self.weights.values())
        return {k: self.weights[k] * self.components[k] / total for k in self.components}


def saturate(x: float, half: float) -> float:
    r"""Map a count or duration :math:`x \ge 0` into [0, 1) as :math:`x / (x + h)`.

    It is 0 at 0, one half at ``half`` and tends to 1: the tenth year of a partnership
    adds less to its strength than the first.

    >>> saturate(0, 2.0), saturate(2, 2.0), saturate(6, 2.0)
    (0.0, 0.5, 0.75)
    """
    x = max(float(x), 0.0)
    return x / (x + half)


def _union_days(intervals: Iterable[tuple[date, date]]) -> int:
    """Return the days covered by the union of half-open intervals ``[start, end)``."""
    total = 0
    current: tuple[date, date] | None = None
    for start, end in sorted(intervals):
        if current is None or start > current[1]:
            if current is not None:
                total += (current[1] - current[0]).days
            current = (start, end)
        elif end > current[1]:
            current = (current[0], end)
    if current is not None:
        total += (current[1] - current[0]).days
    return total


def effective_equality_rank(
    equality_rank: int | None, roles: tuple[str | None, str | None]
) -> int | None:
    """Return the equality rank a partnership counts with for a pair of partners.

    Its ``ikg:roleEquality`` rank if recorded; else hierarchical (1) when one of the two
    funds, commissions or mentors and their roles differ; else None (left out).

    >>> role = "https://w3id.org/inclusion-kg/vocab/partner-role/"
    >>> effective_equality_rank(None, (role + "funder", role + "implementer"))
    1
    >>> effective_equality_rank(None, (role + "partner", role + "partner")) is None
    True
    """
    if equality_rank is not None:
        return equality_rank
    if roles[0] != roles[1] and (roles[0] in _DIRECTING_ROLES or roles[1] in _DIRECTING_ROLES):
        return 1
    return None


def _equality_rank(partnership: SharedPartnership) -> int | None:
    return effective_equality_rank(partnership.equality_rank, partnership.roles)


def tie_components(
    evidence: TieEvidence, reference: date, weights: StrengthWeights | None = None
) -> dict[str, float]:
    """Return the seven components :math:`c_i` of a tie at a reference date.

    See the module docstring for each formula.

    Args:
        evidence: the partnerships and projects the two actors share.
        reference: the date the tie is assessed at (the *as of* date).
        weights: the shape parameters (half-saturations, half-life, top ranks).

    >>> from datetime import date, timedelta
    >>> p = SharedPartnership("p", formality_rank=2, types=frozenset({"t1", "t2"}),
    ...     areas=frozenset({"a1", "a2", "a3"}), sources=frozenset({"d1"}),
    ...     start=date(2016, 1, 1), end=date(2017, 12, 31))
    >>> c = tie_components(TieEvidence((p,)), reference=date(2020, 1, 1))
    >>> c["formality"], round(c["duration"], 4), round(c["recency"], 4), c["multiplexity"]
    (0.5, 0.5002, 0.4998, 0.6)
    """
    w = weights or StrengthWeights()
    parts = evidence.partnerships
    formality_ranks = [p.formality_rank for p in parts if p.formality_rank is not None]
    formality = max(formality_ranks) / w.max_formality_rank if formality_ranks else 0.0

    spans = [  # end dates are inclusive: a partnership ending 31 Dec ran all of that day
        (p.start, min(p.end + _ONE_DAY, reference) if p.end is not None else reference)
        for p in parts
        if p.start is not None and p.start <= reference
    ]
    years = _union_days(spans) / DAYS_PER_YEAR
    duration = saturate(years, w.duration_half_years)

    if not parts:
        recency = 0.0
    elif any(p.end is None or p.end >= reference for p in parts):
        recency = 1.0
    else:
        gap = (reference - max(p.end for p in parts if p.end is not None)).days / DAYS_PER_YEAR
        recency = 2.0 ** (-gap / w.recency_half_life_years)

    types = frozenset().union(*(p.types for p in parts))
    areas = frozenset().union(*(p.areas for p in parts))
    strands = max(len(types) - 1, 0) + max(len(areas) - 1, 0)
    multiplexity = saturate(strands, w.multiplexity_half)

    funded = bool(evidence.shared_projects) or any(p.funded_by for p in parts)
    ranks = [r for r in (_equality_rank(p) for p in parts) if r is not None]
    equality = sum(ranks) / len(ranks) / w.max_equality_rank if ranks else 0.0
    sources = saturate(len(evidence.sources), w.sources_half)
    return {
        "formality": min(formality, 1.0),
        "duration": duration,
        "recency": recency,
        "multiplexity": multiplexity,
        "shared_funding": 1.0 if funded else 0.0,
        "equality": min(equality, 1.0),
        "sources": sources,
    }


def score_tie(
    evidence: TieEvidence, reference: date, weights: StrengthWeights | None = None
) -> TieStrength:
    r"""Score a tie: :math:`s = \sum_i w_i c_i / \sum_i w_i` (module docstring).

    Example, the ADMin4ALL funding partnership in stylised form: DG EMPL funds IOM under
    a grant (formality rank 3), hierarchical roles (rank 1), one type and one policy area,
    one source, funded by the project, running from 2016-01-01 and ongoing on 2020-01-01
    (4 years: duration 4 / (4 + 2) = 2/3). By hand: 0.25 x 0.75 + 0.15 x 2/3 + 0.15 x 1 +
    0.15 x 0 + 0.10 x 1 + 0.10 x 0.25 + 0.10 x 0.5 = 0.6125.

    >>> from datetime import date, timedelta
    >>> role = "https://w3id.org/inclusion-kg/vocab/partner-role/"
    >>> p = SharedPartnership("admin4all-funding", formality_rank=3, equality_rank=1,
    ...     types=frozenset({"funding"}), areas=frozenset({"social-inclusion"}),
    ...     sources=frozenset({"mpi-press-release"}), funded_by=frozenset({"admin4all"}),
    ...     start=date(2016, 1, 1), roles=(role + "funder", role + "implementer"))
    >>> tie = score_tie(TieEvidence((p,)), reference=date(2020, 1, 1))
    >>> round(tie.score, 4)
    0.6125
    >>> {k: round(v, 4) for k, v in tie.components.items()}  # doctest: +NORMALIZE_WHITESPACE
    {'formality': 0.75, 'duration': 0.6667, 'recency': 1.0, 'multiplexity': 0.0,
     'shared_funding': 1.0, 'equality': 0.25, 'sources': 0.5}
    """
    w = weights or StrengthWeights()
    components = tie_components(evidence, reference, w)
    weight_map = w.weights()
    score = sum(weight_map[k] * components[k] for k in COMPONENTS) / sum(weight_map.values())
    return TieStrength(score=min(max(score, 0.0), 1.0), components=components, weights=weight_map)


@dataclass(frozen=True)
class TieTable:
    """The evidence of many ties at once, in columns: one row per (tie, shared partnership).

    The projection builds it so that :func:`score_table` scores every tie with numpy
    instead of one :func:`score_tie` call per tie; the results are the same numbers.

    Attributes:
        n_ties: number of ties (rows refer to ties ``0 … n_ties - 1``).
        tie: the tie of each row.
        partnership: the partnership of each row (an index into the ragged sets below).
        formality: the partnership's formality rank (NaN: unknown).
        equality: its :func:`effective_equality_rank` for the pair (NaN: left out).
        start: ordinal of the first day of the pair's period in it (NaN: unknown).
        end: ordinal of its last day (NaN: ongoing).
        funded: the partnership is ``ikg:fundedBy`` a project.
        types: per partnership, ids of its partnership types (``ptr``, ``ids``).
        areas: per partnership, ids of its policy areas.
        sources: per partnership, ids of its source documents.
        shared_projects: per tie, whether both actors fund or implement one same project.
    """

    n_ties: int
    tie: np.ndarray[Any, np.dtype[np.int64]]
    partnership: np.ndarray[Any, np.dtype[np.int64]]
    formality: np.ndarray[Any, np.dtype[np.float64]]
    equality: np.ndarray[Any, np.dtype[np.float64]]
    start: np.ndarray[Any, np.dtype[np.float64]]
    end: np.ndarray[Any, np.dtype[np.float64]]
    funded: np.ndarray[Any, np.dtype[np.bool_]]
    types: tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]]]
    areas: tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]]]
    sources: tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]]]
    shared_projects: np.ndarray[Any, np.dtype[np.bool_]]

    def distinct(self, which: str) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Per tie, the number of distinct ``types``, ``areas`` or ``sources`` of its rows."""
        ptr, ids = getattr(self, which)
        starts = ptr[self.partnership]
        lengths = ptr[self.partnership + 1] - starts
        counts: np.ndarray[Any, np.dtype[np.int64]] = np.zeros(self.n_ties, dtype=np.int64)
        rows_per_tie = np.bincount(self.tie, minlength=self.n_ties)
        alone = rows_per_tie[self.tie] == 1  # a tie of one row: its partnership's own count
        counts[self.tie[alone]] = lengths[alone]
        shared = np.flatnonzero(~alone)
        lengths = lengths[shared]
        total = int(lengths.sum())
        if total == 0:
            return counts
        rows = np.repeat(shared, lengths)
        first = np.cumsum(lengths) - lengths
        offsets = np.repeat(first, lengths)
        values = ids[np.repeat(starts[shared], lengths) + (np.arange(total) - offsets)]
        width = int(ids.max()) + 1
        keys = np.unique(self.tie[rows] * width + values)
        counts += np.bincount(keys // width, minlength=self.n_ties).astype(np.int64)
        return counts


def _group_max(
    groups: np.ndarray[Any, np.dtype[np.int64]],
    values: np.ndarray[Any, np.dtype[np.float64]],
    n: int,
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Per group, the max of the non-NaN values (NaN when there is none)."""
    out = np.full(n, -np.inf)
    known = ~np.isnan(values)
    np.maximum.at(out, groups[known], values[known])
    out[np.isneginf(out)] = np.nan
    return out


def table_components(
    table: TieTable, reference: date, weights: StrengthWeights | None = None
) -> dict[str, np.ndarray[Any, np.dtype[np.float64]]]:
    """Return each component :math:`c_i` of every tie of a table (as :func:`tie_components`).

    The same formulas in the same floating-point operations, one array per component.
    """
    w = weights or StrengthWeights()
    n = table.n_ties
    tie = table.tie
    has_rows = np.bincount(tie, minlength=n) > 0
    ref = float(reference.toordinal())

    formality = _group_max(tie, table.formality, n) / w.max_formality_rank
    formality = np.minimum(np.nan_to_num(formality, nan=0.0), 1.0)

    # duration: days covered by the union of [start, min(end + 1, t)) over rows started by t
    valid = ~np.isnan(table.start) & (table.start <= ref)
    v_tie = tie[valid]
    v_start = table.start[valid]
    v_end = np.where(np.isnan(table.end[valid]), ref, np.minimum(table.end[valid] + 1.0, ref))
    order = np.lexsort((v_end, v_start, v_tie))
    v_tie, v_start, v_end = v_tie[order], v_start[order], v_end[order]
    days: np.ndarray[Any, np.dtype[np.float64]] = np.zeros(n)
    if len(v_tie):
        big = 1e7  # > any day ordinal: keys of a later tie exceed every key of an earlier one
        running = np.maximum.accumulate(v_tie * big + v_end)
        previous = np.concatenate(([-np.inf], running[:-1]))
        first = np.concatenate(([True], v_tie[1:] != v_tie[:-1]))
        previous = np.where(first, -np.inf, previous - v_tie * big)
        added = np.maximum(0.0, v_end - np.maximum(v_start, previous))
        days = np.bincount(v_tie, weights=added, minlength=n).astype(float)
    years = days / DAYS_PER_YEAR
    duration = years / (years + w.duration_half_years)

    ongoing_rows = np.isnan(table.end) | (table.end >= ref)
    ongoing = np.bincount(tie[ongoing_rows], minlength=n) > 0
    last_end = _group_max(tie, table.end, n)
    with np.errstate(invalid="ignore"):
        gap = (ref - last_end) / DAYS_PER_YEAR
        faded = 2.0 ** (-gap / w.recency_half_life_years)
    recency = np.where(ongoing, 1.0, np.where(has_rows, faded, 0.0))

    strands = np.maximum(table.distinct("types") - 1, 0) + np.maximum(
        table.distinct("areas") - 1, 0
    )
    strands_f = strands.astype(float)
    multiplexity = strands_f / (strands_f + w.multiplexity_half)

    funded = table.shared_projects | (np.bincount(tie[table.funded], minlength=n) > 0)
    known_eq = ~np.isnan(table.equality)
    eq_sum = np.bincount(tie[known_eq], weights=table.equality[known_eq], minlength=n)
    eq_count = np.bincount(tie[known_eq], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        equality = np.where(eq_count > 0, eq_sum / eq_count / w.max_equality_rank, 0.0)
    n_sources = table.distinct("sources").astype(float)
    sources = n_sources / (n_sources + w.sources_half)
    return {
        "formality": formality,
        "duration": duration,
        "recency": recency,
        "multiplexity": multiplexity,
        "shared_funding": funded.astype(float),
        "equality": np.minimum(equality, 1.0),
        "sources": sources,
    }


def score_table(
    table: TieTable, reference: date, weights: StrengthWeights | None = None
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], dict[str, np.ndarray[Any, np.dtype[np.float64]]]]:
    r"""Score every tie of a table: :math:`s = \sum_i w_i c_i / \sum_i w_i` (as :func:`score_tie`).

    Returns:
        The scores and the components, one array each, indexed by tie.
    """
    w = weights or StrengthWeights()
    components = table_components(table, reference, w)
    weight_map = w.weights()
    total = np.zeros(table.n_ties)
    for k in COMPONENTS:
        total = total + weight_map[k] * components[k]
    scores = np.clip(total / sum(weight_map.values()), 0.0, 1.0)
    return scores, components


@dataclass(frozen=True)
class TieExplanation:
    r"""Why a tie is as strong as it is: its score, components and evidence.

    Attributes:
        source: one actor IRI.
        target: the other actor IRI.
        score: the tie's strength.
        components: :math:`c_i` by component.
        weights: :math:`w_i` by component.
        contributions: :math:`w_i c_i / \sum_j w_j` by component (they sum to the score).
        partnerships: the shared partnerships' IRIs.
        extra: other edge attributes (counts, layer-specific evidence).
    """

    source: str
    target: str
    score: float
    components: dict[str, float]
    weights: dict[str, float]
    contributions: dict[str, float]
    partnerships: tuple[str, ...]
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return asdict(self)


def explain(
    graph: nx.Graph[str], a: str, b: str, weights: StrengthWeights | None = None
) -> TieExplanation:
    """Return the components behind the tie between ``a`` and ``b`` in a projected network.

    Reads the flat edge attributes the projection writes (``strength`` and ``c_<component>``
    for each component, ``partnerships`` as space-separated IRIs).

    Raises:
        NotFound: either actor is not in the network, or they are not tied.
    """
    for node in (a, b):
        if node not in graph:
            msg = f"actor {node} is not in the network (check the filters and the IRI)"
            raise NotFound(msg)
    if not graph.has_edge(a, b):
        msg = f"{a} and {b} share no tie in this network"
        raise NotFound(msg)
    data = graph.edges[a, b]
    w = (weights or StrengthWeights()).weights()
    components = {k: float(data.get(f"c_{k}", 0.0)) for k in COMPONENTS}
    total = sum(w.values())
    return TieExplanation(
        source=a,
        target=b,
        score=float(data.get("strength", data.get("weight", 0.0))),
        components=components,
        weights=w,
        contributions={k: w[k] * components[k] / total for k in COMPONENTS},
        partnerships=tuple(str(data.get("partnerships", "")).split()),
        extra={
            k: v
            for k, v in data.items()
            if not k.startswith("c_") and k not in {"strength", "partnerships"}
        },
    )
