"""The inclusion-kg OWL ontology and its SKOS schemes, shipped as package data.

Turtle files only: ``ikg.ttl`` (classes and properties), ``schemes/*.ttl`` (controlled
vocabularies), ``imports/external.ttl`` (the reused external terms, bundled so nothing is
fetched) and ``qc/*.rq`` (quality-control queries: any row is a defect). Read them through
:mod:`inclusion_kg.graph.resources`.
"""
