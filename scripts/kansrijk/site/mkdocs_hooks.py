"""Thin MkDocs adapter: generated pages as in-memory files, reload on record changes, Pagefind after build.

Referenced from ``mkdocs.yml`` (``hooks:``). Everything else lives in engine-free modules.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from kansrijk.site.build import WATCHED_DIRS, InvalidRepository, build_pages
from kansrijk.site.html import html_body
from kansrijk.site.search import SearchIndexError, run_pagefind


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


# Generated pages that are finished HTML: docs path -> HTML. Python-Markdown would only pass them through.
_finished_html: dict[str, str] = {}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    try:
        pages = build_pages(_root(config), site_url=config.site_url or "")
    except InvalidRepository as exc:
        raise Abort(str(exc)) from None
    _finished_html.clear()
    for page in pages:
        files.append(File.generated(config, page.path, content=page.content))
        body = html_body(page.content) if page.path.endswith(".md") else None
        if body is not None:
            _finished_html[page.path] = body
    return files


def on_page_markdown(markdown: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str | None:
    return "" if page.file.src_uri in _finished_html else None


def on_page_content(html: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
    return _finished_html.get(page.file.src_uri, html)


def on_serve(server, config: MkDocsConfig, builder):
    root = _root(config)
    for name in WATCHED_DIRS:
        if (root / name).is_dir():
            server.watch(str(root / name))
    return server


def on_post_build(config: MkDocsConfig) -> None:
    try:
        run_pagefind(Path(config.site_dir))
    except SearchIndexError as exc:
        raise Abort(str(exc)) from None
