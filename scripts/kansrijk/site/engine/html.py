"""Safe HTML for generated pages: record text is escaped or rendered as Markdown without raw HTML.

Generated pages are raw HTML blocks inside Markdown files, so the site engine never
interprets record text as Markdown or HTML. Links between pages are relative, so the
site works under a sub-path (a GitHub Pages project site).
"""

from __future__ import annotations

from functools import cache
from html import escape
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http", "https", "mailto")


def _safe_link(url: str) -> bool:
    """Only http(s) and mailto links survive; relative and other schemes are dropped."""
    scheme = urlsplit(url.strip()).scheme.lower()
    return scheme in SAFE_SCHEMES


def _make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")  # images would load from third-party hosts
    md.validateLink = _safe_link
    return md


_MARKDOWN = _make_markdown()


def markdown_html(text: str) -> str:
    """Render a record's Markdown field: raw HTML shown as text, only http(s)/mailto links."""
    return _MARKDOWN.render(text or "")


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def external_link(url: str, text: str | None = None) -> str:
    """A link to an outside page; unsafe schemes become plain text."""
    if not _safe_link(url):
        return esc(text or url)
    return f'<a href="{esc(url)}" rel="noopener">{esc(text or url)}</a>'


@cache
def page_url(path: str) -> str:
    """Directory-style URL (relative to the site root) of a docs-relative .md path."""
    stem = path[: -len(".md")] if path.endswith(".md") else path
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    return stem if stem.endswith("/") or not stem else stem + "/"


@cache
def _segments(url: str) -> tuple[str, ...]:
    return tuple(part for part in url.split("/") if part)


def _relative(target_url: str, source_url: str) -> str:
    """``posixpath.relpath`` for the site's own normalised paths (no ``.``/``..`` segments), without its
    two ``abspath`` calls: a 5,000-record build makes about 90,000 links, and relpath was a quarter of it."""
    source, target = _segments(source_url), _segments(target_url)
    common = 0
    for source_part, target_part in zip(source, target, strict=False):
        if source_part != target_part:
            break
        common += 1
    return "/".join((*[".."] * (len(source) - common), *target[common:])) or "."


def href(from_path: str, to_path: str) -> str:
    """Relative link from one docs page to another (both docs-relative .md paths), directory URLs."""
    relative = _relative(page_url(to_path), page_url(from_path))
    if relative == ".":
        return "./"
    return relative if to_path.endswith((".ics", ".csv", ".xml", ".json")) else relative + "/"


def asset_href(from_path: str, asset: str) -> str:
    """Relative link from a docs page to a static file (such as ``agenda/x.ics``)."""
    return _relative(asset, page_url(from_path))


def front_matter(title: str, **meta: object) -> str:
    """YAML front matter; JSON strings are valid YAML, so titles cannot break out of it."""
    import json

    lines = ["---", f"title: {json.dumps(escape(title, quote=False), ensure_ascii=False)}"]
    for key, value in meta.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


HTML_PAGE_START = '<div class="ks-page">'


def html_page(title: str, body: str, **meta: object) -> str:
    """A page whose body is one raw HTML block, so the Markdown engine leaves record text alone."""
    return f"{front_matter(title, **meta)}{HTML_PAGE_START}\n<h1>{esc(title)}</h1>\n{body}\n</div>\n"


def html_body(content: str) -> str | None:
    """The finished HTML of a page made by ``html_page`` (None for Markdown pages), so an engine may skip
    Markdown conversion, which only passes the block through, slowly, for thousands of pages."""
    _front, separator, body = content.partition("\n---\n\n")
    if separator and content.startswith("---\n") and body.startswith(HTML_PAGE_START):
        return body
    return None
