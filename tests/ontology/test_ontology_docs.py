"""The generated ontology reference (docs/ontology.md): never stale, complete, stable."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDF, SKOS
from typer.testing import CliRunner

from inclusion_kg.api.cli import app
from inclusion_kg.graph.namespaces import VOCAB
from inclusion_kg.graph.ontology import ontology_graph, ontology_terms
from inclusion_kg.graph.ontology_docs import render_ontology_markdown

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "ontology.md"


def test_committed_reference_is_up_to_date() -> None:
    """If this fails, run `make docs` (ikg ontology-docs -o docs/ontology.md) and commit."""
    assert COMMITTED.read_text(encoding="utf-8") == render_ontology_markdown()


def test_rendering_is_deterministic() -> None:
    assert render_ontology_markdown() == render_ontology_markdown()


def test_every_term_has_a_section() -> None:
    page = render_ontology_markdown()
    for term in ontology_terms():
        name = str(term).split("#", 1)[1]
        assert f"\n### ikg:{name}\n" in page, name
        assert f"`{term}`" in page, name


def test_every_scheme_and_concept_appears() -> None:
    page = render_ontology_markdown()
    graph = ontology_graph()
    schemes = [
        s for s in graph.subjects(RDF.type, SKOS.ConceptScheme) if str(s).startswith(str(VOCAB))
    ]
    assert schemes
    for scheme in schemes:
        assert f"`{scheme}`" in page
        for concept in graph.subjects(SKOS.inScheme, scheme):
            assert isinstance(concept, URIRef)
            assert f"| `{str(concept).rsplit('/', 1)[-1]}` |" in page, concept


def test_axioms_are_shown() -> None:
    page = render_ontology_markdown()
    has_partner = page.split('<a id="property-hasPartner"></a>', 1)[1].split("<a id=", 1)[0]
    assert (
        "| Property chain | [`ikg:hasParticipation`](#property-hasParticipation) ∘ " in has_partner
    )
    assert "| Inverse of | [`ikg:partnerIn`](#property-partnerIn) |" in has_partner
    within = page.split('<a id="property-within"></a>', 1)[1].split("<a id=", 1)[0]
    assert "| Characteristics | transitive |" in within
    municipality = page.split('<a id="class-Municipality"></a>', 1)[1].split("<a id=", 1)[0]
    assert "comune (it)" in municipality
    assert "[`ikg:PublicAuthority`](#class-PublicAuthority)" in municipality
    assert "Disjoint with | " in municipality
    assert "`cv:PublicOrganisation`" in page.split('<a id="class-PublicAuthority"></a>', 1)[1]


def test_cli_writes_the_reference(tmp_path: Path) -> None:
    out = tmp_path / "ontology.md"
    result = CliRunner().invoke(app, ["ontology-docs", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render_ontology_markdown()
