"""Reports: queries, metrics (critical mass), exports and charts — no models."""
