"""Benchmarks that print each figure beside an anchor measured in the same run."""
