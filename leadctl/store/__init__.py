"""The SQLite edge: connections, transactions, schema, queries."""
