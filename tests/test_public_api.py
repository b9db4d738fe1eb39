"""The public API of ``inclusion_kg.graph``: ``__all__`` says exactly what is public.

After httpx's ``tests/test_exported_members.py``: the package's ``__all__`` lists exactly
its public names (no leading underscore, not a submodule, not ``annotations``), and every
public module of the package declares an ``__all__`` whose names all exist.
"""

from __future__ import annotations
import __future__

import importlib
import pkgutil
from types import ModuleType

import pytest

import inclusion_kg.graph


def _public_names(module: ModuleType) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, ModuleType)
        and not isinstance(value, __future__._Feature)
    }


def _public_modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.walk_packages(inclusion_kg.graph.__path__, "inclusion_kg.graph.")
        if not any(part.startswith("_") for part in info.name.split("."))
    )


def test_package_all_matches_its_public_names() -> None:
    assert set(inclusion_kg.graph.__all__) == _public_names(inclusion_kg.graph)
    assert len(inclusion_kg.graph.__all__) == len(set(inclusion_kg.graph.__all__))


def test_package_exports_resolve() -> None:
    for name in inclusion_kg.graph.__all__:
        assert getattr(inclusion_kg.graph, name) is not None


@pytest.mark.parametrize("name", _public_modules())
def test_every_public_module_declares_its_exports(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    if exported is None and not _public_names(module):
        return  # a package whose __init__ only documents it
    assert exported is not None, f"{name} has no __all__"
    missing = [item for item in exported if not hasattr(module, item)]
    assert missing == [], f"{name}.__all__ names what it does not define"
    assert len(exported) == len(set(exported)), f"{name}.__all__ repeats a name"
