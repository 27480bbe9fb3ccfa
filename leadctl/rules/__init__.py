"""Pure rules: stdlib, dateutil and models only. No sqlite, no typer, no rich."""
