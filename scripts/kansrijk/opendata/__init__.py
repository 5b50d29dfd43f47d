"""The open-data package (Frictionless): tables, rows, descriptor."""
