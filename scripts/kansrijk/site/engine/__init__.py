"""The page framework, engine-free: pages, build, URLs, templating, HTML, search; the only MkDocs file."""
