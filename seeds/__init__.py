"""Seed data built from the two 2020 press releases on the study, shipped as package data.

``manifest.ttl`` lists each seed file with its target named graph and source document.
Read them through :mod:`inclusion_kg.graph.resources`.
"""
