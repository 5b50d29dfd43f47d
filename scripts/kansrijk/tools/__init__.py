"""Contributor and maintainer tools: ``new``, ``fmt``, ``stale``, hook files, the demo corpus, the map data."""
