"""Targets [004] and the forms that supervise the work [003]: analysis with pandas, month arithmetic with
python-dateutil, both imported inside functions here only (never on a hot command's path)."""
