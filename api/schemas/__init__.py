"""Pydantic models of the REST API (``/api/v1``), one module per resource.

- :mod:`~inclusion_kg.api.schemas.common`        references, pages, statements, provenance,
  problems, validation reports, write results
- :mod:`~inclusion_kg.api.schemas.actors`        actors
- :mod:`~inclusion_kg.api.schemas.councils`      migrant councils
- :mod:`~inclusion_kg.api.schemas.places`        cities and countries
- :mod:`~inclusion_kg.api.schemas.partnerships`  partnerships
- :mod:`~inclusion_kg.api.schemas.projects`      funding projects
- :mod:`~inclusion_kg.api.schemas.services`      services
- :mod:`~inclusion_kg.api.schemas.documents`     source documents
- :mod:`~inclusion_kg.api.schemas.vocabularies`  concept schemes
- :mod:`~inclusion_kg.api.schemas.imports`       bulk imports

Input models mirror :mod:`inclusion_kg.graph.records` (one field per RDF property) and
check types only: what the data must satisfy is checked by the SHACL shapes, whose report
comes back in a 422.
"""
