"""Validation: records in, problems out (cross-record rules, grant rules, validation runs, renderers)."""
