"""Benchmarks of inclusion-kg: a seeded synthetic data generator and the SPARQL benchmark.

Never packaged and never run by the test suite. ``python -m bench`` runs everything;
see bench/README.md.
"""
