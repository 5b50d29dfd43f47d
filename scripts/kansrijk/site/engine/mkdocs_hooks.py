"""Thin MkDocs adapter: generated pages as in-memory files, reload on record changes, Pagefind after build.

Referenced from ``mkdocs.yml`` (``hooks:``). Everything else lives in engine-free modules.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from pathlib import Path

from jinja2 import Environment, Template
from jinja2.runtime import Context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage

from kansrijk.site.engine.build import WATCHED_DIRS, InvalidRepository, build_pages
from kansrijk.site.engine.html import html_body
from kansrijk.site.engine.search import SearchIndexError, run_pagefind


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


# The theme's navigation partials, rendered once per folder for pages outside the nav (see ``on_env``).
NAV_PARTIALS = ("partials/nav.html", "partials/tabs.html")
_pages_in_nav: set[str] = set()


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    _pages_in_nav.clear()
    _pages_in_nav.update(page.file.src_uri for page in nav.pages)
    return nav


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Render the theme's navigation once per folder for record pages, instead of once per page.

    Every page renders the whole navigation (sidebar and tabs); at 5,000 records that was a third of the build.
    For a generated page outside the nav, no nav item is active and links are relative to the page's folder, so
    the output is the same for every page in that folder: ``coalities/a/`` and ``coalities/b/`` get one rendering.
    Pages in the nav (which mark themselves active and carry their table of contents) and pages of other plugins
    (the blog's archive marks "Nieuws" active) are rendered as usual. A test builds
    the site with and without this and compares every page.
    """
    for name in NAV_PARTIALS:
        _render_once_per_folder(env.get_template(name))
    return env


def _render_once_per_folder(template: Template) -> None:
    render: Callable[[Context], Iterator[str]] = getattr(template, "_kansrijk_render", template.root_render_func)
    rendered: dict[str, str] = {}

    def render_cached(context: Context) -> Iterator[str]:
        page = context.get("page")
        if not isinstance(page, MkDocsPage) or page.file.src_uri not in _finished_html or page.file.src_uri in _pages_in_nav:
            yield from render(context)
            return
        folder = posixpath.dirname(page.url.rstrip("/"))
        if folder not in rendered:
            rendered[folder] = "".join(render(context))
        yield rendered[folder]

    template._kansrijk_render = render  # type: ignore[attr-defined]  # the theme's own, kept across rebuilds
    template.root_render_func = render_cached


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
