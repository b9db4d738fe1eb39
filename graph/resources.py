"""Where the shipped data lives: ontology, schemes, shapes and seeds.

Everything is read through :func:`importlib.resources.files` on the package that holds
it, so the same code works from a checkout, an editable install and an installed wheel
(never ``__file__`` paths; see docs/CONVENTIONS.md).
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

__all__ = [
    "external_vocabulary_file",
    "ontology_file",
    "qc_query_files",
    "scheme_files",
    "seed_files",
    "shape_files",
]


def _ttl_files(package: str, folder: str | None = None, suffix: str = ".ttl") -> list[Traversable]:
    root = files(package)
    if folder is not None:
        root = root / folder
    return sorted(
        (entry for entry in root.iterdir() if entry.is_file() and entry.name.endswith(suffix)),
        key=lambda entry: entry.name,
    )


def ontology_file() -> Traversable:
    """Return the ontology's source of truth, ``ikg.ttl``."""
    return files("inclusion_kg.ontology") / "ikg.ttl"


def scheme_files() -> list[Traversable]:
    """Return the SKOS concept-scheme files, sorted by name."""
    return _ttl_files("inclusion_kg.ontology", "schemes")


def external_vocabulary_file() -> Traversable:
    """Return the bundled declarations of the external terms the ontology reuses."""
    return files("inclusion_kg.ontology") / "imports" / "external.ttl"


def qc_query_files() -> list[Traversable]:
    """Return the ontology quality-control queries (``*-violation.rq``)."""
    return _ttl_files("inclusion_kg.ontology", "qc", suffix=".rq")


def shape_files() -> list[Traversable]:
    """Return the SHACL shape files, sorted by name."""
    return _ttl_files("inclusion_kg.shapes")


def seed_files() -> list[Traversable]:
    """Return the seed TriG files, sorted by name (the manifest is not included)."""
    return _ttl_files("inclusion_kg.seeds", suffix=".trig")
