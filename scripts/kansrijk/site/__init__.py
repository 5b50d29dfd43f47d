"""The knowledge site: pages generated from the records, independent of the site engine.

``pages`` holds the framework (``Page``, ``SiteContext``, the generator registry);
``mkdocs_hooks`` is the thin MkDocs adapter; ``kansrijk site render`` writes the
same pages to disk for any other engine (such as Zensical).
"""
