"""Market exchange rates: one module per price provider, and the median of their fresh quotes."""
