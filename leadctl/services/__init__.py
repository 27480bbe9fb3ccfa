"""Use cases: each takes (store, now, actor, arguments), runs one write transaction, returns plain data."""
