"""Benchmarks and the large-data generator; run with `make bench` (not part of the tests)."""
