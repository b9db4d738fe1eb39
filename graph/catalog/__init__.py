"""The catalog behind the REST API: listings, entity details and vocabularies, read with SPARQL.

- :mod:`~inclusion_kg.graph.catalog.query`     one-query pages (filters, sort, total)
- :mod:`~inclusion_kg.graph.catalog.listings`  actors, places, partnerships, projects,
  services, councils, documents
- :mod:`~inclusion_kg.graph.catalog.entities`  one entity: statements, relations,
  provenance, city and country profiles
- :mod:`~inclusion_kg.graph.catalog.vocabularies` the SKOS concept schemes

Every query runs on the store (pyoxigraph or a remote endpoint) through
:meth:`~inclusion_kg.graph.store.Store.select`; rdflib's engine is never used here.
"""
