"""leadctl: closed-loop sales-lead management for a car dealership."""

__version__ = "0.1.0"
