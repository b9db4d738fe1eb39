"""OWL 2 reasoning over the ontology and data: consistency, inferred types and property values.

The reasoner is HermiT, the OWL 2 DL reasoner bundled with owlready2, run on Java (Pellet,
owlready2's other reasoner, does not run on Java 17). Each call of :func:`reason`:

1. builds the input from the shipped ontology (:func:`~inclusion_kg.graph.ontology.ontology_graph`:
   ``ikg.ttl``, the SKOS schemes and the bundled external declarations) and the data (a
   graph, or the union of a dataset's graphs minus the ``…/graph/inferred`` graph itself).
   ``owl:imports`` statements are dropped, so nothing is ever fetched;
2. loads both into a fresh owlready2 ``World`` (no global state is touched) and saves the
   world as N-Triples into a private temporary directory, removed afterwards;
3. runs HermiT on that file to classify the classes and object properties and to realise
   the individuals (``-c -O -I``), with ``--ignoreUnsupportedDatatypes``: HermiT accepts only
   the OWL 2 datatype map, and the contract's dates are ``xsd:date``, ``xsd:gYearMonth`` and
   ``xsd:gYear``. owlready2 0.51 exposes the same flag as
   ``sync_reasoner_hermit(ignore_unsupported_datatypes=True)``; with it HermiT treats those
   literals as opaque values instead of refusing the whole input. Nothing in the ontology
   constrains a date, so no inference is lost (date checks are SHACL's job);
4. collects what is *entailed but not asserted*: every named class of each named individual
   (the realised direct types closed upwards over HermiT's class hierarchy, so an
   ``ikg:Municipality`` is also an ``ikg:PublicAuthority``, ``ikg:Actor``,
   ``cv:PublicOrganisation``, ``org:Organization``, ``foaf:Agent`` and ``prov:Agent``), and
   the object-property values that follow from the property axioms: sub-properties,
   inverses, symmetry, transitivity and property chains, so
   ``ikg:hasParticipation o ikg:participant`` gives ``ikg:hasPartner`` and its inverse
   ``ikg:partnerIn``.

Property values are computed, by default, by a fixpoint of the OWL 2 RL property rules
(``prp-spo1``, ``prp-spo2``, ``prp-inv1/2``, ``prp-symp``, ``prp-trp``, ``prp-eqp1/2``) over
the told property axioms and HermiT's property hierarchy. For this ontology (no
existential or cardinality restrictions, no nominals) that is exactly what HermiT's own
property realisation (``-Y``, owlready2's ``infer_property_values=True``) returns, apart
from equalities (``owl:sameAs``) forced by functional properties, and it costs
milliseconds where ``-Y`` costs seconds: measured on this machine, ``-Y`` took the whole run
from 5 s to 40 s at 10,000 individuals. ``property_values="hermit"`` uses ``-Y`` instead
(tests compare both).

owlready2's ``sync_reasoner_hermit`` is not called directly because it writes its input to
the shared temporary folder and leaves it there when the ontology is inconsistent, has no
time limit, and applies results to the world one entity at a time; running owlready2's
bundled HermiT with the same command line avoids all three.

When HermiT finds the data inconsistent, it does not say why (owlready2 raises
``OwlReadyInconsistentOntologyError`` without naming anything). :func:`reason` then names
the individuals itself: first by sound local checks over the told axioms (an individual
whose asserted, domain- or range-derived types fall under two disjoint classes; an
irreflexive property used reflexively; a functional property whose two values are of
disjoint classes or are two different literals; a literal outside a datatype property's
range; an ill-typed literal), and if those find nothing, by bisecting the data's subjects
with further HermiT runs until the inconsistency is narrowed to a few of them.

:func:`materialise` writes the inferences into the named graph ``…/graph/inferred``
(replacing it), described with PROV-O like every batch.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.collection import Collection
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, VOID, XSD, NamespaceManager
from rdflib.term import Node

from inclusion_kg.graph.errors import (
    BackendUnavailable,
    IkgError,
    InputError,
    QueryTimeout,
    ValidationFailed,
)
from inclusion_kg.graph.namespaces import bind_prefixes, graph_iri, id_iri
from inclusion_kg.graph.ontology import ontology_graph, ontology_version_iri

if TYPE_CHECKING:
    from inclusion_kg.graph.store import Store

__all__ = [
    "INFERRED_GRAPH",
    "REASONER_AGENT",
    "Clash",
    "Durations",
    "InconsistentData",
    "PropertyValues",
    "ReasoningReport",
    "inferred_dataset",
    "materialise",
    "reason",
]

INFERRED_GRAPH = graph_iri("inferred")
"""The named graph that holds the materialised inferences, apart from asserted facts."""

REASONER_AGENT = id_iri("agent", "inclusion-kg-reasoner")
"""The ``prov:SoftwareAgent`` the inferred graph is attributed to."""

PropertyValues: TypeAlias = Literal["rules", "hermit", "none"]
"""How object-property values are inferred: OWL 2 RL property rules (fast, the default),
HermiT's property realisation (``-Y``, slow) or not at all."""

_Triple: TypeAlias = tuple[Node, Node, Node]
_Edge: TypeAlias = tuple[URIRef, URIRef, URIRef]

_HERMIT_MAIN = "org.semanticweb.HermiT.cli.CommandLine"
# A HermiT run is short and single-threaded: the quick C1 compiler alone and the serial
# collector leave the other cores to the service. Measured here, on two busy cores, they
# cut a run on 10,000 individuals from 21-34 s to 9-14 s and one on the ontology alone
# from 3-5 s to 1.4-2.7 s.
_JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
_INCONSISTENT = "InconsistentOntologyException"
_AXIOM_LINE = re.compile(
    r"^(SubClassOf|EquivalentClasses|Type|SubObjectPropertyOf|EquivalentObjectProperties)"
    r"\( (.*) \)\s*$",
    re.MULTILINE,
)
_PROPERTY_LINE = re.compile(
    r"^<([^>]+)> \(known instances:(.*?)\|\s*possible instances:", re.MULTILINE
)
_IRI_TOKEN = re.compile(r"<([^>]+)>")
_PAIR = re.compile(r"\(<([^>]+)>, <([^>]+)>\)")

_MAX_ROUNDS = 100_000  # the property fixpoint ends far sooner; this only bounds the loop
_MAX_NAMED = 10  # individuals named in one message

_INTEGER_NAMES = (
    *("integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger"),
    *("negativeInteger", "long", "int", "short", "byte"),
    *("unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"),
)
_STRING_NAMES = ("string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN")

# The OWL 2 datatype map (https://www.w3.org/TR/owl2-syntax/#Datatype_Maps): HermiT parses
# literals of these datatypes and refuses malformed ones.
_OWL2_DATATYPES = frozenset(
    {
        *(
            XSD[name]
            for name in (
                *("decimal", "double", "float", "boolean", "hexBinary", "base64Binary"),
                *("anyURI", "dateTime", "dateTimeStamp"),
                *_INTEGER_NAMES,
                *_STRING_NAMES,
            )
        ),
        OWL.real,
        OWL.rational,
        RDF.PlainLiteral,
        RDF.XMLLiteral,
        RDFS.Literal,
    }
)
_INTEGER_TYPES = frozenset(XSD[name] for name in _INTEGER_NAMES)
_REAL_TYPES = _INTEGER_TYPES | {XSD.decimal, OWL.real, OWL.rational}
_STRING_TYPES = frozenset(XSD[name] for name in _STRING_NAMES)
_BOUNDS: dict[URIRef, tuple[int | None, int | None]] = {
    XSD.nonNegativeInteger: (0, None),
    XSD.positiveInteger: (1, None),
    XSD.nonPositiveInteger: (None, 0),
    XSD.negativeInteger: (None, -1),
    XSD.unsignedLong: (0, 2**64 - 1),
    XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 2**16 - 1),
    XSD.unsignedByte: (0, 2**8 - 1),
    XSD.long: (-(2**63), 2**63 - 1),
    XSD.int: (-(2**31), 2**31 - 1),
    XSD.short: (-(2**15), 2**15 - 1),
    XSD.byte: (-(2**7), 2**7 - 1),
}


# ---------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clash:
    """One individual that cannot be placed consistently, and why.

    Attributes:
        individual: the IRI (or blank-node label) of the individual.
        classes: the classes (or properties) involved, as full IRIs.
        reason: one sentence for the person who has to fix the data.
    """

    individual: str
    classes: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Durations:
    """Wall-clock seconds spent in each step of a reasoning run.

    Attributes:
        prepare: building the input and loading it into the owlready2 world.
        hermit: the HermiT run(s) on Java, including the JVM start.
        inference: closing types and property values, and explaining a clash.
        total: the whole call.
    """

    prepare: float
    hermit: float
    inference: float
    total: float


@dataclass(frozen=True, eq=False)
class ReasoningReport:
    """What HermiT concluded about the ontology together with the data.

    Attributes:
        consistent: whether ontology and data are consistent together.
        message: a summary for people; when inconsistent it names the individuals and
            classes at fault.
        inferred: the entailed triples that are not asserted (rdf:type and object-property
            values of named individuals); empty when inconsistent.
        clashes: the individuals at fault, when inconsistent and they could be found.
        unsatisfiable: classes that can have no member (a defect of the ontology).
        individuals: how many named individuals HermiT realised.
        asserted: how many triples were reasoned over (ontology and data).
        durations: time spent per step.
        reasoner: the reasoner and how property values were inferred.
    """

    consistent: bool
    message: str
    inferred: Graph = field(repr=False)
    clashes: tuple[Clash, ...] = ()
    unsatisfiable: tuple[str, ...] = ()
    individuals: int = 0
    asserted: int = 0
    durations: Durations = field(default_factory=lambda: Durations(0.0, 0.0, 0.0, 0.0))
    reasoner: str = "HermiT"

    def counts(self) -> dict[str, dict[str, int]]:
        """Count the inferred triples by predicate, and the inferred types by class.

        Returns:
            ``{"predicates": {curie: n}, "classes": {curie: n}}``, each sorted by count
            (largest first), then by name.
        """
        names = self.inferred.namespace_manager
        predicates: dict[str, int] = defaultdict(int)
        classes: dict[str, int] = defaultdict(int)
        for _, predicate, obj in self.inferred:
            predicates[_curie(predicate, names)] += 1
            if predicate == RDF.type:
                classes[_curie(obj, names)] += 1

        def ordered(counter: dict[str, int]) -> dict[str, int]:
            return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))

        return {"predicates": ordered(predicates), "classes": ordered(classes)}

    def as_dict(self) -> dict[str, object]:
        """Return the report as plain JSON-ready data (the inferred graph as counts)."""
        return {
            "consistent": self.consistent,
            "message": self.message,
            "individuals": self.individuals,
            "asserted_triples": self.asserted,
            "inferred_triples": len(self.inferred),
            "inferred": self.counts(),
            "clashes": [
                {"individual": c.individual, "classes": list(c.classes), "reason": c.reason}
                for c in self.clashes
            ],
            "unsatisfiable_classes": list(self.unsatisfiable),
            "durations": {
                "prepare": round(self.durations.prepare, 3),
                "hermit": round(self.durations.hermit, 3),
                "inference": round(self.durations.inference, 3),
                "total": round(self.durations.total, 3),
            },
            "reasoner": self.reasoner,
        }


class InconsistentData(ValidationFailed):
    """The data makes the ontology inconsistent; nothing was written.

    Attributes:
        reasoning: the report, with the individuals at fault in ``clashes``.
    """

    def __init__(self, reasoning: ReasoningReport) -> None:
        super().__init__(reasoning.message)
        self.reasoning = reasoning


# ---------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------


def reason(
    data: Graph | None = None,
    *,
    property_values: PropertyValues = "rules",
    timeout: float = 600.0,
    java_memory_mb: int = 2000,
    explain_runs: int = 16,
) -> ReasoningReport:
    """Check the ontology with ``data`` for consistency and infer what follows.

    Args:
        data: the data, an rdflib graph or dataset (for a dataset, the union of its graphs
            except ``…/graph/inferred``); ``None`` reasons over the ontology alone.
        property_values: how to infer object-property values (see :data:`PropertyValues`).
        timeout: seconds each HermiT run may take before it is stopped.
        java_memory_mb: the Java heap for HermiT (``-Xmx``).
        explain_runs: at most this many extra HermiT runs to narrow down an inconsistency
            that the local checks do not explain.

    Returns:
        The report; ``report.consistent`` is False for inconsistent data (this is not an
        error), with ``report.message`` naming the individuals at fault.

    Raises:
        BackendUnavailable: Java cannot be run, or HermiT ran out of memory.
        QueryTimeout: HermiT ran past ``timeout`` seconds.
        InputError: HermiT rejected the input for another reason (its message is kept).
    """
    started = time.perf_counter()
    clock = _Clock()
    with clock.measure("prepare"):
        ontology = ontology_graph()
        triples = _data_triples(data)
        literal_clashes = _ill_typed_literals(triples)
    if literal_clashes:
        return _inconsistent_report(
            literal_clashes, len(ontology) + len(triples), clock, started, property_values
        )

    with tempfile.TemporaryDirectory(prefix="ikg-reason-") as workdir:
        runner = _HermitRunner(Path(workdir), timeout=timeout, java_memory_mb=java_memory_mb)
        with clock.measure("prepare"):
            hermit_input = runner.prepare(triples)
        with clock.measure("hermit"):
            output = runner.run(hermit_input, property_values=property_values == "hermit")
        if output is None:
            with clock.measure("inference"):
                data_graph = Graph()
                data_graph.addN((s, p, o, data_graph) for s, p, o in triples)
                clashes = _explain(ontology, data_graph)
            if not clashes and explain_runs > 0:
                with clock.measure("hermit"):
                    clashes = _bisect(runner, triples, explain_runs)
            return _inconsistent_report(
                clashes, len(ontology) + len(triples), clock, started, property_values
            )

    with clock.measure("inference"):
        taxonomy = _HermitOutput.parse(output)
        inferred = bind_prefixes(Graph(identifier=INFERRED_GRAPH))
        asserted = _Asserted(_ontology_triples(), triples)
        inferred.addN((s, p, o, inferred) for s, p, o in taxonomy.inferred_types(asserted))
        if property_values == "hermit":
            values: Iterable[_Edge] = taxonomy.property_values
        elif property_values == "rules":
            axioms = _PropertyAxioms.read(ontology, taxonomy.property_parents)
            values = _rule_closure(_object_edges(triples, axioms), axioms)
        else:
            values = ()
        inferred.addN((s, p, o, inferred) for s, p, o in values if (s, p, o) not in asserted)

    n_types = sum(1 for _ in inferred.triples((None, RDF.type, None)))
    message = (
        f"Consistent: {taxonomy.individual_count:,} individuals; {len(inferred):,} inferred "
        f"triples ({n_types:,} types, {len(inferred) - n_types:,} property values)."
    )
    if taxonomy.unsatisfiable:
        names = ", ".join(
            _curie(URIRef(c), inferred.namespace_manager) for c in taxonomy.unsatisfiable
        )
        message += f" The ontology has unsatisfiable classes: {names}."
    return ReasoningReport(
        consistent=True,
        message=message,
        inferred=inferred,
        unsatisfiable=taxonomy.unsatisfiable,
        individuals=taxonomy.individual_count,
        asserted=len(ontology) + len(triples),
        durations=clock.durations(started),
        reasoner=_reasoner_name(property_values),
    )


def materialise(
    target: Store | Dataset,
    *,
    property_values: PropertyValues = "rules",
    timeout: float = 600.0,
    java_memory_mb: int = 2000,
) -> ReasoningReport:
    """Reason over a store or dataset and write the inferences into ``…/graph/inferred``.

    The inferred graph replaces any previous one and describes itself with PROV-O, DCAT
    and VoID like every batch (docs/HELPERS-CONTRACT.md): it is derived from each graph
    reasoned over and from the ontology version, attributed to :data:`REASONER_AGENT`,
    and its primary sources are those of the graphs it was derived from.

    Args:
        target: an rdflib dataset (changed in place) or a :class:`~inclusion_kg.graph.store.Store`
            (the graph is replaced in one transaction).
        property_values: see :func:`reason`.
        timeout: see :func:`reason`.
        java_memory_mb: see :func:`reason`.

    Returns:
        The reasoning report (``report.inferred`` without the self-description).

    Raises:
        InconsistentData: the data is inconsistent with the ontology; nothing is written.
        BackendUnavailable: Java cannot be run, or the store cannot be written.
        QueryTimeout: HermiT ran past ``timeout`` seconds.
    """
    if isinstance(target, Dataset):
        dataset = target
    else:
        dataset = Dataset()
        dump = b"".join(target.dump("application/n-quads"))
        dataset.parse(data=dump, format="nquads")
    report = reason(
        dataset, property_values=property_values, timeout=timeout, java_memory_mb=java_memory_mb
    )
    if not report.consistent:
        raise InconsistentData(report)
    described = inferred_dataset(report, dataset).graph(INFERRED_GRAPH)
    if isinstance(target, Dataset):
        target.remove_graph(INFERRED_GRAPH)
        graph = target.graph(INFERRED_GRAPH)
        for triple in described:
            graph.add(triple)
    else:
        payload = described.serialize(format="nt", encoding="utf-8")
        target.replace_graph(str(INFERRED_GRAPH), payload, "application/n-triples")
    return report


def inferred_dataset(
    report: ReasoningReport,
    sources: Graph | None = None,
    *,
    generated_at: datetime | None = None,
) -> Dataset:
    """Return a dataset holding the inferred graph with its PROV-O self-description.

    Args:
        report: a consistent reasoning report.
        sources: the data that was reasoned over; its named graphs become
            ``prov:wasDerivedFrom`` and their ``prov:hadPrimarySource`` values are carried
            over. Without it (or when it names none), the ontology version is the source.
        generated_at: the time to record (default: now, in UTC).

    Raises:
        InputError: the report is of inconsistent data (there is nothing to describe).
    """
    if not report.consistent:
        msg = f"nothing to materialise: {report.message}"
        raise InputError(msg)
    derived_from, primary = _lineage(sources)
    version = ontology_version_iri()
    dataset = Dataset()
    bind_prefixes(dataset)
    dataset.bind("void", VOID, override=True)
    graph = dataset.graph(INFERRED_GRAPH)
    for triple in report.inferred:
        graph.add(triple)
    when = (generated_at or datetime.now(UTC)).replace(microsecond=0)
    description: list[_Triple] = [
        (INFERRED_GRAPH, RDF.type, PROV.Entity),
        (INFERRED_GRAPH, RDF.type, DCAT.Dataset),
        (
            INFERRED_GRAPH,
            DCTERMS.title,
            RDFLiteral("Inferred types and property values (HermiT)", lang="en"),
        ),
        (
            INFERRED_GRAPH,
            DCTERMS.description,
            RDFLiteral(
                "Triples entailed by the inclusion-kg ontology and the data but not asserted: "
                f"{report.message} Reasoner: {report.reasoner}.",
                lang="en",
            ),
        ),
        (INFERRED_GRAPH, PROV.generatedAtTime, RDFLiteral(when.isoformat(), datatype=XSD.dateTime)),
        (INFERRED_GRAPH, PROV.wasAttributedTo, REASONER_AGENT),
        (INFERRED_GRAPH, PROV.wasDerivedFrom, version),
        (REASONER_AGENT, RDF.type, PROV.SoftwareAgent),
        (REASONER_AGENT, RDFS.label, RDFLiteral("inclusion-kg reasoner (HermiT)", lang="en")),
    ]
    description += [(INFERRED_GRAPH, PROV.wasDerivedFrom, iri) for iri in derived_from]
    description += [(INFERRED_GRAPH, PROV.hadPrimarySource, iri) for iri in primary or [version]]
    for triple in description:
        graph.add(triple)
    graph.add((INFERRED_GRAPH, VOID.triples, RDFLiteral(len(graph) + 1)))
    return dataset


# ---------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------


def _data_triples(data: Graph | None) -> set[_Triple]:
    """Flatten ``data`` into a set of triples.

    A dataset gives the union of its graphs minus the inferred graph; ``owl:imports``
    statements are dropped (a loader would try to fetch them). A plain set, not an rdflib
    graph: adding to rdflib's memory store costs seconds at 10,000 individuals.
    """
    imports = OWL.imports  # namespace attributes are slow to look up in a loop
    if data is None:
        return set()
    if isinstance(data, Dataset):
        return {
            (s, p, o)
            for s, p, o, context in data.quads((None, None, None, None))
            if p != imports and getattr(context, "identifier", context) != INFERRED_GRAPH
        }
    return {(s, p, o) for s, p, o in data if p != imports}


@cache
def _ontology_triples() -> frozenset[_Triple]:
    return frozenset(ontology_graph())


@cache
def _ontology_ntriples() -> bytes:
    return ontology_graph().serialize(format="nt", encoding="utf-8")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _ntriples(triples: Iterable[_Triple]) -> bytes:
    """Write triples as N-Triples (blank nodes renamed ``_:b0``, ``_:b1``, ...)."""
    blanks: dict[Node, str] = {}

    def term(node: Node) -> str:
        if isinstance(node, URIRef):
            return f"<{node}>"
        if isinstance(node, BNode):
            return blanks.setdefault(node, f"_:b{len(blanks)}")
        if isinstance(node, RDFLiteral):
            text = f'"{_escape(str(node))}"'
            if node.language:
                return f"{text}@{node.language}"
            return f"{text}^^<{node.datatype}>" if node.datatype else text
        msg = f"cannot reason over the term {node!r}: only IRIs, blank nodes and literals"
        raise InputError(msg)

    lines = [f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in triples]
    return "".join(lines).encode("utf-8")


def _lineage(sources: Graph | None) -> tuple[list[URIRef], list[URIRef]]:
    """Return the named graphs of ``sources`` and the primary sources they declare."""
    if not isinstance(sources, Dataset):
        return [], []
    graphs: set[URIRef] = set()
    primary: set[URIRef] = set()
    for subject, predicate, obj, context in sources.quads((None, None, None, None)):
        name = getattr(context, "identifier", context)
        if not isinstance(name, URIRef) or name in (INFERRED_GRAPH, URIRef("urn:x-rdflib:default")):
            continue
        graphs.add(name)
        if subject == name and predicate == PROV.hadPrimarySource and isinstance(obj, URIRef):
            primary.add(obj)
    return sorted(graphs), sorted(primary)


class _Clock:
    """Adds up wall-clock time per step."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)

    def measure(self, step: str) -> _Timer:
        return _Timer(self.spent, step)

    def durations(self, started: float) -> Durations:
        return Durations(
            prepare=self.spent["prepare"],
            hermit=self.spent["hermit"],
            inference=self.spent["inference"],
            total=time.perf_counter() - started,
        )


class _Timer:
    def __init__(self, spent: dict[str, float], step: str) -> None:
        self.spent = spent
        self.step = step
        self.started = 0.0

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.spent[self.step] += time.perf_counter() - self.started


# ---------------------------------------------------------------------------------------
# HermiT
# ---------------------------------------------------------------------------------------


def _owlready2() -> Any:
    """Import owlready2 on first use: it is slow to import and most commands never reason."""
    import owlready2

    return owlready2


def _reasoner_name(property_values: PropertyValues) -> str:
    owlready2 = _owlready2()
    how = {
        "rules": "property values by OWL 2 RL property rules",
        "hermit": "property values by HermiT",
        "none": "no property values",
    }[property_values]
    return f"HermiT (bundled with owlready2 {owlready2.VERSION}); {how}"


class _HermitRunner:
    """Runs owlready2's bundled HermiT on files in one private folder."""

    def __init__(self, workdir: Path, *, timeout: float, java_memory_mb: int) -> None:
        self.workdir = workdir
        self.timeout = timeout
        self.java_memory_mb = java_memory_mb
        self.runs = 0

    def prepare(self, data: Iterable[_Triple], name: str = "input") -> Path:
        """Load the ontology and data into a fresh owlready2 world; save it for HermiT."""
        ontology_file = self.workdir / f"{name}-ontology.nt"
        data_file = self.workdir / f"{name}-data.nt"
        ontology_file.write_bytes(_ontology_ntriples())
        data_file.write_bytes(_ntriples(data))
        world = _owlready2().World()
        try:
            world.get_ontology(ontology_file.as_uri()).load()
            world.get_ontology(data_file.as_uri()).load()
            merged = self.workdir / f"{name}.nt"
            world.save(str(merged), format="ntriples")
        except Exception as error:  # owlready2 raises bare exceptions from its parsers
            msg = f"owlready2 could not load the data for reasoning: {error}"
            raise InputError(msg) from error
        finally:
            world.close()
        return merged

    def command(
        self, path: Path, *, property_values: bool, consistency_only: bool = False
    ) -> list[str]:
        """Return the Java command line that runs HermiT on ``path``."""
        owlready2 = _owlready2()
        java = shutil.which(owlready2.JAVA_EXE)
        if java is None:
            msg = (
                f"cannot run the HermiT reasoner: Java ({owlready2.JAVA_EXE!r}) is not on the "
                "PATH; install a Java runtime (11 or later)"
            )
            raise BackendUnavailable(msg)
        hermit = Path(owlready2.__file__).parent / "hermit"
        classpath = f"{hermit}:{hermit / 'HermiT.jar'}"
        actions = ["-k"] if consistency_only else ["-c", "-O", "-I"]
        if property_values and not consistency_only:
            actions.append("-Y")
        return [
            java,
            f"-Xmx{self.java_memory_mb}M",
            *_JVM_OPTIONS,
            "-cp",
            classpath,
            _HERMIT_MAIN,
            *actions,
            "--ignoreUnsupportedDatatypes",
            path.as_uri(),
        ]

    def run(
        self, path: Path, *, property_values: bool, consistency_only: bool = False
    ) -> str | None:
        """Run HermiT; return its output, or None when the input is inconsistent."""
        self.runs += 1
        command = self.command(
            path, property_values=property_values, consistency_only=consistency_only
        )
        try:
            done = subprocess.run(  # noqa: S603 - a fixed command line, no shell
                command,
                capture_output=True,
                timeout=self.timeout,
                check=False,
                cwd=self.workdir,
            )
        except subprocess.TimeoutExpired as error:
            msg = (
                f"the HermiT reasoner ran past its time limit of {self.timeout:g} s and was stopped"
            )
            raise QueryTimeout(msg) from error
        except OSError as error:
            msg = f"cannot run the HermiT reasoner: {error}"
            raise BackendUnavailable(msg) from error
        stdout = done.stdout.decode("utf-8", errors="replace")
        stderr = done.stderr.decode("utf-8", errors="replace")
        if done.returncode == 0:
            if consistency_only and "is not satisfiable" in stdout:
                return None
            return stdout
        if _INCONSISTENT in stderr or _INCONSISTENT in stdout:
            return None
        first = next(
            (line.strip() for line in (stderr + stdout).splitlines() if line.strip()), "no output"
        )
        if "OutOfMemoryError" in stderr:
            msg = (
                f"the HermiT reasoner ran out of memory ({self.java_memory_mb} MB); "
                "give it more with java_memory_mb"
            )
            raise BackendUnavailable(msg)
        msg = f"the HermiT reasoner rejected the input: {first}"
        raise InputError(msg)


@dataclass
class _HermitOutput:
    """HermiT's class and property hierarchy and realisation, parsed."""

    parents: dict[str, set[str]]
    property_parents: dict[str, set[str]]
    direct_types: dict[str, set[str]]
    unsatisfiable: tuple[str, ...]
    property_values: list[_Edge]

    @classmethod
    def parse(cls, output: str) -> _HermitOutput:
        parents: dict[str, set[str]] = defaultdict(set)
        property_parents: dict[str, set[str]] = defaultdict(set)
        direct_types: dict[str, set[str]] = defaultdict(set)
        unsatisfiable: set[str] = set()
        for kind, body in _AXIOM_LINE.findall(output):
            if "ObjectInverseOf" in body:
                continue
            iris = _IRI_TOKEN.findall(body)
            if len(iris) < 2:
                continue
            if kind == "SubClassOf":
                parents[iris[0]].add(iris[1])
            elif kind == "Type":
                direct_types[iris[0]].add(iris[1])
            elif kind == "EquivalentClasses":
                if str(OWL.Nothing) in iris:
                    unsatisfiable.update(i for i in iris if i != str(OWL.Nothing))
                for a in iris:
                    parents[a].update(b for b in iris if b != a)
            elif kind == "SubObjectPropertyOf":
                property_parents[iris[0]].add(iris[1])
            else:  # EquivalentObjectProperties
                for a in iris:
                    property_parents[a].update(b for b in iris if b != a)
        values: list[_Edge] = []
        for prop, known in _PROPERTY_LINE.findall(output):
            values.extend((URIRef(a), URIRef(prop), URIRef(b)) for a, b in _PAIR.findall(known))
        return cls(
            parents=dict(parents),
            property_parents=dict(property_parents),
            direct_types=dict(direct_types),
            unsatisfiable=tuple(sorted(unsatisfiable)),
            property_values=values,
        )

    @property
    def individual_count(self) -> int:
        return len(self.direct_types)

    def inferred_types(self, asserted: _Asserted) -> Iterator[_Triple]:
        """Yield ``individual rdf:type class`` for every entailed, unasserted named class."""
        ancestors = _Ancestors(self.parents)
        skip = {str(OWL.Thing), str(OWL.Nothing)}
        rdf_type = RDF.type
        for individual, direct in sorted(self.direct_types.items()):
            subject = URIRef(individual)
            classes: set[str] = set(direct)
            for cls in direct:
                classes |= ancestors(cls)
            for cls in sorted(classes - skip):
                triple = (subject, rdf_type, URIRef(cls))
                if triple not in asserted:
                    yield triple


class _Ancestors:
    """Memoised upward closure over a parent map."""

    def __init__(self, parents: dict[str, set[str]]) -> None:
        self.parents = parents
        self.memo: dict[str, frozenset[str]] = {}

    def __call__(self, start: str) -> frozenset[str]:
        if start in self.memo:
            return self.memo[start]
        seen: set[str] = set()
        queue = deque(self.parents.get(start, ()))
        while queue:
            node = queue.popleft()
            if node not in seen:
                seen.add(node)
                queue.extend(self.parents.get(node, ()))
        seen.discard(start)
        result = frozenset(seen)
        self.memo[start] = result
        return result


class _Asserted:
    """Membership test over the asserted triples of ontology and data.

    A plain set: rdflib's own ``in`` costs microseconds per test, which adds up to seconds
    at 10,000 individuals.
    """

    def __init__(self, *parts: Iterable[_Triple]) -> None:
        self.triples: set[_Triple] = set()
        for part in parts:
            self.triples.update(part)

    def __contains__(self, triple: object) -> bool:
        return triple in self.triples


# ---------------------------------------------------------------------------------------
# Property values: OWL 2 RL property rules to a fixpoint
# ---------------------------------------------------------------------------------------


@dataclass
class _PropertyAxioms:
    """The object-property axioms of the ontology, ready for the rules."""

    object_properties: set[URIRef]
    supers: dict[URIRef, frozenset[URIRef]]
    inverses: dict[URIRef, set[URIRef]]
    symmetric: set[URIRef]
    transitive: set[URIRef]
    irreflexive: set[URIRef]
    asymmetric: set[URIRef]
    functional: set[URIRef]
    inverse_functional: set[URIRef]
    chains: list[tuple[tuple[URIRef, ...], URIRef]]

    @classmethod
    def read(
        cls, ontology: Graph, extra_parents: dict[str, set[str]] | None = None
    ) -> _PropertyAxioms:
        def typed(kind: URIRef) -> set[URIRef]:
            return {s for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef)}

        parents: dict[str, set[str]] = defaultdict(set)
        for sub, sup in ontology.subject_objects(RDFS.subPropertyOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                parents[str(sub)].add(str(sup))
        for a, b in ontology.subject_objects(OWL.equivalentProperty):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                parents[str(a)].add(str(b))
                parents[str(b)].add(str(a))
        for child, ups in (extra_parents or {}).items():
            parents[child].update(ups)
        closure = _Ancestors(dict(parents))
        object_properties = typed(OWL.ObjectProperty)
        inverses: dict[URIRef, set[URIRef]] = defaultdict(set)
        for a, b in ontology.subject_objects(OWL.inverseOf):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                inverses[a].add(b)
                inverses[b].add(a)
        chains: list[tuple[tuple[URIRef, ...], URIRef]] = []
        for prop, head in ontology.subject_objects(OWL.propertyChainAxiom):
            steps = tuple(s for s in Collection(ontology, head) if isinstance(s, URIRef))
            if isinstance(prop, URIRef) and len(steps) == len(Collection(ontology, head)):
                chains.append((steps, prop))
        return cls(
            object_properties=object_properties,
            supers={
                p: frozenset(URIRef(s) for s in closure(str(p)) if s != str(p))
                for p in object_properties
            },
            inverses=dict(inverses),
            symmetric=typed(OWL.SymmetricProperty),
            transitive=typed(OWL.TransitiveProperty),
            irreflexive=typed(OWL.IrreflexiveProperty),
            asymmetric=typed(OWL.AsymmetricProperty),
            functional=typed(OWL.FunctionalProperty),
            inverse_functional=typed(OWL.InverseFunctionalProperty),
            chains=chains,
        )


def _object_edges(data: Iterable[_Triple], axioms: _PropertyAxioms) -> set[_Edge]:
    """The IRI-to-IRI statements of ``data`` whose predicate is an object property."""
    data = list(data)
    rdf_type, object_property = RDF.type, OWL.ObjectProperty
    declared = axioms.object_properties | {
        s for s, p, o in data if p == rdf_type and o == object_property and isinstance(s, URIRef)
    }
    return {
        (s, p, o)
        for s, p, o in data
        if isinstance(s, URIRef)
        and isinstance(p, URIRef)
        and isinstance(o, URIRef)
        and p in declared
    }


def _rule_closure(edges: set[_Edge], axioms: _PropertyAxioms) -> set[_Edge]:
    """Close ``edges`` under the property rules; returns every fact, asserted or not."""
    # Chains longer than two become binary steps over auxiliary keys (tuples).
    binary: list[tuple[object, object, object]] = []
    for steps, target in axioms.chains:
        left: object = steps[0]
        for index, step in enumerate(steps[1:], start=2):
            head: object = target if index == len(steps) else steps[:index]
            binary.append((left, step, head))
            left = head
    by_first: dict[object, list[tuple[object, object]]] = defaultdict(list)
    by_second: dict[object, list[tuple[object, object]]] = defaultdict(list)
    for first, second, head in binary:
        by_first[first].append((second, head))
        by_second[second].append((first, head))

    facts: set[tuple[object, object, object]] = set()
    forward: dict[object, dict[object, set[object]]] = defaultdict(lambda: defaultdict(set))
    backward: dict[object, dict[object, set[object]]] = defaultdict(lambda: defaultdict(set))

    def add_all(
        new: Iterable[tuple[object, object, object]],
    ) -> list[tuple[object, object, object]]:
        added = []
        for fact in new:
            if fact not in facts:
                facts.add(fact)
                s, p, o = fact
                forward[p][s].add(o)
                backward[p][o].add(s)
                added.append(fact)
        return added

    delta = add_all(edges)
    rounds = 0
    while delta:
        rounds += 1
        if rounds > _MAX_ROUNDS:  # pragma: no cover - the closure is finite
            msg = "property closure did not converge"
            raise IkgError(msg)
        new: list[tuple[object, object, object]] = []
        for s, p, o in delta:
            if isinstance(p, URIRef):
                new.extend((s, q, o) for q in axioms.supers.get(p, ()))
                new.extend((o, q, s) for q in axioms.inverses.get(p, ()))
                if p in axioms.symmetric:
                    new.append((o, p, s))
                if p in axioms.transitive:
                    new.extend((s, p, z) for z in forward[p].get(o, ()))
                    new.extend((x, p, o) for x in backward[p].get(s, ()))
            for second, head in by_first.get(p, ()):
                new.extend((s, head, z) for z in forward[second].get(o, ()))
            for first, head in by_second.get(p, ()):
                new.extend((x, head, o) for x in backward[first].get(s, ()))
        delta = add_all(new)
    return {
        (s, p, o)
        for s, p, o in facts
        if isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(o, URIRef)
    }


# ---------------------------------------------------------------------------------------
# Explaining an inconsistency
# ---------------------------------------------------------------------------------------


class _Classes:
    """Told class axioms: named superclasses and disjointness."""

    def __init__(self, ontology: Graph) -> None:
        parents: dict[str, set[str]] = defaultdict(set)
        for sub, sup in ontology.subject_objects(RDFS.subClassOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                parents[str(sub)].add(str(sup))
        for a, b in ontology.subject_objects(OWL.equivalentClass):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                parents[str(a)].add(str(b))
                parents[str(b)].add(str(a))
        self.ancestors = _Ancestors(dict(parents))
        self.disjoint: dict[str, set[str]] = defaultdict(set)
        for a, b in ontology.subject_objects(OWL.disjointWith):
            self._disjoint([a, b])
        for group in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
            for head in ontology.objects(group, OWL.members):
                self._disjoint(list(Collection(ontology, head)))

    def _disjoint(self, members: list[Node]) -> None:
        named = [str(m) for m in members if isinstance(m, URIRef)]
        for a in named:
            self.disjoint[a].update(b for b in named if b != a)

    def closure(self, cls: str) -> frozenset[str]:
        return self.ancestors(cls) | {cls}

    def clash(self, classes: Iterable[str]) -> tuple[str, str, str, str] | None:
        """Return (a, b, c, d): base classes a and b fall under disjoint c and d."""
        base = sorted(set(classes))
        under = {cls: self.closure(cls) for cls in base}
        for i, a in enumerate(base):
            for b in base[i:]:
                for c in sorted(under[a]):
                    for d in sorted(self.disjoint.get(c, set()) & under[b]):
                        return a, b, c, d
        return None


def _class_expressions(ontology: Graph, axiom: URIRef) -> dict[URIRef, list[tuple[str, ...]]]:
    """Read ``rdfs:domain`` or ``rdfs:range``: a named class is ``(iri,)``, a union its members."""
    found: dict[URIRef, list[tuple[str, ...]]] = defaultdict(list)
    for prop, cls in ontology.subject_objects(axiom):
        if not isinstance(prop, URIRef):
            continue
        if isinstance(cls, URIRef):
            found[prop].append((str(cls),))
            continue
        for head in ontology.objects(cls, OWL.unionOf):
            members = list(Collection(ontology, head))
            if members and all(isinstance(m, URIRef) for m in members):
                found[prop].append(tuple(sorted(str(m) for m in members)))
    return found


def _explain(ontology: Graph, data: Graph) -> list[Clash]:
    """Find individuals that make ``data`` inconsistent, by sound local checks."""
    names = bind_prefixes(Graph()).namespace_manager
    classes = _Classes(ontology)
    axioms = _PropertyAxioms.read(ontology)
    facts = _rule_closure(_object_edges(data, axioms), axioms)
    domains = _class_expressions(ontology, RDFS.domain)
    ranges = _class_expressions(ontology, RDFS.range)
    supers = axioms.supers

    # why[individual][class] = how the individual came to have the class; unions[individual]
    # = the unions of classes (from union domains and ranges) it must fall into, and why
    why: dict[Node, dict[str, str]] = defaultdict(dict)
    unions: dict[Node, dict[tuple[str, ...], str]] = defaultdict(dict)

    def note(individual: Node, expression: tuple[str, ...], reason: str) -> None:
        if len(expression) == 1:
            why[individual].setdefault(expression[0], reason)
        else:
            unions[individual].setdefault(expression, reason)

    for s, cls in data.subject_objects(RDF.type):
        if isinstance(cls, URIRef):
            note(s, (str(cls),), "asserted")
    for s, p, _ in data:
        if p != RDF.type and isinstance(p, URIRef) and p not in axioms.object_properties:
            for prop in (p, *supers.get(p, ())):
                for expression in domains.get(prop, ()):
                    note(s, expression, f"subject of {_curie(p, names)}")
    asserted = _object_edges(data, axioms)
    # asserted statements first, so that a reason names what the data says where it can
    for s, p, o in [*sorted(asserted), *sorted(facts - asserted)]:
        for prop in (p, *supers.get(p, ())):
            for expression in domains.get(prop, ()):
                note(s, expression, f"subject of {_curie(p, names)}")
            for expression in ranges.get(prop, ()):
                note(o, expression, f"value of {_curie(p, names)} on {_show(s)}")

    clashes: list[Clash] = []
    for individual in sorted(set(why) | set(unions), key=str):
        found = classes.clash(why[individual])
        if found is not None:
            a, b, c, d = found
            how = f"{_curie(URIRef(a), names)} ({why[individual][a]})"
            if a != b:
                how += f" and {_curie(URIRef(b), names)} ({why[individual][b]})"
            clashes.append(
                Clash(
                    individual=str(individual),
                    classes=tuple(sorted({a, b})),
                    reason=(
                        f"{_show(individual)} is {how}, but {_curie(URIRef(c), names)} and "
                        f"{_curie(URIRef(d), names)} are disjoint"
                    ),
                )
            )
            continue
        for members, reason in sorted(unions[individual].items()):
            blocking = [classes.clash([*why[individual], member]) for member in members]
            if not all(
                b is not None and member in b[:2]
                for b, member in zip(blocking, members, strict=True)
            ):
                continue
            kinds = sorted(
                {b[0] if b[1] == m else b[1] for b, m in zip(blocking, members, strict=True) if b}
            )
            shown = ", ".join(_curie(URIRef(m), names) for m in members)
            own = " and ".join(f"{_curie(URIRef(k), names)} ({why[individual][k]})" for k in kinds)
            clashes.append(
                Clash(
                    individual=str(individual),
                    classes=(*kinds, *members),
                    reason=(
                        f"{_show(individual)} is {own}, but as {reason} it must be one of "
                        f"{shown}, and it is disjoint with each of them"
                    ),
                )
            )
            break

    clashes += _same_as_clashes(data, classes, why, names)
    clashes += _property_clashes(facts, axioms, classes, why, names)
    clashes += _literal_clashes(ontology, data, names)
    return _dedupe(clashes)


def _same_as_clashes(
    data: Graph, classes: _Classes, why: dict[Node, dict[str, str]], names: NamespaceManager
) -> list[Clash]:
    """Individuals stated to be the same (``owl:sameAs``) whose classes are disjoint."""
    leader: dict[Node, Node] = {}

    def find(node: Node) -> Node:
        root = node
        while leader.get(root, root) != root:
            root = leader[root]
        leader[node] = root
        return root

    for left, right in data.subject_objects(OWL.sameAs):
        if not isinstance(left, RDFLiteral) and not isinstance(right, RDFLiteral):
            first, second = sorted((find(left), find(right)), key=str)
            leader[second] = first
    groups: dict[Node, list[Node]] = defaultdict(list)
    for node in list(leader):
        groups[find(node)].append(node)
    clashes: list[Clash] = []
    for members in groups.values():
        if len(members) < len(("a", "b")):
            continue
        members.sort(key=str)
        owner = {cls: m for m in reversed(members) for cls in why.get(m, {})}
        found = classes.clash(owner)
        if found is None:
            continue
        a, b, c, d = found
        together = ", ".join(_show(m) for m in members)
        clashes.append(
            Clash(
                str(owner[a]),
                (a, b),
                f"{together} are the same individual (owl:sameAs), but {_show(owner[a])} is "
                f"{_curie(URIRef(a), names)} and {_show(owner[b])} is {_curie(URIRef(b), names)} "
                f"({_curie(URIRef(c), names)} and {_curie(URIRef(d), names)} are disjoint)",
            )
        )
    return clashes


def _property_clashes(
    facts: set[_Edge],
    axioms: _PropertyAxioms,
    classes: _Classes,
    why: dict[Node, dict[str, str]],
    names: NamespaceManager,
) -> list[Clash]:
    clashes: list[Clash] = []
    values: dict[tuple[URIRef, URIRef], set[URIRef]] = defaultdict(set)
    subjects: dict[tuple[URIRef, URIRef], set[URIRef]] = defaultdict(set)
    for s, p, o in sorted(facts):
        if s == o and p in axioms.irreflexive:
            clashes.append(
                Clash(
                    str(s),
                    (str(p),),
                    f"{_show(s)} is linked to itself by {_curie(p, names)}, which is irreflexive",
                )
            )
        if p in axioms.asymmetric and (o, p, s) in facts:
            clashes.append(
                Clash(
                    str(s),
                    (str(p),),
                    f"{_show(s)} and {_show(o)} are linked both ways by {_curie(p, names)}, "
                    "which is asymmetric",
                )
            )
        values[(s, p)].add(o)
        subjects[(o, p)].add(s)

    def merged(individual: URIRef, first: URIRef, second: URIRef, prop: URIRef, kind: str) -> None:
        found = classes.clash(set(why.get(first, {})) | set(why.get(second, {})))
        if found is None:
            return
        a, b, c, d = found
        clashes.append(
            Clash(
                str(individual),
                (str(prop), a, b),
                f"{_show(individual)} has two values of the {kind} property {_curie(prop, names)}, "
                f"{_show(first)} and {_show(second)}, so they would be the same individual, but "
                f"one is {_curie(URIRef(a), names)} and the other {_curie(URIRef(b), names)} "
                f"({_curie(URIRef(c), names)} and {_curie(URIRef(d), names)} are disjoint)",
            )
        )

    for (s, p), objs in sorted(values.items()):
        if p in axioms.functional and len(objs) > 1:
            first, *others = sorted(objs)
            for other in others:
                merged(s, first, other, p, "functional")
    for (o, p), subs in sorted(subjects.items()):
        if p in axioms.inverse_functional and len(subs) > 1:
            first, *others = sorted(subs)
            for other in others:
                merged(o, first, other, p, "inverse-functional")
    return clashes


def _literal_clashes(ontology: Graph, data: Graph, names: NamespaceManager) -> list[Clash]:
    """Literals outside a datatype property's range, and two values of a functional one."""
    clashes: list[Clash] = []
    ranges: dict[URIRef, set[URIRef]] = defaultdict(set)
    for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        if not isinstance(prop, URIRef):
            continue
        for sup in (prop, *_datatype_supers(ontology, prop)):
            ranges[prop].update(
                r for r in ontology.objects(sup, RDFS.range) if isinstance(r, URIRef)
            )
    functional = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
    seen: dict[tuple[Node, URIRef], list[RDFLiteral]] = defaultdict(list)
    for s, p, o in sorted(data):
        if not isinstance(o, RDFLiteral) or not isinstance(p, URIRef):
            continue
        for datatype in sorted(ranges.get(p, ())):
            if not _in_range(o, datatype):
                clashes.append(
                    Clash(
                        str(s),
                        (str(p), str(datatype)),
                        f"{_show(s)} has {_curie(p, names)} {o.n3(names)}, which is not a "
                        f"value of its range {_curie(datatype, names)}",
                    )
                )
        if p in functional and _supported(o):
            for earlier in seen[(s, p)]:
                if not _same_value(earlier, o):
                    clashes.append(
                        Clash(
                            str(s),
                            (str(p),),
                            f"{_show(s)} has two values of the functional property "
                            f"{_curie(p, names)}: {earlier.n3(names)} and {o.n3(names)}",
                        )
                    )
            seen[(s, p)].append(o)
    return clashes


def _datatype_supers(ontology: Graph, prop: URIRef) -> set[URIRef]:
    found: set[URIRef] = set()
    queue = deque([prop])
    while queue:
        current = queue.popleft()
        for sup in ontology.objects(current, RDFS.subPropertyOf):
            if isinstance(sup, URIRef) and sup not in found:
                found.add(sup)
                queue.append(sup)
    return found


def _supported(literal: RDFLiteral) -> bool:
    """Whether HermiT reads the literal's value (an OWL 2 datatype, or a plain literal)."""
    return literal.datatype is None or literal.datatype in _OWL2_DATATYPES


def _same_value(a: RDFLiteral, b: RDFLiteral) -> bool:
    if a.datatype in _REAL_TYPES and b.datatype in _REAL_TYPES:
        return bool(Decimal(str(a.value)) == Decimal(str(b.value)))
    return a == b


def _in_range(literal: RDFLiteral, datatype: URIRef) -> bool:
    """Whether ``literal`` is in the value space of ``datatype`` (True when unsure)."""
    given = literal.datatype
    if not _supported(literal) or datatype in (RDFS.Literal, RDF.PlainLiteral):
        return True
    if datatype in _REAL_TYPES:
        if given not in _REAL_TYPES or literal.value is None:
            return False
        value = Decimal(str(literal.value))
        if datatype in _INTEGER_TYPES:
            if value != value.to_integral_value():
                return False
            low, high = _BOUNDS.get(datatype, (None, None))
            return (low is None or value >= low) and (high is None or value <= high)
        return True
    if datatype in _STRING_TYPES:
        return (given is None and not literal.language) or given in _STRING_TYPES
    if datatype == XSD.boolean:
        return given == XSD.boolean
    if datatype == XSD.anyURI:
        return given == XSD.anyURI
    if datatype in (XSD.dateTime, XSD.dateTimeStamp):
        return given in (XSD.dateTime, XSD.dateTimeStamp)
    if datatype in (XSD.double, XSD.float):
        return given == datatype
    return True


def _ill_typed_literals(data: Iterable[_Triple]) -> list[Clash]:
    """Literals of OWL 2 datatypes whose lexical form is not a value (HermiT refuses them)."""
    names = bind_prefixes(Graph()).namespace_manager
    clashes = []
    bad = [
        (s, p, o)
        for s, p, o in data
        if isinstance(o, RDFLiteral) and o.datatype in _OWL2_DATATYPES and o.ill_typed
    ]
    for s, p, o in sorted(bad):
        if isinstance(o, RDFLiteral) and o.datatype is not None:
            clashes.append(
                Clash(
                    str(s),
                    (str(p), str(o.datatype)),
                    f"{_show(s)} has {_curie(p, names)} {o.n3(names)}, which is not a valid "
                    f"{_curie(o.datatype, names)}",
                )
            )
    return _dedupe(clashes)


def _bisect(runner: _HermitRunner, data: set[_Triple], budget: int) -> list[Clash]:
    """Narrow an inconsistency down to a few subjects with further HermiT runs.

    Each subject's part of the data is its own statements plus the types of the things it
    points to, so a clash between a subject and its neighbours stays inside one part.
    """
    parts: dict[Node, list[_Triple]] = defaultdict(list)
    types: dict[Node, list[_Triple]] = defaultdict(list)
    referenced: set[Node] = set()
    for triple in data:
        parts[triple[0]].append(triple)
        if triple[1] == RDF.type:
            types[triple[0]].append(triple)
        if isinstance(triple[2], BNode):
            referenced.add(triple[2])

    def graph_of(subjects: list[Node]) -> set[_Triple]:
        graph: set[_Triple] = set()
        todo = deque(subjects)
        seen: set[Node] = set()
        while todo:  # a subject's statements, with the blank nodes they lead to
            subject = todo.popleft()
            if subject in seen:
                continue
            seen.add(subject)
            for triple in parts.get(subject, ()):
                graph.add(triple)
                if isinstance(triple[2], BNode):
                    todo.append(triple[2])
                graph.update(types.get(triple[2], ()))
        return graph

    def inconsistent(subjects: list[Node]) -> bool:
        path = runner.prepare(graph_of(subjects), name=f"part{runner.runs}")
        return runner.run(path, property_values=False, consistency_only=True) is None

    suspects = sorted((s for s in parts if s not in referenced), key=str)
    runs = 0
    while len(suspects) > 1 and runs < budget:
        half = len(suspects) // 2
        first, second = suspects[:half], suspects[half:]
        runs += 1
        if inconsistent(first):
            suspects = first
            continue
        if runs >= budget:
            break
        runs += 1
        if inconsistent(second):
            suspects = second
            continue
        break  # the inconsistency needs statements from both halves
    if len(suspects) > _MAX_NAMED or not suspects:
        return []
    together = ", ".join(_show(s) for s in suspects)
    return [
        Clash(
            str(subject),
            (),
            f"HermiT finds the statements about {together} inconsistent with the ontology "
            "(no single disjointness, range or functional-property clash explains it)",
        )
        for subject in suspects
    ]


def _dedupe(clashes: list[Clash]) -> list[Clash]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for clash in clashes:
        key = (clash.individual, clash.reason)
        if key not in seen:
            seen.add(key)
            unique.append(clash)
    return unique


def _inconsistent_report(
    clashes: list[Clash],
    asserted: int,
    clock: _Clock,
    started: float,
    property_values: PropertyValues,
) -> ReasoningReport:
    individuals = sorted({c.individual for c in clashes})
    if clashes:
        lines = [f"- {c.reason}." for c in clashes[:_MAX_NAMED]]
        if len(clashes) > _MAX_NAMED:
            lines.append(f"- … and {len(clashes) - _MAX_NAMED} more.")
        message = (
            f"Inconsistent: the data contradicts the ontology at {len(individuals)} "
            f"individual{'s' if len(individuals) != 1 else ''}:\n" + "\n".join(lines)
        )
    else:
        message = (
            "Inconsistent: HermiT finds the data contradicts the ontology, but the statements "
            "at fault could not be narrowed down; check recently added data for an individual "
            "typed with two disjoint classes or a property used outside its domain or range."
        )
    return ReasoningReport(
        consistent=False,
        message=message,
        inferred=bind_prefixes(Graph(identifier=INFERRED_GRAPH)),
        clashes=tuple(clashes),
        asserted=asserted,
        durations=clock.durations(started),
        reasoner=_reasoner_name(property_values),
    )


def _show(node: Node) -> str:
    """Show an individual in a message: a full IRI in angle brackets, or ``_:label``."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _curie(node: Node, names: NamespaceManager) -> str:
    """Show a class or property as a prefixed name when a prefix is bound."""
    if isinstance(node, URIRef):
        try:
            return names.curie(str(node), generate=False)
        except (ValueError, KeyError):
            return f"<{node}>"
    return str(node)
