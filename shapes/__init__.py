"""SHACL shapes that validate inclusion-kg data, shipped as package data.

One Turtle file per concern; Violations block a write, Warnings and Infos are reported.
Read them through :mod:`inclusion_kg.graph.resources`.
"""
