"""Reliability harness: power cuts, a fault matrix, and a soak with the real UI."""
