"""Fixtures for the network-analytics tests: a pyoxigraph store filled from TriG."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusion_kg.graph.network.projection import OxigraphRunner

DATA = Path(__file__).parent / "data"
ACTOR = "https://w3id.org/inclusion-kg/id/actor/"


@pytest.fixture(scope="session")
def testville() -> OxigraphRunner:
    """The hand-made Testville/Otherburg graph (tests/network/data/testville.trig)."""
    runner = OxigraphRunner()
    runner.load((DATA / "testville.trig").read_bytes(), "application/trig")
    return runner
