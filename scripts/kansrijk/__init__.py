"""Kansrijk: the Kansrijke Start knowledge base and grant programme, kept as data."""

__version__ = "0.1.0"
