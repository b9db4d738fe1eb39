"""Partnership network analytics: projection, tie strength, metrics, indicators, write-back."""
