"""Reports: SQL aggregates over the store, described once and rendered as table, JSON, CSV or Excel."""
