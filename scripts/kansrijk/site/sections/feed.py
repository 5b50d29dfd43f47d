"""The news feed (``nieuws/feed.xml``, RSS 2.0), built from the blog posts' front matter.

Generated here rather than by mkdocs-rss-plugin: one dependency less, and engines without
MkDocs plugins get the feed too. The XML is built with ``xml.etree``, which escapes every text,
so a post's title can never break the feed.
"""

from __future__ import annotations

import datetime
import email.utils
from collections.abc import Iterable
from pathlib import Path
from xml.etree import ElementTree

import yaml

from kansrijk.site.engine.pages import GENERATORS, Page, SiteContext

POSTS_DIR = "docs/nieuws/posts"
FEED = "nieuws/feed.xml"


def read_front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    header = text.split("---", 2)[1]
    return yaml.safe_load(header) or {}


def feed_pages(ctx: SiteContext) -> Iterable[Page]:
    site_url = ctx.site_url
    posts = []
    for path in sorted((ctx.repo.root / POSTS_DIR).glob("*.md")):
        meta = read_front_matter(path)
        date = meta.get("date")
        if isinstance(date, dict):
            date = date.get("created")
        if not isinstance(date, datetime.date) or not meta.get("slug"):
            continue
        posts.append((date, meta))
    posts.sort(key=lambda item: item[0], reverse=True)
    rss = ElementTree.Element("rss", version="2.0")
    channel = ElementTree.SubElement(rss, "channel")
    _add_text(channel, "title", "Kansrijke Start kennisbank: nieuws")
    _add_text(channel, "link", f"{site_url}nieuws/")
    _add_text(channel, "description", "Nieuws over Kansrijke Start, de coalities en de Impulsregeling.")
    _add_text(channel, "language", "nl")
    for date, meta in posts:
        link = f"{site_url}nieuws/{meta['slug']}/"
        moment = datetime.datetime.combine(date, datetime.time(9, 0), tzinfo=datetime.UTC)
        item = ElementTree.SubElement(channel, "item")
        _add_text(item, "title", str(meta.get("title", meta["slug"])))
        _add_text(item, "link", link)
        _add_text(item, "guid", link)
        _add_text(item, "pubDate", email.utils.format_datetime(moment))
        _add_text(item, "description", str(meta.get("description", "")))
    xml = ElementTree.tostring(rss, encoding="unicode", short_empty_elements=False)
    yield Page(FEED, f'<?xml version="1.0" encoding="UTF-8"?>\n{xml}\n')


def _add_text(parent: ElementTree.Element, tag: str, text: str) -> None:
    ElementTree.SubElement(parent, tag).text = text


GENERATORS.append(feed_pages)
