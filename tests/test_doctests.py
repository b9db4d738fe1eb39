"""Run the doctests of every module of ``inclusion_kg.graph`` (after pyoxigraph's test_doc.py).

pytest is not run with ``--doctest-modules`` on graph/ because that would import the
folder a second time under another name (CONVENTIONS.md §3); the modules are found with
:mod:`pkgutil` under their installed names instead.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import inclusion_kg.graph

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(inclusion_kg.graph.__path__, "inclusion_kg.graph.")
)


def test_modules_are_found() -> None:
    assert "inclusion_kg.graph.namespaces" in MODULES
    assert "inclusion_kg.graph.ontology" in MODULES


@pytest.mark.parametrize("name", ["inclusion_kg.graph", *MODULES])
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctests failed in {name}"
