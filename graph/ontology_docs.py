"""Render the ontology as a human-readable Markdown reference (``docs/ontology.md``).

The page is generated, never edited by hand: an overview, the namespaces, the class
hierarchy, every class and property of ``ikg.ttl`` with its labels, definition, alignments
and axioms, and every SKOS concept scheme with its concepts. The output depends only on
the ontology files, so the same files always give the same bytes (a test compares the
committed page with a fresh rendering).

>>> page = render_ontology_markdown()
>>> page.startswith("# inclusion-kg ontology reference")
True
>>> "ikg:Municipality" in page
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, NamespaceManager
from rdflib.term import Node

from inclusion_kg.graph.namespaces import IKG, PREFIXES, VOCAB
from inclusion_kg.graph.ontology import ONTOLOGY_IRI, ontology_graph

__all__ = ["render_ontology_markdown"]

_EXTRA_PREFIXES = {
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "eurovoc": "http://eurovoc.europa.eu/",
}
_CHARACTERISTICS = (
    (OWL.FunctionalProperty, "functional"),
    (OWL.InverseFunctionalProperty, "inverse functional"),
    (OWL.TransitiveProperty, "transitive"),
    (OWL.SymmetricProperty, "symmetric"),
    (OWL.AsymmetricProperty, "asymmetric"),
    (OWL.ReflexiveProperty, "reflexive"),
    (OWL.IrreflexiveProperty, "irreflexive"),
)
_PROPERTY_KINDS = (
    ("object_property", "Object properties", "object property"),
    ("datatype_property", "Datatype properties", "datatype property"),
    ("annotation_property", "Annotation properties", "annotation property"),
)


def render_ontology_markdown(graph: Graph | None = None) -> str:
    """Return the Markdown reference of the ontology.

    Args:
        graph: the ontology graph to document; by default the shipped one
            (:func:`~inclusion_kg.graph.ontology.ontology_graph`).

    Returns:
        The page, ending with a single newline.
    """
    return _Renderer(ontology_graph() if graph is None else graph).render()


class _Renderer:
    """Builds the page section by section from one ontology graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.names = NamespaceManager(Graph(), bind_namespaces="none")
        for prefix, namespace in {**PREFIXES, **_EXTRA_PREFIXES}.items():
            self.names.bind(prefix, namespace, override=True)
        namespace = str(IKG._NS)
        self.classes = self._declared(OWL.Class, namespace)
        self.properties = {
            kind: self._declared(_KIND_TYPE[kind], namespace) for kind, _, _ in _PROPERTY_KINDS
        }
        self.anchors = {cls: _anchor(cls, "class") for cls in self.classes}
        for props in self.properties.values():
            self.anchors.update((prop, _anchor(prop, "property")) for prop in props)
        self.used_prefixes: set[str] = set()

    # -- helpers -------------------------------------------------------------------------

    def _declared(self, kind: URIRef, namespace: str) -> list[URIRef]:
        return sorted(
            s
            for s in self.graph.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and str(s).startswith(namespace)
        )

    def curie(self, node: Node) -> str:
        if isinstance(node, URIRef):
            try:
                name = self.names.curie(str(node), generate=False)
            except (KeyError, ValueError):
                return f"<{node}>"
            self.used_prefixes.add(name.split(":", 1)[0])
            return name
        return str(node)

    def link(self, node: Node) -> str:
        """A term as a prefixed name, linked to its section when it is one of ours."""
        text = f"`{self.curie(node)}`"
        if isinstance(node, URIRef) and node in self.anchors:
            return f"[{text}](#{self.anchors[node]})"
        return text

    def expression(self, node: Node) -> str:
        """A class expression: a named class, or a union of named classes."""
        if isinstance(node, BNode):
            for head in self.graph.objects(node, OWL.unionOf):
                members = sorted(Collection(self.graph, head), key=str)
                return " or ".join(self.link(m) for m in members)
            return "(an anonymous class)"
        return self.link(node)

    def texts(self, subject: Node, predicate: URIRef) -> list[RDFLiteral]:
        values = [o for o in self.graph.objects(subject, predicate) if isinstance(o, RDFLiteral)]
        return sorted(values, key=lambda v: (v.language != "en", v.language or "", str(v)))

    def labels(self, subject: Node, predicate: URIRef = RDFS.label) -> str:
        return ", ".join(
            f"{_inline(v)} ({v.language})" if v.language else _inline(v)
            for v in self.texts(subject, predicate)
        )

    def definition(self, subject: Node) -> str:
        values = self.texts(subject, SKOS.definition)
        english = [v for v in values if v.language == "en"] or values
        return _inline(english[0]) if english else ""

    def iris(self, subject: Node, predicate: URIRef) -> list[URIRef]:
        return sorted(o for o in self.graph.objects(subject, predicate) if isinstance(o, URIRef))

    def label_of(self, subject: Node) -> str:
        for predicate in (RDFS.label, SKOS.prefLabel):
            for value in self.texts(subject, predicate):
                if value.language == "en":
                    return str(value)
        return self.curie(subject)

    # -- sections ------------------------------------------------------------------------

    def render(self) -> str:
        body = [
            self.class_hierarchy(),
            self.class_section(),
            *(self.property_section(kind, title, noun) for kind, title, noun in _PROPERTY_KINDS),
            self.scheme_section(),
        ]
        head = [self.overview(), self.namespaces()]  # after the body: prefixes are now known
        return "\n".join([*head, *body]).rstrip("\n") + "\n"

    def overview(self) -> str:
        ontology = ONTOLOGY_IRI
        title = self.texts(ontology, DCTERMS.title)
        version = self.iris(ontology, OWL.versionIRI)
        info = [str(v) for v in self.graph.objects(ontology, OWL.versionInfo)]
        licence = self.iris(ontology, DCTERMS.license)
        schemes = self._schemes()
        concepts = sum(len(self._concepts(s)) for s in schemes)
        lines = [
            "# inclusion-kg ontology reference",
            "",
            "<!-- Generated by `ikg ontology-docs -o docs/ontology.md` (make docs) from "
            "ontology/ikg.ttl, ontology/schemes/*.ttl and ontology/imports/external.ttl. "
            "Do not edit by hand. -->",
            "",
            f"**{_inline(title[0]) if title else 'inclusion-kg ontology'}**, "
            f"version {info[0] if info else '?'}.",
            "",
            "| | |",
            "|---|---|",
            f"| Ontology IRI | `{ontology}` |",
            f"| Version IRI | `{version[0] if version else ''}` |",
            f"| Licence | {', '.join(f'<{iri}>' for iri in licence)} |",
            f"| Classes | {len(self.classes)} |",
            *(f"| {title} | {len(self.properties[kind])} |" for kind, title, _ in _PROPERTY_KINDS),
            f"| Concept schemes | {len(schemes)} ({concepts} concepts) |",
            "",
        ]
        for description in self.texts(ontology, DCTERMS.description):
            lines += [_inline(description), ""]
        lines += [
            "Contents: [Namespaces](#namespaces) · [Class hierarchy](#class-hierarchy) · "
            "[Classes](#classes) · [Object properties](#object-properties) · "
            "[Datatype properties](#datatype-properties) · "
            "[Annotation properties](#annotation-properties) · "
            "[Concept schemes](#concept-schemes)",
            "",
            "How to edit the ontology: [ontology/README.md](../ontology/README.md); "
            "what changed: [ontology/CHANGELOG.md](../ontology/CHANGELOG.md).",
            "",
        ]
        return "\n".join(lines)

    def namespaces(self) -> str:
        lines = ["## Namespaces", "", "| prefix | namespace |", "|---|---|"]
        known = {**PREFIXES, **_EXTRA_PREFIXES}
        for prefix in sorted(self.used_prefixes | {"ikg"}):
            lines.append(f"| `{prefix}` | `{known[prefix]}` |")
        lines += [
            "",
            f"Concepts live under `{VOCAB}{{scheme}}/{{concept}}`, schemes at `{VOCAB}{{scheme}}`.",
            "",
        ]
        return "\n".join(lines)

    def class_hierarchy(self) -> str:
        ours = set(self.classes)
        children: dict[URIRef, list[URIRef]] = defaultdict(list)
        roots = []
        for cls in self.classes:
            parents = [p for p in self.iris(cls, RDFS.subClassOf) if p in ours]
            for parent in parents:
                children[parent].append(cls)
            if not parents:
                roots.append(cls)
        lines = [
            "## Class hierarchy",
            "",
            "Each class is followed by the classes of reused vocabularies it specialises.",
            "",
        ]

        def walk(cls: URIRef, depth: int) -> None:
            external = [p for p in self.iris(cls, RDFS.subClassOf) if p not in ours]
            aligned = f" ⊑ {', '.join(self.link(p) for p in external)}" if external else ""
            lines.append(f"{'  ' * depth}- {self.link(cls)}{aligned}")
            for child in sorted(children[cls]):
                walk(child, depth + 1)

        for root in sorted(roots):
            walk(root, 0)
        lines.append("")
        return "\n".join(lines)

    def class_section(self) -> str:
        domain_of: dict[URIRef, list[URIRef]] = defaultdict(list)
        range_of: dict[URIRef, list[URIRef]] = defaultdict(list)
        for props in self.properties.values():
            for prop in props:
                for cls in self._members(RDFS.domain, prop):
                    domain_of[cls].append(prop)
                for cls in self._members(RDFS.range, prop):
                    range_of[cls].append(prop)
        disjoint = self._disjointness()
        subclasses: dict[URIRef, list[URIRef]] = defaultdict(list)
        for cls in self.classes:
            for parent in self.iris(cls, RDFS.subClassOf):
                subclasses[parent].append(cls)
        lines = ["## Classes", ""]
        for cls in self.classes:
            rows = [
                ("IRI", f"`{cls}`"),
                ("Labels", self.labels(cls)),
                ("Also called", self.labels(cls, SKOS.altLabel)),
                ("Definition", self.definition(cls)),
                ("Comment", " ".join(_inline(c) for c in self.texts(cls, RDFS.comment))),
                ("Superclasses", self._links(self.iris(cls, RDFS.subClassOf))),
                ("Subclasses", self._links(sorted(subclasses[cls]))),
                ("Disjoint with", self._links(sorted(disjoint[cls]))),
                ("Sector", self._links(self.iris(cls, IKG.sector))),
                ("Domain of", self._links(sorted(set(domain_of[cls])))),
                ("Range of", self._links(sorted(set(range_of[cls])))),
            ]
            lines += self._entry(cls, rows)
        return "\n".join(lines)

    def property_section(self, kind: str, title: str, noun: str) -> str:
        lines = [f"## {title}", ""]
        for prop in self.properties[kind]:
            characteristics = [
                name for type_, name in _CHARACTERISTICS if (prop, RDF.type, type_) in self.graph
            ]
            inverses = sorted(
                {
                    *self.iris(prop, OWL.inverseOf),
                    *(s for s in self.graph.subjects(OWL.inverseOf, prop) if isinstance(s, URIRef)),
                }
            )
            chains = [
                " ∘ ".join(self.link(step) for step in Collection(self.graph, head))
                for head in self.graph.objects(prop, OWL.propertyChainAxiom)
            ]
            subs = sorted(
                s for s in self.graph.subjects(RDFS.subPropertyOf, prop) if isinstance(s, URIRef)
            )
            rows = [
                ("IRI", f"`{prop}`"),
                ("Kind", noun),
                ("Labels", self.labels(prop)),
                ("Definition", self.definition(prop)),
                ("Comment", " ".join(_inline(c) for c in self.texts(prop, RDFS.comment))),
                ("Characteristics", ", ".join(characteristics)),
                ("Inverse of", self._links(inverses)),
                ("Property chain", "; ".join(sorted(chains))),
                (
                    "Domain",
                    " and ".join(
                        self.expression(d) for d in self._sorted_objects(prop, RDFS.domain)
                    ),
                ),
                (
                    "Range",
                    " and ".join(
                        self.expression(r) for r in self._sorted_objects(prop, RDFS.range)
                    ),
                ),
                ("Super-properties", self._links(self.iris(prop, RDFS.subPropertyOf))),
                ("Sub-properties", self._links(subs)),
            ]
            lines += self._entry(prop, rows)
        return "\n".join(lines)

    def scheme_section(self) -> str:
        lines = [
            "## Concept schemes",
            "",
            "Controlled values are SKOS concepts. A concept's `rank` orders an ordinal scale "
            "(higher is more formal or more equal); `class` is the OWL class of an actor type.",
            "",
        ]
        for scheme in self._schemes():
            name = str(scheme).rsplit("/", 1)[-1]
            lines += [
                f'<a id="scheme-{name}"></a>',
                "",
                f"### {self.label_of(scheme)}",
                "",
                f"`{scheme}`",
                "",
            ]
            definition = self.definition(scheme)
            if definition:
                lines += [definition, ""]
            lines += ["| concept | labels | definition | notes |", "|---|---|---|---|"]
            for concept in self._concepts(scheme):
                notes = []
                for cls in self.iris(concept, IKG.actorClass):
                    notes.append(f"class {self.link(cls)}")
                for rank in sorted(str(r) for r in self.graph.objects(concept, IKG.rank)):
                    notes.append(f"rank {rank}")
                for label, predicate in (
                    ("exact match", SKOS.exactMatch),
                    ("close match", SKOS.closeMatch),
                    ("broader", SKOS.broader),
                ):
                    notes += [f"{label} {self.link(iri)}" for iri in self.iris(concept, predicate)]
                alt = self.labels(concept, SKOS.altLabel)
                labels = self.labels(concept, SKOS.prefLabel) + (f"; also {alt}" if alt else "")
                lines.append(
                    f"| `{str(concept).rsplit('/', 1)[-1]}` | {labels} | "
                    f"{self.definition(concept)} | {'; '.join(notes)} |"
                )
            lines.append("")
        return "\n".join(lines)

    # -- pieces --------------------------------------------------------------------------

    def _entry(self, term: URIRef, rows: list[tuple[str, str]]) -> list[str]:
        lines = [
            f'<a id="{self.anchors[term]}"></a>',
            "",
            f"### {self.curie(term)}",
            "",
            "| | |",
            "|---|---|",
        ]
        lines += [f"| {key} | {value} |" for key, value in rows if value]
        lines.append("")
        return lines

    def _links(self, terms: Iterable[Node]) -> str:
        return ", ".join(self.link(t) for t in terms)

    def _sorted_objects(self, subject: Node, predicate: URIRef) -> list[Node]:
        return sorted(self.graph.objects(subject, predicate), key=self.expression)

    def _members(self, predicate: URIRef, prop: URIRef) -> list[URIRef]:
        """Named classes of a domain or range, including the members of a union."""
        found: list[URIRef] = []
        for node in self.graph.objects(prop, predicate):
            if isinstance(node, URIRef):
                found.append(node)
            for head in self.graph.objects(node, OWL.unionOf):
                found += [m for m in Collection(self.graph, head) if isinstance(m, URIRef)]
        return found

    def _disjointness(self) -> dict[URIRef, set[URIRef]]:
        disjoint: dict[URIRef, set[URIRef]] = defaultdict(set)
        groups: list[list[Node]] = [
            list(Collection(self.graph, head))
            for group in self.graph.subjects(RDF.type, OWL.AllDisjointClasses)
            for head in self.graph.objects(group, OWL.members)
        ]
        groups += [[a, b] for a, b in self.graph.subject_objects(OWL.disjointWith)]
        for members in groups:
            named = [m for m in members if isinstance(m, URIRef)]
            for cls in named:
                disjoint[cls].update(m for m in named if m != cls)
        return disjoint

    def _schemes(self) -> list[URIRef]:
        return sorted(
            s
            for s in self.graph.subjects(RDF.type, SKOS.ConceptScheme)
            if isinstance(s, URIRef) and str(s).startswith(str(VOCAB))
        )

    def _concepts(self, scheme: URIRef) -> list[URIRef]:
        def order(concept: URIRef) -> tuple[float, str]:
            ranks = [
                float(r) for r in self.graph.objects(concept, IKG.rank) if isinstance(r, RDFLiteral)
            ]
            return (min(ranks) if ranks else 0.0, str(concept))

        concepts = [c for c in self.graph.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)]
        return sorted(concepts, key=order)


_KIND_TYPE = {
    "object_property": OWL.ObjectProperty,
    "datatype_property": OWL.DatatypeProperty,
    "annotation_property": OWL.AnnotationProperty,
}


def _anchor(term: URIRef, kind: str) -> str:
    """An HTML id that differs between ``ikg:Country`` (class) and ``ikg:country``."""
    return f"{kind}-{str(term).rsplit('#', 1)[-1]}"


def _inline(value: Node) -> str:
    """Text for a Markdown table cell: one line, pipes and tag openers escaped."""
    return " ".join(str(value).split()).replace("|", "\\|").replace("<", "&lt;")
