"""The store service: one process owns the database file and learns from the operating system who is asking.

`listener` accepts connections on a Unix socket, reads each peer's credentials (SO_PEERCRED) and runs the same
Typer app in a forked child per request; `client` is the transport the CLI uses when a socket is configured;
`wire` is the small versioned protocol (JSON lines) between them.
"""
