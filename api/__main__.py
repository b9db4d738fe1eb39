"""Run the ``ikg`` command line as ``python -m inclusion_kg.api``."""

from inclusion_kg.api.cli import main

main()
